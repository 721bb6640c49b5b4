/**
 * The pure core of 好差评: deadlines in working days, satisfaction figures, and the daily rollup
 * of one station's day (ratings, volumes, emergency accept times, online-question times).
 * No database here: the `rating` function feeds these with documents it has read.
 */
import { REQUEST_CATEGORIES, type RequestCategory } from '../../../types/requests'
import type { ServiceCategory } from '../../../types/guide'
import {
  BUSINESS_TYPES,
  LEVEL_SCORE,
  RATING_LEVELS,
  isBadLevel,
  type BusinessType,
  type LevelCounts,
  type RatingLevel,
  type Satisfaction
} from '../../../types/ratings'
import {
  addDays,
  instantAt,
  isoWeekday,
  localDate,
  localDateTime,
  minutesBetween,
  type LocalDate
} from '../../../types/time'
import type { Calendar } from './calendar'

/* ---------- deadlines ---------- */

export interface Deadline {
  /** The instant the deadline passes: 24:00 Shanghai time at the end of the last working day. */
  dueAt: Date
  dueDate: LocalDate
  /** Some day counted lies in a year without a confirmed holiday table: counted Monday–Friday. */
  provisional: boolean
}

/**
 * The end of the `n`th working day after the day of `from` (Shanghai). Working days come from
 * the holiday table (statutory holidays are rest days, make-up days are working days). Where the
 * table is unpublished, Monday–Friday stands in and the deadline is marked provisional.
 */
export function workingDayDeadline(calendar: Calendar, from: Date, n: number): Deadline {
  let date = localDate(from)
  let provisional = false
  for (let counted = 0, guard = 0; counted < n && guard < 400; guard++) {
    date = addDays(date, 1)
    const info = calendar.day(date)
    let working: boolean
    if (info.status === 'unpublished') {
      provisional = true
      working = isoWeekday(date) <= 5
    } else working = info.status === 'working'
    if (working) counted++
  }
  return { dueAt: instantAt(addDays(date, 1), '00:00'), dueDate: date, provisional }
}

/** Working days in a period (both ends included); unpublished days count Monday–Friday. */
export function workingDaysIn(calendar: Calendar, from: LocalDate, to: LocalDate): number {
  let count = 0
  for (let d = from, guard = 0; d <= to && guard < 400; d = addDays(d, 1), guard++) {
    const info = calendar.day(d)
    if (info.status === 'working' || (info.status === 'unpublished' && isoWeekday(d) <= 5)) count++
  }
  return count
}

/* ---------- satisfaction ---------- */

export const emptyCounts = (): LevelCounts => ({
  very_satisfied: 0,
  satisfied: 0,
  basic: 0,
  unsatisfied: 0,
  very_unsatisfied: 0
})

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits

/**
 * 满意率 = (非常满意 + 满意 + 基本满意) / valid ratings, in percent with one decimal; bad-review rate
 * likewise; average score 1–5 with two decimals. Excluded ratings are not in `counts`.
 */
export function satisfaction(counts: LevelCounts, excluded = 0): Satisfaction {
  const total = RATING_LEVELS.reduce((s, l) => s + counts[l], 0)
  const good = counts.very_satisfied + counts.satisfied + counts.basic
  const scoreSum = RATING_LEVELS.reduce((s, l) => s + counts[l] * LEVEL_SCORE[l], 0)
  return {
    total,
    counts: { ...counts },
    satisfactionRate: total ? round((good / total) * 100, 1) : null,
    badRate: total ? round(((total - good) / total) * 100, 1) : null,
    averageScore: total ? round(scoreSum / total, 2) : null,
    excluded
  }
}

export function addCounts(a: LevelCounts, b: LevelCounts): LevelCounts {
  const out = emptyCounts()
  for (const l of RATING_LEVELS) out[l] = a[l] + b[l]
  return out
}

/* ---------- business types ---------- */

const SERVICE_BUSINESS: Record<ServiceCategory, BusinessType> = {
  id_card: 'id_card',
  certificate: 'certificate',
  registration: 'registration',
  correction: 'correction',
  consultation: 'consultation'
}

