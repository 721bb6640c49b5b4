/**
 * Function invocations through POST /api/functions/<name>, as the app calls them: the local cloud
 * process's cold start, a function's cold start (first call: a new instance loads its bundle and
 * wx-server-sdk) and warm latency p50/p99 — with the test fixture `whoami`
 * (tests/fixtures/functions/whoami), built as the integration tests build it.
 */
import path from 'node:path'
import { buildFunctions } from '../lib/build-functions'
import { FIXTURE_FUNCTIONS_SRC } from '../../tests/helpers/paths'
import { BENCH_DATA, fmt, line, percentile, startCloudProcess, throughput } from './common'

const WARM_CALLS = 400

async function call(url: string, openid: string): Promise<number> {
  const started = performance.now()
  const res = await fetch(`${url}/api/functions/whoami`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-local-openid': openid },
    body: '{}'
  })
  await res.json()
  if (res.status !== 200) throw new Error(`whoami answered ${res.status}`)
  return performance.now() - started
}

export async function benchFunctions(): Promise<void> {
  const functionsDir = path.join(BENCH_DATA, 'functions-build')
  await buildFunctions(FIXTURE_FUNCTIONS_SRC, functionsDir)
  const starts: number[] = []
  const colds: number[] = []
  for (let i = 0; i < 3; i++) {
    const cloud = await startCloudProcess(`functions-${i}`, { functionsDir })
    starts.push(cloud.startMs)
    colds.push(await call(cloud.url, 'bench-user'))
    if (i < 2) {
      await cloud.stop()
      continue
    }
    try {
      console.log('Functions through POST /api/functions/whoami (local cloud process, fixture function)')
      line(
        'local cloud process start → listening (median of 3)',
        `${fmt(
          percentile(
            [...starts].sort((a, b) => a - b),
            50
          )
        )} ms`
      )
      line(
        'function cold start: first call (median of 3)',
        `${fmt(
          percentile(
            [...colds].sort((a, b) => a - b),
            50
          )
        )} ms`
      )
      for (let w = 0; w < 20; w++) await call(cloud.url, 'bench-user')
      const warm: number[] = []
      for (let w = 0; w < WARM_CALLS; w++) warm.push(await call(cloud.url, `bench-user-${w % 7}`))
      warm.sort((a, b) => a - b)
      line(
        `warm call, one at a time (${WARM_CALLS} calls) p50 / p99`,
        `${fmt(percentile(warm, 50), 1)} ms / ${fmt(percentile(warm, 99), 1)} ms`
      )
      const parallel = await throughput(() => call(cloud.url, 'bench-user'), { concurrency: 8, ms: 3000 })
      line('warm calls, 8 in flight (up to 4 instances)', `${fmt(parallel.perSecond)} calls/s`)
    } finally {
      await cloud.stop()
    }
  }
}
