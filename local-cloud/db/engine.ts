/**
 * Answers wx-server-sdk's database requests (`database.*` actions, as the SDK POSTs them to the
 * cloud's admin endpoint) from the Store. Queries, updates and aggregations are evaluated with
 * mingo; documents travel as EJSON strings, exactly as on the wire to WeChat's cloud.
 *
 * What the SDK sends (wx-server-sdk 4.0.2 → @cloudbase/database 1.4.3, recorded by pointing it at
 * a logging server) and what it reads back:
 *   getDocument        {collectionName, queryType WHERE|DOC, query, order?, offset?, limit, projection?, transactionId?}
 *                      → data.list: EJSON strings          (limit: 100 when none given, capped at 1000)
 *   insertDocument     {collectionName, data: [EJSON…], transactionId?}            → data.insertedIds
 *   modifyDocument     {collectionName, queryType, query, data, multi, merge, upsert, transactionId?}
 *                      → data.updated, data.upsert_id      (merge false = doc.set: replace/upsert)
 *   removeDocument     {collectionName, queryType, query, multi, transactionId?}   → data.deleted
 *   calculateDocument  {collectionName, queryType WHERE, query}                     → data.total
 *   aggregateDocuments {collectionName, stages: [{stageKey, stageValue}]}          → data.list
 *   addCollection      {collectionName}
 *   startTransaction → transactionId; commitTransaction / abortTransaction {transactionId}
 * where().update/remove/count never carry a transactionId, so inside a transaction they run
 * outside it, as on the cloud. Errors are {code, message} with the cloud's codes (errors.ts).
 */
import { randomBytes } from 'node:crypto'
import { Aggregator, ProcessingMode } from 'mingo'
import { CloudDbError } from './errors'
import { compile, pinnedId, select, sortSpec, type Criteria } from './query'
import type { Change, Doc, Store } from './store'
import { TransactionManager } from './transactions'
import { applyModifier, checkNewDocument, normalizeModifier, replacement } from './update'
import { isPlainObject, parseWire, parseWireObject, resolveServerDates, toWire } from './wire'

export const DEFAULT_LIMIT = 100
export const MAX_LIMIT = 1000
/** Community-measured (see tests/conformance): aggregate() without a limit stage answers 20. */
export const AGGREGATE_DEFAULT_LIMIT = 20

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
  /** The document of the older transaction protocol (getInTransaction…). */
  _id?: string
}

/** A new document id shaped like the cloud's (32 hex characters). */
export function newId(): string {
  return randomBytes(16).toString('hex')
}

export { resolveServerDates }

export interface EngineOptions {
  /** The cloud clock (serverDate). */
  now?: () => number
  /** How long a transaction may stay open before it is rolled back (ms). */
  transactionLifetimeMs?: number
}

const STRING_FIELDS = ['collectionName', 'query', 'order', 'projection', 'transactionId', '_id'] as const
const BOOLEAN_FIELDS = ['multi', 'merge', 'upsert'] as const

/** Checks the shape of a request before anything reads it: a malformed one gets a plain error. */
export function checkRequest(raw: unknown): DbRequest {
  if (!isPlainObject(raw)) throw new CloudDbError('INVALID_PARAM', 'request body must be a JSON object')
  if (typeof raw.action !== 'string' || raw.action === '')
    throw new CloudDbError('INVALID_PARAM', 'action is required')
  for (const f of STRING_FIELDS) {
    if (raw[f] !== undefined && typeof raw[f] !== 'string')
      throw new CloudDbError('INVALID_PARAM', `${f} must be a string`)
  }
  for (const f of BOOLEAN_FIELDS) {
    if (raw[f] !== undefined && typeof raw[f] !== 'boolean')
      throw new CloudDbError('INVALID_PARAM', `${f} must be a boolean`)
  }
  for (const f of ['offset', 'limit'] as const) {
    const v = raw[f]
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
      throw new CloudDbError('INVALID_PARAM', `${f} must be a non-negative integer`)
    }
  }
  if (raw.queryType !== undefined && raw.queryType !== 'WHERE' && raw.queryType !== 'DOC') {
    throw new CloudDbError('INVALID_PARAM', 'queryType must be WHERE or DOC')
  }
  const data = raw.data
  if (
    data !== undefined &&
    typeof data !== 'string' &&
    !(Array.isArray(data) && data.every((d) => typeof d === 'string'))
  ) {
    throw new CloudDbError('INVALID_PARAM', 'data must be an EJSON string or a list of them')
  }
  const stages = raw.stages
  if (
    stages !== undefined &&
    !(
      Array.isArray(stages) &&
      stages.every(
        (s) => isPlainObject(s) && typeof s.stageKey === 'string' && typeof s.stageValue === 'string'
      )
    )
  ) {
    throw new CloudDbError('INVALID_PARAM', 'stages must be a list of {stageKey, stageValue} strings')
  }
  return raw as unknown as DbRequest
}

