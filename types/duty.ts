/**
 * The duty roster (值班表): per station and day, shifts with the officers on duty. A shift may run
 * past midnight (e.g. 17:30–08:30): it belongs to the day it starts. "Who is on duty now" is
 * computed in Asia/Shanghai whatever the server's zone. The roster is edited a week (Monday to
 * Sunday) at a time; see docs/alerts.md for the on-call rule it carries.
 */
import {
  addDays,
  instantAt,
  isoWeekday,
  localDate,
  localTime,
  minutesOf,
  type LocalDate,
  type LocalTime
} from './time'

export interface Shift {
  start: LocalTime
  end: LocalTime
  /** Staff ids (staff collection `_id`) on duty in this shift. */
  staffIds: string[]
  /**
   * 备勤: on call away from the window (e.g. at night) rather than at the window (值班). Both get
   * the green channel's alerts for the hours they cover; absent means at the window.
   */
  onCall?: boolean
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

/** The Monday of the week holding `date` (weeks run Monday to Sunday). */
export function weekStart(date: LocalDate): LocalDate {
  return addDays(date, 1 - isoWeekday(date))
}

/** The seven dates of the week starting `monday`. */
export function weekDates(monday: LocalDate): LocalDate[] {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i))
}

/** A stretch of one day in minutes from its midnight (0–1440), and whether it is on call. */
export interface DaySegment {
  from: number
  to: number
  onCall: boolean
}

/**
 * The hours `staffId` is rostered on `date` (Shanghai): the day's own shifts up to midnight, and
 * the morning part of an overnight shift begun the day before. Sorted by start. `days` are one
 * station's.
 */
export function daySegments(days: readonly RosterDay[], date: LocalDate, staffId: string): DaySegment[] {
  const yesterday = addDays(date, -1)
  const shiftsOn = (d: LocalDate) => days.filter((day) => day.date === d).flatMap((day) => day.shifts)
  const out: DaySegment[] = []
  for (const s of shiftsOn(yesterday)) {
    const start = minutesOf(s.start)
    const end = minutesOf(s.end)
    if (end <= start && end > 0 && s.staffIds.includes(staffId))
      out.push({ from: 0, to: end, onCall: !!s.onCall })
  }
  for (const s of shiftsOn(date)) {
    if (!s.staffIds.includes(staffId)) continue
    const start = minutesOf(s.start)
    const end = minutesOf(s.end)
    out.push({ from: start, to: end <= start ? 1440 : end, onCall: !!s.onCall })
  }
  return out.sort((a, b) => a.from - b.from)
}

/** The stretches of `date` (minutes from midnight) that a list of gaps covers. */
export function gapSegments(gaps: readonly DutyGap[], date: LocalDate): { from: number; to: number }[] {
  const dayStart = instantAt(date, '00:00').getTime()
  const dayEnd = dayStart + 86_400_000
  return gaps
    .map((g) => ({ from: Math.max(Date.parse(g.start), dayStart), to: Math.min(Date.parse(g.end), dayEnd) }))
    .filter((g) => g.from < g.to)
    .map((g) => ({ from: (g.from - dayStart) / 60_000, to: (g.to - dayStart) / 60_000 }))
}

/** Gaps of a whole week (Monday 00:00 to the next Monday 00:00, Shanghai). */
export function weekGaps(
  days: readonly RosterDay[],
  stationId: string,
  monday: LocalDate,
  reachable: (staffId: string) => boolean
): DutyGap[] {
  return dutyGaps(
    days,
    stationId,
    instantAt(monday, '00:00'),
    instantAt(addDays(monday, 7), '00:00'),
    reachable
  )
}

/** Whether two days carry the same shifts (same times, kinds and people, in order). */
export function sameShifts(a: readonly Shift[], b: readonly Shift[]): boolean {
  const key = (list: readonly Shift[]) =>
    JSON.stringify(list.map((s) => [s.start, s.end, !!s.onCall, [...s.staffIds].sort()]))
  return key(a) === key(b)
}
