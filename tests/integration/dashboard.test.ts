/**
 * The supervisors' dashboard (rating.dashboard) on a known data set: finished cases counted by
 * business type against the same days last year, a row per officer (cases, handling time,
 * ratings), emergency accept times (median and worst), the weekly trend's daily points, and who
 * sees which station. Most cases are stored as the functions write them (what a year of history
 * looks like); one goes through check-in, start and finish, so the shapes are the real ones.
 * Queue numbers go through the queue function: taken, called, started, finished, skipped.
 */
import type { DashboardView } from '../../types/dashboard'
import type { QueueOutputs } from '../../types/queue'
import type { RatingOutputs } from '../../types/ratings'
import type { Result } from '../../types/result'
import type { StaffOutputs } from '../../types/staff-admin'
import { appointment, APPLICANT, ok, requestId } from '../helpers/appointments'
import { callFunction, freshCloud } from '../helpers/cloud'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const STATION = 'st-yunxi-chengguan'
const OTHER = 'st-test-hexi'
const LI = { staffId: 'staff-officer-li', name: '李警官' }
const ZHAO = { staffId: 'staff-officer-zhao', name: '赵警官' }
const SUPERVISOR = 'demo-supervisor-chen'
const LEADER = 'demo-leader-zhou'
const shanghai = (t: string) => new Date(`${t}+08:00`)
const at = (t: string) => cloud.clock.set(shanghai(t).getTime())

function rating<A extends keyof RatingOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<RatingOutputs[A]>>(cloud, 'rating', { action, payload }, openid).then(
    (r) => r.body
  )
}
function staff<A extends keyof StaffOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<StaffOutputs[A]>>(cloud, 'staff', { action, payload }, openid).then(
    (r) => r.body
  )
}

let n = 0
/** A finished appointment as staff.finish leaves it: started `minutes` before it was finished. */
function done(
  serviceId: string,
  officer: { staffId: string },
  finished: string,
  minutes: number,
  stationId = STATION
) {
  const finishedAt = shanghai(finished)
  const id = `a-dash-${n++}`
  return {
    coll: 'appointments',
    id,
    doc: {
      _id: id,
      openid: `r-dash-${n}`,
      stationId,
      serviceId,
      status: 'done',
      code: `D${String(n).padStart(5, '0')}`,
      dayKey: `done|${id}`,
      requestId: `req-${id}`,
      date: finished.slice(0, 10),
      checkedInAt: new Date(finishedAt.getTime() - (minutes + 5) * 60_000),
      checkedInBy: officer.staffId,
      startedAt: new Date(finishedAt.getTime() - minutes * 60_000),
      startedBy: officer.staffId,
      finishedAt,
      finishedBy: officer.staffId,
      createdAt: new Date(finishedAt.getTime() - 86_400_000),
      updatedAt: finishedAt
    }
  }
}

/** An emergency request submitted, accepted `wait` minutes later and (when `doneAfter`) finished. */
function emergency(
  category: string,
  officer: { staffId: string; name: string },
  created: string,
  wait: number,
  doneAfter?: number
) {
  const createdAt = shanghai(created)
  const acceptedAt = new Date(createdAt.getTime() + wait * 60_000)
  const id = `q-dash-${n++}`
  return {
    coll: 'requests',
    id,
    doc: {
      _id: id,
      openid: `r-dash-${n}`,
      stationId: STATION,
      kind: 'emergency',
      category,
      status: doneAfter === undefined ? 'accepted' : 'done',
      createdAt,
      updatedAt: acceptedAt,
      acceptedBy: officer,
      acceptedAt,
      ...(doneAfter === undefined
        ? {}
        : { doneBy: officer, doneAt: new Date(acceptedAt.getTime() + doneAfter * 60_000) })
    }
  }
}

