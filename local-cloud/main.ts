/**
 * `npm start` lands here (after scripts/start.mjs has built what was missing).
 * PORT (default 8686) and LOCAL_CLOUD_DATA (default ./.local-cloud) are honoured.
 */
import path from 'node:path'
import { demoRosterDays } from '../database/seed/roster'
import { addDays, localDate } from '../types/time'
import { startLocalCloud, type LocalCloud } from './cloud'
import { parseInstant } from './http/clock'
import { ROOT } from './paths'

/** The demo's on-call rota for the coming weeks, from yesterday (a night shift runs into today); days already rostered are kept. */
function topUpDemoRota(cloud: LocalCloud): number {
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

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8686)
  const dataDir = path.resolve(process.env.LOCAL_CLOUD_DATA ?? path.join(ROOT, '.local-cloud'))
  const cloud = await startLocalCloud({
    port,
    host: process.env.HOST ?? '127.0.0.1',
    dataDir,
    verbose: process.env.LOCAL_CLOUD_VERBOSE === '1'
  })
  if (process.env.LOCAL_CLOUD_CLOCK) {
    const at = parseInstant(process.env.LOCAL_CLOUD_CLOCK)
    if (at === null)
      throw new Error(
        'LOCAL_CLOUD_CLOCK: give an ISO instant with a date and a time, e.g. 2026-12-06T22:00+08:00'
      )
    cloud.clock.set(at)
  }
  const rostered = topUpDemoRota(cloud)
  if (rostered) console.log(`Demo on-call rota: ${rostered} day(s) added, someone on call at every hour.`)
  console.log(`户政便民 local cloud is running.
  App (H5):   ${cloud.url}/
  Functions:  POST ${cloud.url}/api/functions/<name>   (header X-Local-OpenId = caller)
  Console:    ${cloud.url}/console
  Messages:   ${cloud.url}/inbox   (subscription messages and text messages sent)
  Clock:      ${new Date(cloud.clock.now() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')} Shanghai (POST ${cloud.url}/api/local/clock {"at": "…"} moves it)
  Data:       ${dataDir}
Press Ctrl+C to stop.`)
  const stop = (): void => {
    void cloud.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