const WRITE_ACTIONS = new Set([
  'database.insertDocument',
  'database.modifyDocument',
  'database.removeDocument',
  'database.modifyAndReturnDoc'
])

function same(a: Doc, b: Doc): boolean {
  return toWire(a) === toWire(b)
}

/**
 * The document with every Date made in this realm. A Date copied by the host's structuredClone
 * (a test runner's sandbox has its own Date) fails mingo's `instanceof Date`, and date arithmetic
 * in an aggregation ($subtract of two dates) would be refused; the cloud has no such case.
 */
function ownDates<T>(value: T): T {
  if (value instanceof Date || value === null || typeof value !== 'object') return value
  if (Object.prototype.toString.call(value) === '[object Date]')
    return new Date((value as unknown as Date).getTime()) as T
  if (Array.isArray(value)) return (value as unknown[]).map(ownDates) as T
  let out: Record<string, unknown> | undefined
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const own: unknown = ownDates(v)
    if (own !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = own
  }
  return (out ?? value) as T
}

export class DbEngine {
  private readonly now: () => number
  readonly transactions: TransactionManager

  constructor(
    readonly store: Store,
    options: EngineOptions = {}
  ) {
    this.now = options.now ?? Date.now
    this.transactions = new TransactionManager(store, { lifetimeMs: options.transactionLifetimeMs })
  }

  /**
   * Answers a request now. A plain write to a document locked by an open transaction goes through
   * without waiting (that transaction then fails to commit); the HTTP endpoint uses respond(),
   * which waits as the cloud does.
   */
  handle(raw: unknown): Record<string, unknown> {
    const req = checkRequest(raw)
    switch (req.action) {
      case 'database.getDocument':
        return { data: this.get(req) }
      case 'database.insertDocument':
        return { data: this.insert(req) }
      case 'database.modifyDocument':
        return { data: this.modify(req) }
      case 'database.modifyAndReturnDoc':
        return { data: this.modifyAndReturn(req) }
      case 'database.removeDocument':
        return { data: this.remove(req) }
      case 'database.calculateDocument':
        this.refuseInTransaction(req, 'count')
        return { data: { total: this.match(this.collection(req), this.criteria(req)).length } }
      case 'database.aggregateDocuments':
        return { data: { list: this.aggregate(req).map(toWire) } }
      case 'database.addCollection':
        return { data: this.addCollection(req) }
      case 'database.startTransaction':
        return { transactionId: this.transactions.start() }
      case 'database.commitTransaction':
        this.transactions.commit(req.transactionId)
        return {}
      case 'database.abortTransaction':
        this.transactions.abort(req.transactionId)
        return {}
      // The older transaction protocol of @cloudbase/database (transaction.js), answered with the
      // fields it reads: top-level EJSON strings.
      case 'database.getInTransaction':
        return {
          data: toWire(
            this.transactions.read(req.transactionId, this.collection(req), this.docId(req._id)) ?? null
          )
        }
      case 'database.updateDocInTransaction':
        return this.legacyUpdate(req)
      case 'database.deleteDocInTransaction': {
        const coll = this.collection(req)
        const id = this.docId(req._id)
        const exists = this.transactions.read(req.transactionId, coll, id) !== undefined
        if (exists) this.transactions.write(req.transactionId, coll, id, null)
        return { deleted: toWire(exists ? 1 : 0) }
      }
      default:
        throw new CloudDbError('INVALID_PARAM', `unsupported database action ${req.action}`)
    }
  }

  /**
   * Answers a request as the cloud does: a plain write waits while a document it would change is
   * locked by an open transaction (until that commits, rolls back or expires), then runs.
   */
  async respond(raw: unknown): Promise<Record<string, unknown>> {
    const req = checkRequest(raw)
    while (
      !req.transactionId &&
      WRITE_ACTIONS.has(req.action) &&
      this.transactions.lockCount > 0 &&
      this.isBlocked(req)
    ) {
      await this.transactions.waitForRelease()
    }
    return this.handle(req)
  }

