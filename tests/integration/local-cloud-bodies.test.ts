/**
 * The local cloud survives any body: a call's body over the platform's limit (100 KB) gets 413
 * EXCEED_MAX_PAYLOAD_SIZE, JSON nested deeper than 64 levels gets 400 before anything is invoked,
 * and a reply (or an event) the instance channel cannot serialise fails that call alone with
 * -504002. After each bad input a normal call is made, and calls in flight finish.
 */
import { callFunction, freshCloud } from '../helpers/cloud'
import { FIXTURE_FUNCTIONS_BUILD } from '../helpers/paths'
import { MAX_EVENT_BYTES, MAX_JSON_DEPTH } from '../../local-cloud/http/util'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

interface CloudError {
  errCode: number | string
  errMsg: string
  code?: string
}

beforeAll(async () => {
  cloud = await freshCloud({ functionsDir: FIXTURE_FUNCTIONS_BUILD, seed: false, timers: false })
})

afterAll(async () => {
  await cloud.close()
})

/** A normal call right after: the cloud, the pool and the function still answer. */
async function stillServing(): Promise<void> {
  const res = await callFunction<{ OPENID: string }>(cloud, 'whoami', {}, 'resident-after')
  expect(res.status).toBe(200)
  expect(res.body.OPENID).toBe('resident-after')
  expect((await fetch(`${cloud.url}/api/health`)).status).toBe(200)
}

/** `{"a": [[[…]]]}` with `levels` levels in all (the outer object counts as one). */
function nested(levels: number): string {
  const arrays = levels - 1
  return `{"a":${'['.repeat(arrays)}${']'.repeat(arrays)}}`
}

describe('size', () => {
  test('a body just under 100 KB is a call; one byte over gets 413 EXCEED_MAX_PAYLOAD_SIZE', async () => {
    const frame = '{"pad":""}'.length
    const under = JSON.stringify({ pad: 'x'.repeat(MAX_EVENT_BYTES - frame) })
    expect(Buffer.byteLength(under)).toBe(MAX_EVENT_BYTES)
    expect((await callFunction(cloud, 'whoami', under)).status).toBe(200)

    const over = JSON.stringify({ pad: 'x'.repeat(MAX_EVENT_BYTES - frame + 1) })
    const res = await callFunction<CloudError>(cloud, 'whoami', over)
    expect(res.status).toBe(413)
    expect(res.body).toMatchObject({ errCode: 413, code: 'EXCEED_MAX_PAYLOAD_SIZE' })
    await stillServing()
  })

  test('multi-byte text counts in bytes (UTF-8), not characters', async () => {
    const res = await callFunction<CloudError>(cloud, 'whoami', JSON.stringify({ pad: '户'.repeat(40_000) })) // 120,000 bytes
    expect(res.status).toBe(413)
    await stillServing()
  })

  test('a 5 MB body gets 413 without being read into memory', async () => {
    const before = process.memoryUsage().rss
    const res = await callFunction<CloudError>(
      cloud,
      'whoami',
      JSON.stringify({ pad: 'x'.repeat(5 * 1024 * 1024) })
    )
    expect(res.status).toBe(413)
    expect(res.body.code).toBe('EXCEED_MAX_PAYLOAD_SIZE')
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024)
    await stillServing()
  })

  test('a streamed body without Content-Length is cut off at the limit too', async () => {
    const chunk = new TextEncoder().encode(`"${'y'.repeat(16 * 1024)}",`)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"list":['))
        if (sent++ < 20) controller.enqueue(chunk)
        else {
          controller.enqueue(new TextEncoder().encode('""]}'))
          controller.close()
        }
      }
    })
    const res = await fetch(`${cloud.url}/api/functions/whoami`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half'
    } as RequestInit)
    expect(res.headers.get('content-length')).not.toBeNull()
    expect(res.status).toBe(413)
    expect(((await res.json()) as CloudError).code).toBe('EXCEED_MAX_PAYLOAD_SIZE')
    await stillServing()
  })
})

