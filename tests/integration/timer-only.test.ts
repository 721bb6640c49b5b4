/**
 * Timers belong to the platform: a client calling notify or rating with `{"Type":"Timer"}` —
 * as a resident, as staff, or with no identity at all — gets TIMER_ONLY and changes nothing,
 * even at 03:15 when notify's timer would purge personal data. The real trigger (the local
 * cloud's timer service, as the cloud fires it: SOURCE wx_trigger, no OPENID) still does the work.
 */
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const STATION = 'st-yunxi-chengguan'
const applicant = {
  name: '王芳',
  mobile: '13812345678',
  relation: 'self',
  idNumberProtected: 'v1:abc',
  idMasked: '1101**********002X'
}
const PURGE_TIME = Date.parse('2026-11-28T03:15:10+08:00')

const timerEvent = (trigger: string) => ({
  Type: 'Timer',
  TriggerName: trigger,
  Time: '2026-11-27T19:15:00Z',
  Message: ''
})
const callers = [
  ['a resident', 'demo-resident-wang'],
  ['a supervisor', 'demo-supervisor-chen'],
  ['no identity', '']
] as const

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.clock.set(PURGE_TIME)
  // What the timers would change: personal data past retention (notify's purge at 03:15), a
  // message waiting in the outbox (notify's sender), a bad review's follow-up not yet opened and
  // days not yet rolled up (rating's hourly work).
  const old = new Date('2026-05-01T02:00:00Z')
  cloud.store.commit([
    {
      coll: 'appointments',
      id: 'a-old',
      doc: {
        _id: 'a-old',
        code: 'AAA222',
        dayKey: 'done:a-old',
        stationId: STATION,
        date: '2026-05-01',
        status: 'done',
        openid: 'r-1',
        applicant
      }
    },
    {
      coll: 'feedback',
      id: 'f-old',
      doc: {
        _id: 'f-old',
        stationId: STATION,
        createdAt: old,
        contactName: '赵丽华',
        mobile: '13955554444',
        content: '建议'
      }
    },
    {
      coll: 'outbox',
      id: 'm-1',
      doc: {
        _id: 'm-1',
        dedupeKey: 'test:m-1',
        template: 'bookingConfirmed',
        touser: 'r-1',
        page: 'pages/index/index',
        values: {},
        status: 'pending',
        attempts: 0,
        nextAttemptAt: new Date(PURGE_TIME - 60_000),
        createdAt: new Date(PURGE_TIME - 60_000)
      }
    }
  ])
})

afterAll(async () => {
  await cloud.close()
})

describe.each([
  ['notify', 'everyMinute'],
  ['rating', 'hourlyRollup']
])('%s', (fn, trigger) => {
  test.each(callers)(
    `{"Type":"Timer"} from the app as %s is refused with TIMER_ONLY and writes nothing`,
    async (_who, openid) => {
      const before = snapshot(cloud)
      const res = await callFunction<{ ok: boolean; error?: { code: string } }>(
        cloud,
        fn,
        timerEvent(trigger),
        openid
      )
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ ok: false, error: { code: 'TIMER_ONLY' } })
      expect(snapshot(cloud)).toEqual(before)
    }
  )

  test('a bare {"Type":"Timer"} with an action beside it is refused too', async () => {
    const before = snapshot(cloud)
    const res = await callFunction(
      cloud,
      fn,
      { Type: 'Timer', action: 'inbox', payload: {} },
      'demo-resident-wang'
    )
    expect(res.body).toMatchObject({ ok: false, error: { code: 'TIMER_ONLY' } })
    expect(snapshot(cloud)).toEqual(before)
  })
})

test('a function without a timer refuses a Timer-shaped event', async () => {
  const res = await callFunction(cloud, 'guide', timerEvent('x'), '')
  expect(res.body).toMatchObject({ ok: false, error: { code: 'TIMER_ONLY' } })
})

test('the refused calls left personal data and the outbox as they were', () => {
  expect(cloud.store.get('appointments', 'a-old')).toMatchObject({ applicant })
  expect(cloud.store.get('feedback', 'f-old')).toMatchObject({ mobile: '13955554444' })
  expect(cloud.store.get('outbox', 'm-1')).toMatchObject({ status: 'pending', attempts: 0 })
  expect(cloud.store.docs('dailyRuns')).toEqual([])
})

test("the platform's trigger still runs the work: notify sends and purges, rating rolls up", async () => {
  const before = snapshot(cloud)
  const notify = await cloud.timers.fire('notify')
  expect(notify.ok).toBe(true)
  expect(notify.result).toMatchObject({ purge: 'ran', purged: { appointments: 1, feedback: 1 } })
  expect(cloud.store.get('feedback', 'f-old')).not.toHaveProperty('mobile')
  expect(cloud.store.get('outbox', 'm-1')).toMatchObject({ attempts: 1 })

  const rolled = (cloud.store.docs('ratingRollups') ?? []).length
  const rating = await cloud.timers.fire('rating')
  expect(rating.ok).toBe(true)
  expect(rating.result).toMatchObject({ rolled: expect.any(Number) })
  expect((rating.result as { rolled: number }).rolled).toBeGreaterThan(0)
  expect(cloud.store.docs('ratingRollups').length).toBeGreaterThan(rolled)
  expect(snapshot(cloud)).not.toEqual(before)
})

test('the trigger over HTTP (POST /api/local/timers/<fn>) is the real trigger too', async () => {
  const res = await fetch(`${cloud.url}/api/local/timers/rating`, { method: 'POST' })
  expect(res.status).toBe(200)
  expect(await res.json()).toMatchObject({ ok: true, result: { rolled: expect.any(Number) } })
})
