import { formatQuantity } from './quantity';

export type Cell = string | number | boolean | undefined | null;

/** Every numeric column of every table and detail list goes through formatQuantity. */
function cellText(cell: Cell): string {
  if (cell === undefined || cell === null) return '';
  return typeof cell === 'number' ? formatQuantity(cell) : String(cell);
}

/**
 * Convox-style table: upper-case headers, columns left-aligned and separated by two spaces, no
 * trailing blanks. Returns the text with a final newline (empty string for no headers).
 */
export function renderTable(headers: string[], rows: Cell[][]): string {
  const lines = [headers, ...rows.map((row) => row.map(cellText))];
  const widths = headers.map((_, column) => Math.max(...lines.map((line) => cellText(line[column]).length)));
  return lines
    .map((line) =>
      headers
        .map((_, column) => cellText(line[column]).padEnd(column === headers.length - 1 ? 0 : widths[column]))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** `Key  value` rows with the values aligned, as convox prints `apps info` and `rack`. */
export function renderDetails(pairs: Array<[string, Cell]>): string {
  const width = Math.max(0, ...pairs.map(([key]) => key.length));
  return pairs.map(([key, value]) => `${key.padEnd(width)}  ${cellText(value)}`.trimEnd() + '\n').join('');
}

export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
