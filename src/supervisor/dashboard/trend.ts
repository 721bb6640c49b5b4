/**
 * The dashboard's trend, kept readable on a phone: the function sends one point per day; the page
 * shows one labelled bar per week (periods up to about three months) or per month (longer ones),
 * so there are never more than ~14 rows. Satisfaction of a group is weighted by each day's
 * number of ratings.
 */
import type { DashboardView } from '../../../types/dashboard'
import { addDays, isoWeekday, type LocalDate } from '../../../types/time'

export type TrendPoint = DashboardView['trend'][number]
export type TrendUnit = 'week' | 'month'

export interface TrendBar {
  /** First and last day of the group inside the period. */
  start: LocalDate
  end: LocalDate
  label: string
  /** Cases finished. */
  finished: number
  /** Ratings given. */
  total: number
  /** Percent with one decimal; null when no ratings. */
  satisfactionRate: number | null
}

export function trendUnit(days: number): TrendUnit {
  return days <= 92 ? 'week' : 'month'
}

/** Monday of the ISO week, or the first of the month. */
function groupKey(date: LocalDate, unit: TrendUnit): string {
  return unit === 'month' ? date.slice(0, 7) : addDays(date, 1 - isoWeekday(date))
}

const month = (date: LocalDate) => Number(date.slice(5, 7))
const day = (date: LocalDate) => Number(date.slice(8, 10))

/** 12月1日–7日, 11月30日–12月6日, 12月8日; or 3月 (2025年3月 when the period spans years). */
export function labelOf(start: LocalDate, end: LocalDate, unit: TrendUnit, withYear = false): string {
  if (unit === 'month') return `${withYear ? `${start.slice(0, 4)}年` : ''}${month(start)}月`
  const first = `${month(start)}月${day(start)}日`
  if (start === end) return first
  return `${first}–${month(end) === month(start) ? '' : `${month(end)}月`}${day(end)}日`
}

export function groupTrend(points: TrendPoint[], unit: TrendUnit = trendUnit(points.length)): TrendBar[] {
  const groups: {
    key: string
    start: LocalDate
    end: LocalDate
    finished: number
    total: number
    satisfied: number
    rated: number
  }[] = []
  for (const p of points) {
    const key = groupKey(p.date, unit)
    let g = groups[groups.length - 1]
    if (!g || g.key !== key) {
      g = { key, start: p.date, end: p.date, finished: 0, total: 0, satisfied: 0, rated: 0 }
      groups.push(g)
    }
    g.end = p.date
    g.finished += p.finished
    g.total += p.total
    if (p.satisfactionRate !== null && p.total > 0) {
      g.satisfied += (p.satisfactionRate / 100) * p.total
      g.rated += p.total
    }
  }
  const first = points[0]?.date ?? ''
  const last = points[points.length - 1]?.date ?? ''
  const withYear = first.slice(0, 4) !== last.slice(0, 4)
  return groups.map((g) => ({
    start: g.start,
    end: g.end,
    label: labelOf(g.start, g.end, unit, withYear),
    finished: g.finished,
    total: g.total,
    satisfactionRate: g.rated > 0 ? Math.round((g.satisfied / g.rated) * 1000) / 10 : null
  }))
}
