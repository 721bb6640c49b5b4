/**
 * Starts the local cloud: the database (the given collections and indexes applied, their seed
 * loaded on first run), the function instances, and the HTTP server. The product's specifics
 * (collections, accounts, secrets, its name) come in as options (product.ts); `npm start`'s
 * starter and the tests build them in one place (scripts/lib/product-cloud.ts).
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { Clock } from './clock'
import type { CloudServices, InvocationLog } from './context'
import { DbEngine } from './db/engine'
import { Store, type Doc } from './db/store'
import { Faults } from './faults'
import { FunctionPool } from './functions/pool'
import { TimerService } from './functions/timers'
import { adminRoute } from './http/admin'
import { consoleRoute } from './http/console'
import { functionsRoute } from './http/functions'
import { clockRoute } from './http/clock'
import { messagesRoute } from './http/messages'
import { staticRoute } from './http/static'
import { storageRoute } from './http/storage'
import { timersRoute } from './http/timers'
import { createMessageService } from './messages/center'
import { BUILD_FUNCTIONS, BUILD_H5 } from './paths'
import type { CollectionDeclaration, ProductOptions } from './product'
import { createServer } from './server'
import { StorageService } from './storage/service'

export interface LocalCloudOptions extends ProductOptions {
  /** 0 picks a free port. */
  port?: number
  host?: string
  dataDir: string
  envId?: string
  appId?: string
  functionsDir?: string
  staticDir?: string
  /** Load the collections' seed into a fresh database (default true). */
  seed?: boolean
  /** Fire timer triggers on schedule (default true); they can always be fired on demand. */
  timers?: boolean
  /** How long a transaction may stay open before it is rolled back (default 60 s). */
  transactionLifetimeMs?: number
  verbose?: boolean
  /**
   * Start one instance of every function before resolving (after the server listens), so the
   * first calls find them loaded (default false: tests start many clouds and call few functions).
   */
  warmUp?: boolean
}

export interface LocalCloud extends CloudServices {
  timers: TimerService
  url: string
  port: number
  /**
   * After the functions were rebuilt (`npm run dev` calls it): retires every instance, reads the
   * timer triggers again, and warms the new bundles when the cloud was started with `warmUp`.
   * Returns the timer triggers it had to ignore. (A call finding a rebuilt bundle recycles its
   * function's instances anyway; this also catches new functions and changed triggers.)
   */
  refreshFunctions(): Promise<string[]>
  close(): Promise<void>
}

const MAX_LOG = 2000

export function applyCollections(
  store: Store,
  collections: readonly CollectionDeclaration[],
  seed: boolean
): void {
  for (const spec of collections) store.ensureCollection(spec.name, [...(spec.indexes ?? [])])
  if (seed && store.getMeta('seeded') === undefined) {
    for (const spec of collections) {
      store.commit(
        (spec.seed ?? []).map((doc) => ({
          coll: spec.name,
          id: (doc as Doc)._id,
          doc: structuredClone(doc) as Doc
        }))
      )
    }
    store.setMeta('seeded', new Date().toISOString())
  }
}

/**
 * Secrets the functions read from their environment, as set in the WeChat console for a real
 * deployment; locally generated once per data folder and kept there (a name added later is
 * generated then; values already kept never change).
 */
export function localSecrets(dataDir: string, names: readonly string[]): Record<string, string> {
  const file = path.join(dataDir, 'function-secrets.json')
  const kept = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>)
    : {}
  const missing = names.filter((n) => typeof kept[n] !== 'string')
  if (missing.length === 0) return kept
  const secrets = { ...kept }
  for (const name of missing) secrets[name] = randomBytes(32).toString('base64')
  fs.mkdirSync(dataDir, { recursive: true })
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 })
  return secrets
}

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const envId = options.envId ?? 'local-dev'
  const appId = options.appId ?? 'wx-local-app'
  const clock = new Clock()
  const collections = options.collections ?? []
  const store = new Store(path.join(options.dataDir, 'cloud.sqlite'))
  applyCollections(store, collections, options.seed ?? true)
  const engine = new DbEngine(store, {
    now: () => clock.now(),
    transactionLifetimeMs: options.transactionLifetimeMs
  })
  const invocations: InvocationLog[] = []

  const instanceEnv: Record<string, string> = {
    // Function secrets (set per function in the cloud console on WeChat), generated per data folder.
    ...localSecrets(options.dataDir, options.functionSecrets ?? []),
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    // wx-server-sdk crashes on a failed request without credentials; the local cloud ignores them.
    TENCENTCLOUD_SECRETID: 'local-cloud',
    TENCENTCLOUD_SECRETKEY: 'local-cloud',
    TCB_ENV: envId,
    WX_APPID: appId,
    // As in the cloud runtime: without these the SDK probes Tencent Cloud's metadata server before
    // every database call (two 30 ms time-outs and DNS queries leaving the machine).
    TENCENTCLOUD_RUNENV: 'SCF',
    TENCENTCLOUD_REGION: 'ap-shanghai'
  }
  let adminBase = ''
  const pool = new FunctionPool({
    functionsDir: options.functionsDir ?? BUILD_FUNCTIONS,
    env: instanceEnv,
    clockOffset: () => clock.offset,
    adminUrl: (fn) => `${adminBase}/fn/${encodeURIComponent(fn)}`,
    onLog: options.verbose ? (fn, line) => console.log(`[${fn}] ${line}`) : undefined
  })
  const faults = new Faults()
  const messages = createMessageService({
    store,
    clock,
    envId,
    functionConfig: (fn) => pool.config(fn),
    injectedFailure: (fn, api) => faults.takeSendFailure(fn, api)
  })
  const storage = new StorageService({
    dataDir: options.dataDir,
    databaseFile: store.file,
    clock,
    envId,
    acl: options.storage?.acl,
    maxFileBytes: options.storage?.maxFileBytes
  })
  const services: CloudServices = {
    envId,
    appId,
    appName: options.appName ?? '小程序',
    collections,
    accounts: options.accounts ?? [],
    store,
    engine,
    pool,
    clock,
    messages,
    storage,
    faults,
    invocations,
    recordInvocation(entry) {
      invocations.push(entry)
      if (invocations.length > MAX_LOG) invocations.splice(0, invocations.length - MAX_LOG)
    }
  }
  const timers = new TimerService(services)
  for (const problem of timers.load()) console.warn(`[local-cloud] timer trigger ignored: ${problem}`)
  const routes = [
    functionsRoute(services),
    adminRoute(services, messages.openApi),
    storageRoute(storage),
    timersRoute(timers),
    clockRoute(clock),
    consoleRoute(services),
    messagesRoute(messages, { appName: services.appName, accounts: services.accounts })
  ]
  const server = createServer(services, routes, staticRoute(options.staticDir ?? BUILD_H5))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`
  // Instances start after this (on demand, or warmed now): the SDK in each one talks to this server.
  adminBase = `http://127.0.0.1:${port}/admin`
  if (options.warmUp) await pool.warmUp()
  if (options.timers ?? true) timers.start()

  return {
    ...services,
    timers,
    url,
    port,
    async refreshFunctions() {
      pool.recycle()
      const problems = timers.load()
      if (options.warmUp) await pool.warmUp()
      return problems
    },
    async close() {
      timers.stop()
      await pool.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections?.()
      messages.close()
      storage.close()
      store.close()
    }
  }
}
