/**
 * A small typed wrapper over the cloud database: what handlers need, with our own types and the
 * cloud's quirks handled once (doc().get() throws for a missing document; get() returns at most
 * 100 by default).
 */
import type { CollectionRef, Database } from 'wx-server-sdk'
import { getCloud } from './cloud'

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
  const msg = (err as { errMsg?: string; message?: string } | null)?.errMsg ?? (err as Error | null)?.message ?? ''
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
