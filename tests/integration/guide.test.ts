/**
 * The guide function through the local cloud, on a fresh database seeded with the demo data:
 * what the resident's home and detail pages rely on, and what bad input gets back.
 */
import { services as seedServices } from '../../database/seed/services'
import { DEMO_STATION_ID, stations as seedStations } from '../../database/seed/stations'
import type { GuideOutputs, ServiceSummary } from '../../types/guide'
import type { Result } from '../../types/result'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

beforeAll(async () => {
  // No timers: the clock is moved below, and a purge starting meanwhile would write while "nothing is written" is checked.
  cloud = await freshCloud({ timers: false })
})

afterAll(async () => {
  await cloud.close()
})

function guide<A extends keyof GuideOutputs>(action: A, payload?: unknown) {
  return callFunction<Result<GuideOutputs[A]>>(cloud, 'guide', { action, payload })
}

function data<T>(res: { status: number; body: Result<T> }): T {
  expect(res.status).toBe(200)
  if (!res.body.ok) throw new Error(`expected ok, got ${JSON.stringify(res.body.error)}`)
  return res.body.data
}

describe('guide on the local cloud', () => {
  test('lists the demo station with its phones and office hours', async () => {
    const stations = data(await guide('listStations', {}))
    expect(stations).toHaveLength(seedStations.length)
    expect(stations[0]).toMatchObject({
      _id: DEMO_STATION_ID,
      consultPhone: seedStations[0]?.consultPhone,
      supervisionPhone: seedStations[0]?.supervisionPhone
    })
  })

  test('lists every service of the station as a summary, in category order', async () => {
    const { station, services } = data(await guide('listServices', { stationId: DEMO_STATION_ID }))
    expect(station._id).toBe(DEMO_STATION_ID)
    expect(services.map((s) => s._id).sort()).toEqual(seedServices.map((s) => s._id).sort())
    // Summaries only: the list does not carry materials or steps.
    for (const s of services) expect(s).not.toHaveProperty('materials')
    const categories = services.map((s: ServiceSummary) => s.category)
    expect(categories[0]).toBe('id_card')
    expect(categories[categories.length - 1]).toBe('consultation')
  })

  test('searches by any word a resident might type', async () => {
    const { services } = data(await guide('listServices', { stationId: DEMO_STATION_ID, q: '火化' }))
    expect(services.map((s) => s._id)).toEqual(['svc-reg-death'])
    const { services: none } = data(await guide('listServices', { stationId: DEMO_STATION_ID, q: '驾驶证' }))
    expect(none).toEqual([])
  })

  test("returns one service's full detail with its station", async () => {
    const seed = seedServices.find((s) => s._id === 'svc-idcard-replace')
    const { service, station } = data(await guide('getService', { serviceId: 'svc-idcard-replace' }))
    expect(service).toEqual(seed)
    expect(service.feeFen).toBe(4000)
    expect(station._id).toBe(DEMO_STATION_ID)
  })

  test('an unknown service or station is NOT_FOUND with a Chinese message', async () => {
    for (const res of [
      await guide('getService', { serviceId: 'svc-none' }),
      await guide('listServices', { stationId: 'st-none' })
    ]) {
      expect(res.status).toBe(200)
      expect(res.body.ok).toBe(false)
      if (res.body.ok) return
      expect(res.body.error.code).toBe('NOT_FOUND')
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/)
    }
  })

  test.each([
    ['an unknown action', { action: 'dropDatabase' }, 'UNKNOWN_ACTION'],
    ['no action at all', { payload: {} }, 'UNKNOWN_ACTION'],
    ['an action inherited from Object', { action: 'toString' }, 'UNKNOWN_ACTION'],
    ['a wrong type', { action: 'getService', payload: { serviceId: 42 } }, 'INVALID_INPUT'],
    [
      'an id with odd characters',
      { action: 'getService', payload: { serviceId: '../staff' } },
      'INVALID_INPUT'
    ],
    ['a missing field', { action: 'getService', payload: {} }, 'INVALID_INPUT'],
    ['an unexpected field', { action: 'listStations', payload: { admin: true } }, 'INVALID_INPUT'],
    [
      'an over-long search',
      { action: 'listServices', payload: { stationId: DEMO_STATION_ID, q: '身'.repeat(31) } },
      'INVALID_INPUT'
    ],
    ['a payload that is not an object', { action: 'getService', payload: 'svc-reg-death' }, 'INVALID_INPUT']
  ])('%s gets a stable code, a plain message, no stack, and changes nothing', async (_what, event, code) => {
    const before = snapshot(cloud)
    const res = await callFunction<Result<unknown>>(cloud, 'guide', event)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      ok: false,
      error: { code, message: expect.stringMatching(/[\u4e00-\u9fa5]/) }
    })
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js|Error:/)
    expect(snapshot(cloud)).toEqual(before)
  })
})

