/**
 * Fault injection for tests (local runs only, never reachable from function code): make a
 * function's instance die at a chosen database request, as a crash or a killed container would
 * on the cloud, to prove that no half-done work survives (no phantom slot holds, no lost messages).
 * Also counts the database requests each function makes — what the cloud bills.
 */
import type { DbRequest } from './db/engine'

export interface CrashRule {
  fn: string
  /** e.g. 'database.insertDocument', 'database.commitTransaction' */
  action: string
  collection?: string
  /** Only requests made inside a transaction. */
  inTransaction?: boolean
}

export class Faults {
  private rules: CrashRule[] = []
  private readonly counts = new Map<string, number>()

  /** The next matching request kills the calling function's instances (once). */
  crashOn(rule: CrashRule): void {
    this.rules.push(rule)
  }

  clear(): void {
    this.rules = []
  }

  /** Called for every database request; true when the caller must die now. */
  take(fn: string | undefined, req: DbRequest): boolean {
    if (fn) this.counts.set(fn, (this.counts.get(fn) ?? 0) + 1)
    const i = this.rules.findIndex(
      (r) =>
        r.fn === fn &&
        r.action === req.action &&
        (r.collection === undefined || r.collection === req.collectionName) &&
        (!r.inTransaction || typeof req.transactionId === 'string')
    )
    if (i < 0) return false
    this.rules.splice(i, 1)
    return true
  }

  /** Database requests made by each function since the start (or the last reset). */
  requestCounts(): Record<string, number> {
    return Object.fromEntries(this.counts)
  }

  resetCounts(): void {
    this.counts.clear()
  }
}
