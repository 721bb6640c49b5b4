/**
 * The local cloud runs functions as WeChat's cloud does: the caller's identity per invocation
 * from the platform, warm instances keeping module state, the runtime in UTC, and a function
 * that throws, crashes or overruns its time limit failing alone without taking the cloud down.
 */
import { callFunction, freshCloud } from '../helpers/cloud'
import { FIXTURE_FUNCTIONS_BUILD } from '../helpers/paths'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

interface WhoAmI {
  OPENID: string
  APPID: string
  ENV: string
  userInfo: { openId: string; appId: string }
  invocations: number
  tz: string
  now: number
  date: string
}

beforeAll(async () => {
  cloud = await freshCloud({
    functionsDir: FIXTURE_FUNCTIONS_BUILD,
    envId: 'test-env',
    appId: 'wx-test-app',
    seed: false
  })
})

afterAll(async () => {
  await cloud.close()
})

test('each invocation sees its own caller, even when many run at once', async () => {
  const callers = Array.from({ length: 24 }, (_, i) => `resident-${i}`)
  const results = await Promise.all(
    callers.map((openid) => callFunction<WhoAmI>(cloud, 'whoami', {}, openid))
  )
  results.forEach((res, i) => {
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ OPENID: callers[i], APPID: 'wx-test-app', ENV: 'test-env' })
    expect(res.body.userInfo).toEqual({ openId: callers[i], appId: 'wx-test-app' })
  })
})

test('a payload cannot claim to be someone else', async () => {
  const res = await callFunction<WhoAmI>(
    cloud,
    'whoami',
    { userInfo: { openId: 'the-supervisor', appId: 'x' } },
    'resident-a'
  )
  expect(res.body.OPENID).toBe('resident-a')
  expect(res.body.userInfo.openId).toBe('resident-a')
})

test('functions run in UTC, as on the cloud, whatever the host zone', async () => {
  const res = await callFunction<WhoAmI>(cloud, 'whoami', {})
  expect(res.body.tz).toBe('UTC')
})

test("functions read the local cloud's clock, which tests can move", async () => {
  const target = Date.UTC(2030, 0, 15, 1, 0, 0)
  cloud.clock.set(target)
  try {
    const res = await callFunction<WhoAmI>(cloud, 'whoami', {})
    expect(Math.abs(res.body.now - target)).toBeLessThan(5000)
    expect(res.body.date.slice(0, 13)).toBe('2030-01-15T01')
  } finally {
    cloud.clock.reset()
  }
  const after = await callFunction<WhoAmI>(cloud, 'whoami', {})
  expect(Math.abs(after.body.now - Date.now())).toBeLessThan(5000)
})

test('a warm instance keeps its module state between invocations', async () => {
  const first = await callFunction<WhoAmI>(cloud, 'whoami', {})
  const second = await callFunction<WhoAmI>(cloud, 'whoami', {})
  expect(second.body.invocations).toBeGreaterThan(1)
  expect(second.body.invocations).toBeGreaterThanOrEqual(first.body.invocations)
})

test('a function that throws fails with the cloud error, and the cloud keeps serving', async () => {
  const res = await callFunction<{ errCode: number; errMsg: string }>(cloud, 'whoami', { mode: 'throw' })
  expect(res.status).toBe(500)
  expect(res.body.errCode).toBe(-504002)
  expect(res.body.errMsg).toContain('boom on purpose')
  expect((await callFunction(cloud, 'whoami', {})).status).toBe(200)
})

test('an instance that dies mid-call fails that call only', async () => {
  const res = await callFunction<{ errCode: number }>(cloud, 'whoami', { mode: 'exit' })
  expect(res.status).toBe(500)
  expect(res.body.errCode).toBe(-504002)
  expect((await callFunction(cloud, 'whoami', {})).status).toBe(200)
})

test("a call past the function's time limit (config.json timeout) is cut off", async () => {
  const started = Date.now()
  const res = await callFunction<{ errCode: number; errMsg: string }>(cloud, 'slow', {
    mode: 'sleep',
    ms: 5000
  })
  expect(res.status).toBe(500)
  expect(res.body.errCode).toBe(-504003)
  expect(res.body.errMsg).toMatch(/timed out after 1 seconds/)
  expect(Date.now() - started).toBeLessThan(4500)
  const ok = await callFunction<WhoAmI>(cloud, 'slow', { mode: 'sleep', ms: 10 })
  expect(ok.status).toBe(200)
})

test('the function log records each invocation with its outcome and no payload', async () => {
  const before = cloud.invocations.length
  await callFunction(cloud, 'whoami', { mode: 'throw', secret: '110101199003077777' })
  const entry = cloud.invocations[cloud.invocations.length - 1]
  expect(cloud.invocations.length).toBe(before + 1)
  expect(entry).toMatchObject({ fn: 'whoami', ok: false, errCode: -504002 })
  expect(JSON.stringify(entry)).not.toContain('110101199003077777')
})
