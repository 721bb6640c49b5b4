/**
 * Timer triggers fire on schedule by the local cloud's clock, with the cloud's timer event and the
 * context the cloud gives a trigger (SOURCE wx_trigger, no OPENID, TRIGGER_SRC=timer), and can be
 * fired on demand. A call from the app is wx_client, whatever it sends.
 */
import { callFunction, freshCloud } from '../helpers/cloud'
import { FIXTURE_FUNCTIONS_BUILD } from '../helpers/paths'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

beforeAll(async () => {
  cloud = await freshCloud({ functionsDir: FIXTURE_FUNCTIONS_BUILD, seed: false, timers: false })
})

afterAll(async () => {
  await cloud.close()
})

test('config.json timer triggers are scheduled in UTC+8', () => {
  const ticker = cloud.timers.list().find((t) => t.fn === 'ticker')
  expect(ticker).toMatchObject({ trigger: 'everyDayAt2', cron: '0 0 2 * * * *' })
  // 02:00 in Shanghai is 18:00 UTC.
  expect(ticker?.next?.toISOString()).toMatch(/T18:00:00\.000Z$/)
})

test('a trigger fires when the cloud clock reaches it, once, with the timer event', async () => {
  cloud.clock.set(Date.parse('2026-12-01T17:59:59Z'))
  cloud.timers.load()
  const before = cloud.invocations.length
  await cloud.timers.tick()
  expect(cloud.invocations.length).toBe(before)

  cloud.clock.set(Date.parse('2026-12-01T18:00:01Z'))
  await cloud.timers.tick()
  await cloud.timers.tick()
  const fired = cloud.invocations.slice(before)
  expect(fired).toHaveLength(1)
  expect(fired[0]).toMatchObject({ fn: 'ticker', source: 'timer', ok: true, action: 'timer:everyDayAt2' })
  expect(
    cloud.timers
      .list()
      .find((t) => t.fn === 'ticker')
      ?.next?.toISOString()
  ).toBe('2026-12-02T18:00:00.000Z')
  cloud.clock.reset()
})

test('a trigger can be fired on demand over HTTP; the function sees no caller', async () => {
  const res = await fetch(`${cloud.url}/api/local/timers/ticker`, { method: 'POST' })
  expect(res.status).toBe(200)
  const outcome = (await res.json()) as {
    ok: boolean
    result: { event: Record<string, string>; OPENID: string }
  }
  expect(outcome.result.OPENID).toBe('')
  expect(outcome.result.event).toMatchObject({ Type: 'Timer', TriggerName: 'everyDayAt2', Message: '' })
  expect(outcome.result.event.Time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
})

test('a function without a trigger cannot be fired', async () => {
  const res = await fetch(`${cloud.url}/api/local/timers/whoami`, { method: 'POST' })
  expect(res.status).toBe(404)
})

test('a trigger invocation has SOURCE wx_trigger and TRIGGER_SRC=timer; an app call on the same warm instance has neither', async () => {
  type Seen = { OPENID: string; SOURCE: string; TRIGGER_SRC: string | null; event: Record<string, unknown> }
  const fired = (await (await fetch(`${cloud.url}/api/local/timers/ticker`, { method: 'POST' })).json()) as {
    result: Seen
  }
  expect(fired.result).toMatchObject({ OPENID: '', SOURCE: 'wx_trigger', TRIGGER_SRC: 'timer' })
  // An app call that dresses up as a timer, with or without a caller, is still an app call.
  for (const openid of ['demo-resident-wang', '']) {
    const called = await callFunction<Seen>(
      cloud,
      'ticker',
      { Type: 'Timer', TriggerName: 'everyDayAt2' },
      openid
    )
    expect(called.body).toMatchObject({ OPENID: openid, SOURCE: 'wx_client', TRIGGER_SRC: null })
  }
})
