/**
 * Leaders and supervisors keep the holiday table and closures (station function); roles come
 * from the staff collection by OPENID. A closure cancels the bookings it covers and tells each
 * resident through the outbox.
 */
import type { Result } from '../../types/result'
import type { StationOutputs } from '../../types/station-admin'
import { appointment, APPLICANT, ok, requestId, slotInvariantViolations } from '../helpers/appointments'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const STATION = 'st-yunxi-chengguan'
const SUPERVISOR = 'demo-supervisor-chen'
const LEADER = 'demo-leader-zhou'
const OFFICER = 'demo-officer-li'

function station<A extends keyof StationOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<StationOutputs[A]>>(cloud, 'station', { action, payload }, openid).then(
    (r) => r.body
  )
}

const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code)

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.clock.set(Date.parse('2026-12-28T01:59:00Z')) // Monday 2026-12-28 09:59
  cloud.store.commit([
    {
      coll: 'staff',
      id: 'staff-other-leader',
      doc: {
        _id: 'staff-other-leader',
        openid: 'leader-elsewhere',
        name: '外所所长',
        role: 'leader',
        stationId: 'st-other',
        active: true
      }
    }
  ])
})

afterAll(async () => {
  await cloud.close()
})

describe('the holiday table', () => {
  const year2027 = {
    year: 2027,
    source: '国务院办公厅通知（演示数据）',
    days: [
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      { date: '2027-01-02', kind: 'holiday', name: '元旦' },
      { date: '2027-01-03', kind: 'holiday', name: '元旦' }
    ]
  }

  test('before a year is loaded and confirmed, its days are not offered', async () => {
    const options = ok(await appointment(cloud, 'options', { serviceId: 'svc-cert-hukou' }, 'r-cal'))
    expect(options.dates.length).toBeGreaterThan(0) // dates are offered, only not those of 2027
    expect(options.dates.map((d) => d.date).filter((d) => d.startsWith('2027'))).toEqual([])
  })

  test('only a supervisor loads a year; residents and officers are refused and nothing changes', async () => {
    for (const who of ['r-cal', OFFICER, LEADER, '']) {
      const before = snapshot(cloud)
      expect(code(await station('saveCalendarYear', year2027, who))).toBe(
        who ? 'FORBIDDEN' : 'UNAUTHENTICATED'
      )
      expect(snapshot(cloud)).toEqual(before)
    }
    expect(ok(await station('saveCalendarYear', year2027, SUPERVISOR))).toEqual({
      year: 2027,
      confirmed: false,
      days: 3
    })
  })

  test('a loaded year awaits confirmation, then opens for booking', async () => {
    const years = ok(await station('calendars', {}, OFFICER))
    expect(years.find((y) => y.year === 2027)).toMatchObject({ confirmed: false })
    cloud.clock.advance(61_000) // past the functions' one-minute cache of the table
    let options = ok(await appointment(cloud, 'options', { serviceId: 'svc-cert-hukou' }, 'r-cal'))
    expect(options.dates.length).toBeGreaterThan(0)
    expect(options.dates.some((d) => d.date.startsWith('2027'))).toBe(false)

    ok(await station('confirmCalendarYear', { year: 2027 }, SUPERVISOR))
    cloud.clock.advance(61_000)
    options = ok(await appointment(cloud, 'options', { serviceId: 'svc-cert-hukou' }, 'r-cal'))
    expect(options.dates.find((d) => d.date === '2027-01-01')).toMatchObject({ status: 'rest', name: '元旦' })
    expect(options.dates.some((d) => d.date === '2027-01-04')).toBe(true)
  })

  test('a make-up working day on a weekday is refused', async () => {
    const res = await station(
      'saveCalendarYear',
      { year: 2028, source: 'x', days: [{ date: '2028-01-03', kind: 'workday', name: '元旦' }] },
      SUPERVISOR
    )
    expect(res.ok ? 'ok' : res.error).toEqual({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('2028-01-03')
    })
  })
})