  private isBlocked(req: DbRequest): boolean {
    const coll = this.collection(req)
    let ids: string[]
    if (req.action === 'database.insertDocument') {
      ids = this.rawData(req)
        .map((t) => parseWireObject(t, 'data')._id)
        .filter((id): id is string => typeof id === 'string')
    } else if (req.action === 'database.modifyDocument' && req.merge === false) {
      const id = this.criteria(req)._id
      ids = typeof id === 'string' ? [id] : []
    } else {
      const targets = this.match(coll, this.criteria(req))
      const single =
        req.action === 'database.modifyAndReturnDoc' ||
        (req.action === 'database.modifyDocument' && !req.multi) ||
        req.multi === false
      ids = (single ? targets.slice(0, 1) : targets).map((d) => d._id)
    }
    return ids.some((id) => this.transactions.lockHolder(coll, id) !== undefined)
  }

  private collection(req: DbRequest): string {
    if (!req.collectionName) throw new CloudDbError('INVALID_PARAM', 'collectionName is required')
    this.store.requireCollection(req.collectionName)
    return req.collectionName
  }

  private criteria(req: DbRequest): Criteria {
    return resolveServerDates(parseWireObject(req.query, 'query'), this.now()) as Criteria
  }

  private docId(id: unknown): string {
    if (typeof id !== 'string' || id === '')
      throw new CloudDbError('INVALID_PARAM', 'a document id is required')
    return id
  }

  /** The document a DOC request names (doc(id).…), required inside a transaction. */
  private txDocId(req: DbRequest, what: string): string {
    const criteria = this.criteria(req)
    const id = req.queryType === 'DOC' ? criteria._id : undefined
    if (typeof id !== 'string' || Object.keys(criteria).length !== 1) {
      // 云开发 guide › 事务: batch (where) operations are not supported inside a transaction.
      throw new CloudDbError(
        'INVALID_PARAM',
        `${what} with a where() query is not supported inside a transaction: use doc(id)`
      )
    }
    return id
  }

  private refuseInTransaction(req: DbRequest, what: string): void {
    if (req.transactionId)
      throw new CloudDbError(
        'INVALID_PARAM',
        `${what} with a where() query is not supported inside a transaction`
      )
  }

  private match(coll: string, criteria: Criteria): Doc[] {
    const pinned = pinnedId(criteria)
    if (pinned !== undefined) {
      const doc = this.store.get(coll, pinned)
      if (!doc) return []
      return Object.keys(criteria).length === 1 || compile(criteria).test(doc) ? [doc] : []
    }
    const matcher = compile(criteria)
    return (this.indexedCandidates(coll, criteria) ?? this.store.docs(coll)).filter((d) => matcher.test(d))
  }

  /** Documents an equality on an indexed field narrows the query to (see Store.candidates). */
  private indexedCandidates(coll: string, criteria: Criteria): Doc[] | undefined {
    for (const [field, value] of Object.entries(criteria)) {
      if (field.startsWith('$')) continue
      let values: unknown[] | undefined
      if (!isPlainObject(value) && !Array.isArray(value)) values = [value]
      else if (isPlainObject(value) && Object.keys(value).length === 1) {
        if ('$eq' in value && !isPlainObject(value.$eq) && !Array.isArray(value.$eq)) values = [value.$eq]
        else if (Array.isArray(value.$in)) values = value.$in
      }
      const found = values && this.store.candidates(coll, field, values)
      if (found) return found
      const range = stringRange(value)
      const inRange = range && this.store.rangeCandidates(coll, field, range)
      if (inRange) return inRange
    }
    // `field: _.and(_.gte(a), _.lte(b))` reaches us as {$and: [{field: {$gte: a}}, {field: {$lte: b}}]}.
    if (Array.isArray(criteria.$and)) {
      const byField = new Map<string, unknown[]>()
      for (const part of criteria.$and as unknown[]) {
        const keys = isPlainObject(part) ? Object.keys(part) : []
        if (keys.length !== 1 || keys[0]?.startsWith('$')) continue
        const field = keys[0] as string
        byField.set(field, [...(byField.get(field) ?? []), (part as Record<string, unknown>)[field]])
      }
      for (const [field, parts] of byField) {
        const range = stringRange({ $and: parts })
        const inRange = range && this.store.rangeCandidates(coll, field, range)
        if (inRange) return inRange
      }
    }
    return undefined
  }

  private rawData(req: DbRequest): string[] {
    return Array.isArray(req.data) ? req.data : req.data !== undefined ? [req.data] : []
  }

  private updateData(req: DbRequest): Record<string, unknown> {
    if (typeof req.data !== 'string')
      throw new CloudDbError('INVALID_PARAM', 'data (the update, as an EJSON string) is required')
    return resolveServerDates(parseWireObject(req.data, 'data'), this.now()) as Record<string, unknown>
  }