function rated(level: string, officer: { staffId: string; name: string }, day: string, excluded = false) {
  const id = `rt-dash-${n++}`
  return {
    coll: 'ratings',
    id,
    doc: {
      _id: id,
      caseKind: 'appointment',
      caseId: `a-rated-${n}`,
      stationId: STATION,
      officerStaffId: officer.staffId,
      officerName: officer.name,
      serviceName: '户口簿、户籍证明',
      level,
      ratedDate: day,
      ratedAt: shanghai(`${day}T16:00:00`),
      excluded
    }
  }
}

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.store.commit([
    { coll: 'stations', id: OTHER, doc: { _id: OTHER, name: '河西派出所户政窗口', shortName: '河西窗口' } },
    // This period, 2026-12-01 … 2026-12-10 (today; one more case is finished today below).
    done('svc-idcard-renew', LI, '2026-12-01T09:30:00', 10),
    done('svc-idcard-renew', LI, '2026-12-02T10:00:00', 10),
    done('svc-idcard-replace', LI, '2026-12-03T14:00:00', 10),
    done('svc-cert-hukou', ZHAO, '2026-12-04T09:00:00', 20),
    // Late in the evening: 15:30 UTC, still the 9th in Shanghai.
    done('svc-cert-hukou', ZHAO, '2026-12-09T23:30:00', 20),
    // Finished the moment it was started: counted, with no handling time.
    done('svc-reg-move-in', LI, '2026-12-05T11:00:00', 0),
    done('svc-corr-name', ZHAO, '2026-12-08T15:00:00', 30),
    done('svc-consult-policy', LI, '2026-12-08T16:00:00', 5),
    // The 30th of November in Shanghai (15:50 UTC): before the period.
    done('svc-cert-hukou', ZHAO, '2026-11-30T23:50:00', 20),
    // Another station's case.
    done('svc-idcard-renew', { staffId: 'staff-hexi' }, '2026-12-02T10:00:00', 10, OTHER),
    // Emergencies: accepted after 4, 12 and 30 minutes; two finished (an ID card, a registration).
    emergency('temp_id_travel', LI, '2026-12-02T10:00:00', 4, 60),
    emergency('death_cremation', ZHAO, '2026-12-03T20:00:00', 12, 48),
    emergency('id_card', LI, '2026-12-05T09:00:00', 30),
    // Ratings: 李 very satisfied ×2 and unsatisfied; 赵 satisfied, and an excluded very unsatisfied.
    rated('very_satisfied', LI, '2026-12-01'),
    rated('very_satisfied', LI, '2026-12-02'),
    rated('unsatisfied', LI, '2026-12-03'),
    rated('satisfied', ZHAO, '2026-12-04'),
    rated('very_unsatisfied', ZHAO, '2026-12-04', true),
    // The same days a year before: an ID card, four certificates, a consultation …
    done('svc-idcard-renew', LI, '2025-12-02T10:00:00', 10),
    done('svc-cert-hukou', ZHAO, '2025-12-03T10:00:00', 10),
    done('svc-cert-hukou', ZHAO, '2025-12-03T11:00:00', 10),
    done('svc-cert-hukou', ZHAO, '2025-12-04T10:00:00', 10),
    done('svc-cert-hukou', ZHAO, '2025-12-09T10:00:00', 10),
    done('svc-consult-policy', LI, '2025-12-05T10:00:00', 10),
    // … and a correction the day after them.
    done('svc-corr-items', ZHAO, '2025-12-11T10:00:00', 10)
  ])
  // Today's case through the window's queue: booked, checked in at 9:00, started 9:05, finished 9:25.
  at('2026-12-09T10:00:00')
  const booked = ok(
    await appointment(
      cloud,
      'book',
      {
        requestId: requestId(),
        serviceId: 'svc-cert-hukou',
        slotId: `${STATION}_2026-12-10_0900_window`,
        applicant: APPLICANT,
        consent: true
      },
      'r-dash-today'
    )
  )
  at('2026-12-10T09:00:00')
  ok(await staff('checkIn', { code: booked.code }, 'demo-officer-li'))
  at('2026-12-10T09:05:00')
  ok(await staff('start', { appointmentId: booked._id }, 'demo-officer-li'))
  at('2026-12-10T09:25:00')
  ok(await staff('finish', { appointmentId: booked._id }, 'demo-officer-li'))
  at('2026-12-10T12:00:00')
})

afterAll(async () => {
  await cloud?.close()
})

const PERIOD = { from: '2026-12-01', to: '2026-12-10' }
const volumes = (d: DashboardView) => Object.fromEntries(d.volumes.byType.map((v) => [v.type, v]))

