/** What the parts of the local cloud share: one instance of each, created by cloud.ts. */
import type { Clock } from './clock'
import type { DbEngine } from './db/engine'
import type { Store } from './db/store'
import type { Faults } from './faults'
import type { FunctionPool } from './functions/pool'
import type { CollectionDeclaration, LocalAccount } from './product'
import type { StorageService } from './storage/service'

export interface InvocationLog {
  fn: string
  action: string | undefined
  requestId: string
  /** The caller, masked (first and last characters only). */
  caller: string
  /** 'wx_client' for a call from the app, 'timer' for a trigger. */
  source: string
  ok: boolean
  errCode?: number
  durationMs: number
  coldStart: boolean
  at: Date
}

/** One subscription message the local cloud was asked to send, delivered or refused. */
export interface SentMessage {
  id: string
  at: Date
  /** The function that sent it. */
  fn: string | undefined
  /** The recipient's OPENID (consoles show it masked). */
  touser: string
  templateId: string
  /** The template's title in the registry, when known. */
  templateTitle?: string
  page?: string
  data: Record<string, { value: string }>
  /** 0 when delivered; otherwise WeChat's error code (43101, 47003, …). */
  errCode: number
  errMsg: string
}

export interface MessageCenter {
  /** Newest first. */
  list(filter?: { touser?: string; limit?: number }): SentMessage[]
}

export interface CloudServices {
  envId: string
  appId: string
  /** The mini-program's name (console header, service notifications). */
  appName: string
  /** The collections the cloud was started with (the console describes them). */
  collections: readonly CollectionDeclaration[]
  /** Labels for known openids (the inbox). */
  accounts: readonly LocalAccount[]
  store: Store
  engine: DbEngine
  pool: FunctionPool
  clock: Clock
  messages: MessageCenter
  /** Cloud storage: files in the data folder, temporary URLs, upload tokens (storage/service.ts). */
  storage: StorageService
  /** Test-only crash injection, and database requests counted per function. */
  faults: Faults
  /** The most recent invocations, newest last (bounded). */
  invocations: InvocationLog[]
  recordInvocation(entry: InvocationLog): void
}

/** "demo-resident-wang" → "de…ng": enough to tell callers apart in a log, not to identify one. */
export function maskId(id: string): string {
  if (!id) return '(none)'
  return id.length <= 4 ? '*'.repeat(id.length) : `${id.slice(0, 2)}…${id.slice(-2)}`
}
