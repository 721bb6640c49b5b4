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
    for (const shift of day.shifts) if (covers(shift, minute, previousDay)) shift.staffIds.forEach((id) => ids.add(id))
  }
  return [...ids]
}
