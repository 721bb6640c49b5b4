/**
 * 取号与叫号 through the local cloud: numbers taken per second — 100 residents at once, and one at
 * a time — and what one poll costs: the database requests of `queue.status` and `queue.screen`
 * (counted by the local cloud) and their latency on a warm instance (docs/queue.md).
 */
import path from 'node:path'
import { startLocalCloud } from '../../local-cloud/cloud'
import { productCloudOptions } from '../lib/product-cloud'
import { buildFunctions } from '../lib/build-functions'
import { BENCH_DATA, fmt, line, percentile } from './common'

const STATION = 'st-yunxi-chengguan'
const CROWD = 100
const POLLS = 200

export async function benchQueue(): Promise<void> {
  await buildFunctions()
  const cloud = await startLocalCloud({
    ...productCloudOptions(),
    dataDir: path.join(BENCH_DATA, `queue-${Date.now()}`),
    timers: false
  })
  try {
    // A working Monday, 09:00 in Shanghai.
    cloud.clock.set(Date.parse('2026-12-28T09:00:00+08:00'))
    const call = async (action: string, payload: unknown, openid: string) => {
      const res = await fetch(`${cloud.url}/api/functions/queue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-local-openid': openid },
        body: JSON.stringify({ action, payload })
      })
      const body = (await res.json()) as {
        ok: boolean
        data?: { ticketId: string }
        error?: { code: string }
      }
      if (!body.ok) throw new Error(`${action}: ${body.error?.code ?? res.status}`)
      return body.data as { ticketId: string }
    }
    const take = (i: number, line: string) =>
      call(
        'take',
        { requestId: `benchq${line}${String(i).padStart(6, '0')}`, stationId: STATION, line },
        `bench-q-${i}`
      )

    await take(-1, 'B') // warm the instance
    let t = performance.now()
    await Promise.all(Array.from({ length: CROWD }, (_, i) => take(i, 'A')))
    const crowdMs = performance.now() - t
    t = performance.now()
    let last = { ticketId: '' }
    for (let i = 0; i < CROWD; i++) last = await take(i, 'B')
    const serialMs = performance.now() - t
    console.log(`取号 through POST /api/functions/queue (${CROWD} residents, warm instance)`)
    line(
      `${CROWD} at once (one line)`,
      `${fmt((CROWD / crowdMs) * 1000)} numbers/s (${fmt(crowdMs)} ms in all)`
    )
    line(`${CROWD} one after another`, `${fmt((CROWD / serialMs) * 1000)} numbers/s`)

    const poll = async (action: string, payload: unknown, openid: string) => {
      await call(action, payload, openid) // warm (the station is cached per instance)
      cloud.faults.resetCounts()
      const times: number[] = []
      for (let i = 0; i < POLLS; i++) {
        const s = performance.now()
        await call(action, payload, openid)
        times.push(performance.now() - s)
      }
      const requests = (cloud.faults.requestCounts().queue ?? 0) / POLLS
      times.sort((a, b) => a - b)
      return `${fmt(requests)} database request(s) a poll, p50 ${fmt(percentile(times, 50))} ms / p99 ${fmt(percentile(times, 99))} ms`
    }
    line(
      `queue.status, ${CROWD + 1} numbers in the line`,
      await poll('status', { ticketId: last.ticketId }, `bench-q-${CROWD - 1}`)
    )
    line('queue.screen, two lines', await poll('screen', { stationId: STATION }, ''))
  } finally {
    await cloud.close()
  }
}
