/**
 * Collection exports, as WeChat's cloud console offers them: JSON lines (one document a line) or
 * CSV with a field list (CSV cannot hold a document's shape, so it must be told which fields).
 * Pure: takes documents already masked (mask.ts) and returns the file's text.
 *
 * CSV cells follow csv.ts (RFC 4180, BOM, formula-safe), written as the rating function's export
 * writes them.
 */
import { BOM, csvRow } from './csv'
import { ConsoleError, isFieldPath } from './query'

export { BOM, csvCell, csvRow } from './csv'

export const MAX_CSV_FIELDS = 100

/** "name, category\nfeeFen" → ["name", "category", "feeFen"]; refuses an empty or bad list. */
export function parseFieldList(text: string | null): string[] {
  const fields = [
    ...new Set(
      (text ?? '')
        .split(/[\s,，]+/)
        .map((f) => f.trim())
        .filter((f) => f !== '')
    )
  ]
  if (fields.length === 0) {
    throw new ConsoleError(
      400,
      'CSV 导出需要字段列表：请在“字段 fields”中填写要导出的字段，用逗号分隔，例如 _id,name,category（CSV export needs a field list）'
    )
  }
  if (fields.length > MAX_CSV_FIELDS) throw new ConsoleError(400, `字段最多 ${MAX_CSV_FIELDS} 个`)
  const bad = fields.find((f) => !isFieldPath(f))
  if (bad !== undefined)
    throw new ConsoleError(
      400,
      `字段名“${bad}”不合法：只能包含字母、数字、下划线，嵌套字段用点连接（如 officeHours.ranges）`
    )
  return fields
}

/** The value at a dotted path; through an array, a number picks an element, a name maps over it. */
export function valueAt(value: unknown, path: string): unknown {
  const parts = path.split('.')
  const step = (v: unknown, i: number): unknown => {
    const part = parts[i]
    if (part === undefined) return v
    if (Array.isArray(v))
      return /^\d+$/.test(part) ? step(v[Number(part)], i + 1) : v.map((e: unknown) => step(e, i))
    if (v !== null && typeof v === 'object') return step((v as Record<string, unknown>)[part], i + 1)
    return undefined
  }
  return step(value, 0)
}

/** The whole CSV file: BOM, header row (the field list), one row per document. */
export function toCsv(docs: unknown[], fields: string[]): string {
  const lines = [csvRow(fields), ...docs.map((d) => csvRow(fields.map((f) => valueAt(d, f))))]
  return BOM + lines.map((l) => `${l}\r\n`).join('')
}

/** JSON lines: one compact JSON document per line. */
export function toJsonLines(docs: unknown[]): string {
  return docs.map((d) => `${JSON.stringify(d)}\n`).join('')
}

/** services-20260101-093000.csv (the cloud's Shanghai wall clock); unsafe characters replaced. */
export function exportFileName(collection: string, at: Date, ext: 'json' | 'csv'): string {
  const shanghai = new Date(at.getTime() + 8 * 3600_000).toISOString()
  const stamp = `${shanghai.slice(0, 10).replace(/-/g, '')}-${shanghai.slice(11, 19).replace(/:/g, '')}`
  return `${collection.replace(/[^A-Za-z0-9_-]/g, '_')}-${stamp}.${ext}`
}
