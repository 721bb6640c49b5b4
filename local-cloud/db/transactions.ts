/**
 * Transactions as the cloud database documents them (云开发 guide, 数据库 › 事务):
 *  - snapshot isolation: reads see the database as of the transaction's start, plus its own writes;
 *  - a write puts a transaction lock on the document: another transaction's write to it fails at
 *    once (DATABASE_TRANSACTION_CONFLICT), a plain (non-transactional) write waits until the lock
 *    is released — by commit, rollback or the transaction's expiry;
 *  - a write to a document someone else changed after the snapshot is a conflict too (there is no
 *    way to apply it without losing that change);
 *  - commit writes every change of the transaction in one store commit (one SQLite transaction,
 *    then the in-memory mirror): all or nothing, on disk and in memory.
 * Only single-document operations exist inside (doc.get/set/update/remove, collection.add); the
 * engine routes those here.
 */
import { randomBytes } from 'node:crypto'
import { CloudDbError } from './errors'
import type { Change, Doc, Snapshot, Store } from './store'

/** undocumented: how long a transaction may stay open. MongoDB's default transaction lifetime. */
export const DEFAULT_TRANSACTION_LIFETIME_MS = 60_000

interface Write {
  coll: string
  id: string
  doc: Doc | null
}

interface Transaction {
  id: string
  snapshot: Snapshot
  /** Keyed coll\0id; the last write to a document wins. */
  writes: Map<string, Write>
  expiresAt: number
  timer: NodeJS.Timeout
}

type EndState = 'committed' | 'aborted' | 'expired'

const MAX_ENDED = 1000

function key(coll: string, id: string): string {
  return `${coll}\u0000${id}`
}

export interface TransactionOptions {
  lifetimeMs?: number
}

export class TransactionManager {
  private readonly active = new Map<string, Transaction>()
  private readonly ended = new Map<string, EndState>()
  /** Document key → the transaction holding its lock. */
  private readonly locks = new Map<string, string>()
  private waiters: (() => void)[] = []
  /** How long a transaction may stay open (ms); changeable, e.g. by tests of expiry. */
  lifetimeMs: number

  constructor(
    private readonly store: Store,
    options: TransactionOptions = {}
  ) {
    this.lifetimeMs = options.lifetimeMs ?? DEFAULT_TRANSACTION_LIFETIME_MS
  }

  get activeCount(): number {
    return this.active.size
  }

  get lockCount(): number {
    return this.locks.size
  }

  start(): string {
    const id = randomBytes(16).toString('hex')
    const timer = setTimeout(() => this.end(id, 'expired'), this.lifetimeMs)
    timer.unref()
    this.active.set(id, {
      id,
      snapshot: this.store.openSnapshot(),
      writes: new Map(),
      expiresAt: Date.now() + this.lifetimeMs,
      timer
    })
    return id
  }

  private require(id: unknown): Transaction {
    if (typeof id !== 'string' || id === '')
      throw new CloudDbError('INVALID_PARAM', 'transactionId is required')
    const tx = this.active.get(id)
    if (tx && Date.now() >= tx.expiresAt) this.end(id, 'expired')
    const live = this.active.get(id)
    if (live) return live
    const state = this.ended.get(id)
    const why =
      state === 'expired'
        ? `expired after ${this.lifetimeMs / 1000} s and was rolled back`
        : state
          ? `has already been ${state === 'committed' ? 'committed' : 'rolled back'}`
          : 'does not exist'
    throw new CloudDbError('DATABASE_REQUEST_FAILED', `transaction ${id} ${why}`)
  }

  /** The document as the transaction sees it: its own write, else its snapshot. */
  read(txId: unknown, coll: string, id: string): Doc | undefined {
    const tx = this.require(txId)
    this.store.requireCollection(coll)
    const own = tx.writes.get(key(coll, id))
    if (own) return own.doc ?? undefined
    return tx.snapshot.get(coll, id)
  }

  /** Records a write inside the transaction, taking the document's lock. */
  write(txId: unknown, coll: string, id: string, doc: Doc | null): void {
    const tx = this.require(txId)
    this.store.requireCollection(coll)
    const k = key(coll, id)
    const holder = this.locks.get(k)
    if (holder !== undefined && holder !== tx.id) {
      throw new CloudDbError(
        'DATABASE_TRANSACTION_CONFLICT',
        `write conflict: ${coll}/${id} is locked by another transaction`
      )
    }
    if (tx.snapshot.changedSince(coll, id)) {
      throw new CloudDbError(
        'DATABASE_TRANSACTION_CONFLICT',
        `write conflict: ${coll}/${id} was changed after this transaction started`
      )
    }
    const pending = [...tx.writes.values()].filter((w) => w.coll === coll && w.id !== id)
    const duplicate = this.store.findUniqueViolation([...pending, { coll, id, doc }])
    if (duplicate) throw new CloudDbError('DATABASE_REQUEST_FAILED', duplicate)
    this.locks.set(k, tx.id)
    tx.writes.set(k, { coll, id, doc })
  }

  /** The transaction holding the lock on a document, if any (plain writes wait for it). */
  lockHolder(coll: string, id: string): string | undefined {
    const holder = this.locks.get(key(coll, id))
    if (holder === undefined) return undefined
    const tx = this.active.get(holder)
    if (tx && Date.now() >= tx.expiresAt) {
      this.end(holder, 'expired')
      return undefined
    }
    return holder
  }

  /** Resolves when some transaction ends (its locks released); the caller checks again. */
  waitForRelease(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  commit(txId: unknown): void {
    const tx = this.require(txId)
    const changes: Change[] = [...tx.writes.values()].map((w) => ({ coll: w.coll, id: w.id, doc: w.doc }))
    // A writer that does not wait for locks (tools and tests writing to the store directly) may
    // have changed a locked document: committing over it would lose that write.
    for (const c of changes) {
      if (tx.snapshot.changedSince(c.coll, c.id)) {
        this.end(tx.id, 'aborted')
        throw new CloudDbError(
          'DATABASE_TRANSACTION_CONFLICT',
          `write conflict: ${c.coll}/${c.id} was changed after this transaction started`
        )
      }
    }
    try {
      tx.snapshot.close()
      this.store.commit(changes)
    } catch (err) {
      this.end(tx.id, 'aborted')
      throw err
    }
    this.end(tx.id, 'committed')
  }

  /** Rolls back; rolling back a transaction that already ended is harmless (the SDK may do so). */
  abort(txId: unknown): void {
    if (typeof txId === 'string' && this.ended.has(txId)) return
    const tx = this.require(txId)
    this.end(tx.id, 'aborted')
  }

  private end(id: string, state: EndState): void {
    const tx = this.active.get(id)
    if (!tx) return
    clearTimeout(tx.timer)
    tx.snapshot.close()
    for (const k of tx.writes.keys()) if (this.locks.get(k) === id) this.locks.delete(k)
    this.active.delete(id)
    this.ended.set(id, state)
    if (this.ended.size > MAX_ENDED) {
      const oldest = this.ended.keys().next().value
      if (oldest !== undefined) this.ended.delete(oldest)
    }
    const waiting = this.waiters
    this.waiters = []
    for (const wake of waiting) wake()
  }

  /** Rolls back every open transaction (shutdown). */
  close(): void {
    for (const id of [...this.active.keys()]) this.end(id, 'aborted')
  }
}
