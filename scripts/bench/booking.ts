/**
 * Booking through the local cloud, as residents' phones call it: bookings per second, booking
 * latency p50/p99, the database requests one booking costs (what the cloud bills), and the
 * mini-program's main package size after the booking pages.
 * Run this part alone with `npx tsx scripts/bench/booking.ts`.
 */
import path from 'node:path'
import { startLocalCloud } from '../../local-cloud/cloud'
import { productCloudOptions } from '../lib/product-cloud'
import { buildFunctions } from '../lib/build-functions'
import { kb, weappSizes, BUDGETS } from '../lib/sizes'
import { BENCH_DATA, fmt, line, percentile } from './common'

const BOOKINGS = 150
const CONCURRENCY = 4

export async function benchBooking(): Promise<void> {
  await buildFunctions()
  const cloud = await startLocalCloud({
    ...productCloudOptions(),
    dataDir: path.join(BENCH_DATA, `booking-${Date.now()}`),
    timers: false
  })
  try {
    cloud.clock.set(Date.parse('2026-11-27T01:59:00Z'))
    const call = async (action: string, payload: unknown, openid: string) => {
      const res = await fetch(`${cloud.url}/api/functions/appointment`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-local-openid': openid },
        body: JSON.stringify({ action, payload })
      })
      const body = (await res.json()) as { ok?: boolean; error?: { code: string } }
      if (!body.ok) throw new Error(`${action}: ${body.error?.code ?? res.status}`)
    }
    // Warm the instances (and their one-minute caches of station, service and holiday table).
    await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) =>
        call('slots', { serviceId: 'svc-cert-hukou', date: '2026-12-01' }, `warm-${i}`)
      )
    )
    // Places: 7 working days × 13 window slots × 2 people.
    const days = [
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-07',
      '2026-12-08'
    ]
    const times = [
      '0830',
      '0900',
      '0930',
      '1000',
      '1030',
      '1100',
      '1130',
      '1430',
      '1500',
      '1530',
      '1600',
      '1630',
      '1700'
    ]
    const places = days.flatMap((d) =>
      times.flatMap((t) => [`st-yunxi-chengguan_${d}_${t}_window`, `st-yunxi-chengguan_${d}_${t}_window`])
    )
    cloud.faults.resetCounts()
    const latencies: number[] = []
    let next = 0
    const started = performance.now()
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < BOOKINGS; i = next++) {
          const t = performance.now()
          await call(
            'book',
            {
              requestId: `bench${i.toString(36).padStart(6, '0')}`,
              serviceId: 'svc-cert-hukou',
              slotId: places[i],
              applicant: { name: '测试', mobile: '13800000000', relation: 'self' },
              consent: true
            },
            `bench-resident-${i}`
          )
          latencies.push(performance.now() - t)
        }
      })
    )
    const seconds = (performance.now() - started) / 1000
    latencies.sort((a, b) => a - b)
    const requests = cloud.faults.requestCounts().appointment ?? 0
    console.log(
      `Booking through POST /api/functions/appointment (${BOOKINGS} bookings, ${CONCURRENCY} at a time, warm instances)`
    )
    line('bookings per second', fmt(BOOKINGS / seconds))
    line(
      'booking latency p50 / p99',
      `${fmt(percentile(latencies, 50))} ms / ${fmt(percentile(latencies, 99))} ms`
    )
    // What each of the 8 is: docs/booking-rules.md. Asserted in tests/integration/booking-faults.test.ts.
    line('database requests per booking, conflict retries included', fmt(requests / BOOKINGS, 2))
    // One booking alone on a warm instance, nobody racing it: the figure the budget is about.
    cloud.faults.resetCounts()
    await call(
      'book',
      {
        requestId: 'bench-alone',
        serviceId: 'svc-cert-hukou',
        slotId: places[BOOKINGS],
        applicant: { name: '测试', mobile: '13800000000', relation: 'self' },
        consent: true
      },
      'bench-resident-alone'
    )
    line(
      'database requests for one warm booking, alone (budget 8)',
      String(cloud.faults.requestCounts().appointment ?? 0)
    )
  } finally {
    await cloud.close()
  }
  try {
    const { main } = weappSizes()
    line('mini-program main package', `${kb(main)} (budget ${kb(BUDGETS.mainPackageBytes)})`)
  } catch (err) {
    line('mini-program main package', `not built (${(err as Error).message})`)
  }
}

if (require.main === module) {
  benchBooking().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err)
    process.exit(1)
  })
}
