/**
 * The demo year (database/seed/history.ts) as `npm start` loads it into a fresh data folder:
 * the time to make it, the time to write it through the store in one batch, and the wall and
 * CPU time of `loadDemoHistory` as a whole (docs/local-cloud.md, "The demo year").
 */
import fs from 'node:fs'
import path from 'node:path'
import { collections } from '../../database/collections'
import { calendarYears } from '../../database/seed/calendar'
import { demoHistory, historyChanges } from '../../database/seed/history'
import { services } from '../../database/seed/services'
import { staff } from '../../database/seed/staff'
import { DEMO_STATION_ID, stations } from '../../database/seed/stations'
import { applyCollections } from '../../local-cloud/cloud'
import { Store } from '../../local-cloud/db/store'
import { DEMO_HISTORY_DAYS, loadDemoHistory } from '../lib/product-cloud'
import { BENCH_DATA, fmt, line } from './common'

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since)
  return (u.user + u.system) / 1000
}

function freshStore(name: string): Store {
  const dir = path.join(BENCH_DATA, name)
  fs.rmSync(dir, { recursive: true, force: true })
  const store = new Store(path.join(dir, 'cloud.sqlite'))
  applyCollections(store, collections, true)
  return store
}

export function benchHistory(): void {
  console.log('Demo history, two years (npm start on a fresh data folder)')
  const station = stations.find((s) => s._id === DEMO_STATION_ID)
  if (!station) throw new Error('the demo station is missing')
  const now = new Date()

  let cpu = process.cpuUsage()
  let t = performance.now()
  const history = demoHistory({ station, calendarYears, staff, services, now, days: DEMO_HISTORY_DAYS })
  line('make the year', `${fmt(performance.now() - t)} ms (CPU ${fmt(cpuMs(cpu))} ms)`)
  const changes = historyChanges(history)
  const counts = Object.entries(history).map(([k, v]) => `${k} ${(v as unknown[]).length}`)
  line('documents', `${changes.length}: ${counts.join(', ')}`)

  const store = freshStore('history-commit')
  cpu = process.cpuUsage()
  t = performance.now()
  store.commit(changes.map((c) => ({ coll: c.coll, id: c.id, doc: c.doc })))
  line('write it (one store commit)', `${fmt(performance.now() - t)} ms (CPU ${fmt(cpuMs(cpu))} ms)`)
  store.close()

  const again = freshStore('history-load')
  cpu = process.cpuUsage()
  t = performance.now()
  loadDemoHistory({ store: again, clock: { now: () => now.getTime() } } as Parameters<
    typeof loadDemoHistory
  >[0])
  line('loadDemoHistory, first start', `${fmt(performance.now() - t)} ms (CPU ${fmt(cpuMs(cpu))} ms)`)
  t = performance.now()
  const second = loadDemoHistory({ store: again, clock: { now: () => now.getTime() } } as Parameters<
    typeof loadDemoHistory
  >[0])
  line(
    'second start',
    `${fmt(performance.now() - t, 2)} ms (${second.loaded ? 'loaded again!' : 'nothing loaded'})`
  )
  again.close()
}
