/**
 * The data layer: the cloud database typed by collection name (`collection('requests')` holds
 * `RequestDoc`s; see `documents.ts`), and the few patterns every function needs written once —
 * a missing document as null, a transaction retried on a write conflict, an insert that answers
 * with the document that won a race, an update that applies only while a status still holds, and
 * ids derived from a digest. The cloud's quirks are handled here (doc().get() throws for a missing
 * document; get() returns at most 100 by default). See docs/decisions/data-layer.md.
 */
import { createHash } from 'node:crypto'
import type { CollectionRef, Database, Transaction } from 'wx-server-sdk'
import { getCloud } from './cloud'
import type { CollectionDocs, CollectionName } from './documents'
import { AppError } from './app-error'

export type { CollectionDocs, CollectionName } from './documents'

export type Where = Record<string, unknown>

export interface FindOptions {
  orderBy?: [field: string, order: 'asc' | 'desc'][]
  limit?: number
  skip?: number
  fields?: readonly string[]
}

export interface Repo<T extends { _id: string }> {
  byId(id: string): Promise<T | null>
  find(where: Where, options?: FindOptions): Promise<T[]>
}

let database: Database | undefined

export function db(): Database {
  database ??= getCloud().database()
  return database
}

/** A collection, typed by its name. */
export function collection<K extends CollectionName>(name: K): CollectionRef<CollectionDocs[K]> {
  return db().collection<CollectionDocs[K]>(name)
}

function isNotFound(err: unknown): boolean {
  const msg =
    (err as { errMsg?: string; message?: string } | null)?.errMsg ?? (err as Error | null)?.message ?? ''
  return /does not exist|not exist|cannot find document/i.test(msg)
}

/** Reads by id and by query, typed by the collection's name (`repo('requests').byId(id)`). */
export function repo<K extends CollectionName>(name: K): Repo<CollectionDocs[K]>
/** With an explicit document type, for a collection whose type is not in `CollectionDocs` yet. */
export function repo<T extends { _id: string }>(name: CollectionName): Repo<T>
export function repo<T extends { _id: string }>(name: CollectionName): Repo<T> {
  const coll = (): CollectionRef<T> => db().collection<T>(name)
  return {
    async byId(id) {
      try {
        const res = await coll().doc(id).get()
        return res.data ?? null
      } catch (err) {
        if (isNotFound(err)) return null
        throw err
      }
    },
    async find(where, options = {}) {
      let q = coll().where(where)
      for (const [field, order] of options.orderBy ?? []) q = q.orderBy(field, order)
      if (options.skip) q = q.skip(options.skip)
      q = q.limit(options.limit ?? 100)
      if (options.fields) q = q.field(Object.fromEntries(options.fields.map((f) => [f, true])))
      return (await q.get()).data
    }
  }
}

/** A document read inside a transaction, or null when there is none (doc().get() fails for a missing one). */
export function txGet<K extends CollectionName>(
  tx: Transaction,
  name: K,
  id: string
): Promise<CollectionDocs[K] | null>
export function txGet<T>(tx: Transaction, name: CollectionName, id: string): Promise<T | null>
export async function txGet<T>(tx: Transaction, name: CollectionName, id: string): Promise<T | null> {
  try {
    return (await tx.collection<T>(name).doc(id).get()).data ?? null
  } catch (err) {
    if (isNotFound(err)) return null
    throw err
  }
}

export function isConflict(err: unknown): boolean {
  const e = err as { errCode?: number; errMsg?: string; message?: string } | null
  return /conflict/i.test(e?.errMsg ?? e?.message ?? '')
}

/**
 * Runs `work` in a database transaction: committed when it returns, rolled back when it throws,
 * retried after a short random pause only when the database reports a write conflict (several
 * residents taking the same slot at once). We do not use db.runTransaction: in wx-server-sdk
 * 4.0.2 it retries only a conflict reported at commit, while a conflict on a write inside the
 * callback — the usual case when two bookings race for a slot — reaches the caller as -501001
 * with the conflict code stripped, and is never retried (asserted in tests/conformance).
 */
export async function withTransaction<R>(work: (tx: Transaction) => Promise<R>, attempts = 8): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    const tx = await db().startTransaction()
    try {
      const result = await work(tx)
      await tx.commit()
      return result
    } catch (err) {
      await tx.rollback().catch(() => undefined)
      if (!isConflict(err)) throw err
      if (attempt >= attempts) throw new AppError('BUSY')
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 40 * attempt))
    }
  }
}

/** Is this the database refusing a duplicate key of a unique index? */
export function isDuplicateKey(err: unknown, index?: string): boolean {
  const msg =
    (err as { errMsg?: string; message?: string } | null)?.errMsg ?? (err as Error | null)?.message ?? ''
  return /duplicate key|E11000/i.test(msg) && (!index || msg.includes(index))
}

/**
 * Inserts a document whose id is derived from the request (so a retry names the same id). When
 * the database refuses it as a duplicate key because a twin committed first, answers with the
 * twin: `{doc, inserted: false}`. Any other error, or a duplicate key with no document under the
 * id (another unique index refused it), is thrown. `insert` does the write when it is more than an
 * `add` (a transaction that also checks limits, say).
 */
export async function insertOrGetRaced<K extends CollectionName>(
  name: K,
  doc: CollectionDocs[K],
  insert: () => Promise<unknown> = () => collection(name).add({ data: { ...doc } })
): Promise<{ doc: CollectionDocs[K]; inserted: boolean }> {
  try {
    await insert()
    return { doc, inserted: true }
  } catch (err) {
    if (!isDuplicateKey(err)) throw err
    const raced = await repo(name).byId(doc._id)
    if (!raced) throw err
    return { doc: raced, inserted: false }
  }
}

/**
 * One conditional update: applies `patch` to the document only while its `status` is still
 * `status` (or one of them) and `also` holds. Returns whether this call changed it — of two
 * officers tapping at once, exactly one gets true.
 */
export async function updateIfStatus<K extends CollectionName>(
  name: K,
  id: string,
  status: CollectionDocs[K] extends { status: infer S } ? S | readonly S[] : never,
  patch: Record<string, unknown>,
  also: Where = {}
): Promise<boolean> {
  const wanted = Array.isArray(status) ? db().command.in(status as unknown[]) : status
  const res = await collection(name)
    .where({ ...also, _id: id, status: wanted })
    .update({ data: patch })
  return res.stats.updated === 1
}

/**
 * An id derived from `text`: `${prefix}-` and the first `length` hex digits of its SHA-256. The
 * same text always names the same document (a retry finds what the first call made), and the id
 * reveals nothing of the text (an OPENID, say).
 */
export function digestId(prefix: string, text: string, length = 24): string {
  return `${prefix}-${createHash('sha256').update(text).digest('hex').slice(0, length)}`
}

/**
 * The id of a document a resident creates, derived from the caller and the client's request id:
 * a retried call finds its document instead of creating a second (with `add`, a racing twin is
 * refused as a duplicate key). `salt` keeps the ids of different collections apart.
 */
export function idempotentId(prefix: string, openid: string, requestId: string, salt = ''): string {
  return digestId(prefix, `${salt}${openid}:${requestId}`)
}
