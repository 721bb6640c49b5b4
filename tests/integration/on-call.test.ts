/**
 * Someone is on call at every hour: the roster tells a leader which hours of the coming 7 days
 * have nobody reachable (a WeChat grant or a mobile for texts), and how each colleague can be
 * reached. Staff give their mobile when binding and may change it; it is shown in full only to
 * the leaders of their station.
 */
import { weekDates, type RosterDay, type Shift } from '../../types/duty'
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

/* ---------- the roster a week at a time ---------- */

const LI = 'staff-officer-li'
const ZHAO = 'staff-officer-zhao'
const ZHOU = 'staff-leader-zhou'
const rosterDoc = (date: string) => cloud.store.get('rosters', `${STATION}_${date}`) as RosterDay | undefined

/** Puts the seven days of the week starting `monday` straight into the store. */
function putWeek(monday: string, shiftsOf: (i: number) => Shift[]): void {
  cloud.store.commit(
    weekDates(monday).map((date, i) => ({
      coll: 'rosters',
      id: `${STATION}_${date}`,
      doc: { _id: `${STATION}_${date}`, stationId: STATION, date, shifts: shiftsOf(i) }
    }))
  )
}

test('copy last week: the whole week in one action, what it overwrote said, the gap shown, a repeat changes nothing', async () => {
  // A colleague who has since left was on last week's Wednesday afternoon.
  cloud.store.commit([
    {
      coll: 'staff',
      id: 'staff-gone-qian',
      doc: {
        _id: 'staff-gone-qian',
        openid: 'gone-qian',
        name: '钱警官',
        role: 'officer',
        stationId: STATION,
        active: false
      }
    }
  ])
  // Last week: 李 by day, 赵 on call by night — except Sunday night, which nobody holds.
  putWeek('2026-11-30', (i) => [
    { start: '08:00', end: '20:00', staffIds: [LI] },
    ...(i === 2 ? [{ start: '14:00', end: '18:00', staffIds: ['staff-gone-qian'] }] : []),
    ...(i === 6 ? [] : [{ start: '20:00', end: '08:00', staffIds: [ZHAO], onCall: true }])
  ])
  // This week so far: Tuesday planned differently, Thursday already as last week, the rest empty.
  putWeek('2026-12-07', (i) =>
    i === 1
      ? [{ start: '00:00', end: '00:00', staffIds: [ZHOU] }]
      : i === 3
        ? [
            { start: '08:00', end: '20:00', staffIds: [LI] },
            { start: '20:00', end: '08:00', staffIds: [ZHAO], onCall: true }
          ]
        : []
  )

  const copied = ok(
    await staff('copyRosterWeek', { stationId: STATION, from: '2026-11-30', week: '2026-12-07' }, LEADER)
  )
  expect(copied.overwritten).toEqual([
    { date: '2026-12-08', shifts: [{ start: '00:00', end: '00:00', staffIds: [ZHOU] }] }
  ])
  expect(copied.dropped).toEqual(['钱警官'])
  for (const [i, date] of weekDates('2026-12-07').entries()) {
    const expected = [
      { start: '08:00', end: '20:00', staffIds: [LI] },
      ...(i === 6 ? [] : [{ start: '20:00', end: '08:00', staffIds: [ZHAO], onCall: true }])
    ]
    expect(rosterDoc(date)?.shifts).toEqual(expected)
    expect(copied.days[i]).toMatchObject({ date, shifts: expected })
  }
  // Nobody reachable: Monday to 08:00 (last Sunday's night was not held either) and Sunday from
  // 20:00 to the end of the week.
  expect(copied.gaps).toEqual([
    { start: '2026-12-06T16:00:00.000Z', end: '2026-12-07T00:00:00.000Z' },
    { start: '2026-12-13T12:00:00.000Z', end: '2026-12-13T16:00:00.000Z' }
  ])
  // The roster's own warning (now to 7 days on) sees the same Sunday night.
  expect(ok(await roster()).gaps[0]).toEqual({
    start: '2026-12-13T12:00:00.000Z',
    end: '2026-12-14T00:00:00.000Z'
  })

  const before = snapshot(cloud)
  const again = ok(
    await staff('copyRosterWeek', { stationId: STATION, from: '2026-11-30', week: '2026-12-07' }, LEADER)
  )
  expect(again.overwritten).toEqual([])
  expect(again.days).toEqual(copied.days)
  expect(snapshot(cloud)).toEqual(before)
})

test('saving a week is all or nothing: one day naming a stranger leaves all seven as they were', async () => {
  putWeek('2026-12-14', () => [{ start: '08:00', end: '20:00', staffIds: [LI] }])
  const before = snapshot(cloud)
  const week = (extra: string[]) =>
    Array.from({ length: 7 }, (_, i) => [
      { start: '00:00', end: '00:00', staffIds: i === 6 ? [ZHAO, ...extra] : [ZHAO] }
    ])
  const refused = await staff(
    'setRosterWeek',
    { stationId: STATION, week: '2026-12-14', days: week(['staff-nobody']) },
    LEADER
  )
  expect(code(refused)).toBe('INVALID_INPUT')
  expect(snapshot(cloud)).toEqual(before)
  // Not a Monday: refused too.
  expect(
    code(await staff('setRosterWeek', { stationId: STATION, week: '2026-12-15', days: week([]) }, LEADER))
  ).toBe('INVALID_INPUT')
  // An officer may read the roster but not write it.
  expect(
    code(await staff('setRosterWeek', { stationId: STATION, week: '2026-12-14', days: week([]) }, OFFICER))
  ).toBe('FORBIDDEN')

  const saved = ok(
    await staff('setRosterWeek', { stationId: STATION, week: '2026-12-14', days: week([]) }, LEADER)
  )
  expect(saved.overwritten.map((o) => o.date)).toEqual(weekDates('2026-12-14'))
  expect(saved.gaps).toEqual([])
  expect(weekDates('2026-12-14').map((d) => rosterDoc(d)?.shifts)).toEqual(week([]).map((shifts) => shifts))
})
