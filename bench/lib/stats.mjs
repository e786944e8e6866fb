// Small statistics and table printing for benchmarks: medians, not means (these machines are noisy).

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Prints rows (arrays of cells) under headers, columns padded; numbers right-aligned. */
export function printTable(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row, isHeader) =>
    `| ${row.map((cell, i) => (isHeader || typeof rows[0]?.[i] !== 'number' ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(cells[0], true));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const row of cells.slice(1)) console.log(line(row, false));
}

/**
 * The median of `values` with a bootstrap percentile interval (`confidence`, e.g. 0.95): how far
 * the median of another run of as many rounds could plausibly fall. Runs here differ by more than
 * one run's spread suggests, so a goal is only called met when the whole interval meets it.
 */
export function medianInterval(values, confidence = 0.95, resamples = 2000) {
  const medians = [];
  for (let r = 0; r < resamples; r++) {
    const sample = values.map(() => values[Math.floor(Math.random() * values.length)]);
    medians.push(median(sample));
  }
  medians.sort((a, b) => a - b);
  const tail = ((1 - confidence) / 2) * resamples;
  return {
    median: median(values),
    low: medians[Math.floor(tail)],
    high: medians[Math.min(resamples - 1, Math.ceil(resamples - 1 - tail))],
  };
}
