/**
 * 急事求助 through the local cloud: submit-to-alert latency p50/p99 — from a resident's POST
 * /api/functions/requests submit until the on-duty officer's alert is delivered (the local cloud's
 * sent messages show it) — and the officer subpackage size against its budget.
 */
import path from 'node:path'
import { startLocalCloud } from '../../local-cloud/cloud'
import { productCloudOptions } from '../lib/product-cloud'
import { templateIdOf } from '../../types/templates'
import { onDutyAllDay } from '../../tests/helpers/roster'
import { buildFunctions } from '../lib/build-functions'
import { kb, weappSizes, BUDGETS } from '../lib/sizes'
import { BENCH_DATA, fmt, line, percentile } from './common'

const SUBMITS = 60
const STATION = 'st-yunxi-chengguan'
const OFFICER = 'demo-officer-li'

export async function benchRequests(): Promise<void> {
  await buildFunctions()
  const cloud = await startLocalCloud({
    ...productCloudOptions(),
    dataDir: path.join(BENCH_DATA, `requests-${Date.now()}`),
    timers: false
  })
  try {
    // An officer on duty around the clock, with a long-term alert grant.
    onDutyAllDay(cloud, STATION, ['staff-officer-li'], cloud.clock.now())
    const id = templateIdOf('officerAlert', cloud.envId)
    const granted = await fetch(`${cloud.url}/api/local/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-local-openid': OFFICER },
      body: JSON.stringify({ tmplIds: [id], answers: { [id]: 'accept' }, keep: false })
    })
    if (!granted.ok) throw new Error(`grant: ${granted.status}`)

    const delivered = () =>
      cloud.messages.list({ touser: OFFICER, limit: 10_000 }).filter((m) => m.errCode === 0).length
    const submit = async (i: number) => {
      const res = await fetch(`${cloud.url}/api/functions/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-local-openid': `bench-resident-${i}` },
        body: JSON.stringify({
          action: 'submit',
          payload: {
            requestId: `benchrq${i.toString(36).padStart(6, '0')}`,
            kind: 'emergency',
            category: 'temp_id_medical',
            description: '急需就医，需要临时身份证',
            contactName: '测试',
            mobile: '13800000000',
            stationId: STATION
          }
        })
      })
      const body = (await res.json()) as { ok?: boolean; error?: { code: string } }
      if (!body.ok) throw new Error(`submit: ${body.error?.code ?? res.status}`)
    }
    await submit(-1) // warm the instances
    const latencies: number[] = []
    for (let i = 0; i < SUBMITS; i++) {
      const before = delivered()
      const t = performance.now()
      await submit(i)
      while (delivered() <= before) {
        if (performance.now() - t > 10_000) throw new Error('no alert delivered within 10 s')
        await new Promise((resolve) => setTimeout(resolve, 2))
      }
      latencies.push(performance.now() - t)
    }
    latencies.sort((a, b) => a - b)
    console.log(
      `急事求助 through POST /api/functions/requests (${SUBMITS} submits one at a time, warm instances, 1 officer on duty)`
    )
    line(
      'submit-to-alert latency p50 / p99',
      `${fmt(percentile(latencies, 50))} ms / ${fmt(percentile(latencies, 99))} ms`
    )
  } finally {
    await cloud.close()
  }
  try {
    const officer = weappSizes().subpackages.officer
    line(
      'officer subpackage (budget 2 MB)',
      officer === undefined ? 'not in app.json' : `${kb(officer)} (budget ${kb(BUDGETS.subpackageBytes)})`
    )
  } catch (err) {
    line('officer subpackage', `not built (${(err as Error).message})`)
  }
}
