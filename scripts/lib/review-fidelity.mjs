// The fidelity figures of one tree (base or head): its bundle held against each of its source
// documents (spec/source/<name>/) and their declared deviations, exactly as spec/test/fidelity.test.ts
// does. A base from before sources had folders reads as one source, "cci-page".
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSources } from '@cci-openapi/spec-kit';

/**
 * @typedef {{ name: string, figure: string, counts: Record<string, {matched: number, total: number}>, problems: string[], deviations: {field: string, aspect: string}[] }} SourceFidelity
 * @returns {null | { sources: SourceFidelity[], uncovered: string[] }}
 */
export function fidelityOf(tree, bundlePath) {
  const sourceDir = join(tree, 'spec', 'source');
  if (!existsSync(sourceDir)) return null;
  const { sources, uncovered } = checkSources({ sourceDir, spec: JSON.parse(readFileSync(bundlePath, 'utf8')) });
  if (sources.length === 0) return null;
  return {
    sources: sources.map((source) => ({
      name: source.name,
      // The figure without its leading "<name>: ".
      figure: source.figure.slice(source.name.length + 2),
      counts: source.counts,
      problems: source.problems,
      deviations: source.deviations.map(({ field, aspect }) => ({ field, aspect })),
    })),
    uncovered,
  };
}

/** Deviations declared in head and not in base (added), and the other way round (removed), named by source. */
export function deviationChanges(base, head) {
  const keys = (side) =>
    new Set(
      (side?.sources ?? []).flatMap((source) =>
        source.deviations.map((deviation) => `${source.name}: ${deviation.field} (${deviation.aspect})`),
      ),
    );
  const baseKeys = keys(base);
  const headKeys = keys(head);
  return {
    added: [...headKeys].filter((k) => !baseKeys.has(k)),
    removed: [...baseKeys].filter((k) => !headKeys.has(k)),
  };
}
