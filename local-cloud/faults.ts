/**
 * Fault injection for tests (local runs only, never reachable from function code): make a
 * function's instance die at a chosen database request, as a crash or a killed container would
 * on the cloud, to prove that no half-done work survives (no phantom slot holds, no lost messages).
 * Also counts the database requests each function makes — what the cloud bills.
 */
import type { DbRequest } from './db/engine'

export interface CrashRule {
  fn: string
  /**
   * e.g. 'database.insertDocument', 'database.commitTransaction'; failOn and delayOn also match
   * storage requests ('storage.batchDeleteFile', 'storage.getUploadMetadata', …).
   */
  action: string
  collection?: string
  /** Only requests made inside a transaction. */
  inTransaction?: boolean
}

export interface FailureRule extends CrashRule {
  /** Only requests made outside a transaction. */
  outsideTransaction?: boolean
  /** The database's answer: a system error by default. */
  code?: string
}

export interface SendFailureRule {
  fn: string
  /** Which open API fails: subscribeMessage.send unless named (e.g. cloudbase.sendSmsV2). */
  api?: string
  /** How many open-API sends from that function fail. */
  times: number
  /** WeChat's answer: -1 "system error" (transient) by default. */
  errCode?: number
}

export interface DelayRule extends CrashRule {
  /** How long the database takes to answer. */
  ms: number
  /** How many matching requests are slowed. */
  times: number
}

export class Faults {
  private delays: DelayRule[] = []
  private rules: CrashRule[] = []
  private sendFailures: SendFailureRule[] = []
  private failures: FailureRule[] = []
  private readonly counts = new Map<string, number>()

  /** The next matching request kills the calling function's instances (once). */
  crashOn(rule: CrashRule): void {
    this.rules.push(rule)
  }

  /** The next matching request fails with an error answer (the function goes on and sees it), once. */
  failOn(rule: FailureRule): void {
    this.failures.push(rule)
  }

  /** Called for every database request after `take`; the error code to answer with, or undefined. */
  takeFailure(fn: string | undefined, req: DbRequest): string | undefined {
    if (this.failures.length === 0) return undefined
    // A body that is not an object is the engine's to refuse (INVALID_PARAM), not a fault's.
    if (typeof req !== 'object' || req === null) return undefined
    const inTx = typeof req.transactionId === 'string'
    const i = this.failures.findIndex(
      (r) =>
        r.fn === fn &&
        r.action === req.action &&
        (r.collection === undefined || r.collection === req.collectionName) &&
        (!r.inTransaction || inTx) &&
        (!r.outsideTransaction || !inTx)
    )
    if (i < 0) return undefined
    const [rule] = this.failures.splice(i, 1)
    return rule?.code ?? 'SYS_ERR'
  }

  /**
   * The next `times` matching requests are answered `ms` late — read at once, the answer delivered
   * later, as over a slow network: two calls that would rarely overlap are made to, so a race can
   * be tested rather than hoped for.
   */
  delayOn(rule: DelayRule): void {
    this.delays.push({ ...rule })
  }

  /** Called for every database request; how long to wait before answering (0: at once). */
  takeDelay(fn: string | undefined, req: DbRequest): number {
    const rule = this.delays.find(
      (r) =>
        r.fn === fn &&
        r.times > 0 &&
        r.action === req.action &&
        (r.collection === undefined || r.collection === req.collectionName) &&
        (!r.inTransaction || typeof req.transactionId === 'string')
    )
    if (!rule) return 0
    rule.times--
    return rule.ms
  }

  /** The next `times` sends of a function (subscription messages, or the named open API) fail with `errCode`, as WeChat's do. */
  failSends(rule: SendFailureRule): void {
    this.sendFailures.push({ ...rule })
  }

  /** Called for every open-API call; the error code to answer with, or undefined. */
  takeSendFailure(fn: string | undefined, api: string): number | undefined {
    const rule = this.sendFailures.find(
      (r) => r.fn === fn && r.times > 0 && (r.api ?? 'subscribeMessage.send') === api
    )
    if (!rule) return undefined
    rule.times--
    return rule.errCode ?? -1
  }

  clear(): void {
    this.delays = []
    this.rules = []
    this.sendFailures = []
    this.failures = []
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