  private get(req: DbRequest): { list: string[]; limit: number; offset: number } {
    const coll = this.collection(req)
    const limit = Math.min(req.limit === undefined || req.limit === 0 ? DEFAULT_LIMIT : req.limit, MAX_LIMIT)
    const offset = req.offset ?? 0
    const projection = parseWireObject(req.projection, 'projection')
    if (req.transactionId) {
      const doc = this.transactions.read(req.transactionId, coll, this.txDocId(req, 'get'))
      return {
        list: doc ? select([doc], { offset: 0, limit: 1, projection }).map(toWire) : [],
        limit,
        offset
      }
    }
    const docs = this.match(coll, this.criteria(req))
    const sort = sortSpec(parseWireObject(req.order, 'order'))
    return { list: select(docs, { sort, offset, limit, projection }).map(toWire), limit, offset }
  }

  private insert(req: DbRequest): { insertedIds: string[] } {
    const coll = this.collection(req)
    const raw = this.rawData(req)
    if (raw.length === 0) throw new CloudDbError('INVALID_PARAM', 'data is required')
    const now = this.now()
    const changes: Change[] = []
    const seen = new Set<string>()
    for (const text of raw) {
      const doc = resolveServerDates(parseWireObject(text, 'data'), now) as Record<string, unknown>
      checkNewDocument(doc)
      const id = doc._id === undefined ? newId() : doc._id
      if (typeof id !== 'string' || id === '')
        throw new CloudDbError('INVALID_PARAM', '_id must be a non-empty string')
      const exists = req.transactionId
        ? this.transactions.read(req.transactionId, coll, id) !== undefined
        : this.store.get(coll, id) !== undefined
      if (exists || seen.has(id)) {
        throw new CloudDbError(
          'DATABASE_REQUEST_FAILED',
          `E11000 duplicate key error collection: ${coll} index: _id_ dup key: { _id: "${id}" }`
        )
      }
      seen.add(id)
      // _id first, as MongoDB stores it.
      changes.push({ coll, id, doc: { _id: id, ...doc } })
    }
    if (req.transactionId)
      for (const c of changes) this.transactions.write(req.transactionId, coll, c.id, c.doc)
    else this.store.commit(changes)
    return { insertedIds: changes.map((c) => c.id) }
  }

  private modify(req: DbRequest): { updated: number; upsert_id?: string } {
    const coll = this.collection(req)
    const data = this.updateData(req)

    if (req.merge === false) {
      // doc.set(): replace the whole document, creating it when missing (upsert).
      const id = req.transactionId ? this.txDocId(req, 'set') : this.criteria(req)._id
      if (typeof id !== 'string' || id === '')
        throw new CloudDbError('INVALID_PARAM', 'set needs a document id: doc(id).set()')
      const next = replacement(id, data)
      checkNewDocument(next)
      const existing = req.transactionId
        ? this.transactions.read(req.transactionId, coll, id)
        : this.store.get(coll, id)
      if (!existing && !req.upsert) return { updated: 0 }
      if (existing && same(existing, next)) return { updated: 0 }
      if (req.transactionId) this.transactions.write(req.transactionId, coll, id, next)
      else this.store.commit([{ coll, id, doc: next }])
      return existing ? { updated: 1 } : { updated: 0, upsert_id: id }
    }

    const modifier = normalizeModifier(data)
    if (req.transactionId) {
      const id = this.txDocId(req, 'update')
      const doc = this.transactions.read(req.transactionId, coll, id)
      const next = doc ? applyModifier(doc, modifier) : undefined
      if (next) this.transactions.write(req.transactionId, coll, id, next)
      return { updated: next ? 1 : 0 }
    }
    const targets = this.match(coll, this.criteria(req))
    const chosen = req.multi ? targets : targets.slice(0, 1)
    const changes: Change[] = []
    for (const doc of chosen) {
      const next = applyModifier(doc, modifier)
      if (next) changes.push({ coll, id: doc._id, doc: next })
    }
    this.store.commit(changes)
    return { updated: changes.length }
  }

  private modifyAndReturn(req: DbRequest): { updated: number; doc: string | null } {
    this.refuseInTransaction(req, 'updateAndReturn')
    const coll = this.collection(req)
    const modifier = normalizeModifier(this.updateData(req))
    const [target] = this.match(coll, this.criteria(req))
    if (!target) return { updated: 0, doc: null }
    const next = applyModifier(target, modifier)
    if (next) this.store.commit([{ coll, id: target._id, doc: next }])
    return { updated: next ? 1 : 0, doc: toWire(next ?? target) }
  }

