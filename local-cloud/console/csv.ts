/**
 * CSV (RFC 4180) as spreadsheets read it: fields quoted when they hold a quote, comma, CR or LF,
 * quotes doubled; CRLF line ends; a UTF-8 byte-order mark first so Excel reads Chinese as UTF-8;
 * nested values JSON-encoded; dates as ISO strings; a missing value empty. A text value starting
 * with = + - @ or a tab/CR gets a leading apostrophe so a spreadsheet shows it instead of running
 * it as a formula (CSV injection). The local cloud keeps its own copy (it imports nothing of the
 * product); a unit test holds it equal to the functions' CSV writer.
 */
export const BOM = '\uFEFF'

/** One CSV field. */
export function csvCell(value: unknown): string {
  let text: string
  if (value === null || value === undefined) text = ''
  else if (Object.prototype.toString.call(value) === '[object Date]')
    text = new Date(Date.prototype.getTime.call(value)).toISOString()
  else if (typeof value === 'string') text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    text = String(value)
  else text = JSON.stringify(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvRow(cells: readonly unknown[]): string {
  return cells.map(csvCell).join(',')
}
