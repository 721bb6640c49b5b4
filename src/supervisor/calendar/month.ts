/**
 * One month of the holiday table as the calendar page draws it: each day's kind (a working day, a
 * weekend rest day, a statutory holiday, a make-up working day 调休上班) and the station's
 * closures that day. A year without a confirmed table still shows its days — as 待确认 or 未发布 —
 * so a supervisor can check a newly loaded year before confirming it; booking stays closed until
 * then (docs/booking-rules.md).
 */
import type { CalendarYear, Closure } from '../../../types/appointment'
import { addDays, isoWeekday, type LocalDate } from '../../../types/time'

export type DayKind = 'working' | 'rest' | 'holiday' | 'makeup'

export interface MonthDay {
  date: LocalDate
  kind: DayKind
  /** The holiday's or make-up day's name (元旦, 春节…). */
  name?: string
  closures: Closure[]
}

export const KIND_LABELS: Record<DayKind, string> = {
  working: '工作日',
  rest: '休息日',
  holiday: '法定节假日',
  makeup: '调休上班'
}

/** "2026-12" → its days in order; `table` is that year's (if loaded). */
export function monthDays(
  year: number,
  month: number,
  table: Pick<CalendarYear, 'days'> | undefined,
  closures: readonly Closure[]
): MonthDay[] {
  const first = `${year}-${String(month).padStart(2, '0')}-01`
  const out: MonthDay[] = []
  for (let date = first; date.slice(0, 7) === first.slice(0, 7); date = addDays(date, 1)) {
    const exception = table?.days.find((d) => d.date === date)
    const kind: DayKind =
      exception?.kind === 'holiday'
        ? 'holiday'
        : exception?.kind === 'workday'
          ? 'makeup'
          : isoWeekday(date) <= 5
            ? 'working'
            : 'rest'
    out.push({
      date,
      kind,
      ...(exception ? { name: exception.name } : {}),
      closures: closures.filter((c) => c.date === date)
    })
  }
  return out
}

/** Empty cells before the 1st, so that columns run Monday to Sunday. */
export function leadingBlanks(days: readonly MonthDay[]): number {
  return days[0] ? isoWeekday(days[0].date) - 1 : 0
}

/** The month after (+1) or before (-1), across years. */
export function stepMonth(year: number, month: number, by: 1 | -1): { year: number; month: number } {
  const m = month + by
  return m > 12 ? { year: year + 1, month: 1 } : m < 1 ? { year: year - 1, month: 12 } : { year, month: m }
}
