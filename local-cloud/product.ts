/**
 * What the local cloud is told about the product it runs. The local cloud imports nothing of the
 * product (its database declarations, seed, functions): the starter passes these in as options
 * (see docs/local-cloud.md), so the same local cloud could run any set of functions.
 */
import type { IndexDef } from './db/store'

/** A collection the local cloud creates at start, with its indexes (and what the console shows of it). */
export interface CollectionDeclaration {
  name: string
  /** Unique and compound indexes are enforced; the others speed up equality lookups. */
  indexes?: readonly IndexDef[]
  /** Shown on the console's overview and collection pages. */
  description?: string
  /** What each field means, shown on the console's collection page. */
  fields?: Readonly<Record<string, string>>
  /** The collection's security rule, shown on the console's collection page. */
  rule?: { read: boolean | string; write: boolean | string }
  /** Documents (each with an `_id`) loaded into a fresh database when seeding is on. */
  seed?: readonly unknown[]
}

/** A local identity, labelled for people reading the inbox ("居民 王阿姨"). */
export interface LocalAccount {
  openid: string
  label: string
}

/**
 * The environment's storage rule, as the cloud console's presets name them (what the app may do;
 * functions may always do everything):
 *   PRIVATE     仅创建者可读写 — a user reads, overwrites and deletes only files they uploaded
 *   READONLY    所有用户可读，仅创建者可读写
 *   ADMINWRITE  所有用户可读，仅管理端可写 — the app cannot upload
 *   ADMINONLY   仅管理端可读写 — the app can do nothing
 */
export type StorageAcl = 'PRIVATE' | 'READONLY' | 'ADMINWRITE' | 'ADMINONLY'

export interface StorageOptions {
  /** PRIVATE unless named. */
  acl?: StorageAcl
  /** The largest file kept, in bytes (default MAX_FILE_BYTES, storage/rules.ts). */
  maxFileBytes?: number
}

/** The product-specific part of the local cloud's options. */
export interface ProductOptions {
  /** The mini-program's name, as WeChat shows it on service notifications (and atop the console). */
  appName?: string
  collections?: readonly CollectionDeclaration[]
  /** Labels for known openids, in the inbox. */
  accounts?: readonly LocalAccount[]
  /**
   * Environment variables every function instance gets, as secrets are set per function in the
   * cloud console: each one generated once per data folder (32 random bytes, base64) and kept in
   * `function-secrets.json` there, so data written with it stays readable across restarts.
   */
  functionSecrets?: readonly string[]
  /** The storage rule and limits (docs/local-cloud.md, "Storage"). */
  storage?: StorageOptions
}