  private remove(req: DbRequest): { deleted: number } {
    const coll = this.collection(req)
    if (req.transactionId) {
      const id = this.txDocId(req, 'remove')
      const exists = this.transactions.read(req.transactionId, coll, id) !== undefined
      if (exists) this.transactions.write(req.transactionId, coll, id, null)
      return { deleted: exists ? 1 : 0 }
    }
    const targets = this.match(coll, this.criteria(req))
    const chosen = req.multi === false ? targets.slice(0, 1) : targets
    this.store.commit(chosen.map((d) => ({ coll, id: d._id, doc: null })))
    return { deleted: chosen.length }
  }

  private legacyUpdate(req: DbRequest): Record<string, unknown> {
    const coll = this.collection(req)
    const id = this.docId(req._id)
    const data = this.updateData(req)
    const existing = this.transactions.read(req.transactionId, coll, id)
    let next: Doc | undefined
    if (req.upsert) next = replacement(id, data)
    else if (existing) next = applyModifier(existing, normalizeModifier(data))
    if (next && existing && same(existing, next)) next = undefined
    if (next) this.transactions.write(req.transactionId, coll, id, next)
    const upserted = next && !existing ? JSON.stringify([{ _id: id }]) : undefined
    return { updated: toWire(next && existing ? 1 : 0), ...(upserted ? { upserted } : {}) }
  }

  private aggregate(req: DbRequest): unknown[] {
    const coll = this.collection(req)
    const now = this.now()
    const pipeline = (req.stages ?? []).map((s) => {
      if (!s.stageKey.startsWith('$'))
        throw new CloudDbError('INVALID_PARAM', `invalid aggregate stage ${s.stageKey}`)
      if (s.stageKey === '$out' || s.stageKey === '$merge') {
        throw new CloudDbError('DATABASE_INVALID_OPERRATOR', `aggregate stage ${s.stageKey} is not supported`)
      }
      return { [s.stageKey]: resolveServerDates(parseWire(s.stageValue, `stage ${s.stageKey}`), now) }
    })
    if (!pipeline.some((stage) => '$limit' in stage)) pipeline.push({ $limit: AGGREGATE_DEFAULT_LIMIT })
    try {
      const aggregator = new Aggregator(pipeline, {
        // mingo edits nested input objects in some stages ($addFields on a dotted path): the
        // documents here are the store's live mirror, so every stage works on copies.
        processingMode: ProcessingMode.CLONE_INPUT,
        collectionResolver: (name: string) =>
          this.store.hasCollection(name) ? this.store.docs(name).map((d) => structuredClone(d)) : []
      })
      // A leading $match narrows the input by an index, as the cloud's would; $match still filters.
      const first = pipeline[0]
      const input =
        first && '$match' in first && isPlainObject(first.$match)
          ? (this.indexedCandidates(coll, first.$match) ?? this.store.docs(coll))
          : this.store.docs(coll)
      return aggregator.run(input.map(ownDates))
    } catch (err) {
      if (err instanceof CloudDbError) throw err
      throw new CloudDbError(
        'DATABASE_INVALID_OPERRATOR',
        `invalid aggregate pipeline: ${(err as Error).message}`
      )
    }
  }

  private addCollection(req: DbRequest): Record<string, never> {
    if (!req.collectionName) throw new CloudDbError('INVALID_PARAM', 'collectionName is required')
    this.store.ensureCollection(
      req.collectionName,
      this.store.hasCollection(req.collectionName) ? this.store.indexesOf(req.collectionName) : []
    )
    return {}
  }

  /** Rolls back open transactions (shutdown). */
  close(): void {
    this.transactions.close()
  }
}

type StringRange = { $gt?: string; $gte?: string; $lt?: string; $lte?: string }
const RANGE_OPS = new Set(['$gt', '$gte', '$lt', '$lte'])

/** A criterion that only bounds a field by strings ({$gte: a, $lte: b}, or an $and of such), else undefined. */
function stringRange(value: unknown): StringRange | undefined {
  if (!isPlainObject(value)) return undefined
  const parts =
    Object.keys(value).length === 1 && Array.isArray(value.$and) ? (value.$and as unknown[]) : [value]
  const range: Record<string, string> = {}
  for (const part of parts) {
    if (!isPlainObject(part)) return undefined
    for (const [op, bound] of Object.entries(part)) {
      if (!RANGE_OPS.has(op) || typeof bound !== 'string' || op in range) return undefined
      range[op] = bound
    }
  }
  return Object.keys(range).length ? range : undefined
}
