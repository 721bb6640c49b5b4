/**
 * The local cloud's storage: documents in one SQLite file (better-sqlite3, WAL, synchronous
 * writes), mirrored in memory for queries. Every write is one SQLite transaction, applied to the
 * mirror only after it commits, so a crash never leaves half a write on disk or in memory.
 *
 * Unique indexes (declared in database/collections.ts) are enforced here, a missing field counting
 * as null as on the cloud; each keeps a map key → document id, updated with every commit, so a
 * write checks only the keys it touches however large the collection.
 *
 * Transactions read through a Snapshot: when a committed write replaces a document that an open
 * snapshot has not yet seen change, the old version is kept for that snapshot ("before image").
 * A snapshot therefore answers reads as of its start, and knows which documents others changed
 * since — the write conflicts a transaction must report.
 *
 * One Store owns a data file: a second one (in this or another process) pointed at the same file
 * is refused with a plain error instead of two in-memory mirrors drifting apart. The owner is
 * recorded in `<file>.owner` (its pid); a file left by a killed process is taken over. Other
 * connections to the file (the message ledger keeps its own tables there) are fine: SQLite's WAL
 * lets them write between our transactions, and a lock one of them holds too long is reported as
 * such ("被另一个进程锁定").
 */
import Database from 'better-sqlite3'
import { EJSON } from 'bson'
import fs from 'node:fs'
import path from 'node:path'
import { CloudDbError } from './errors'

export type Doc = Record<string, unknown> & { _id: string }

export interface IndexDef {
  name: string
  keys: Record<string, 1 | -1>
  unique?: boolean
}

export interface Change {
  coll: string
  id: string
  /** New content, or null to delete. */
  doc: Doc | null
}

interface UniqueIndex {
  def: IndexDef
  /** Index key (see indexKey) → the id of the document holding it. */
  owners: Map<string, string>
}

/**
 * Equality lookups on the first field of each declared index: scalar value → ids. Documents
 * whose value is not a plain string/number/boolean (missing, null, arrays, objects, dates) are
 * kept apart and always returned as candidates, so a lookup never misses a match MongoDB's
 * equality would make (an array containing the value, null matching missing…); the query itself
 * still filters the candidates.
 */
interface FieldIndex {
  field: string
  values: Map<string, Set<string>>
  other: Set<string>
}

interface CollectionState {
  docs: Map<string, Doc>
  indexes: IndexDef[]
  unique: UniqueIndex[]
  fields: FieldIndex[]
  /** Natural order: a document's position, kept when it is updated. */
  order: Map<string, number>
}

function scalarKey(value: unknown): string | undefined {
  if (typeof value === 'string') return `s:${value}`
  if (typeof value === 'number') return `n:${value}`
  if (typeof value === 'boolean') return `b:${value}`
  return undefined
}

function emptyState(): CollectionState {
  return { docs: new Map(), indexes: [], unique: [], fields: [], order: new Map() }
}

function fieldIndexAdd(index: FieldIndex, doc: Doc): void {
  const key = scalarKey(getPath(doc, index.field))
  if (key === undefined) {
    index.other.add(doc._id)
    return
  }
  const set = index.values.get(key)
  if (set) set.add(doc._id)
  else index.values.set(key, new Set([doc._id]))
}

function fieldIndexRemove(index: FieldIndex, doc: Doc): void {
  const key = scalarKey(getPath(doc, index.field))
  if (key === undefined) {
    index.other.delete(doc._id)
    return
  }
  const set = index.values.get(key)
  set?.delete(doc._id)
  if (set && set.size === 0) index.values.delete(key)
}

function buildFieldIndexes(docs: Map<string, Doc>, indexes: IndexDef[]): FieldIndex[] {
  const fields = [
    ...new Set(
      indexes.map((i) => Object.keys(i.keys)[0]).filter((f): f is string => f !== undefined && f !== '_id')
    )
  ]
  return fields.map((field) => {
    const index: FieldIndex = { field, values: new Map(), other: new Set() }
    for (const doc of docs.values()) fieldIndexAdd(index, doc)
    return index
  })
}

