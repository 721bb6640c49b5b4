/**
 * The local cloud's clock can be moved from outside (POST /api/local/clock), so that anyone can try
 * a journey at an awkward hour on `npm start`: the functions see the new time at once.
 */
import { callFunction, freshCloud } from '../helpers/cloud'
import { FIXTURE_FUNCTIONS_BUILD } from '../helpers/paths'

let cloud: Awaited<ReturnType<typeof freshCloud>>

beforeAll(async () => {
  cloud = await freshCloud({ functionsDir: FIXTURE_FUNCTIONS_BUILD, seed: false, timers: false })
})

afterAll(async () => {
  await cloud.close()
})

const post = (body: unknown) =>
  fetch(`${cloud.url}/api/local/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })

test('moved to Sunday 22:00 Shanghai time, the functions see that time; reset brings the host time back', async () => {
  const res = await post({ at: '2026-12-06T22:00+08:00' })
  expect(res.status).toBe(200)
  // The clock runs on from the moment it was set: the reply reads it a moment later.
  const moved = (await res.json()) as { now: string; shanghai: string }
  expect(moved.shanghai).toBe('2026-12-06 22:00')
  expect(Date.parse(moved.now) - Date.parse('2026-12-06T14:00:00Z')).toBeGreaterThanOrEqual(0)
  expect(Date.parse(moved.now) - Date.parse('2026-12-06T14:00:00Z')).toBeLessThan(60_000)
  const seen = (await callFunction<{ date: string }>(cloud, 'whoami', {}, 'someone')).body.date
  expect(Date.parse(seen) - Date.parse('2026-12-06T14:00:00Z')).toBeLessThan(60_000)
  expect(Date.parse(seen)).toBeGreaterThanOrEqual(Date.parse('2026-12-06T14:00:00Z'))

  await post({ reset: true })
  const now = (await (await fetch(`${cloud.url}/api/local/clock`)).json()) as { offsetMs: number }
  expect(now.offsetMs).toBe(0)
})

test('a time without a date and an hour is refused with 400 and the clock stays where it was', async () => {
  await post({ at: '2026-12-06T08:00:00Z' })
  for (const at of ['2026-12-06', 'tomorrow', 42]) expect((await post({ at })).status).toBe(400)
  expect(
    ((await (await fetch(`${cloud.url}/api/local/clock`)).json()) as { now: string }).now.slice(0, 16)
  ).toBe('2026-12-06T08:00')
  await post({ reset: true })
})
