/**
 * Answers wx-server-sdk's database requests (`database.*` actions, as the SDK POSTs them to the
 * cloud's admin endpoint) from the Store. Queries, updates and aggregations are evaluated with
 * mingo; documents travel as EJSON strings, exactly as on the wire to WeChat's cloud.
 */
import { EJSON } from 'bson'
import { randomBytes } from 'node:crypto'
import { Aggregator, Query, update as applyUpdate } from 'mingo'
import { CloudDbError } from './errors'
import type { Change, Doc, Store } from './store'

export const DEFAULT_LIMIT = 100
export const MAX_LIMIT = 1000

export interface DbRequest {
  action: string
  collectionName?: string
  queryType?: 'WHERE' | 'DOC'
  query?: string
  order?: string
  offset?: number
  limit?: number
  projection?: string
  data?: string | string[]
  multi?: boolean
  merge?: boolean
  upsert?: boolean
  stages?: { stageKey: string; stageValue: string }[]
  transactionId?: string
}

/** A new document id shaped like the cloud's (32 hex characters). */
export function newId(): string {
  return randomBytes(16).toString('hex')
}

function parseEjson(text: string | undefined, what: string): Record<string, unknown> {
  if (text === undefined || text === '') return {}
  try {
    const value = EJSON.parse(text, { relaxed: true }) as unknown
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object')
    return value as Record<string, unknown>
  } catch (err) {
    throw new CloudDbError('INVALID_PARAM', `invalid ${what}: ${(err as Error).message}`)
  }
}

/** Replaces `{$tcb_server_date: {offset}}` markers with the server's time. */
export function resolveServerDates(value: unknown, now: number): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveServerDates(v, now))
  if (value && typeof value === 'object' && !(value instanceof Date) && !(value instanceof RegExp)) {
    const obj = value as Record<string, unknown>
    if ('$tcb_server_date' in obj) {
      const marker = obj.$tcb_server_date as { offset?: number } | undefined
      return new Date(now + Number(marker?.offset ?? 0))
    }
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(obj)) out[k] = resolveServerDates(v, now)
    return out
  }
  return value
}

function hasOperators(update: Record<string, unknown>): boolean {
  return Object.keys(update).some((k) => k.startsWith('$'))
}

function toWire(doc: unknown): string {
  return EJSON.stringify(doc as Parameters<typeof EJSON.stringify>[0], { relaxed: false })
}

function clone<T>(value: T): T {
  return structuredClone(value)
}

function compile(query: Record<string, unknown>): Query {
  try {
    return new Query(query)
  } catch (err) {
    throw new CloudDbError('DATABASE_INVALID_OPERRATOR', `invalid query: ${(err as Error).message}`)
  }
}

export interface EngineOptions {
  now?: () => number
}

export class DbEngine {
  private readonly now: () => number

  constructor(
    readonly store: Store,
    options: EngineOptions = {}
  ) {
    this.now = options.now ?? Date.now
  }

  handle(req: DbRequest): Record<string, unknown> {
    switch (req.action) {
      case 'database.getDocument':
        return { data: this.get(req) }
      case 'database.insertDocument':
        return { data: this.insert(req) }
      case 'database.modifyDocument':
        return { data: this.modify(req) }
      case 'database.removeDocument':
        return { data: this.remove(req) }
      case 'database.calculateDocument':
        return { data: { total: this.match(req).length } }
      case 'database.aggregateDocuments':
        return { data: { list: this.aggregate(req).map(toWire) } }
      case 'database.addCollection':
        return { data: this.addCollection(req) }
      default:
        throw new CloudDbError('INVALID_PARAM', `unsupported database action ${req.action}`)
    }
  }

  private collection(req: DbRequest): string {
    if (!req.collectionName) throw new CloudDbError('INVALID_PARAM', 'collectionName is required')
    this.store.requireCollection(req.collectionName)
    return req.collectionName
  }

  private match(req: DbRequest): Doc[] {
    const coll = this.collection(req)
    const query = parseEjson(req.query, 'query')
    if (req.queryType === 'DOC' && typeof query._id === 'string') {
      const doc = this.store.get(coll, query._id)
      return doc ? [doc] : []
    }
    const compiled = compile(query)
    return this.store.docs(coll).filter((d) => compiled.test(d))
  }

