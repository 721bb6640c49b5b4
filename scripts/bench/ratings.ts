/**
 * 好差评 at a county window's scale and beyond: 100,000 ratings over a year in the local cloud,
 * then the supervisor's `rollup` for the whole year (every station-day recomputed from the raw
 * documents and saved), a second run (the same result), and the dashboard for the year reading
 * the rollups. Also the supervisor subpackage size (the dashboard draws its charts with views).
 */
import path from 'node:path'
import { startLocalCloud } from '../../local-cloud/cloud'
import { productCloudOptions } from '../lib/product-cloud'
import { LEVEL_SCORE, LEVEL_TEXT, type RatingLevel } from '../../types/ratings'
import { addDays, instantAt, localDateTime } from '../../types/time'
import { buildFunctions } from '../lib/build-functions'
import { kb, weappSizes, BUDGETS } from '../lib/sizes'
import { BENCH_DATA, fmt, line } from './common'

const RATINGS = 100_000
const STATION = 'st-yunxi-chengguan'
const OFFICERS = [
  ['staff-officer-li', '李警官'],
  ['staff-leader-zhou', '周所长']
] as const
const SERVICES = ['户籍证明', '居民身份证换领', '出生登记', '户口迁入', '户籍信息更正']
/** A plausible spread: mostly good, a few bad. */
const WEIGHTS: [RatingLevel, number][] = [
  ['very_satisfied', 70],
  ['satisfied', 18],
  ['basic', 7],
  ['unsatisfied', 3],
  ['very_unsatisfied', 2]
]

function levelFor(i: number): RatingLevel {
  let x = (i * 7919) % 100
  for (const [level, w] of WEIGHTS) {
    if (x < w) return level
    x -= w
  }
  return 'very_satisfied'
}

export async function benchRatings(): Promise<void> {
  await buildFunctions()
  const cloud = await startLocalCloud({
    ...productCloudOptions(),
    dataDir: path.join(BENCH_DATA, `ratings-${Date.now()}`),
    timers: false
  })
  try {
    const t0 = performance.now()
    const BATCH = 5000
    for (let start = 0; start < RATINGS; start += BATCH) {
      cloud.store.commit(
        Array.from({ length: Math.min(BATCH, RATINGS - start) }, (_, k) => {
          const i = start + k
          const date = addDays('2026-01-01', i % 365)
          const at = new Date(instantAt(date, '09:00').getTime() + (i % 480) * 60_000)
          const level = levelFor(i)
          const [staffId, name] = OFFICERS[i % OFFICERS.length] as readonly [string, string]
          const id = `rt-bench-${i}`
          return {
            coll: 'ratings',
            id,
            doc: {
              _id: id,
              caseKind: 'appointment',
              caseId: `bench-${i}`,
              caseType: '预约办理',
              openid: `bench-${i % 5000}`,
              requestId: `bench${i}`,
              stationId: STATION,
              stationName: '城关派出所户政窗口',
              officerStaffId: staffId,
              officerName: name,
              serviceName: SERVICES[i % SERVICES.length],
              businessType: 'certificate',
              businessTypeText: '户籍证明',
              level,
              levelText: LEVEL_TEXT[level],
              score: LEVEL_SCORE[level],
              bad: LEVEL_SCORE[level] <= 2,
              tags: [],
              tagTexts: [],
              ratedAt: at,
              ratedAtLocal: localDateTime(at),
              ratedDate: date,
              finishedAt: at,
              excluded: false
            }
          }
        })
      )
    }
    const loadMs = performance.now() - t0
    const call = async (action: string, payload: unknown) => {
      const res = await fetch(`${cloud.url}/api/functions/rating`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-local-openid': 'demo-supervisor-chen' },
        body: JSON.stringify({ action, payload })
      })
      const body = (await res.json()) as {
        ok: boolean
        data?: unknown
        error?: { code: string; message: string }
      }
      if (!body.ok)
        throw new Error(
          `${action}: ${body.error?.code ?? res.status} ${body.error?.message ?? JSON.stringify(body)}`
        )
      return body.data
    }
    cloud.clock.set(Date.parse('2027-01-15T02:00:00Z'))
    const before = cloud.faults.requestCounts().rating ?? 0
    let t = performance.now()
    const first = (await call('rollup', { from: '2026-01-01', to: '2026-12-31' })) as {
      ratings: number
      days: number
    }
    const rollupMs = performance.now() - t
    const requests = (cloud.faults.requestCounts().rating ?? 0) - before
    const snapshot = () =>
      JSON.stringify(
        cloud.store.docs('ratingRollups').map(({ computedAt: _a, computedAtLocal: _b, ...d }) => d)
      )
    const once = snapshot()
    t = performance.now()
    await call('rollup', { from: '2026-01-01', to: '2026-12-31' })
    const againMs = performance.now() - t
    t = performance.now()
    const dash = (await call('dashboard', { from: '2026-01-01', to: '2026-12-31' })) as {
      overall: { total: number; satisfactionRate: number }
    }
    const dashMs = performance.now() - t
    console.log(
      `好差评 rollups (${RATINGS.toLocaleString('en')} ratings over 365 days, one station; loaded in ${fmt(loadMs / 1000)} s)`
    )
    line(
      'rollup of the year (365 station-days)',
      `${fmt(rollupMs / 1000)} s (${fmt(rollupMs / first.days)} ms a day, ${requests} database requests)`
    )
    line('ratings counted by the rollup', `${first.ratings.toLocaleString('en')}`)
    line('second run: same documents', `${snapshot() === once ? 'yes' : 'NO'} (${fmt(againMs / 1000)} s)`)
    line(
      'dashboard for the year from the rollups',
      `${fmt(dashMs)} ms (satisfaction ${dash.overall.satisfactionRate} % of ${dash.overall.total.toLocaleString('en')})`
    )
  } finally {
    await cloud.close()
  }
  try {
    const { subpackages } = weappSizes()
    line(
      'supervisor subpackage (platform limit 2 MB)',
      `${kb(subpackages.supervisor ?? 0)} (limit ${kb(BUDGETS.subpackageBytes)})`
    )
  } catch (err) {
    line('supervisor subpackage', `not built (${(err as Error).message})`)
  }
}
