/**
 * The demo year (database/seed/history.ts): what `npm start` loads into a fresh data folder so
 * the dashboard, the follow-up lists and the questions show a station at work. Checked here: the
 * seed's scale and proportions, working days from the holiday table, ratings with a spread and a
 * handful of bad reviews taken through their follow-ups (one overdue), emergencies with accept
 * times, questions, retention, the daily rollups agreeing with the documents they sum up, a
 * fixed seed giving the same year twice — and the starter loading it once, never again.
 */
import { Calendar } from '../../cloudfunctions/_shared/domain/calendar'
import { overdueStage } from '../../cloudfunctions/_shared/domain/follow-ups'
import {
  businessOfRequest,
  businessOfService,
  workingDaysIn
} from '../../cloudfunctions/_shared/domain/ratings'
import { ERASED, RETENTION_DAYS } from '../../cloudfunctions/_shared/retention'
import { ROLLUP_VERSION, isCurrent } from '../../cloudfunctions/rating/rollups'
import { collections } from '../../database/collections'
import { calendarYears } from '../../database/seed/calendar'
import {
  DEMO_CASES_PER_WORKING_DAY,
  ROLLUP_VERSION as HISTORY_ROLLUP_VERSION,
  HISTORY_ERASED,
  HISTORY_RETENTION_DAYS,
  SEED_YEARLY_CASES,
  demoHistory,
  historyChanges,
  type DemoHistory
} from '../../database/seed/history'
import { services } from '../../database/seed/services'
import { staff } from '../../database/seed/staff'
import { DEMO_STATION_ID, stations } from '../../database/seed/stations'
import { applyCollections } from '../../local-cloud/cloud'
import { Store } from '../../local-cloud/db/store'
import { HISTORY_META, loadDemoHistory } from '../../scripts/lib/product-cloud'
import { BUSINESS_TYPES, type BusinessType } from '../../types/ratings'
import { DEFAULT_ACCEPT_MINUTES } from '../../types/requests'
import { addDays, isoWeekday, localDate, localDateTime, minutesBetween } from '../../types/time'

const station = stations.find((s) => s._id === DEMO_STATION_ID)!
const calendar = new Calendar(calendarYears)
/** A Sunday evening in Shanghai. */
const now = new Date('2026-11-29T11:00:00Z')
const today = localDate(now)
const first = addDays(today, -365)
const yesterday = addDays(today, -1)

let h: DemoHistory
beforeAll(() => {
  h = demoHistory({ station, calendarYears, staff, services, now })
})

const categoryOf = new Map(services.map((s) => [s._id, s.category]))
function finishedByType(x: DemoHistory): Record<BusinessType, number> {
  const out = Object.fromEntries(Object.keys(BUSINESS_TYPES).map((k) => [k, 0])) as Record<
    BusinessType,
    number
  >
  for (const a of x.appointments)
    if (a.status === 'done') out[businessOfService(categoryOf.get(a.serviceId))]++
  for (const r of x.requests) if (r.status === 'done') out[businessOfRequest(r.category)]++
  return out
}

