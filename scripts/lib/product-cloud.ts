/**
 * 户政便民 on the local cloud: the product's specifics the local cloud is given as options (it
 * imports nothing of the product) — the collections with their indexes and demo seed, the demo
 * accounts' labels, the function secrets, the app's name — and the demo on-call rota topped up at
 * each start. One place for `npm start`, `npm run dev` and the tests (tests/helpers/cloud.ts,
 * tests/helpers/cloud-process.ts), so they all run the same product.
 */
import path from 'node:path'
import { collections } from '../../database/collections'
import { calendarYears } from '../../database/seed/calendar'
import { demoHistory, historyChanges } from '../../database/seed/history'
import { demoRosterDays } from '../../database/seed/roster'
import { services } from '../../database/seed/services'
import { DEMO_ACCOUNTS, staff } from '../../database/seed/staff'
import { DEMO_STATION_ID, stations } from '../../database/seed/stations'
import { storageRule } from '../../database/storage'
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
    functionSecrets: FUNCTION_SECRETS,
    storage: storageRule
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

/** The store's note that the demo year was loaded (or deliberately not): it is never loaded twice. */
export const HISTORY_META = 'demoHistory'

/** Collections that hold what residents and staff did: any document there means the folder is in use. */
const ACTIVITY = ['appointments', 'requests', 'ratings', 'followUps', 'questions', 'feedback'] as const

/**
 * Two years of fictional history for the demo station (database/seed/history.ts), loaded once into a
 * data folder nobody has used yet: one batch through the store, as the seed is, then noted in the
 * store's meta so no later start loads it again. A folder that already holds bookings, ratings or
 * requests keeps what it has (noted too). Returns what it did, for the starter to print.
 */
/** How far back the demo history goes. */
export const DEMO_HISTORY_DAYS = 730

export function loadDemoHistory(
  cloud: Pick<LocalCloud, 'store' | 'clock'>,
  options: { days?: number } = {}
): { loaded: true; documents: number; ms: number } | { loaded: false; reason: 'done before' | 'in use' } {
  const { store } = cloud
  if (store.getMeta(HISTORY_META) !== undefined) return { loaded: false, reason: 'done before' }
  if (ACTIVITY.some((c) => store.hasCollection(c) && store.count(c) > 0)) {
    store.setMeta(HISTORY_META, `skipped ${new Date(cloud.clock.now()).toISOString()}: the folder was in use`)
    return { loaded: false, reason: 'in use' }
  }
  const started = performance.now()
  const station = stations.find((s) => s._id === DEMO_STATION_ID)
  if (!station) throw new Error('demo history: the demo station is missing from the seed')
  const history = demoHistory({
    station,
    calendarYears,
    staff,
    services,
    now: new Date(cloud.clock.now()),
    // Two years, so the dashboard's "same period last year" has a year to compare with.
    days: options.days ?? DEMO_HISTORY_DAYS
  })
  const changes = historyChanges(history)
  store.commit(changes.map((c) => ({ coll: c.coll, id: c.id, doc: c.doc })))
  store.setMeta(
    HISTORY_META,
    `loaded ${new Date(cloud.clock.now()).toISOString()}: ${changes.length} documents`
  )
  return { loaded: true, documents: changes.length, ms: Math.round(performance.now() - started) }
}

export interface DemoCloudSettings {
  port: number
  host: string
  dataDir: string
  /** An ISO instant to move the cloud's clock to (LOCAL_CLOUD_CLOCK). */
  clock?: string
  verbose: boolean
  /** Load the demo year into a fresh data folder (LOCAL_CLOUD_HISTORY=0 turns it off). */
  history: boolean
}

/** PORT, HOST, LOCAL_CLOUD_DATA, LOCAL_CLOUD_CLOCK, LOCAL_CLOUD_VERBOSE and LOCAL_CLOUD_HISTORY, with their defaults. */
export function demoCloudSettings(env: NodeJS.ProcessEnv = process.env): DemoCloudSettings {
  return {
    port: Number(env.PORT ?? 8686),
    host: env.HOST ?? '127.0.0.1',
    dataDir: path.resolve(env.LOCAL_CLOUD_DATA ?? path.join(ROOT, '.local-cloud')),
    clock: env.LOCAL_CLOUD_CLOCK || undefined,
    verbose: env.LOCAL_CLOUD_VERBOSE === '1',
    history: env.LOCAL_CLOUD_HISTORY !== '0'
  }
}

/**
 * The demo as `npm start` and `npm run dev` run it: demo data on first run, the clock where asked,
 * the demo year of history on a fresh folder (unless LOCAL_CLOUD_HISTORY=0), the rota topped up, every function warmed before the URL is printed (the first page a newcomer
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
  if (settings.history) {
    const history = loadDemoHistory(cloud)
    if (history.loaded)
      console.log(
        `Demo history: two years of the demo station loaded (${history.documents} documents, ${history.ms} ms).`
      )
  }
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
