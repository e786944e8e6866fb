// kubectl's column layout for `get`/`list`: upper-case headers, left-aligned cells, each column as
// wide as its widest cell plus 3 spaces (Go's tabwriter as kubectl sets it up: padding 3, the last
// column unpadded). Widths count code points, as tabwriter counts runes. Cells are escaped
// (terminal.ts) before they are measured, so an escape shows and still lines up.
import { escapeControls } from './terminal.js';

const PADDING = 3;

const width = (text: string): number => [...text].length;

/** One table cell: a single line, with no character that could act on the terminal. */
export const tableCell = (value: unknown): string => escapeControls(String(value), { singleLine: true });

/**
 * Columns that keep their widths across calls: the first rows (header and list) set them, and a
 * later row (a watch line) widens a column only when it must. Each line is ready to write.
 */
export interface ColumnLayout {
  /** The lines for these rows (cells already escaped), each ending in "\n". */
  lines(rows: readonly (readonly string[])[]): string;
}

/** `minWidths`: columns known to grow later (a watch's EVENT column holds MODIFIED) start that wide. */
export function createColumnLayout(minWidths: readonly number[] = []): ColumnLayout {
  const widths: number[] = [...minWidths];
  return {
    lines(rows) {
      for (const row of rows) {
        for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, width(cell));
      }
      return rows
        .map((row) =>
          row
            .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - width(cell) + PADDING)))
            .join(''),
        )
        .map((line) => `${line}\n`)
        .join('');
    },
  };
}

/** A whole table at once (header first). */
export function renderColumns(rows: readonly (readonly string[])[]): string {
  return createColumnLayout().lines(rows);
}