describe('the scale and proportions of the seed', () => {
  test('the yearly volumes: about 34 finished cases a working day over the year', () => {
    const byType = finishedByType(h)
    const total = Object.values(byType).reduce((s, n) => s + n, 0)
    const workingDays = workingDaysIn(calendar, first, yesterday)
    expect(workingDays).toBeGreaterThan(240)
    expect(workingDays).toBeLessThan(255)
    expect(Math.abs(total / workingDays - DEMO_CASES_PER_WORKING_DAY)).toBeLessThan(1)
    // The seed's year: 8,495 cases (2,830 + 485 + 3,880 + 200 + 1,100), give or take the year's working days.
    expect(total).toBeGreaterThan(8495 * 0.95)
    expect(total).toBeLessThan(8495 * 1.05)
  })

  test('business types in the yearly proportions (2,830 ID cards, 485 certificates, 3,880 registrations, 200 corrections, 1,100 consultations)', () => {
    const byType = finishedByType(h)
    const total = Object.values(byType).reduce((s, n) => s + n, 0)
    const seedTotal = Object.values(SEED_YEARLY_CASES).reduce((s, n) => s + n, 0)
    for (const [type, n] of Object.entries(SEED_YEARLY_CASES)) {
      const share = byType[type as BusinessType] / total
      // Within half a percentage point of the seed's share.
      expect(Math.abs(share - n / seedTotal)).toBeLessThan(0.005)
    }
    // Registrations lead, corrections are rare; 其他 (requests of no type) stays a trace.
    expect(byType.registration).toBeGreaterThan(byType.id_card)
    expect(byType.correction).toBeLessThan(byType.certificate)
    expect(byType.other / total).toBeLessThan(0.005)
  })

  test('every service of the guide is seen, in plausible shares within its type', () => {
    const count = new Map<string, number>()
    for (const a of h.appointments) count.set(a.serviceId, (count.get(a.serviceId) ?? 0) + 1)
    for (const s of services) expect(count.get(s._id) ?? 0).toBeGreaterThan(50)
    // Renewals are most of the ID-card work; temporary cards the least.
    expect(count.get('svc-idcard-renew')!).toBeGreaterThan(count.get('svc-idcard-first')!)
    expect(count.get('svc-idcard-temporary')!).toBeLessThan(count.get('svc-idcard-replace')!)
  })
})

describe('the calendar', () => {
  test('window cases only on working days of the holiday table (statutory holidays off, make-up days on)', () => {
    const dates = new Set(h.appointments.map((a) => a.date))
    for (const d of dates) expect(calendar.day(d).status).toBe('working')
    // National Day 2026 (a Thursday) had no window; the weekends worked in exchange for holidays did.
    expect(dates.has('2026-10-01')).toBe(false)
    const makeUp = [...dates].filter((d) => calendar.day(d).makeUp && isoWeekday(d) >= 6)
    expect(makeUp.length).toBeGreaterThan(0)
    // The 365 days before today; today itself is left to the live demo.
    expect([...dates].every((d) => d >= first && d <= yesterday)).toBe(true)
  })

  test('a case is booked before its slot, checked in, started and finished in order, within its day', () => {
    const resourceOf = new Map(services.map((s) => [s._id, s.resource]))
    const wrong = h.appointments.filter(
      (a) =>
        !(a.createdAt.getTime() < a.startsAt.getTime()) ||
        !(a.checkedInAt!.getTime() <= a.startedAt!.getTime()) ||
        !(a.startedAt!.getTime() < a.finishedAt!.getTime()) ||
        localDate(a.finishedAt!) !== a.date ||
        a.slotId !== `${DEMO_STATION_ID}_${a.date}_${a.start.replace(':', '')}_${a.resource}` ||
        // ID cards in the capture room (or an after-hours duty slot), everything else at the window.
        ![resourceOf.get(a.serviceId), 'duty'].includes(a.resource)
    )
    expect(wrong).toEqual([])
  })

  test('requests and questions come at any hour of any day, never after now', () => {
    const all = [...h.requests.map((r) => r.createdAt), ...h.questions.map((q) => q.createdAt)]
    expect(all.every((t) => t.getTime() < now.getTime())).toBe(true)
    expect(all.some((t) => calendar.day(localDate(t)).status === 'rest')).toBe(true)
  })
})

describe('who did the work', () => {
  test('each case names the officer who finished it, and each is a member of the station', () => {
    const ids = new Set(staff.filter((s) => s.stationId === DEMO_STATION_ID).map((s) => s._id))
    const counts = new Map<string, number>()
    for (const a of h.appointments) counts.set(a.finishedBy!, (counts.get(a.finishedBy!) ?? 0) + 1)
    expect([...counts.keys()].filter((id) => !ids.has(id))).toEqual([])
    // Both officers and the leader served; the officers did most.
    expect(counts.get('staff-officer-li')!).toBeGreaterThan(counts.get('staff-leader-zhou')!)
    expect(counts.get('staff-officer-zhao')!).toBeGreaterThan(counts.get('staff-leader-zhou')!)
    expect(counts.get('staff-leader-zhou')!).toBeGreaterThan(1000)
  })
})

