/**
 * A small typed wrapper over the cloud database: what handlers need, with our own types and the
 * cloud's quirks handled once (doc().get() throws for a missing document; get() returns at most
 * 100 by default).
 */
import { createHash } from 'node:crypto'
import type { CollectionRef, Database, Transaction } from 'wx-server-sdk'
import { getCloud } from './cloud'
import { AppError } from './handler'

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

function isNotFound(err: unknown): boolean {
  const msg =
    (err as { errMsg?: string; message?: string } | null)?.errMsg ?? (err as Error | null)?.message ?? ''
  return /does not exist|not exist|cannot find document/i.test(msg)
}

export function repo<T extends { _id: string }>(name: string): Repo<T> {
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

/** A document the transaction could not find (doc().get() fails for a missing document). */
export async function txGet<T>(tx: Transaction, collection: string, id: string): Promise<T | null> {
  try {
    return (await tx.collection<T>(collection).doc(id).get()).data ?? null
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
 * The id of a document a resident creates, derived from the caller and the client's request id:
 * a retried call finds its document instead of creating a second (with `add`, a racing twin is
 * refused as a duplicate key). `salt` keeps the ids of different collections apart.
 */
export function idempotentId(prefix: string, openid: string, requestId: string, salt = ''): string {
  return `${prefix}-${createHash('sha256').update(`${salt}${openid}:${requestId}`).digest('hex').slice(0, 24)}`
}
