/**
 * The dashboard's trend chart, kept light: the function sends one point per day; a period longer
 * than a month is drawn by week (up to about half a year) or by month, so the chart never has
 * more than ~31 bars. Satisfaction of a group is weighted by each day's number of ratings.
 */
import type { DashboardView } from '../../../types/dashboard'
import { addDays, isoWeekday, type LocalDate } from '../../../types/time'

export type TrendPoint = DashboardView['trend'][number]
export type TrendUnit = 'day' | 'week' | 'month'

export interface TrendBar {
  /** First day of the group. */
  start: LocalDate
  end: LocalDate
  label: string
  total: number
  /** Percent with one decimal; null when no ratings. */
  satisfactionRate: number | null
}

export function trendUnit(days: number): TrendUnit {
  if (days <= 31) return 'day'
  if (days <= 31 * 7) return 'week'
  return 'month'
}

function groupKey(date: LocalDate, unit: TrendUnit): string {
  if (unit === 'day') return date
  if (unit === 'month') return date.slice(0, 7)
  return addDays(date, 1 - isoWeekday(date))
}

const md = (date: LocalDate) => `${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}`

function labelOf(start: LocalDate, unit: TrendUnit): string {
  if (unit === 'month') return `${Number(start.slice(5, 7))}月`
  return unit === 'week' ? `${md(start)}起` : md(start)
}

export function groupTrend(points: TrendPoint[], unit: TrendUnit = trendUnit(points.length)): TrendBar[] {
  const groups: {
    key: string
    start: LocalDate
    end: LocalDate
    total: number
    satisfied: number
    rated: number
  }[] = []
  for (const p of points) {
    const key = groupKey(p.date, unit)
    let g = groups[groups.length - 1]
    if (!g || g.key !== key) {
      g = { key, start: p.date, end: p.date, total: 0, satisfied: 0, rated: 0 }
      groups.push(g)
    }
    g.end = p.date
    g.total += p.total
    if (p.satisfactionRate !== null && p.total > 0) {
      g.satisfied += (p.satisfactionRate / 100) * p.total
      g.rated += p.total
    }
  }
  return groups.map((g) => ({
    start: g.start,
    end: g.end,
    label: labelOf(g.start, unit),
    total: g.total,
    satisfactionRate: g.rated > 0 ? Math.round((g.satisfied / g.rated) * 1000) / 10 : null
  }))
}
