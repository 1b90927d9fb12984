// Plain-text tables for the CLI's `--output table`.

/** Left-aligned columns, two spaces apart, under a header line; widths count code points, and the
 *  last column is not padded (no trailing spaces). */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [header, ...rows];
  const last = header.length - 1;
  const widths = header.map((_, i) => Math.max(...lines.map((cells) => [...(cells[i] ?? '')].length)));
  return lines.map((cells) => cells.map((c, i) => (i < last ? c + ' '.repeat((widths[i] ?? 0) - [...c].length) : c)).join('  ')).join('\n') + '\n';
}