export function serialize(doc: Doc): string {
  return EJSON.stringify(doc, { relaxed: true })
}

export function deserialize(text: string): Doc {
  return EJSON.parse(text, { relaxed: true }) as Doc
}

function getPath(doc: Record<string, unknown>, dotted: string): unknown {
  let cur: unknown = doc
  for (const part of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object') return null
    cur = (cur as Record<string, unknown>)[part]
  }
  return cur === undefined ? null : cur
}

function indexKey(doc: Doc, index: IndexDef): string {
  return JSON.stringify(
    Object.keys(index.keys).map((k) => {
      const v = getPath(doc, k)
      return v instanceof Date ? { $date: v.getTime() } : v
    })
  )
}

/** Data files opened by a Store in this process (a second Store on one file would drift apart). */
const OPEN_FILES = new Set<string>()

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

class StoreLockedError extends Error {
  readonly code = 'SQLITE_BUSY'
}

function docKey(coll: string, id: string): string {
  return `${coll}\u0000${id}`
}

/** SQLite's error, in words a developer acts on. */
export function describeSqliteError(err: unknown): string {
  const e = err as { code?: string; message?: string }
  const code = e.code ?? ''
  const detail = e.message ?? String(err)
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return `数据库文件被另一个进程锁定（是否已有一个本地云在用这个数据目录？）: ${detail}`
  }
  if (code === 'SQLITE_FULL') return `磁盘已满: ${detail}`
  if (code.startsWith('SQLITE_READONLY')) return `数据库文件只读，无法写入: ${detail}`
  if (code.startsWith('SQLITE_IOERR')) return `磁盘读写出错: ${detail}`
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return `数据库文件已损坏或不是 SQLite 数据库: ${detail}`
  if (code.startsWith('SQLITE_CANTOPEN')) return `无法打开数据库文件（目录不存在或没有权限？）: ${detail}`
  return detail
}

/** A transaction's view of the store as of its start. */
export class Snapshot {
  private readonly before = new Map<string, Doc | null>()
  private open = true

  constructor(
    private readonly store: Store,
    /** The store's version when the snapshot was taken. */
    readonly version: number
  ) {}

  /** The document as it was when the snapshot was taken (undefined: it did not exist). */
  get(coll: string, id: string): Doc | undefined {
    const key = docKey(coll, id)
    if (this.before.has(key)) return this.before.get(key) ?? undefined
    return this.store.get(coll, id)
  }

  /** Whether a write committed after the snapshot touched this document. */
  changedSince(coll: string, id: string): boolean {
    return this.before.has(docKey(coll, id))
  }

  /** Called by the store just before a committed write replaces `previous`. */
  remember(key: string, previous: Doc | undefined): void {
    if (!this.before.has(key)) this.before.set(key, previous ?? null)
  }

  get isOpen(): boolean {
    return this.open
  }

  close(): void {
    if (!this.open) return
    this.open = false
    this.before.clear()
    this.store.releaseSnapshot(this)
  }
}

export class Store {
  private readonly db: Database.Database
  private readonly collections = new Map<string, CollectionState>()
  private readonly snapshots = new Set<Snapshot>()
  /** Bumped on every committed write. */
  private version = 0
  /** Next natural-order position. */
  private position = 0
  private readonly upsertStmt: Database.Statement
  private readonly removeStmt: Database.Statement

  constructor(readonly file: string) {
    let db: Database.Database | undefined
    try {
      if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
      this.claim()
      db = new Database(file, { timeout: 2000 })
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = FULL')
      db.exec(`
        CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY, indexes TEXT NOT NULL DEFAULT '[]');
        CREATE TABLE IF NOT EXISTS documents (coll TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (coll, id));
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      `)
      this.db = db
      this.upsertStmt = db.prepare(
        'INSERT INTO documents (coll, id, body) VALUES (?, ?, ?) ON CONFLICT(coll, id) DO UPDATE SET body = excluded.body'
      )
      this.removeStmt = db.prepare('DELETE FROM documents WHERE coll = ? AND id = ?')
      this.load()
    } catch (err) {
      if (db?.open) db.close()
      this.release()
      throw new Error(`无法打开本地数据库 ${file}：${describeSqliteError(err)}`)
    }
  }