describe('closures', () => {
  test('a closure cancels the bookings it covers, releases their places and tells the residents', async () => {
    cloud.clock.set(Date.parse('2026-12-28T01:59:00Z'))
    const covered = ok(
      await appointment(
        cloud,
        'book',
        {
          requestId: requestId(),
          serviceId: 'svc-cert-hukou',
          slotId: `${STATION}_2026-12-30_1430_window`,
          applicant: APPLICANT,
          consent: true
        },
        'r-cl-1'
      )
    )
    const kept = ok(
      await appointment(
        cloud,
        'book',
        {
          requestId: requestId(),
          serviceId: 'svc-cert-hukou',
          slotId: `${STATION}_2026-12-30_1630_window`,
          applicant: APPLICANT,
          consent: true
        },
        'r-cl-2'
      )
    )

    const payload = {
      requestId: requestId(),
      stationId: STATION,
      date: '2026-12-30',
      start: '14:30',
      end: '16:00',
      reason: '系统升级暂停办理'
    }
    const res = ok(await station('addClosure', payload, LEADER))
    expect(res.cancelled).toBe(1)
    expect(ok(await appointment(cloud, 'get', { appointmentId: covered._id }, 'r-cl-1')).status).toBe(
      'cancelled'
    )
    expect(ok(await appointment(cloud, 'get', { appointmentId: kept._id }, 'r-cl-2')).status).toBe('booked')
    expect(
      cloud.store.docs('outbox').filter((m) => m.touser === 'r-cl-1' && m.template === 'bookingCancelled')
    ).toHaveLength(1)
    expect(slotInvariantViolations(cloud)).toEqual([])

    // The closed slots are no longer offered; a retried closure changes nothing more.
    const { slots } = ok(
      await appointment(cloud, 'slots', { serviceId: 'svc-cert-hukou', date: '2026-12-30' }, 'r-cl-3')
    )
    expect(slots.map((s) => s.start)).not.toContain('15:00')
    expect(ok(await station('addClosure', payload, LEADER))).toMatchObject({
      cancelled: 0,
      closure: { _id: res.closure._id }
    })
    expect(cloud.store.docs('closures')).toHaveLength(1)
  })

  test('officers, residents and leaders of another station cannot close this window', async () => {
    const payload = { requestId: requestId(), stationId: STATION, date: '2026-12-31', reason: '培训' }
    for (const who of [OFFICER, 'r-cl-1', 'leader-elsewhere']) {
      const before = snapshot(cloud)
      expect(code(await station('addClosure', payload, who))).toBe('FORBIDDEN')
      expect(snapshot(cloud)).toEqual(before)
    }
  })

  test('half a time range, or a closure in the past, is refused', async () => {
    const base = { requestId: requestId(), stationId: STATION, reason: '培训' }
    expect(code(await station('addClosure', { ...base, date: '2026-12-31', start: '14:30' }, LEADER))).toBe(
      'INVALID_INPUT'
    )
    expect(code(await station('addClosure', { ...base, date: '2026-12-01' }, LEADER))).toBe('INVALID_INPUT')
  })

  test('a range of days (picked on the calendar) closes each day, once even when retried; too long or backwards is refused', async () => {
    const payload = {
      requestId: requestId(),
      stationId: STATION,
      date: '2027-01-04',
      to: '2027-01-06',
      reason: '全员培训'
    }
    const before = cloud.store.docs('closures').length
    const res = ok(await station('addClosure', payload, LEADER))
    expect(res.closures.map((c) => [c.date, c.start, c.reason])).toEqual([
      ['2027-01-04', undefined, '全员培训'],
      ['2027-01-05', undefined, '全员培训'],
      ['2027-01-06', undefined, '全员培训']
    ])
    expect(res.closure).toEqual(res.closures[0])
    expect(cloud.store.docs('closures')).toHaveLength(before + 3)
    // A retry (the same request id) finds the same three days.
    expect(ok(await station('addClosure', payload, LEADER)).closures.map((c) => c._id)).toEqual(
      res.closures.map((c) => c._id)
    )
    expect(cloud.store.docs('closures')).toHaveLength(before + 3)
    const listed = ok(
      await station('closures', { stationId: STATION, from: '2027-01-01', to: '2027-01-31' }, LEADER)
    )
    expect(listed.map((c) => c.date)).toEqual(['2027-01-04', '2027-01-05', '2027-01-06'])

    const base = { requestId: requestId(), stationId: STATION, reason: '培训' }
    const unchanged = snapshot(cloud)
    expect(code(await station('addClosure', { ...base, date: '2027-01-10', to: '2027-01-09' }, LEADER))).toBe(
      'INVALID_INPUT'
    )
    expect(code(await station('addClosure', { ...base, date: '2027-01-01', to: '2027-02-01' }, LEADER))).toBe(
      'INVALID_INPUT'
    )
    expect(snapshot(cloud)).toEqual(unchanged)
  })
})
