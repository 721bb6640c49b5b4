/**
 * Our own, strict typing of the parts of wx-server-sdk we use. The SDK's bundled types do not
 * compile under --strict (get() is typed Promise<T> | void | string); tsconfig maps the module
 * name here. Shapes follow the SDK's documented results.
 */
declare module 'wx-server-sdk' {
  export interface WXContext {
    OPENID: string
    APPID: string
    UNIONID?: string
    ENV: string
    SOURCE?: string
  }

  export interface DbCommandValue {
    readonly __brand: 'DbCommand'
  }

  export interface Command {
    eq(v: unknown): DbCommandValue
    neq(v: unknown): DbCommandValue
    gt(v: unknown): DbCommandValue
    gte(v: unknown): DbCommandValue
    lt(v: unknown): DbCommandValue
    lte(v: unknown): DbCommandValue
    in(v: unknown[]): DbCommandValue
    nin(v: unknown[]): DbCommandValue
    and(...v: unknown[]): DbCommandValue
    or(...v: unknown[]): DbCommandValue
    exists(v: boolean): DbCommandValue
    inc(n: number): DbCommandValue
    set(v: unknown): DbCommandValue
    remove(): DbCommandValue
    push(v: unknown): DbCommandValue
    /** Accumulators and operators of aggregation stages (db.command.aggregate, written `$`). */
    aggregate: {
      sum(v: unknown): DbCommandValue
      push(v: unknown): DbCommandValue
      lt(v: [unknown, unknown]): DbCommandValue
      subtract(v: [unknown, unknown]): DbCommandValue
      ifNull(v: [unknown, unknown]): DbCommandValue
      cond(v: [unknown, unknown, unknown]): DbCommandValue
      dateToString(v: { date: unknown; format: string; timezone?: string }): DbCommandValue
    }
  }

  /** An aggregation pipeline: without limit() the cloud answers at most 20 documents. */
  export interface Aggregate {
    match(condition: Record<string, unknown>): Aggregate
    group(spec: Record<string, unknown>): Aggregate
    sort(spec: Record<string, 1 | -1>): Aggregate
    skip(n: number): Aggregate
    limit(n: number): Aggregate
    end(): Promise<{ list: unknown[]; errMsg: string }>
  }

  export interface QueryResult<T> {
    data: T[]
    errMsg: string
  }

  export interface Query<T> {
    where(condition: Record<string, unknown>): Query<T>
    orderBy(field: string, order: 'asc' | 'desc'): Query<T>
    skip(n: number): Query<T>
    limit(n: number): Query<T>
    field(projection: Record<string, boolean>): Query<T>
    get(): Promise<QueryResult<T>>
    count(): Promise<{ total: number; errMsg: string }>
    update(options: {
      data: Record<string, unknown>
    }): Promise<{ stats: { updated: number }; errMsg: string }>
    remove(): Promise<{ stats: { removed: number }; errMsg: string }>
  }

  export interface DocumentRef<T> {
    get(): Promise<{ data: T; errMsg: string }>
    set(options: {
      data: Record<string, unknown>
    }): Promise<{ _id: string; stats: { updated: number; created: number } }>
    update(options: {
      data: Record<string, unknown>
    }): Promise<{ stats: { updated: number }; errMsg: string }>
    remove(): Promise<{ stats: { removed: number }; errMsg: string }>
  }

  export interface CollectionRef<T> extends Query<T> {
    doc(id: string): DocumentRef<T>
    aggregate(): Aggregate
    add(options: { data: Record<string, unknown> }): Promise<{ _id: string; errMsg: string }>
  }

  export interface TransactionDocumentRef<T> {
    get(): Promise<{ data: T }>
    set(options: { data: Record<string, unknown> }): Promise<unknown>
    update(options: { data: Record<string, unknown> }): Promise<{ updated: number }>
    remove(): Promise<{ deleted: number }>
  }

  export interface TransactionCollectionRef<T> {
    doc(id: string): TransactionDocumentRef<T>
    add(options: { data: Record<string, unknown> }): Promise<{ _id?: string; id?: string }>
  }

  export interface Transaction {
    collection<T = Record<string, unknown>>(name: string): TransactionCollectionRef<T>
    commit(): Promise<unknown>
    rollback(reason?: unknown): Promise<unknown>
  }

  export interface Database {
    command: Command
    collection<T = Record<string, unknown>>(name: string): CollectionRef<T>
    serverDate(options?: { offset?: number }): unknown
    startTransaction(): Promise<Transaction>
  }

  export interface CloudSDKError extends Error {
    errCode: number
    errMsg: string
  }

  export interface SubscribeMessageSend {
    touser: string
    templateId: string
    page?: string
    data: Record<string, { value: string }>
    miniprogramState?: 'developer' | 'trial' | 'formal'
    lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW'
  }

  const cloud: {
    DYNAMIC_CURRENT_ENV: symbol
    openapi: {
      subscribeMessage: {
        send(options: SubscribeMessageSend): Promise<{ errCode: number; errMsg: string }>
      }
      urllink: {
        /** A URL Link opening `path?query` in the mini-program; expireType 1: after expireInterval days. */
        generate(options: {
          path: string
          query: string
          envVersion?: 'release' | 'trial' | 'develop'
          expireType: 0 | 1
          expireTime?: number
          expireInterval?: number
        }): Promise<{
          errCode: number
          errMsg: string
          urlLink?: string
        }>
      }
      cloudbase: {
        sendSmsV2(options: {
          env: string
          urlLink: string
          templateId: string
          templateParamList: string[]
          phoneNumberList: string[]
          useShortName?: boolean
        }): Promise<{
          errCode: number
          errMsg: string
          sendStatusList?: { serialNo?: string; phoneNumber?: string; code?: string; message?: string }[]
        }>
      }
    }
    init(options?: { env?: string | symbol; traceUser?: boolean }): void
    getWXContext(): WXContext
    database(options?: { throwOnNotFound?: boolean }): Database
  }
  export default cloud
}