const REQUEST_BUSINESS: Record<RequestCategory, BusinessType> = {
  death_cremation: 'registration',
  temp_id_travel: 'id_card',
  temp_id_medical: 'id_card',
  id_card: 'id_card',
  certificate: 'certificate',
  registration: 'registration',
  other: 'other'
}

export function businessOfService(category: string | undefined): BusinessType {
  return (category && SERVICE_BUSINESS[category as ServiceCategory]) || 'other'
}

export function businessOfRequest(category: RequestCategory): BusinessType {
  return REQUEST_BUSINESS[category] ?? 'other'
}

export const requestServiceName = (category: RequestCategory): string => REQUEST_CATEGORIES[category]

/* ---------- the daily rollup ---------- */

/** A rating as the rollup needs it (a subset of the stored document); `count` alike ones at once (default 1). */
export interface RatingFacts {
  count?: number
  level: RatingLevel
  excluded?: boolean
  officerStaffId?: string
  officerName?: string
  serviceName: string
}

export interface FinishedCase {
  business: BusinessType
}

export interface AcceptFacts {
  createdAt: Date
  acceptedAt: Date
}

export interface QuestionFacts {
  createdAt: Date
  firstOpenedAt?: Date
  answeredAt?: Date
}

export interface GroupTotals extends LevelCounts {
  key: string
  label: string
  /** Valid ratings (excluded ones are counted apart). */
  total: number
  scoreSum: number
  /** Excluded ratings (absent in rollups written before it was kept). */
  excluded?: number
}

/** One station's day: flat and self-explanatory for the console (see database/collections.ts). */
export interface RollupDoc extends LevelCounts {
  _id: string
  stationId: string
  stationName: string
  date: LocalDate
  total: number
  scoreSum: number
  satisfactionRate: number | null
  averageScore: number | null
  badCount: number
  excluded: number
  byOfficer: GroupTotals[]
  byService: GroupTotals[]
  volumes: Record<BusinessType, number>
  visitors: number
  emergency: { count: number; totalMinutes: number; maxMinutes: number; withinLimit: number }
  questions: {
    asked: number
    answered: number
    firstResponses: number
    firstResponseMinutes: number
    answerMinutes: number
  }
  computedAt: Date
  computedAtLocal: string
}

export interface DayInputs {
  stationId: string
  stationName: string
  date: LocalDate
  /** Ratings given on that day. */
  ratings: readonly RatingFacts[]
  /** Cases finished on that day. */
  finished: readonly FinishedCase[]
  /** Emergency requests accepted on that day. */
  emergencies: readonly AcceptFacts[]
  /** The station's accept limit in minutes (an emergency accepted within it counts as on time). */
  acceptLimitMinutes: number
  /**
   * Questions asked, first opened and answered on that day. Each time counts on the day it
   * happened, so a day's rollup is final once the day is over.
   */
  questionsAsked: readonly QuestionFacts[]
  questionsOpened: readonly QuestionFacts[]
  questionsAnswered: readonly QuestionFacts[]
  now: Date
}

function group(
  ratings: readonly RatingFacts[],
  keyOf: (r: RatingFacts) => { key: string; label: string } | null
): GroupTotals[] {
  const map = new Map<string, GroupTotals>()
  for (const r of ratings) {
    const k = keyOf(r)
    if (!k) continue
    const n = r.count ?? 1
    const g = map.get(k.key) ?? {
      key: k.key,
      label: k.label,
      total: 0,
      scoreSum: 0,
      excluded: 0,
      ...emptyCounts()
    }
    if (r.excluded) g.excluded = (g.excluded ?? 0) + n
    else {
      g[r.level] += n
      g.total += n
      g.scoreSum += n * LEVEL_SCORE[r.level]
    }
    map.set(k.key, g)
  }
  return [...map.values()].sort((a, b) => b.total - a.total || a.key.localeCompare(b.key))
}