test('volumes by business type, against the same days last year', async () => {
  const d = ok(await rating('dashboard', PERIOD, SUPERVISOR))
  const v = volumes(ok(await rating('dashboard', { ...PERIOD, stationId: STATION }, SUPERVISOR)))
  // ID cards: three appointments and the travel ID of an emergency; registrations: a move-in and
  // the death registration of an emergency; certificates: two stored and today's.
  expect(v).toEqual({
    id_card: { type: 'id_card', label: '身份证', count: 4, lastYear: 1, change: 300 },
    certificate: { type: 'certificate', label: '证明', count: 3, lastYear: 4, change: -25 },
    registration: { type: 'registration', label: '户口登记', count: 2, lastYear: 0, change: null },
    correction: { type: 'correction', label: '更正', count: 1, lastYear: 0, change: null },
    consultation: { type: 'consultation', label: '咨询', count: 1, lastYear: 1, change: 0 }
  })
  // Every station: the other station's ID card too.
  expect(volumes(d).id_card?.count).toBe(5)
  expect(d.volumes).toMatchObject({
    total: 12,
    lastYear: { from: '2025-12-01', to: '2025-12-10', total: 6, change: 100 }
  })
  // The daily points the weekly trend is drawn from: the late-evening case on the 9th, today's case today.
  const day = (date: string) => d.trend.find((t) => t.date === date)
  expect(day('2026-12-09')).toMatchObject({ finished: 1 })
  expect(day('2026-12-10')).toMatchObject({ finished: 1 })
  expect(day('2026-12-02')).toMatchObject({ finished: 3, total: 1, satisfactionRate: 100 })
  expect(d.trend.reduce((s, t) => s + t.finished, 0)).toBe(12)
})

test('a row per officer: cases finished, average handling time, ratings and bad reviews', async () => {
  const d = ok(await rating('dashboard', { ...PERIOD, stationId: STATION }, SUPERVISOR))
  expect(d.officers).toEqual([
    // 李: six appointments and a request; timed 10+10+10+5+20 (today's) + 60 over six (one untimed).
    {
      staffId: LI.staffId,
      name: '李警官',
      finished: 7,
      averageHandlingMinutes: 19.2,
      ratings: 3,
      averageScore: 4,
      badCount: 1
    },
    // 赵: three appointments and a request, 20+20+30+48 over four; the excluded review left out.
    {
      staffId: ZHAO.staffId,
      name: '赵警官',
      finished: 4,
      averageHandlingMinutes: 29.5,
      ratings: 1,
      averageScore: 4,
      badCount: 0
    }
  ])
})

test('emergency accept times: the median and the worst of the period', async () => {
  const d = ok(await rating('dashboard', PERIOD, SUPERVISOR))
  expect(d.emergencyAccept).toEqual({
    count: 3,
    averageMinutes: 15.3,
    medianMinutes: 12,
    maxMinutes: 30,
    withinLimit: 3
  })
  // A period holding only the first two: the median of two is their mean.
  const two = ok(await rating('dashboard', { from: '2026-12-01', to: '2026-12-04' }, SUPERVISOR))
  expect(two.emergencyAccept).toMatchObject({ count: 2, medianMinutes: 8, maxMinutes: 12 })
})

test('leaders see their own station; a supervisor one station or all', async () => {
  const leader = ok(await rating('dashboard', PERIOD, LEADER))
  expect(leader.stationId).toBe(STATION)
  expect(volumes(leader).id_card?.count).toBe(4)
  expect(leader.officers.map((o) => o.name)).toEqual(['李警官', '赵警官'])
  const other = ok(await rating('dashboard', { ...PERIOD, stationId: OTHER }, SUPERVISOR))
  expect(other.volumes).toMatchObject({ total: 1, lastYear: { total: 0, change: null } })
  expect(other.officers).toEqual([expect.objectContaining({ staffId: 'staff-hexi', finished: 1 })])
  expect(other.emergencyAccept).toMatchObject({ count: 0, medianMinutes: null, maxMinutes: null })
  const leaderAsksOther = await rating('dashboard', { ...PERIOD, stationId: OTHER }, LEADER)
  expect(leaderAsksOther.ok ? leaderAsksOther.data.stationId : leaderAsksOther.error.code).not.toBe(OTHER)
})

test('past days are read from saved rollups: a second load reads them, and a late change needs a recount', async () => {
  const first = ok(await rating('dashboard', PERIOD, SUPERVISOR))
  const saved = cloud.store.docs('ratingRollups').filter((r) => r.stationId === STATION)
  // The period's nine past days and the ten of last year; today is never saved by a read.
  expect(saved.map((r) => r.date).sort()).toEqual(
    expect.arrayContaining(['2025-12-01', '2025-12-10', '2026-12-01', '2026-12-09'])
  )
  expect(saved.some((r) => r.date === '2026-12-10')).toBe(false)
  expect(saved.every((r) => r.version === 2)).toBe(true)
  // A case written into a past day behind the functions' back is not seen until a recount …
  cloud.store.commit([done('svc-corr-name', ZHAO, '2026-12-07T10:00:00', 10)])
  const again = ok(await rating('dashboard', PERIOD, SUPERVISOR))
  expect(again.volumes).toEqual(first.volumes)
  // … which a supervisor's rollup does.
  ok(await rating('rollup', { from: '2026-12-07', to: '2026-12-07' }, SUPERVISOR))
  const recounted = ok(await rating('dashboard', PERIOD, SUPERVISOR))
  expect(volumes(recounted).correction?.count).toBe(2)
  // A rollup of an older version (no officer work in it) is computed again rather than read as zeros.
  const { work: _work, ...older } = saved.find((r) => r.date === '2026-12-08') ?? { _id: '' }
  cloud.store.commit([{ coll: 'ratingRollups', id: `${STATION}_2026-12-08`, doc: { ...older, version: 1 } }])
  const fresh = ok(await rating('dashboard', PERIOD, SUPERVISOR))
  expect(fresh.officers).toEqual(recounted.officers)
})

