/**
 * The pure core of 好差评 (cloudfunctions/_shared/domain/ratings.ts): follow-up deadlines in
 * working days of the holiday table (across National Day and a make-up Saturday, and into a year
 * with no table), the satisfaction formulas, and the daily rollup. Runs under TZ=UTC and under
 * America/Los_Angeles: none of it may depend on the process's clock zone.
 */
import { calendarYears } from '../../database/seed/calendar'
import { Calendar } from '../../cloudfunctions/_shared/domain/calendar'
import {
  mergeGroups,
  rollupDay,
  satisfaction,
  workingDayDeadline,
  workingDaysIn,
  type DayInputs
} from '../../cloudfunctions/_shared/domain/ratings'
import { localDateTime } from '../../types/time'

const calendar = new Calendar(calendarYears)
const shanghai = (s: string) => new Date(`${s}+08:00`)

describe('follow-up deadlines in working days', () => {
  test('a review the day before National Day: call back by the end of the first working day after the holiday', () => {
    const d = workingDayDeadline(calendar, shanghai('2026-09-30T15:00:00'), 1)
    expect(d.dueDate).toBe('2026-10-08')
    expect(localDateTime(d.dueAt)).toBe('2026-10-09 00:00')
    expect(d.dueAt.toISOString()).toBe('2026-10-08T16:00:00.000Z')
    expect(d.provisional).toBe(false)
  })

  test('15 working days skip the holiday and count the make-up Saturday (10-10)', () => {
    const d = workingDayDeadline(calendar, shanghai('2026-09-30T15:00:00'), 15)
    expect(d.dueDate).toBe('2026-10-27')
    expect(localDateTime(d.dueAt)).toBe('2026-10-28 00:00')
  })

  test('a Friday-night review is due on the make-up Sunday, not Monday', () => {
    // 2026-09-20 is a Sunday worked in exchange for National Day.
    expect(workingDayDeadline(calendar, shanghai('2026-09-18T23:30:00'), 1).dueDate).toBe('2026-09-20')
    // An ordinary Friday: Monday.
    expect(workingDayDeadline(calendar, shanghai('2026-11-27T23:30:00'), 1).dueDate).toBe('2026-11-30')
  })

  test('the day is the Shanghai day: 00:30 in Shanghai is still the previous day in UTC', () => {
    // Tuesday 00:30 in Shanghai (Monday 16:30 UTC): due the end of Wednesday.
    expect(workingDayDeadline(calendar, shanghai('2026-12-01T00:30:00'), 1).dueDate).toBe('2026-12-02')
  })

  test('into a year with no holiday table: Monday–Friday stands in and the deadline says so', () => {
    const d = workingDayDeadline(calendar, shanghai('2026-12-31T10:00:00'), 1)
    expect(d).toMatchObject({ dueDate: '2027-01-01', provisional: true })
    expect(workingDayDeadline(calendar, shanghai('2026-12-01T10:00:00'), 15).provisional).toBe(false)
  })

  test('working days in a period', () => {
    // October 2026: 22 weekdays, less 5 holiday weekdays, plus the make-up Saturday.
    expect(workingDaysIn(calendar, '2026-10-01', '2026-10-31')).toBe(18)
    expect(workingDaysIn(calendar, '2026-10-01', '2026-10-07')).toBe(0)
  })
})

describe('satisfaction', () => {
  test('满意率 counts 非常满意, 满意 and 基本满意 over all valid ratings; the average score is 1–5', () => {
    const s = satisfaction(
      { very_satisfied: 2, satisfied: 1, basic: 1, unsatisfied: 1, very_unsatisfied: 0 },
      3
    )
    expect(s).toEqual({
      total: 5,
      counts: { very_satisfied: 2, satisfied: 1, basic: 1, unsatisfied: 1, very_unsatisfied: 0 },
      satisfactionRate: 80,
      badRate: 20,
      averageScore: 3.8,
      excluded: 3
    })
  })

  test('rounded to one decimal (percent) and two (score); nothing rated gives no figure rather than 0 %', () => {
    const third = satisfaction({
      very_satisfied: 1,
      satisfied: 0,
      basic: 0,
      unsatisfied: 1,
      very_unsatisfied: 1
    })
    expect(third).toMatchObject({ satisfactionRate: 33.3, badRate: 66.7, averageScore: 2.67 })
    expect(
      satisfaction({ very_satisfied: 0, satisfied: 0, basic: 0, unsatisfied: 0, very_unsatisfied: 0 })
    ).toMatchObject({ total: 0, satisfactionRate: null, badRate: null, averageScore: null })
  })
})