describe('ratings', () => {
  test('a realistic spread: mostly 非常满意, some 满意 and 基本满意, a handful of bad reviews', () => {
    const rated = h.ratings.filter((r) => r.caseKind === 'appointment').length
    expect(rated / h.appointments.length).toBeGreaterThan(0.3)
    expect(rated / h.appointments.length).toBeLessThan(0.4)
    const n = (level: string) => h.ratings.filter((r) => r.level === level).length
    expect(n('very_satisfied') / h.ratings.length).toBeGreaterThan(0.8)
    expect(n('satisfied')).toBeGreaterThan(n('basic'))
    expect(n('basic')).toBeGreaterThan(100)
    const bad = h.ratings.filter((r) => r.bad)
    expect(bad.length).toBeGreaterThanOrEqual(5)
    expect(bad.length).toBeLessThanOrEqual(12)
  })

  test('each rating copies its case as the rate function does, rated after it finished and before now', () => {
    const byId = new Map(h.appointments.map((a) => [a._id, a]))
    const wrong = h.ratings.filter((r) => {
      const a = byId.get(r.caseId)
      return (
        !(r.ratedAt.getTime() > r.finishedAt.getTime()) ||
        !(r.ratedAt.getTime() < now.getTime()) ||
        r.ratedDate !== r.ratedAtLocal.slice(0, 10) ||
        (r.caseKind === 'appointment' &&
          (!a ||
            r._id !== `rt-a-${a._id}` ||
            r.openid !== a.openid ||
            r.officerStaffId !== a.finishedBy ||
            r.serviceName !== a.serviceName ||
            r.finishedAt.getTime() !== a.finishedAt!.getTime()))
      )
    })
    expect(wrong).toEqual([])
    // The Shanghai times as types/time.ts writes them.
    for (const r of h.ratings.slice(0, 200)) {
      expect(r.ratedAtLocal).toBe(localDateTime(r.ratedAt))
      expect(r.ratedDate).toBe(localDate(r.ratedAt))
    }
  })

  test('every bad review has its follow-up: some closed, one replied, one in progress, one excluded, exactly one overdue', () => {
    const bad = h.ratings.filter((r) => r.bad)
    const fus = new Map(h.followUps.map((f) => [f._id, f]))
    for (const r of bad) {
      const f = fus.get(r.followUpId!)!
      expect(f.ratingId).toBe(r._id)
      expect(r.followUpStatusText).toBe(f.statusText)
    }
    const status = (s: string) => h.followUps.filter((f) => f.status === s)
    expect(status('closed').length).toBeGreaterThanOrEqual(3)
    expect(status('replied')).toHaveLength(1)
    expect(status('called')).toHaveLength(1)
    expect(status('excluded')).toHaveLength(1)
    const overdue = h.followUps.filter((f) => overdueStage(f, now))
    expect(overdue).toHaveLength(1)
    expect(overdue[0]!.status).toBe('open')
    // The hourly timer has told the supervisors, once, after the call-back deadline passed.
    expect(overdue[0]!.escalatedStages).toEqual(['callback'])
    expect(overdue[0]!.escalations[0]!.at.getTime()).toBeGreaterThan(overdue[0]!.callbackDueAt.getTime())
    // Closed ones were called back before their deadline and rated by the resident.
    for (const f of status('closed')) {
      expect(f.calledBackAt!.getTime()).toBeLessThan(f.callbackDueAt.getTime())
      expect(f.repliedAt!.getTime()).toBeLessThan(f.replyDueAt.getTime())
      expect(f.rectificationText).toBeTruthy()
    }
    const excluded = h.ratings.find((r) => r.excluded)!
    expect(excluded.excludedReason).toBe(status('excluded')[0]!.excludedReason)
  })
})