describe('depth', () => {
  test(`${MAX_JSON_DEPTH} levels are a call; ${MAX_JSON_DEPTH + 1} get 400`, async () => {
    expect((await callFunction(cloud, 'whoami', nested(MAX_JSON_DEPTH))).status).toBe(200)
    const res = await callFunction<CloudError>(cloud, 'whoami', nested(MAX_JSON_DEPTH + 1))
    expect(res.status).toBe(400)
    expect(res.body.errMsg).toContain(String(MAX_JSON_DEPTH))
    await stillServing()
  })

  test('a 10 KB body of ~5,000 nested brackets gets 400, and a call in flight finishes', async () => {
    const before = cloud.invocations.length
    const inFlight = callFunction<{ OPENID: string }>(
      cloud,
      'whoami',
      { mode: 'sleep', ms: 400 },
      'resident-in-flight'
    )
    await new Promise((r) => setTimeout(r, 100))
    const res = await callFunction<CloudError>(cloud, 'whoami', nested(5000))
    expect(res.status).toBe(400)
    const done = await inFlight
    expect(done.status).toBe(200)
    expect(done.body.OPENID).toBe('resident-in-flight')
    // Nothing was invoked for the refused body: only the call in flight.
    expect(cloud.invocations.slice(before).map((i) => i.caller)).toEqual(['re…ht'])
    await stillServing()
  })

  test('brackets inside strings do not count; objects count like arrays', async () => {
    expect(
      (await callFunction(cloud, 'whoami', JSON.stringify({ text: '['.repeat(5000) + '\\"{{{' }))).status
    ).toBe(200)
    const objects = `${'{"a":'.repeat(MAX_JSON_DEPTH + 1)}1${'}'.repeat(MAX_JSON_DEPTH + 1)}`
    expect((await callFunction(cloud, 'whoami', objects)).status).toBe(400)
    await stillServing()
  })

  test("the local cloud's other JSON routes refuse deep bodies too", async () => {
    const res = await fetch(`${cloud.url}/api/local/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-local-openid': 'resident-a' },
      body: nested(5000)
    })
    expect(res.status).toBe(400)
    await stillServing()
  })

  test('a malformed path escape is a 400, not an internal error', async () => {
    const res = await fetch(`${cloud.url}/api/functions/%E0%A4%A`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(400)
    await stillServing()
  })
})

describe('replies and events the channel cannot serialise', () => {
  test.each([
    ['a BigInt', 'bigint'],
    ['a cyclic object', 'cycle'],
    ['a structure too deep to stringify', 'deep']
  ])('a reply holding %s fails that call with -504002; the next call succeeds', async (_what, mode) => {
    const res = await callFunction<CloudError>(cloud, 'whoami', { mode })
    expect(res.status).toBe(500)
    expect(res.body.errCode).toBe(-504002)
    expect(res.body.errMsg).toContain('cannot be serialised')
    await stillServing()
  })

  test('several at once fail alone while good calls beside them succeed', async () => {
    const results = await Promise.all(
      ['bigint', 'cycle', 'deep', undefined, 'bigint', undefined].map((mode) =>
        callFunction<CloudError>(cloud, 'whoami', mode ? { mode } : {})
      )
    )
    expect(results.map((r) => r.status)).toEqual([500, 500, 500, 200, 500, 200])
    await stillServing()
  })

  test('an event the channel cannot send fails that invocation only (the pool keeps its instance)', async () => {
    let deep: unknown[] = []
    for (let i = 0; i < 200_000; i++) deep = [deep]
    const wx = { OPENID: 'resident-x', APPID: 'wx-local', ENV: 'local', SOURCE: 'wx_client' }
    const outcome = await cloud.pool.invoke('whoami', { deep }, wx)
    expect(outcome).toMatchObject({ ok: false, errCode: -504002 })
    const big = await cloud.pool.invoke('whoami', { n: BigInt(1) }, wx)
    expect(big).toMatchObject({ ok: false, errCode: -504002 })
    const next = await cloud.pool.invoke('whoami', {}, wx)
    expect(next).toMatchObject({ ok: true, result: { OPENID: 'resident-x' } })
    await stillServing()
  })
})