describe('the local HTTP endpoint', () => {
  test('answers 404 for an unknown function', async () => {
    const res = await callFunction<{ errMsg: string }>(cloud, 'noSuchFunction', { action: 'x' })
    expect(res.status).toBe(404)
    expect(res.body.errMsg).toContain('noSuchFunction')
  })

  test('answers 400 for a body that is not JSON, or not a JSON object', async () => {
    expect((await callFunction(cloud, 'guide', '{"action": ')).status).toBe(400)
    expect((await callFunction(cloud, 'guide', '[1,2]')).status).toBe(400)
  })

  test('answers 405 to a GET on a function', async () => {
    const res = await fetch(`${cloud.url}/api/functions/guide`)
    expect(res.status).toBe(405)
  })

  test('serves the health check with the deployed functions', async () => {
    const res = await fetch(`${cloud.url}/api/health`)
    expect(await res.json()).toMatchObject({ ok: true, functions: expect.arrayContaining(['guide']) })
  })
})

describe("the station's calendar for the home page (guide.days)", () => {
  test('a month from today by the holiday table, with holidays and make-up days by name', async () => {
    cloud.clock.set(Date.parse('2026-09-26T16:30:00Z')) // Sunday 27 September, 00:30 in Shanghai
    const { today, days } = data(await guide('days', { stationId: DEMO_STATION_ID }))
    expect(today).toBe('2026-09-27')
    expect(days).toHaveLength(31)
    expect(days[0]).toMatchObject({ date: '2026-09-27', status: 'rest', name: expect.any(String) }) // 中秋
    expect(days.find((d) => d.date === '2026-10-01')).toMatchObject({ status: 'rest', name: '国庆节' })
    expect(days.find((d) => d.date === '2026-10-09')).toMatchObject({ status: 'working' })
    // A Saturday made a working day (调休上班).
    expect(days.find((d) => d.date === '2026-10-10')).toMatchObject({ status: 'working', makeUp: true })
    expect(days.find((d) => d.date === '2026-10-11')).toMatchObject({ status: 'rest' })
  })

  test('a closure the station adds shows on its day, with its hours and reason; it costs two requests', async () => {
    cloud.clock.set(Date.parse('2026-11-30T02:00:00Z'))
    const added = await callFunction<Result<unknown>>(
      cloud,
      'station',
      {
        action: 'addClosure',
        payload: {
          requestId: 'rq-guide-days-1',
          stationId: DEMO_STATION_ID,
          date: '2026-12-02',
          start: '14:30',
          end: '16:00',
          reason: '业务培训'
        }
      },
      'demo-leader-zhou'
    )
    expect(added.body.ok).toBe(true)
    data(await guide('days', { stationId: DEMO_STATION_ID })) // warms the holiday table's cache
    cloud.faults.resetCounts()
    const { days } = data(await guide('days', { stationId: DEMO_STATION_ID }))
    expect(cloud.faults.requestCounts().guide ?? 0).toBeLessThanOrEqual(2)
    expect(days.find((d) => d.date === '2026-12-02')?.closures).toEqual([
      { start: '14:30', end: '16:00', reason: '业务培训' }
    ])
    expect(days.find((d) => d.date === '2026-12-01')?.closures).toBeUndefined()
  })

  test('an unknown station is NOT_FOUND, a malformed id INVALID_INPUT, and nothing is written', async () => {
    const before = snapshot(cloud)
    const missing = await guide('days', { stationId: 'st-nowhere' })
    expect(missing.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    const bad = await guide('days', { stationId: '../etc' })
    expect(bad.body).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(snapshot(cloud)).toEqual(before)
  })
})
