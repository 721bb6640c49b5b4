/**
 * Working days in Asia/Shanghai: statutory holidays and make-up working days (调休) from the
 * holiday table, Monday–Friday otherwise. A year with no table — or one no supervisor has
 * confirmed — is explicitly "unpublished": never silently treated as Monday–Friday.
 */
import type { CalendarYear, Closure } from '../../../types/appointment'
import { addDays, isoWeekday, type LocalDate } from '../../../types/time'

export type DayStatus = 'working' | 'rest' | 'unpublished'

export interface DayInfo {
  date: LocalDate
  status: DayStatus
  /** The holiday or make-up day's name (e.g. 国庆节), when the table has one. */
  name?: string
  /** A rest-day weekday made a working day (调休上班). */
  makeUp?: boolean
  /** Station closures on that day (whole day when start/end are absent). */
  closures: Closure[]
}

export class Calendar {
  private readonly years = new Map<number, CalendarYear>()

  constructor(
    years: readonly CalendarYear[],
    private readonly closures: readonly Closure[] = []
  ) {
    for (const y of years) this.years.set(y.year, y)
  }

  yearStatus(year: number): 'confirmed' | 'unconfirmed' | 'missing' {
    const y = this.years.get(year)
    return !y ? 'missing' : y.confirmed ? 'confirmed' : 'unconfirmed'
  }

  day(date: LocalDate): DayInfo {
    const closures = this.closures.filter((c) => c.date === date)
    const year = this.years.get(Number(date.slice(0, 4)))
    if (!year || !year.confirmed) return { date, status: 'unpublished', closures }
    const exception = year.days.find((d) => d.date === date)
    if (exception?.kind === 'holiday') return { date, status: 'rest', name: exception.name, closures }
    if (exception?.kind === 'workday')
      return { date, status: 'working', name: exception.name, makeUp: true, closures }
    return { date, status: isoWeekday(date) <= 5 ? 'working' : 'rest', closures }
  }

  /** True when a whole-day closure covers the date. */
  closedAllDay(date: LocalDate): boolean {
    return this.closures.some((c) => c.date === date && !c.start && !c.end)
  }

  /**
   * The next `count` working days after `from` (exclusive), stopping at an unpublished day:
   * nothing past a year without a confirmed table is offered.
   */
  workingDaysAfter(from: LocalDate, count: number): LocalDate[] {
    const out: LocalDate[] = []
    let date = from
    for (let guard = 0; out.length < count && guard < 366; guard++) {
      date = addDays(date, 1)
      const info = this.day(date)
      if (info.status === 'unpublished') break
      if (info.status === 'working') out.push(date)
    }
    return out
  }
}

/** The holiday table's entries for one year, from chinese-days' "name,中文名,n" values. */
export function calendarYearFrom(
  year: number,
  holidays: Record<string, string>,
  workdays: Record<string, string>,
  source: string,
  now: Date
): CalendarYear {
  const name = (v: string) => v.split(',')[1] ?? v
  const days = [
    ...Object.entries(holidays)
      .filter(([d]) => d.startsWith(`${year}-`))
      .map(([date, v]) => ({ date, kind: 'holiday' as const, name: name(v) })),
    ...Object.entries(workdays)
      .filter(([d]) => d.startsWith(`${year}-`))
      .map(([date, v]) => ({ date, kind: 'workday' as const, name: name(v) }))
  ].sort((a, b) => a.date.localeCompare(b.date))
  return { _id: `cal-${year}`, year, days, source, confirmed: days.length > 0, updatedAt: now }
}