  private get ownerFile(): string | undefined {
    return this.file === ':memory:' ? undefined : `${this.file}.owner`
  }

  /** Records this process as the file's owner, refusing when a live Store already owns it. */
  private claim(): void {
    const owner = this.ownerFile
    if (!owner) return
    const resolved = path.resolve(this.file)
    if (OPEN_FILES.has(resolved)) throw new StoreLockedError(`这个进程里已有一个 Store 打开了 ${this.file}`)
    const text = fs.existsSync(owner) ? fs.readFileSync(owner, 'utf8').trim() : ''
    const pid = Number(text)
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
      throw new StoreLockedError(
        `进程 ${pid} 正在使用这个数据目录（另一个本地云？）；若没有，删除 ${owner} 后重试`
      )
    }
    fs.writeFileSync(owner, `${process.pid}\n`)
    OPEN_FILES.add(resolved)
  }

  private release(): void {
    const owner = this.ownerFile
    if (!owner) return
    const resolved = path.resolve(this.file)
    if (!OPEN_FILES.delete(resolved)) return
    try {
      if (fs.readFileSync(owner, 'utf8').trim() === String(process.pid)) fs.rmSync(owner, { force: true })
    } catch {
      // already gone: nothing to release
    }
  }

  private load(): void {
    const rows = this.db.prepare('SELECT name, indexes FROM collections').all() as {
      name: string
      indexes: string
    }[]
    for (const row of rows) {
      this.collections.set(row.name, { ...emptyState(), indexes: JSON.parse(row.indexes) as IndexDef[] })
    }
    // rowid order is insertion order (an update keeps its row), so the natural order of a
    // collection survives a restart.
    const docs = this.db
      .prepare('SELECT coll, id, body FROM documents ORDER BY rowid')
      .iterate() as IterableIterator<{ coll: string; id: string; body: string }>
    for (const d of docs) {
      const state = this.collections.get(d.coll)
      if (!state) continue
      state.docs.set(d.id, deserialize(d.body))
      state.order.set(d.id, this.position++)
    }
    for (const state of this.collections.values()) {
      state.unique = this.buildUnique(state.docs, state.indexes, false)
      state.fields = buildFieldIndexes(state.docs, state.indexes)
    }
  }

  private buildUnique(docs: Map<string, Doc>, indexes: IndexDef[], strict: boolean): UniqueIndex[] {
    return indexes
      .filter((i) => i.unique)
      .map((def) => {
        const owners = new Map<string, string>()
        for (const doc of docs.values()) {
          const key = indexKey(doc, def)
          if (owners.has(key) && strict) {
            throw new CloudDbError(
              'DATABASE_REQUEST_FAILED',
              `cannot create unique index ${def.name}: duplicate key ${key}`
            )
          }
          if (!owners.has(key)) owners.set(key, doc._id)
        }
        return { def, owners }
      })
  }

  get currentVersion(): number {
    return this.version
  }

  /** The SQLite connection, for diagnostics and fault-injection tests only. */
  get sqlite(): Database.Database {
    return this.db
  }

  getMeta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
      { value: string } | undefined
    return row?.value
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'
      )
      .run(key, value)
  }

  hasCollection(name: string): boolean {
    return this.collections.has(name)
  }

  collectionNames(): string[] {
    return [...this.collections.keys()].sort()
  }

  indexesOf(name: string): IndexDef[] {
    return this.collections.get(name)?.indexes ?? []
  }

  /** Creates the collection if needed and sets its declared indexes (checked against existing data). */
  ensureCollection(name: string, indexes: IndexDef[] = []): void {
    const existing = this.collections.get(name)
    const state: CollectionState = existing ?? emptyState()
    const unique = this.buildUnique(state.docs, indexes, true)
    try {
      this.db
        .prepare(
          'INSERT INTO collections (name, indexes) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET indexes = excluded.indexes'
        )
        .run(name, JSON.stringify(indexes))
    } catch (err) {
      throw new CloudDbError('DATABASE_REQUEST_FAILED', `本地数据库写入失败：${describeSqliteError(err)}`)
    }
    state.indexes = indexes
    state.unique = unique
    state.fields = buildFieldIndexes(state.docs, indexes)
    this.collections.set(name, state)
  }

  /** All documents of a collection, in natural order (the live mirror: callers must not mutate them). */
  docs(coll: string): Doc[] {
    return [...this.requireCollection(coll).docs.values()]
  }

  get(coll: string, id: string): Doc | undefined {
    return this.requireCollection(coll).docs.get(id)
  }

  count(coll: string): number {
    return this.requireCollection(coll).docs.size
  }

  requireCollection(coll: string): CollectionState {
    const state = this.collections.get(coll)
    if (!state) throw new CloudDbError('DATABASE_COLLECTION_NOT_EXIST', `Db or Table not exist: ${coll}`)
    return state
  }

  /**
   * The documents that may have `field` equal to one of `values`, in natural order, when an index
   * starts with that field (undefined otherwise: the caller scans). A superset: the query filters.
   */
  /**
   * As `candidates`, for a range on a field holding strings (a date like "2026-12-01"): the
   * distinct indexed values are walked, so it pays when they are few beside the documents.
   */
  rangeCandidates(
    coll: string,
    field: string,
    range: { $gt?: string; $gte?: string; $lt?: string; $lte?: string }
  ): Doc[] | undefined {
    const state = this.requireCollection(coll)
    const index = state.fields.find((f) => f.field === field)
    if (!index || index.values.size * 4 > state.docs.size) return undefined
    const inRange = (v: string) =>
      (range.$gt === undefined || v > range.$gt) &&
      (range.$gte === undefined || v >= range.$gte) &&
      (range.$lt === undefined || v < range.$lt) &&
      (range.$lte === undefined || v <= range.$lte)
    const sets: Set<string>[] = []
    let upTo = index.other.size
    for (const [key, ids] of index.values) {
      if (key.startsWith('s:') && inRange(key.slice(2))) {
        sets.push(ids)
        upTo += ids.size
      }
    }
    if (upTo * 4 > state.docs.size) return undefined
    const ids = new Set(index.other)
    for (const set of sets) for (const id of set) ids.add(id)
    return this.inOrder(state, ids)
  }

  private inOrder(state: CollectionState, ids: Set<string>): Doc[] {
    return [...ids]
      .map((id) => [state.order.get(id) ?? 0, state.docs.get(id)] as const)
      .filter((e): e is readonly [number, Doc] => e[1] !== undefined)
      .sort((a, b) => a[0] - b[0])
      .map((e) => e[1])
  }

  candidates(coll: string, field: string, values: unknown[]): Doc[] | undefined {
    const state = this.requireCollection(coll)
    let ids: Set<string>
    if (field === '_id') {
      // The primary key: the ids themselves (a non-string _id is never stored).
      ids = new Set(values.filter((v): v is string => typeof v === 'string'))
    } else {
      const index = state.fields.find((f) => f.field === field)
      if (!index) return undefined
      const keys = values.map(scalarKey)
      if (keys.some((k) => k === undefined)) return undefined
      // Counted before anything is copied: a field most documents share (a station) is no help.
      const upTo = keys.reduce((n, key) => n + (index.values.get(key as string)?.size ?? 0), index.other.size)
      if (upTo * 4 > state.docs.size) return undefined
      ids = new Set(index.other)
      for (const key of keys) for (const id of index.values.get(key as string) ?? []) ids.add(id)
    }
    // A scan is as cheap once most of the collection qualifies, and keeps natural order for free.
    if (ids.size * 4 > state.docs.size) return undefined
    return this.inOrder(state, ids)
  }

  /** A view of the store as of now, kept until closed (see Snapshot). */
  openSnapshot(): Snapshot {
    const snapshot = new Snapshot(this, this.version)
    this.snapshots.add(snapshot)
    return snapshot
  }

  releaseSnapshot(snapshot: Snapshot): void {
    this.snapshots.delete(snapshot)
  }

  get openSnapshotCount(): number {
    return this.snapshots.size
  }

  /**
   * The duplicate-key error `changes` would cause against the committed documents, if any.
   * Only the keys of the changed documents are looked up, never the whole collection.
   */
  findUniqueViolation(changes: Change[]): string | undefined {
    const byColl = new Map<string, Change[]>()
    for (const c of changes) {
      const list = byColl.get(c.coll)
      if (list) list.push(c)
      else byColl.set(c.coll, [c])
    }
    for (const [coll, list] of byColl) {
      const state = this.requireCollection(coll)
      if (state.unique.length === 0) continue
      // A batch may move keys between its own documents: a key held by a document this batch
      // rewrites is free unless the batch gives it to that document again.
      const touched = new Set(list.map((c) => c.id))
      const last = new Map<string, Doc | null>()
      for (const c of list) last.set(c.id, c.doc)
      for (const index of state.unique) {
        const claimed = new Map<string, string>()
        for (const [id, doc] of last) {
          if (!doc) continue
          const key = indexKey(doc, index.def)
          const inBatch = claimed.get(key)
          const holder = index.owners.get(key)
          if (
            (inBatch !== undefined && inBatch !== id) ||
            (holder !== undefined && holder !== id && !touched.has(holder))
          ) {
            const keyDesc = Object.keys(index.def.keys)
              .map((k, i) => `${k}: ${JSON.stringify((JSON.parse(key) as unknown[])[i])}`)
              .join(', ')
            return `E11000 duplicate key error collection: ${coll} index: ${index.def.name} dup key: { ${keyDesc} }`
          }
          claimed.set(key, id)
        }
      }
    }
    return undefined
  }

  /**
   * Applies changes atomically: unique indexes checked, one SQLite transaction, then the
   * in-memory mirror (and the before images of open snapshots). Throws, changing nothing, on a
   * duplicate key or when SQLite cannot write (locked file, full disk).
   */
  commit(changes: Change[]): void {
    if (changes.length === 0) return
    for (const c of changes) this.requireCollection(c.coll)
    const duplicate = this.findUniqueViolation(changes)
    if (duplicate) throw new CloudDbError('DATABASE_REQUEST_FAILED', duplicate)
    const write = this.db.transaction((list: Change[]) => {
      for (const c of list) {
        if (c.doc) this.upsertStmt.run(c.coll, c.id, serialize(c.doc))
        else this.removeStmt.run(c.coll, c.id)
      }
    })
    try {
      write(changes)
    } catch (err) {
      throw new CloudDbError('DATABASE_REQUEST_FAILED', `本地数据库写入失败：${describeSqliteError(err)}`)
    }
    for (const c of changes) {
      const state = this.requireCollection(c.coll)
      const previous = state.docs.get(c.id)
      if (this.snapshots.size > 0) {
        const key = docKey(c.coll, c.id)
        for (const s of this.snapshots) s.remember(key, previous)
      }
      if (previous) {
        for (const index of state.unique) {
          const oldKey = indexKey(previous, index.def)
          if (index.owners.get(oldKey) === c.id) index.owners.delete(oldKey)
        }
        for (const index of state.fields) fieldIndexRemove(index, previous)
      }
      if (c.doc) {
        state.docs.set(c.id, c.doc)
        if (!previous) state.order.set(c.id, this.position++)
        for (const index of state.fields) fieldIndexAdd(index, c.doc)
      } else {
        state.docs.delete(c.id)
        state.order.delete(c.id)
      }
    }
    // Second pass: a batch may hand a key from one of its documents to another.
    for (const c of changes) {
      if (!c.doc) continue
      const state = this.requireCollection(c.coll)
      if (state.docs.get(c.id) !== c.doc) continue
      for (const index of state.unique) index.owners.set(indexKey(c.doc, index.def), c.id)
    }
    this.version++
  }

  close(): void {
    for (const s of [...this.snapshots]) s.close()
    if (this.db.open) this.db.close()
    this.release()
  }
}