describe('requests and questions', () => {
  test('green-channel requests accepted in minutes, most within the limit, the late ones escalated', () => {
    const emergencies = h.requests.filter((r) => r.kind === 'emergency' && r.acceptedAt)
    expect(emergencies.length).toBeGreaterThan(100)
    const minutes = emergencies.map((r) => minutesBetween(r.createdAt, r.acceptedAt!))
    const within = minutes.filter((m) => m <= DEFAULT_ACCEPT_MINUTES).length
    expect(within / minutes.length).toBeGreaterThan(0.85)
    expect(within).toBeLessThan(minutes.length)
    for (const r of emergencies) {
      expect(r.alertedStaffIds.length).toBeGreaterThan(0)
      expect(r.escalations[0]!.round).toBe(0)
      const late = minutesBetween(r.createdAt, r.acceptedAt!) >= DEFAULT_ACCEPT_MINUTES
      expect(r.escalationRound > 0).toBe(late)
      expect(r.nextEscalationAt).toBeNull()
    }
    // Nothing recorded after now: a request still waiting has only the escalations already due.
    expect(h.requests.flatMap((r) => r.escalations).filter((e) => e.at.getTime() > now.getTime())).toEqual([])
    for (const r of h.requests.filter((x) => x.status === 'submitted'))
      expect(r.nextEscalationAt!.getTime()).toBeGreaterThan(now.getTime())
    // Home visits are assigned by the leader to an officer.
    const visit = h.requests.find((r) => r.kind === 'home_visit' && r.status === 'done')!
    expect(visit.acceptedBy!.staffId).toBe('staff-leader-zhou')
    expect(visit.assignedTo!.staffId).toMatch(/^staff-officer-/)
  })

  test('questions answered under first-ask responsibility, two still waiting', () => {
    const answered = h.questions.filter((q) => q.status === 'answered')
    expect(answered.length).toBeGreaterThan(150)
    for (const q of answered) {
      expect(q.owners[0]!.at).toEqual(q.firstOpenedAt)
      expect(q.answeredBy!.staffId).toBe(q.ownerStaffId)
      expect(q.firstResponseMinutes).toBe(minutesBetween(q.createdAt, q.firstOpenedAt!))
    }
    expect(answered.some((q) => q.owners.length === 2 && q.owners[1]!.reason)).toBe(true)
    expect(h.questions.filter((q) => q.status === 'asked')).toHaveLength(1)
    expect(h.questions.filter((q) => q.status === 'owned')).toHaveLength(1)
  })
})

describe('personal data', () => {
  test("the retention period and the erased mark are the daily purge's own", () => {
    expect(HISTORY_RETENTION_DAYS).toBe(RETENTION_DAYS)
    expect(HISTORY_ERASED).toBe(ERASED)
  })

  test('no ID number anywhere; names erased after the retention period, as the daily purge does', () => {
    const text = JSON.stringify(h.appointments.slice(0, 500)) + JSON.stringify(h.requests)
    expect(text).not.toMatch(/idNumber|idMasked/)
    const cutoff = addDays(today, -RETENTION_DAYS - 1)
    const old = h.appointments.filter((a) => a.date < cutoff)
    const recent = h.appointments.filter((a) => a.date > addDays(today, -RETENTION_DAYS))
    expect(old.length).toBeGreaterThan(3_000)
    expect(
      old.filter((a) => a.applicant.name !== ERASED || a.applicant.mobile !== '' || !a.purgedAt)
    ).toEqual([])
    expect(recent.length).toBeGreaterThan(3_000)
    // Fictional mobiles only (the demo's 139 0000 range).
    expect(
      recent.filter(
        (a) => a.applicant.name === ERASED || !/^1390000\d{4}$/.test(a.applicant.mobile) || a.purgedAt
      )
    ).toEqual([])
  })
})