function queue<A extends keyof QueueOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<QueueOutputs[A]>>(cloud, 'queue', { action, payload }, openid).then(
    (r) => r.body
  )
}

test('取号等候: numbers taken, served and skipped per line, and the waits from taking to the call', async () => {
  const take = (openid: string, line: string) =>
    queue('take', { requestId: requestId(), stationId: STATION, line }, openid).then(ok)
  const call = (line: string) =>
    queue('callNext', { stationId: STATION, line, window: 1 }, 'demo-officer-li').then(ok)
  const act = (action: 'start' | 'finish' | 'recall' | 'skip', ticketId: string) =>
    queue(action, { stationId: STATION, ticketId }, 'demo-officer-li').then(ok)

  // Yesterday: A001 waits 10 minutes and is served; A002 is called after 18, three times, and
  // skipped; B001 waits 26 minutes and is finished without a start.
  at('2026-12-09T09:00:00')
  await take('r-qd1', 'A')
  at('2026-12-09T09:02:00')
  await take('r-qd2', 'A')
  at('2026-12-09T09:04:00')
  await take('r-qd3', 'B')
  at('2026-12-09T09:10:00')
  const a1 = await call('A')
  at('2026-12-09T09:11:00')
  await act('start', a1.ticketId)
  at('2026-12-09T09:20:00')
  await act('finish', a1.ticketId)
  const a2 = await call('A')
  at('2026-12-09T09:21:00')
  await act('recall', a2.ticketId)
  at('2026-12-09T09:22:00')
  await act('recall', a2.ticketId)
  at('2026-12-09T09:23:00')
  await act('skip', a2.ticketId)
  at('2026-12-09T09:30:00')
  const b1 = await call('B')
  at('2026-12-09T09:40:00')
  await act('finish', b1.ticketId)

  // Today (the checked-in appointment above is B001, never called): A001 waits 6 minutes and is
  // served, A002 waits 30 and is being served, B002 still waits.
  at('2026-12-10T09:00:00')
  await take('r-qd4', 'A')
  await take('r-qd5', 'A')
  at('2026-12-10T09:05:00')
  await take('r-qd6', 'B')
  at('2026-12-10T09:06:00')
  const today1 = await call('A')
  at('2026-12-10T09:14:00')
  await act('finish', today1.ticketId)
  at('2026-12-10T09:30:00')
  const today2 = await call('A')
  await act('start', today2.ticketId)
  at('2026-12-10T12:00:00')

  const d = ok(await rating('dashboard', { ...PERIOD, stationId: STATION }, SUPERVISOR))
  expect(d.queue.lines).toEqual([
    {
      line: 'A',
      label: '身份证',
      taken: 4,
      served: 2,
      noShows: 1,
      // 10, 6 and 30 minutes; the skipped number's wait is left out.
      waited: 3,
      averageWaitMinutes: 15.3,
      medianWaitMinutes: 10
    },
    {
      line: 'B',
      label: '户口与证明',
      taken: 3,
      served: 1,
      noShows: 0,
      waited: 1,
      averageWaitMinutes: 26,
      medianWaitMinutes: 26
    }
  ])
  expect(d.queue.days).toEqual([
    { date: '2026-12-09', taken: 3, averageWaitMinutes: 18 },
    { date: '2026-12-10', taken: 4, averageWaitMinutes: 18 }
  ])
  // A period of yesterday alone counts yesterday's numbers only.
  const yesterday = ok(
    await rating('dashboard', { from: '2026-12-09', to: '2026-12-09', stationId: STATION }, SUPERVISOR)
  )
  expect(yesterday.queue.lines.map((l) => [l.line, l.taken, l.medianWaitMinutes])).toEqual([
    ['A', 2, 10],
    ['B', 1, 26]
  ])
  // Another station took no numbers: the section is empty.
  const other = ok(await rating('dashboard', { ...PERIOD, stationId: OTHER }, SUPERVISOR))
  expect(other.queue).toEqual({ lines: [], days: [] })
})
