/**
 * What the console's address bar asks for: a filter (Mongo-style JSON evaluated with mingo, as
 * the local cloud's database does, or simple field=value pairs), a sort, a page. Bad input is a
 * ConsoleError with a plain message and an HTTP status — never a stack trace.
 */
import { Query } from 'mingo'

export class ConsoleError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

export const PAGE_SIZES = [20, 50, 100] as const
export const MAX_FILTER_LENGTH = 4000

/** A field path: letters, digits, _ - and $ in each part, dot-separated; never an operator. */
const FIELD = /^[A-Za-z_][\w$-]*(?:\.[\w$-]+)*$/

export function isFieldPath(text: string): boolean {
  return FIELD.test(text)
}

/** "true" / "12" match both the typed and the string value; "null" matches null or missing. */
function pairValue(raw: string): unknown {
  const text = raw.trim()
  const quoted = /^"(.*)"$/s.exec(text) ?? /^'(.*)'$/s.exec(text)
  if (quoted) return quoted[1]
  if (text === 'null') return null
  if (text === 'true' || text === 'false') return { $in: [text === 'true', text] }
  if (/^-?\d+(?:\.\d+)?$/.test(text) && Number.isFinite(Number(text))) return { $in: [Number(text), text] }
  return text
}

/** JSON with `{"$date": "<ISO>" | <ms>}` read as a date (as the cloud's EJSON writes dates). */
function reviveDates(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value)
    const date = (value as { $date?: unknown }).$date
    if (keys.length === 1 && (typeof date === 'string' || typeof date === 'number')) {
      const d = new Date(date)
      if (isNaN(d.getTime())) throw new Error(`"$date" 的值 ${JSON.stringify(date)} 不是日期`)
      return d
    }
  }
  return value
}

/**
 * The filter box: `{…}` is a Mongo-style query (JSON; `{"$date": "2026-01-01T00:00:00Z"}` is a
 * date, so `{"at": {"$gt": {"$date": "…"}}}` works); otherwise field=value pairs separated by `&`, `;`, new lines or spaces before the next
 * `field=`. Empty means everything.
 */
export function parseFilter(text: string): Record<string, unknown> {
  const input = text.trim()
  if (input === '') return {}
  if (input.length > MAX_FILTER_LENGTH)
    throw new ConsoleError(400, `筛选条件过长（最多 ${MAX_FILTER_LENGTH} 个字符）`)
  if (input.startsWith('{') || input.startsWith('[')) {
    let value: unknown
    try {
      value = JSON.parse(input, reviveDates)
    } catch (err) {
      throw new ConsoleError(400, `筛选条件不是合法的 JSON：${(err as Error).message}`)
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ConsoleError(400, '筛选条件必须是一个 JSON 对象，例如 {"status":"booked"}')
    }
    return value as Record<string, unknown>
  }
  const filter: Record<string, unknown> = {}
  for (const part of input.split(/[&;\n]+|\s+(?=[^\s=]+=)/)) {
    if (part.trim() === '') continue
    const eq = part.indexOf('=')
    if (eq <= 0)
      throw new ConsoleError(
        400,
        `无法理解筛选条件“${part.trim()}”：请写成 字段=值（field=value），或一个 JSON 查询`
      )
    const field = part.slice(0, eq).trim()
    if (!isFieldPath(field))
      throw new ConsoleError(400, `字段名“${field}”不合法：只能包含字母、数字、下划线和点`)
    const value = pairValue(part.slice(eq + 1))
    filter[field] = field in filter ? { $in: [...asList(filter[field]), ...asList(value)] } : value
  }
  return filter
}

function asList(value: unknown): unknown[] {
  if (value && typeof value === 'object' && '$in' in value) return (value as { $in: unknown[] }).$in
  return [value]
}

/** Compiles a filter; mingo's own complaint becomes a 400. Scripts ($where, $function) are off. */
export function compileFilter(filter: Record<string, unknown>): (doc: unknown) => boolean {
  let query: Query
  try {
    query = new Query(filter, { scriptEnabled: false })
  } catch (err) {
    throw new ConsoleError(400, `筛选条件无效：${(err as Error).message}`)
  }
  return (doc) => {
    try {
      return query.test(doc as Record<string, unknown>)
    } catch (err) {
      throw new ConsoleError(400, `筛选条件无效：${(err as Error).message}`)
    }
  }
}

export interface SortSpec {
  field: string
  dir: 1 | -1
}

export function parseSort(field: string | null, order: string | null): SortSpec | undefined {
  const name = (field ?? '').trim()
  if (name === '') return undefined
  if (!isFieldPath(name)) throw new ConsoleError(400, `排序字段“${name}”不合法`)
  if (order !== null && order !== '' && order !== 'asc' && order !== 'desc')
    throw new ConsoleError(400, '排序方向只能是 asc 或 desc')
  return { field: name, dir: order === 'desc' ? -1 : 1 }
}

/** Filters, then sorts with mingo (the database's ordering of mixed types); stable on _id. */
export function selectDocs<T extends Record<string, unknown>>(
  docs: T[],
  filter: Record<string, unknown>,
  sort?: SortSpec
): T[] {
  const test = compileFilter(filter)
  const matched = docs.filter((d) => test(d))
  const order: Record<string, 1 | -1> = sort ? { [sort.field]: sort.dir } : {}
  if (!sort || sort.field !== '_id') order._id = 1
  try {
    return new Query({}, { scriptEnabled: false }).find<T>(matched).sort(order).all()
  } catch (err) {
    throw new ConsoleError(400, `无法排序：${(err as Error).message}`)
  }
}

export interface Paging {
  size: number
  page: number
}

export function parsePaging(params: URLSearchParams, defaultSize: (typeof PAGE_SIZES)[number] = 20): Paging {
  const sizeText = params.get('size')
  const pageText = params.get('page')
  const size = sizeText === null || sizeText === '' ? defaultSize : Number(sizeText)
  if (!PAGE_SIZES.includes(size as (typeof PAGE_SIZES)[number]))
    throw new ConsoleError(400, `每页条数只能是 ${PAGE_SIZES.join(' / ')}`)
  const page = pageText === null || pageText === '' ? 1 : Number(pageText)
  if (!Number.isInteger(page) || page < 1)
    throw new ConsoleError(400, `页码“${pageText ?? ''}”不合法：页码从 1 开始`)
  return { size, page }
}

export interface PageOf<T> {
  items: T[]
  total: number
  page: number
  pages: number
  size: number
}

/** One page of `all`; a page past the end is a 400 (an empty result is page 1 of 1). */
export function pageOf<T>(all: T[], { size, page }: Paging): PageOf<T> {
  const pages = Math.max(1, Math.ceil(all.length / size))
  if (page > pages) throw new ConsoleError(400, `页码超出范围：共 ${pages} 页，没有第 ${page} 页`)
  return { items: all.slice((page - 1) * size, page * size), total: all.length, page, pages, size }
}