describe('the daily rollup', () => {
  const now = new Date('2026-12-02T01:00:00Z')
  const input: DayInputs = {
    stationId: 'st-a',
    stationName: '城关派出所户政窗口',
    date: '2026-12-01',
    ratings: [
      { level: 'very_satisfied', officerStaffId: 'li', officerName: '李警官', serviceName: '户籍证明' },
      { level: 'satisfied', officerStaffId: 'li', officerName: '李警官', serviceName: '身份证换领' },
      { level: 'unsatisfied', officerStaffId: 'zhang', officerName: '张警官', serviceName: '户籍证明' },
      {
        level: 'very_unsatisfied',
        excluded: true,
        officerStaffId: 'zhang',
        officerName: '张警官',
        serviceName: '户籍证明'
      }
    ],
    finished: [
      { business: 'certificate' },
      { business: 'certificate' },
      { business: 'id_card' },
      { business: 'registration' }
    ],
    emergencies: [
      { createdAt: new Date('2026-12-01T02:00:00Z'), acceptedAt: new Date('2026-12-01T02:12:00Z') },
      { createdAt: new Date('2026-12-01T03:00:00Z'), acceptedAt: new Date('2026-12-01T03:45:00Z') }
    ],
    acceptLimitMinutes: 30,
    questionsAsked: [
      { createdAt: new Date('2026-12-01T01:00:00Z') },
      { createdAt: new Date('2026-12-01T05:00:00Z') }
    ],
    questionsOpened: [
      { createdAt: new Date('2026-12-01T01:00:00Z'), firstOpenedAt: new Date('2026-12-01T01:10:00Z') }
    ],
    questionsAnswered: [
      { createdAt: new Date('2026-11-30T08:00:00Z'), answeredAt: new Date('2026-12-01T00:00:00Z') }
    ],
    now
  }

  test('counts, breakdowns, volumes, accept and answer times of one station-day', () => {
    const r = rollupDay(input)
    expect(r).toMatchObject({
      _id: 'st-a_2026-12-01',
      total: 3,
      very_satisfied: 1,
      satisfied: 1,
      unsatisfied: 1,
      very_unsatisfied: 0,
      excluded: 1,
      badCount: 1,
      scoreSum: 11,
      satisfactionRate: 66.7,
      averageScore: 3.67,
      visitors: 4,
      volumes: { id_card: 1, certificate: 2, registration: 1, correction: 0, consultation: 0, other: 0 },
      emergency: { count: 2, totalMinutes: 57, maxMinutes: 45, withinLimit: 1 },
      questions: { asked: 2, answered: 1, firstResponses: 1, firstResponseMinutes: 10, answerMinutes: 960 },
      computedAtLocal: '2026-12-02 09:00'
    })
    expect(r.byOfficer.map((g) => [g.key, g.total, g.scoreSum])).toEqual([
      ['li', 2, 9],
      ['zhang', 1, 2]
    ])
    expect(r.byService.find((g) => g.key === '户籍证明')).toMatchObject({
      total: 2,
      very_satisfied: 1,
      unsatisfied: 1,
      excluded: 1
    })
    // An excluded rating counts against its officer's exclusions, not another's.
    expect(r.byOfficer.map((g) => [g.key, g.excluded])).toEqual([
      ['li', 0],
      ['zhang', 1]
    ])
  })

  test('the same day rolled up twice gives the same document', () => {
    expect(rollupDay(input)).toEqual(rollupDay({ ...input, ratings: [...input.ratings] }))
  })

  test('days merge by officer or service', () => {
    const day = rollupDay(input)
    const merged = mergeGroups([day.byOfficer, day.byOfficer])
    expect(merged.find((g) => g.key === 'li')).toMatchObject({
      total: 4,
      scoreSum: 18,
      very_satisfied: 2,
      satisfied: 2
    })
  })
})
