/** The CLI's one table renderer: a header, a rule, the rows; columns padded to their widest cell, two spaces apart. */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  /** `alignRight`: column indexes padded on the left (numbers). `footer`: a last row (a total) below a rule. */
  options: { alignRight?: readonly number[]; footer?: readonly string[] } = {},
): string[] {
  const all = options.footer ? [...rows, options.footer] : rows;
  const widths = header.map((title, i) => Math.max(title.length, ...all.map((row) => (row[i] ?? '').length)));
  const right = new Set(options.alignRight ?? []);
  const line = (cells: readonly string[]) =>
    widths
      .map((width, i) => (right.has(i) ? (cells[i] ?? '').padStart(width) : (cells[i] ?? '').padEnd(width)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...rows.map(line), ...(options.footer ? [rule, line(options.footer)] : [])];
}