  private get(req: DbRequest): { list: string[]; limit: number; offset: number } {
    const limit = Math.min(req.limit ?? DEFAULT_LIMIT, MAX_LIMIT)
    const offset = req.offset ?? 0
    if (limit < 0 || offset < 0) throw new CloudDbError('INVALID_PARAM', 'limit and offset must not be negative')
    let docs = this.match(req)
    const order = parseEjson(req.order, 'order')
    const projection = parseEjson(req.projection, 'projection')
    const sortSpec = Object.keys(order).length ? (order as Record<string, 1 | -1>) : undefined
    const cursor = new Query({}).find<Doc>(docs, Object.keys(projection).length ? projection : undefined)
    if (sortSpec) cursor.sort(sortSpec)
    docs = cursor.skip(offset).limit(limit).all()
    return { list: docs.map(toWire), limit, offset }
  }

  private insert(req: DbRequest): { insertedIds: string[] } {
    const coll = this.collection(req)
    const raw = Array.isArray(req.data) ? req.data : req.data ? [req.data] : []
    if (raw.length === 0) throw new CloudDbError('INVALID_PARAM', 'data is required')
    const now = this.now()
    const changes: Change[] = raw.map((text) => {
      const doc = resolveServerDates(parseEjson(text, 'data'), now) as Record<string, unknown>
      const id = doc._id === undefined ? newId() : doc._id
      if (typeof id !== 'string' || id === '') throw new CloudDbError('INVALID_PARAM', '_id must be a non-empty string')
      if (this.store.get(coll, id)) {
        throw new CloudDbError('DATABASE_REQUEST_FAILED', `E11000 duplicate key error collection: ${coll} index: _id_ dup key: { _id: "${id}" }`)
      }
      return { coll, id, doc: { ...doc, _id: id } }
    })
    this.store.commit(changes)
    return { insertedIds: changes.map((c) => c.id) }
  }

  private modify(req: DbRequest): { updated: number; upsert_id?: string } {
    const coll = this.collection(req)
    const data = resolveServerDates(parseEjson(typeof req.data === 'string' ? req.data : undefined, 'data'), this.now()) as Record<string, unknown>
    const withOps = hasOperators(data)
    const touchesId = withOps
      ? Object.values(data).some((v) => v && typeof v === 'object' && '_id' in (v as object))
      : '_id' in data
    if (touchesId) throw new CloudDbError('INVALID_PARAM', 'update data must not contain _id')
    const query = parseEjson(req.query, 'query')

    if (req.merge === false) {
      // set(): replace the whole document (upsert), operators not allowed
      if (withOps) throw new CloudDbError('INVALID_PARAM', 'set data must not contain update operators')
      const id = query._id
      if (typeof id !== 'string') throw new CloudDbError('INVALID_PARAM', 'set needs a document id')
      const existed = this.store.get(coll, id) !== undefined
      if (!existed && !req.upsert) return { updated: 0 }
      this.store.commit([{ coll, id, doc: { ...data, _id: id } }])
      return existed ? { updated: 1 } : { updated: 0, upsert_id: id }
    }

    const targets = this.match(req)
    const chosen = req.multi ? targets : targets.slice(0, 1)
    const modifier = withOps ? data : { $set: data }
    const changes: Change[] = []
    for (const doc of chosen) {
      const next = clone(doc)
      let changed: string[]
      try {
        changed = applyUpdate(next, modifier)
      } catch (err) {
        throw new CloudDbError('DATABASE_INVALID_OPERRATOR', `invalid update: ${(err as Error).message}`)
      }
      if (changed.length > 0) changes.push({ coll, id: doc._id, doc: next })
    }
    this.store.commit(changes)
    return { updated: changes.length }
  }

  private remove(req: DbRequest): { deleted: number } {
    const coll = this.collection(req)
    const targets = this.match(req)
    const chosen = req.multi === false ? targets.slice(0, 1) : targets
    this.store.commit(chosen.map((d) => ({ coll, id: d._id, doc: null })))
    return { deleted: chosen.length }
  }

  private aggregate(req: DbRequest): unknown[] {
    const coll = this.collection(req)
    const pipeline = (req.stages ?? []).map((s) => ({ [s.stageKey]: EJSON.parse(s.stageValue, { relaxed: true }) as unknown }))
    try {
      return new Aggregator(pipeline).run(this.store.docs(coll))
    } catch (err) {
      throw new CloudDbError('DATABASE_INVALID_OPERRATOR', `invalid aggregate pipeline: ${(err as Error).message}`)
    }
  }

  private addCollection(req: DbRequest): Record<string, never> {
    if (!req.collectionName) throw new CloudDbError('INVALID_PARAM', 'collectionName is required')
    this.store.ensureCollection(req.collectionName, this.store.hasCollection(req.collectionName) ? this.store.indexesOf(req.collectionName) : [])
    return {}
  }
}
