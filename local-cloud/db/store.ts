/**
 * The local cloud's storage: documents in one SQLite file (better-sqlite3, WAL, synchronous
 * writes), mirrored in memory for queries. Every write is one SQLite transaction, applied to the
 * mirror only after it commits, so a crash never leaves half a write on disk or in memory.
 * Unique indexes (declared in database/collections.ts) are enforced here, a missing field
 * counting as null as on the cloud.
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

interface CollectionState {
  docs: Map<string, Doc>
  indexes: IndexDef[]
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
  return JSON.stringify(Object.keys(index.keys).map((k) => {
    const v = getPath(doc, k)
    return v instanceof Date ? { $date: v.getTime() } : v
  }))
}

export class Store {
  private readonly db: Database.Database
  private readonly collections = new Map<string, CollectionState>()
  /** Bumped on every committed write; transactions use it to detect conflicts. */
  private version = 0

  constructor(readonly file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
    try {
      this.db = new Database(file)
      this.db.pragma('journal_mode = WAL')
      this.db.pragma('synchronous = FULL')
      this.db.pragma('busy_timeout = 2000')
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY, indexes TEXT NOT NULL DEFAULT '[]');
        CREATE TABLE IF NOT EXISTS documents (coll TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (coll, id));
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      `)
    } catch (err) {
      throw new Error(`无法打开本地数据库 ${file}：${(err as Error).message}（文件是否被另一个进程占用，或磁盘已满？）`)
    }
    this.load()
  }

  private load(): void {
    const rows = this.db.prepare('SELECT name, indexes FROM collections').all() as { name: string; indexes: string }[]
    for (const row of rows) {
      this.collections.set(row.name, { docs: new Map(), indexes: JSON.parse(row.indexes) as IndexDef[] })
    }
    const docs = this.db.prepare('SELECT coll, id, body FROM documents').all() as { coll: string; id: string; body: string }[]
    for (const d of docs) this.collections.get(d.coll)?.docs.set(d.id, deserialize(d.body))
  }

  get currentVersion(): number {
    return this.version
  }

  getMeta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined
    return row?.value
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value)
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
    const state: CollectionState = existing ?? { docs: new Map(), indexes: [] }
    for (const index of indexes.filter((i) => i.unique)) {
      const seen = new Set<string>()
      for (const doc of state.docs.values()) {
        const key = indexKey(doc, index)
        if (seen.has(key)) throw new CloudDbError('DATABASE_REQUEST_FAILED', `cannot create unique index ${index.name}: duplicate key ${key}`)
        seen.add(key)
      }
    }
    this.db
      .prepare('INSERT INTO collections (name, indexes) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET indexes = excluded.indexes')
      .run(name, JSON.stringify(indexes))
    state.indexes = indexes
    this.collections.set(name, state)
  }

  /** All documents of a collection (the live mirror: callers must not mutate them). */
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
   * Applies changes atomically: unique indexes checked on the result, one SQLite transaction,
   * then the in-memory mirror. Throws (changing nothing) on a duplicate key.
   */
  commit(changes: Change[]): void {
    if (changes.length === 0) return
    this.checkUnique(changes)
    const upsert = this.db.prepare('INSERT INTO documents (coll, id, body) VALUES (?, ?, ?) ON CONFLICT(coll, id) DO UPDATE SET body = excluded.body')
    const remove = this.db.prepare('DELETE FROM documents WHERE coll = ? AND id = ?')
    const write = this.db.transaction((list: Change[]) => {
      for (const c of list) {
        if (c.doc) upsert.run(c.coll, c.id, serialize(c.doc))
        else remove.run(c.coll, c.id)
      }
    })
    try {
      write(changes)
    } catch (err) {
      throw new CloudDbError('DATABASE_REQUEST_FAILED', `本地数据库写入失败：${(err as Error).message}`)
    }
    for (const c of changes) {
      const state = this.requireCollection(c.coll)
      if (c.doc) state.docs.set(c.id, c.doc)
      else state.docs.delete(c.id)
    }
    this.version++
  }

  private checkUnique(changes: Change[]): void {
    const byColl = new Map<string, Change[]>()
    for (const c of changes) byColl.set(c.coll, [...(byColl.get(c.coll) ?? []), c])
    for (const [coll, list] of byColl) {
      const state = this.requireCollection(coll)
      const unique = state.indexes.filter((i) => i.unique)
      if (unique.length === 0) continue
      const touched = new Set(list.map((c) => c.id))
      for (const index of unique) {
        const taken = new Map<string, string>()
        for (const doc of state.docs.values()) if (!touched.has(doc._id)) taken.set(indexKey(doc, index), doc._id)
        for (const c of list) {
          if (!c.doc) continue
          const key = indexKey(c.doc, index)
          const holder = taken.get(key)
          if (holder !== undefined && holder !== c.id) {
            throw new CloudDbError(
              'DATABASE_REQUEST_FAILED',
              `E11000 duplicate key error collection: ${coll} index: ${index.name} dup key: ${key}`
            )
          }
          taken.set(key, c.id)
        }
      }
    }
  }

  close(): void {
    this.db.close()
  }
}
