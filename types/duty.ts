/**
 * The duty roster (值班表): per station and day, shifts with the officers on duty. A shift may run
 * past midnight (e.g. 17:30–08:30): it belongs to the day it starts. "Who is on duty now" is
 * computed in Asia/Shanghai whatever the server's zone.
 */
import { addDays, localDate, localTime, minutesOf, type LocalDate, type LocalTime } from './time'

export interface Shift {
  start: LocalTime
  end: LocalTime
  /** Staff ids (staff collection `_id`) on duty in this shift. */
  staffIds: string[]
}

export interface RosterDay {
  /** `${stationId}_${date}` */
  _id: string
  stationId: string
  date: LocalDate
  shifts: Shift[]
}

function covers(shift: Shift, minute: number, previousDay: boolean): boolean {
  const start = minutesOf(shift.start)
  const end = minutesOf(shift.end)
  const overnight = end <= start
  if (previousDay) return overnight && minute < end
  return overnight ? minute >= start : minute >= start && minute < end
}

/** Staff ids on duty at `now`, from the roster days of today and yesterday (overnight shifts). */
export function onDutyAt(days: readonly RosterDay[], stationId: string, now: Date | number): string[] {
  const today = localDate(now)
  const yesterday = addDays(today, -1)
  const minute = minutesOf(localTime(now))
  const ids = new Set<string>()
  for (const day of days) {
    if (day.stationId !== stationId) continue
    const previousDay = day.date === yesterday
    if (day.date !== today && !previousDay) continue
    for (const shift of day.shifts)
      if (covers(shift, minute, previousDay)) shift.staffIds.forEach((id) => ids.add(id))
  }
  return [...ids]
}

export interface DutyGap {
  /** ISO instants: from the first uncovered moment to the next covered one. */
  start: string
  end: string
}

/**
 * The stretches between `from` and `to` when nobody reachable is on the roster — checked every
 * `stepMinutes` (shifts start and end on the half hour). `reachable` says whether a member of
 * staff can get an alert at all (a WeChat grant or a mobile for text messages).
 */
export function dutyGaps(
  days: readonly RosterDay[],
  stationId: string,
  from: Date,
  to: Date,
  reachable: (staffId: string) => boolean,
  stepMinutes = 30
): DutyGap[] {
  const step = stepMinutes * 60_000
  const gaps: DutyGap[] = []
  let open: number | null = null
  const first = Math.floor(from.getTime() / step) * step
  for (let t = first; t < to.getTime(); t += step) {
    const covered = onDutyAt(days, stationId, t).some(reachable)
    if (!covered && open === null) open = t
    if (covered && open !== null) {
      gaps.push({ start: new Date(open).toISOString(), end: new Date(t).toISOString() })
      open = null
    }
  }
  if (open !== null)
    gaps.push({
      start: new Date(open).toISOString(),
      end: new Date(Math.ceil(to.getTime() / step) * step).toISOString()
    })
  return gaps
}
