/**
 * Someone is on call at every hour: the roster tells a leader which hours of the coming 7 days
 * have nobody reachable (a WeChat grant or a mobile for texts), and how each colleague can be
 * reached. Staff give their mobile when binding and may change it; it is shown in full only to
 * the leaders of their station.
 */
import type { Result } from '../../types/result'
import type { StaffOutputs } from '../../types/staff-admin'
import { addDays, localDate } from '../../types/time'
import { ok } from '../helpers/appointments'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'
import { allowTemplates } from '../helpers/subscriptions'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const STATION = 'st-yunxi-chengguan'
const NOW = Date.parse('2026-12-07T02:00:00Z') // Monday 10:00 in Shanghai
const LEADER = 'demo-leader-zhou'
const OFFICER = 'demo-officer-li'
const SUPERVISOR = 'demo-supervisor-chen'

function staff<A extends keyof StaffOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<StaffOutputs[A]>>(cloud, 'staff', { action, payload }, openid).then(
    (r) => r.body
  )
}
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code)
const today = () => localDate(cloud.clock.now())
const roster = (openid = LEADER) =>
  staff('roster', { stationId: STATION, from: today(), to: addDays(today(), 6) }, openid)

/** Day 08:00–20:00 and night 20:00–08:00, from yesterday through 8 days on. */
function rota(day: string[], night: string[]): void {
  cloud.store.commit(
    Array.from({ length: 10 }, (_, i) => addDays(today(), i - 1)).map((date) => ({
      coll: 'rosters',
      id: `${STATION}_${date}`,
      doc: {
        _id: `${STATION}_${date}`,
        stationId: STATION,
        date,
        shifts: [
          { start: '08:00', end: '20:00', staffIds: day },
          { start: '20:00', end: '08:00', staffIds: night }
        ]
      }
    }))
  )
}

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.clock.set(NOW)
})

afterAll(async () => {
  await cloud.close()
})

test('an empty roster: the whole coming week is one gap', async () => {
  const { gaps } = ok(await roster())
  expect(gaps).toHaveLength(1)
  expect(Date.parse(gaps[0]?.start ?? '')).toBeLessThanOrEqual(NOW)
  expect(Date.parse(gaps[0]?.end ?? '')).toBeGreaterThanOrEqual(NOW + 7 * 86_400_000)
})

test('day and night covered by officers with mobiles: no gap; the night officer without a way to be reached leaves every night open', async () => {
  rota(['staff-officer-li'], ['staff-officer-zhao'])
  expect(ok(await roster()).gaps).toEqual([])

  const zhao = cloud.store.get('staff', 'staff-officer-zhao') as Record<string, unknown>
  const { mobile: _mobile, ...withoutMobile } = zhao
  cloud.store.commit([{ coll: 'staff', id: 'staff-officer-zhao', doc: withoutMobile as { _id: string } }])
  try {
    const { gaps, staff: people } = ok(await roster())
    expect(gaps).toHaveLength(7) // every night of the coming week, 20:00–08:00
    expect(gaps.every((g) => Date.parse(g.end) - Date.parse(g.start) === 12 * 3_600_000)).toBe(true)
    expect(new Date(gaps[0]?.start ?? '').toISOString()).toBe('2026-12-07T12:00:00.000Z') // Monday 20:00 in Shanghai
    expect(people.find((p) => p.staffId === 'staff-officer-zhao')).toMatchObject({
      reachable: false,
      wechat: false
    })

    // A WeChat grant is a way to be reached too: the officer allows the alert template, and the app
    // records the answer (as the page does right after WeChat's sheet).
    await allowTemplates(cloud, 'demo-officer-zhao', ['officerAlert'])
    ok(
      await callFunction<Result<unknown>>(
        cloud,
        'notify',
        { action: 'recordSubscribe', payload: { results: { officerAlert: 'accept' } } },
        'demo-officer-zhao'
      ).then((r) => r.body)
    )
    const after = ok(await roster())
    expect(after.gaps).toEqual([])
    expect(after.staff.find((p) => p.staffId === 'staff-officer-zhao')).toMatchObject({
      reachable: true,
      wechat: true
    })
  } finally {
    cloud.store.commit([
      { coll: 'staff', id: 'staff-officer-zhao', doc: { ...zhao, _id: 'staff-officer-zhao' } }
    ])
  }
})

test('mobiles are shown in full to the station’s leaders only, masked to everyone else', async () => {
  const li = (r: StaffOutputs['roster']) => r.staff.find((p) => p.staffId === 'staff-officer-li')?.mobile
  expect(li(ok(await roster(LEADER)))).toBe('13900000101')
  expect(li(ok(await roster(OFFICER)))).toBe('139****0101')
  expect(li(ok(await roster(SUPERVISOR)))).toBe('139****0101')
})

test('staff change their own mobile; a bad number or a resident changes nothing', async () => {
  expect(ok(await staff('setMobile', { mobile: '13900000199' }, OFFICER))).toEqual({
    mobileMasked: '139****0199'
  })
  expect(cloud.store.get('staff', 'staff-officer-li')).toMatchObject({ mobile: '13900000199' })
  const before = snapshot(cloud)
  expect(code(await staff('setMobile', { mobile: '12345' }, OFFICER))).toBe('MOBILE_INVALID')
  expect(code(await staff('setMobile', { mobile: '13900000199' }, 'some-resident'))).toBe('FORBIDDEN')
  expect(code(await staff('setMobile', { mobile: '13900000199' }, ''))).toBe('UNAUTHENTICATED')
  expect(snapshot(cloud)).toEqual(before)
  ok(await staff('setMobile', { mobile: '13900000101' }, OFFICER))
})
