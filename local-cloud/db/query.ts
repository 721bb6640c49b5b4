/**
 * Queries, projections and ordering as the cloud database evaluates them (MongoDB semantics,
 * through mingo). Operators the SDK can send: $eq $ne $gt $gte $lt $lte $in $nin $and $or $not
 * $nor $exists $size $all $elemMatch $mod, regular expressions, $expr; geo operators are not
 * answered locally and say so.
 */
import { Query } from 'mingo'
import { CloudDbError } from './errors'
import type { Doc } from './store'
import { isPlainObject } from './wire'

export type Criteria = Record<string, unknown>

const UNSUPPORTED = new Set(['$near', '$nearSphere', '$geoWithin', '$geoIntersects', '$text', '$where'])

function scan(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(scan)
    return
  }
  if (!isPlainObject(value)) return
  for (const [k, v] of Object.entries(value)) {
    if (UNSUPPORTED.has(k))
      throw new CloudDbError(
        'DATABASE_INVALID_OPERRATOR',
        `query operator ${k} is not supported by the local cloud`
      )
    scan(v)
  }
}

export interface Matcher {
  test(doc: Doc): boolean
}

export function compile(criteria: Criteria): Matcher {
  if (Object.keys(criteria).length === 0) return { test: () => true }
  scan(criteria)
  let query: Query
  try {
    query = new Query(criteria)
  } catch (err) {
    throw new CloudDbError('DATABASE_INVALID_OPERRATOR', `invalid query: ${(err as Error).message}`)
  }
  return {
    test(doc) {
      try {
        return query.test(doc)
      } catch (err) {
        throw new CloudDbError('DATABASE_REQUEST_FAILED', `query failed: ${(err as Error).message}`)
      }
    }
  }
}

/**
 * The document id a query pins down, if it names one exactly ({_id: 'x'} or {_id: {$eq: 'x'}}
 * at the top level): the store answers it from its map instead of scanning the collection.
 */
export function pinnedId(criteria: Criteria): string | undefined {
  const id = criteria._id
  if (typeof id === 'string') return id
  if (isPlainObject(id) && Object.keys(id).length === 1 && typeof id.$eq === 'string') return id.$eq
  return undefined
}

export type SortSpec = Record<string, 1 | -1>

export function sortSpec(order: Record<string, unknown>): SortSpec | undefined {
  const entries = Object.entries(order)
  if (entries.length === 0) return undefined
  const spec: SortSpec = {}
  for (const [field, dir] of entries) {
    if (dir !== 1 && dir !== -1)
      throw new CloudDbError('INVALID_PARAM', `invalid order for ${field}: ${JSON.stringify(dir)} (1 or -1)`)
    spec[field] = dir
  }
  return spec
}

/**
 * orderBy, skip, limit and field, in MongoDB's order (sort, then skip, then limit, then project).
 * Projection runs on copies: mingo's projection edits nested objects in place, and the documents
 * here are the store's live mirror.
 */
export function select(
  docs: Doc[],
  options: { sort?: SortSpec; offset: number; limit: number; projection?: Record<string, unknown> }
): Doc[] {
  const projection =
    options.projection && Object.keys(options.projection).length ? options.projection : undefined
  try {
    const cursor = new Query({}).find<Doc>(docs)
    if (options.sort) cursor.sort(options.sort)
    const page = cursor.skip(options.offset).limit(options.limit).all()
    if (!projection) return page
    return new Query({})
      .find<Doc>(
        page.map((d) => structuredClone(d)),
        projection
      )
      .all()
  } catch (err) {
    throw new CloudDbError(
      'DATABASE_REQUEST_FAILED',
      `invalid projection or order: ${(err as Error).message}`
    )
  }
}
