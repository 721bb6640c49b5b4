/**
 * The real wx-server-sdk, in this process, pointed at a local cloud by environment alone — as a
 * function instance is (TCB_CONTEXT_CNFG + dummy secrets). The SDK reads that environment when it
 * sends, so one process talks to one cloud at a time: call connectSdk once per test file.
 *
 * Types: the project's own typing of wx-server-sdk (cloudfunctions/_shared/wx-server-sdk.d.ts)
 * covers what functions use; the conformance suite and the benchmarks drive much more of the
 * SDK's surface, typed here, loosely, from @cloudbase/database 1.4.3's shapes.
 */
export type Row = Record<string, unknown> & { _id?: string }

/** A query or update command (db.command.gt(1), _.inc(1) …): opaque, chainable. */
export interface Cmd {
  and(...v: unknown[]): Cmd
  or(...v: unknown[]): Cmd
  readonly __cmd?: never
}

export interface Command {
  eq(v: unknown): Cmd
  neq(v: unknown): Cmd
  gt(v: unknown): Cmd
  gte(v: unknown): Cmd
  lt(v: unknown): Cmd
  lte(v: unknown): Cmd
  in(v: unknown[]): Cmd
  nin(v: unknown[]): Cmd
  and(...v: unknown[]): Cmd
  or(...v: unknown[]): Cmd
  not(v: unknown): Cmd
  nor(...v: unknown[]): Cmd
  exists(v: boolean): Cmd
  size(n: number): Cmd
  all(v: unknown[]): Cmd
  elemMatch(v: unknown): Cmd
  mod(divisor: number, remainder: number): Cmd
  expr(v: unknown): Cmd
  set(v: unknown): Cmd
  remove(): Cmd
  inc(n: number): Cmd
  mul(n: number): Cmd
  min(v: unknown): Cmd
  max(v: unknown): Cmd
  rename(to: string): Cmd
  push(...v: unknown[]): Cmd
  pop(): Cmd
  shift(): Cmd
  unshift(...v: unknown[]): Cmd
  pull(v: unknown): Cmd
  pullAll(v: unknown[]): Cmd
  addToSet(v: unknown): Cmd
  aggregate: Record<string, (param: unknown) => unknown>
  project: { slice(v: number | [number, number]): unknown; elemMatch(v: unknown): unknown }
}

export interface QueryResult {
  data: Row[]
  errMsg: string
}

export interface Query {
  where(condition: unknown): Query
  orderBy(field: string, order: 'asc' | 'desc'): Query
  skip(n: number): Query
  limit(n: number): Query
  field(projection: Record<string, unknown>): Query
  get(): Promise<QueryResult>
  count(): Promise<{ total: number; errMsg: string }>
  update(options: {
    data: Record<string, unknown>
    multi?: boolean
  }): Promise<{ stats: { updated: number }; errMsg: string }>
  remove(options?: { multi?: boolean }): Promise<{ stats: { removed: number }; errMsg: string }>
}

export interface DocRef {
  field(projection: Record<string, unknown>): DocRef
  get(): Promise<{ data: Row | null; errMsg: string }>
  set(options: {
    data: Record<string, unknown>
  }): Promise<{ _id: string; stats: { updated: number; created: number }; errMsg: string }>
  update(options: { data: Record<string, unknown> }): Promise<{ stats: { updated: number }; errMsg: string }>
  remove(): Promise<{ stats: { removed: number }; errMsg: string }>
}

export interface Aggregate {
  match(v: unknown): Aggregate
  group(v: unknown): Aggregate
  project(v: unknown): Aggregate
  sort(v: unknown): Aggregate
  skip(n: number): Aggregate
  limit(n: number): Aggregate
  lookup(v: unknown): Aggregate
  unwind(v: unknown): Aggregate
  count(field: string): Aggregate
  addFields(v: unknown): Aggregate
  sortByCount(v: unknown): Aggregate
  replaceRoot(v: unknown): Aggregate
  sample(v: unknown): Aggregate
  end(): Promise<{ list: Row[]; errMsg: string }>
}

export interface Collection extends Query {
  doc(id: string): DocRef
  add(options: {
    data: Record<string, unknown> | Record<string, unknown>[]
  }): Promise<{ _id?: string; _ids?: string[]; errMsg: string }>
  aggregate(): Aggregate
}

export interface Transaction {
  collection(name: string): Collection
  commit(): Promise<unknown>
  rollback(reason?: unknown): Promise<unknown>
}

export interface Db {
  command: Command
  collection(name: string): Collection
  serverDate(options?: { offset?: number }): unknown
  RegExp(options: { regexp: string; options?: string }): unknown
  runTransaction<T>(fn: (tx: Transaction) => Promise<T>, times?: number): Promise<T>
  startTransaction(): Promise<Transaction>
  createCollection(name: string): Promise<{ errMsg: string }>
}

interface WxServerSdk {
  DYNAMIC_CURRENT_ENV: symbol
  init(options?: { env?: string | symbol }): void
  database(options?: { throwOnNotFound?: boolean }): Db
}

/** What the SDK rejects with: errCode/errMsg from its wrappers; a raw `code` from runTransaction's commit. */
export interface SdkError extends Error {
  errCode?: number
  errMsg?: string
  code?: string
}

let connectedTo: string | undefined

/** The SDK's database, talking to the local cloud at `url` (e.g. http://127.0.0.1:PORT). */
export function connectSdk(url: string, options: { throwOnNotFound?: boolean } = {}): Db {
  if (connectedTo !== undefined && connectedTo !== url)
    throw new Error(`the SDK in this process already talks to ${connectedTo}`)
  connectedTo = url
  process.env.TCB_CONTEXT_CNFG = JSON.stringify({ URL: `${url}/admin` })
  // Outside the cloud the SDK needs secrets (any value): without them a failed request can end
  // the process with an unhandled rejection (docs/platform.md, cloud database behaviour).
  process.env.TENCENTCLOUD_SECRETID = 'local-cloud'
  process.env.TENCENTCLOUD_SECRETKEY = 'local-cloud'
  process.env.TCB_ENV = process.env.TCB_ENV ?? 'local-test'
  process.env.SCF_NAMESPACE = process.env.TCB_ENV
  // As in a cloud function. Without it, the SDK looks for Tencent Cloud's metadata server before
  // every request (two 30 ms timeouts, and DNS queries leaving the machine).
  process.env.TENCENTCLOUD_RUNENV = 'SCF'
  process.env.TENCENTCLOUD_REGION = process.env.TENCENTCLOUD_REGION ?? 'ap-shanghai'
  // The SDK warns on every request slower than 3 s; lock waits in tests are deliberate.
  process.env.SILENCE = 'true'
  // The subpath: tsconfig maps the bare name to our type declarations, and tsx follows that map.
  const sdk = require('wx-server-sdk/index.js') as WxServerSdk
  sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV })
  return sdk.database(options)
}

/** The rejection of a promise that must reject (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise
  } catch (err) {
    return err as SdkError
  }
  throw new Error('expected the call to fail, but it succeeded')
}