/** The rollup of one station's day. Pure: the same inputs always give the same document (but `computedAt`). */
export function rollupDay(input: DayInputs): RollupDoc {
  const weight = (list: readonly RatingFacts[]) => list.reduce((s, r) => s + (r.count ?? 1), 0)
  const valid = input.ratings.filter((r) => !r.excluded)
  const counts = emptyCounts()
  for (const r of valid) counts[r.level] += r.count ?? 1
  const figures = satisfaction(counts, weight(input.ratings) - weight(valid))
  const volumes = Object.fromEntries(Object.keys(BUSINESS_TYPES).map((k) => [k, 0])) as Record<
    BusinessType,
    number
  >
  for (const c of input.finished) volumes[c.business]++
  const acceptMinutes = input.emergencies.map((e) => minutesBetween(e.createdAt, e.acceptedAt))
  const firstResponses = input.questionsOpened.filter((q) => q.firstOpenedAt)
  const answered = input.questionsAnswered.filter(
    (q): q is QuestionFacts & { answeredAt: Date } => q.answeredAt !== undefined
  )
  return {
    _id: `${input.stationId}_${input.date}`,
    stationId: input.stationId,
    stationName: input.stationName,
    date: input.date,
    ...counts,
    total: figures.total,
    scoreSum: RATING_LEVELS.reduce((s, l) => s + counts[l] * LEVEL_SCORE[l], 0),
    satisfactionRate: figures.satisfactionRate,
    averageScore: figures.averageScore,
    badCount: weight(valid.filter((r) => isBadLevel(r.level))),
    excluded: figures.excluded,
    byOfficer: group(input.ratings, (r) =>
      r.officerStaffId ? { key: r.officerStaffId, label: r.officerName ?? r.officerStaffId } : null
    ),
    byService: group(input.ratings, (r) => ({ key: r.serviceName, label: r.serviceName })),
    volumes,
    visitors: input.finished.length,
    emergency: {
      count: acceptMinutes.length,
      totalMinutes: acceptMinutes.reduce((s, m) => s + m, 0),
      maxMinutes: acceptMinutes.reduce((s, m) => Math.max(s, m), 0),
      withinLimit: acceptMinutes.filter((m) => m <= input.acceptLimitMinutes).length
    },
    questions: {
      asked: input.questionsAsked.length,
      answered: answered.length,
      firstResponses: firstResponses.length,
      firstResponseMinutes: firstResponses.reduce(
        (s, q) => s + minutesBetween(q.createdAt, q.firstOpenedAt as Date),
        0
      ),
      answerMinutes: answered.reduce((s, q) => s + minutesBetween(q.createdAt, q.answeredAt), 0)
    },
    computedAt: input.now,
    computedAtLocal: localDateTime(input.now)
  }
}

/** Group totals of many days merged by key (officer or service), largest first. */
export function mergeGroups(lists: readonly (readonly GroupTotals[])[]): GroupTotals[] {
  const map = new Map<string, GroupTotals>()
  for (const list of lists)
    for (const g of list) {
      const m = map.get(g.key) ?? {
        key: g.key,
        label: g.label,
        total: 0,
        scoreSum: 0,
        excluded: 0,
        ...emptyCounts()
      }
      for (const l of RATING_LEVELS) m[l] += g[l]
      m.total += g.total
      m.scoreSum += g.scoreSum
      m.excluded = (m.excluded ?? 0) + (g.excluded ?? 0)
      map.set(g.key, m)
    }
  return [...map.values()].sort((a, b) => b.total - a.total || a.key.localeCompare(b.key))
}

export const countsOf = (x: LevelCounts): LevelCounts => ({
  very_satisfied: x.very_satisfied,
  satisfied: x.satisfied,
  basic: x.basic,
  unsatisfied: x.unsatisfied,
  very_unsatisfied: x.very_unsatisfied
})

/** The Shanghai days of a period, both ends included. */
export function daysOf(from: LocalDate, to: LocalDate): LocalDate[] {
  const out: LocalDate[] = []
  for (let d = from; d <= to && out.length < 400; d = addDays(d, 1)) out.push(d)
  return out
}

/** The instants bounding a Shanghai day: [start, end). */
export function dayBounds(date: LocalDate): [Date, Date] {
  return [instantAt(date, '00:00'), instantAt(addDays(date, 1), '00:00')]
}