describe('the daily rollups the dashboard reads', () => {
  test('one per day of the year, each summing exactly the documents of its day', () => {
    // The history's days, and the year before it empty (the dashboard's comparison reads it).
    expect(h.ratingRollups.map((d) => d.date)).toEqual(
      Array.from({ length: 366 + 365 }, (_, i) => addDays(first, i - 366))
    )
    expect(h.ratingRollups.filter((d) => d.date < first && (d.visitors || d.total || d.work.length))).toEqual(
      []
    )
    const finished = new Map<string, number>()
    for (const a of h.appointments) finished.set(a.date, (finished.get(a.date) ?? 0) + 1)
    for (const r of h.requests)
      if (r.status === 'done')
        finished.set(localDate(r.doneAt!), (finished.get(localDate(r.doneAt!)) ?? 0) + 1)
    const rated = new Map<string, number>()
    for (const r of h.ratings) if (!r.excluded) rated.set(r.ratedDate, (rated.get(r.ratedDate) ?? 0) + 1)
    for (const d of h.ratingRollups) {
      expect(d.visitors).toBe(finished.get(d.date) ?? 0)
      expect(d.total).toBe(rated.get(d.date) ?? 0)
      expect(d.work.reduce((s, w) => s + w.finished, 0)).toBe(d.visitors)
      expect(d.acceptMinutes).toHaveLength(d.emergency.count)
    }
    // The rating function's current version: the dashboard reads these days as they are.
    expect(HISTORY_ROLLUP_VERSION).toBe(ROLLUP_VERSION)
    expect(h.ratingRollups.filter((d) => !isCurrent(d))).toEqual([])
    // Rest days: no window, but the green channel and questions go on.
    const rest = h.ratingRollups.filter((d) => calendar.day(d.date).status === 'rest')
    expect(rest.every((d) => d.volumes.consultation === 0)).toBe(true)
  })
})

describe('deterministic', () => {
  test('the same seed and now give the same documents; another seed another year', () => {
    const input = { station, calendarYears, staff, services, now, days: 20 }
    const a = JSON.stringify(demoHistory(input))
    expect(JSON.stringify(demoHistory(input))).toBe(a)
    expect(JSON.stringify(demoHistory({ ...input, seed: 7 }))).not.toBe(a)
  })
})

describe('the starter loads it once', () => {
  function store(): Store {
    const s = new Store(':memory:')
    applyCollections(s, collections, true)
    return s
  }
  const clock = { now: () => now.getTime() }

  test('a fresh folder gets the year in one batch; a second start loads nothing', () => {
    const s = store()
    const first = loadDemoHistory({ store: s, clock } as never, { days: 30 })
    expect(first.loaded).toBe(true)
    const count = s.count('appointments')
    expect(count).toBeGreaterThan(20 * 30) // some 34 a working day, about 21 working days
    expect(s.getMeta(HISTORY_META)).toMatch(/^loaded/)
    expect(loadDemoHistory({ store: s, clock } as never, { days: 30 })).toEqual({
      loaded: false,
      reason: 'done before'
    })
    expect(s.count('appointments')).toBe(count)
    s.close()
  })

  test('a folder already in use keeps what it has', () => {
    const s = store()
    s.commit([{ coll: 'questions', id: 'q1', doc: { _id: 'q1', question: '在吗' } }])
    expect(loadDemoHistory({ store: s, clock } as never, { days: 30 })).toEqual({
      loaded: false,
      reason: 'in use'
    })
    expect(s.count('appointments')).toBe(0)
    expect(s.getMeta(HISTORY_META)).toMatch(/^skipped/)
    s.close()
  })

  test('every document goes to a declared collection', () => {
    const names = new Set(collections.map((c) => c.name))
    const changes = historyChanges(demoHistory({ station, calendarYears, staff, services, now, days: 10 }))
    expect(changes.every((c) => names.has(c.coll))).toBe(true)
  })
})
