/**
 * 户政便民 on the local cloud: the product's specifics the local cloud is given as options (it
 * imports nothing of the product) — the collections with their indexes and demo seed, the demo
 * accounts' labels, the function secrets, the app's name — and the demo on-call rota topped up at
 * each start. One place for `npm start`, `npm run dev` and the tests (tests/helpers/cloud.ts,
 * tests/helpers/cloud-process.ts), so they all run the same product.
 */
import path from 'node:path'
import { collections } from '../../database/collections'
import { demoRosterDays } from '../../database/seed/roster'
import { DEMO_ACCOUNTS } from '../../database/seed/staff'
import { startLocalCloud, type LocalCloud } from '../../local-cloud/cloud'
import { parseInstant } from '../../local-cloud/http/clock'
import { ROOT } from '../../local-cloud/paths'
import type { ProductOptions } from '../../local-cloud/product'
import { addDays, localDate } from '../../types/time'

export const APP_NAME = '户政便民'

/**
 * Secrets the functions read from their environment (set in the cloud console on WeChat):
 * HUKOU_DATA_KEY encrypts resident ID numbers (cloudfunctions/_shared/protect.ts).
 */
export const FUNCTION_SECRETS = ['HUKOU_DATA_KEY'] as const

/** What the local cloud needs to know of this product. */
export function productCloudOptions(): Required<ProductOptions> {
  return {
    appName: APP_NAME,
    collections,
    accounts: DEMO_ACCOUNTS.map((a) => ({ openid: a.openid, label: a.label })),
    functionSecrets: FUNCTION_SECRETS
  }
}

/**
 * The demo's on-call rota for the coming weeks, from yesterday (a night shift runs into today);
 * days already rostered are kept. Returns how many days it added.
 */
export function topUpDemoRota(cloud: LocalCloud): number {
  const missing = demoRosterDays(addDays(localDate(cloud.clock.now()), -1)).filter(
    (d) => !cloud.store.get('rosters', d._id)
  )
  cloud.store.commit(
    missing.map((d) => ({
      coll: 'rosters',
      id: d._id,
      doc: { ...d, updatedAt: new Date(cloud.clock.now()) }
    }))
  )
  return missing.length
}

export interface DemoCloudSettings {
  port: number
  host: string
  dataDir: string
  /** An ISO instant to move the cloud's clock to (LOCAL_CLOUD_CLOCK). */
  clock?: string
  verbose: boolean
}

/** PORT, HOST, LOCAL_CLOUD_DATA, LOCAL_CLOUD_CLOCK and LOCAL_CLOUD_VERBOSE, with their defaults. */
export function demoCloudSettings(env: NodeJS.ProcessEnv = process.env): DemoCloudSettings {
  return {
    port: Number(env.PORT ?? 8686),
    host: env.HOST ?? '127.0.0.1',
    dataDir: path.resolve(env.LOCAL_CLOUD_DATA ?? path.join(ROOT, '.local-cloud')),
    clock: env.LOCAL_CLOUD_CLOCK || undefined,
    verbose: env.LOCAL_CLOUD_VERBOSE === '1'
  }
}

/**
 * The demo as `npm start` and `npm run dev` run it: demo data on first run, the clock where asked,
 * the rota topped up, every function warmed before the URL is printed (the first page a newcomer
 * opens does not wait on cold starts).
 */
export async function startDemoCloud(settings: DemoCloudSettings): Promise<LocalCloud> {
  const at = settings.clock === undefined ? undefined : parseInstant(settings.clock)
  if (at === null)
    throw new Error(
      'LOCAL_CLOUD_CLOCK: give an ISO instant with a date and a time, e.g. 2026-12-06T22:00+08:00'
    )
  const cloud = await startLocalCloud({
    ...productCloudOptions(),
    port: settings.port,
    host: settings.host,
    dataDir: settings.dataDir,
    verbose: settings.verbose,
    warmUp: true
  })
  if (at !== undefined) cloud.clock.set(at)
  const rostered = topUpDemoRota(cloud)
  if (rostered) console.log(`Demo on-call rota: ${rostered} day(s) added, someone on call at every hour.`)
  return cloud
}

/** The lines printed once the demo is up. */
export function banner(cloud: LocalCloud, dataDir: string): string {
  const shanghai = new Date(cloud.clock.now() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
  return `${APP_NAME} local cloud is running.
  App (H5):   ${cloud.url}/
  Functions:  POST ${cloud.url}/api/functions/<name>   (header X-Local-OpenId = caller)
  Console:    ${cloud.url}/console
  Messages:   ${cloud.url}/inbox   (subscription messages and text messages sent)
  Clock:      ${shanghai} Shanghai (POST ${cloud.url}/api/local/clock {"at": "…"} moves it)
  Data:       ${dataDir}`
}

/** Closes the cloud on Ctrl+C or SIGTERM (then runs `after`, e.g. stopping watchers) and exits. */
export function closeOnSignal(cloud: LocalCloud, after: () => void = () => undefined): void {
  let closing = false
  const stop = (): void => {
    if (closing) return
    closing = true
    after()
    void cloud.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
