/** Whether the station's window is open now, in words for its card. Plain TypeScript, unit-tested. */
import type { Station, StationDay } from '../../types/guide'
import { isoWeekday, localDate, localTime, minutesOf } from '../../types/time'

/** What the station's calendar says of today: working or rest day, and any closure. */
export type DayKind = Pick<StationDay, 'status' | 'name' | 'closures'>

/**
 * Whether the window is open at `now` (Shanghai time): a working day by the station's calendar
 * when it knows today (`today`: the holiday table and closures), else by the station's weekdays;
 * then within one of the office-hour ranges and outside any closure.
 */
export function openStatus(
  station: Pick<Station, 'officeHours'>,
  now: Date,
  today?: DayKind
): { open: boolean; text: string } {
  const date = localDate(now)
  const known = today && today.status !== 'unpublished'
  const working = known ? today.status === 'working' : station.officeHours.weekdays.includes(isoWeekday(date))
  if (!working) return { open: false, text: today?.name ? `今日${today.name}休息` : '今日休息' }
  const minute = minutesOf(localTime(now))
  const allDay = today?.closures?.find((c) => !c.start && !c.end)
  if (allDay) return { open: false, text: `今日暂停办公（${allDay.reason}）` }
  const closedNow = today?.closures?.find(
    (c) => minutesOf(c.start ?? '00:00') <= minute && minute < minutesOf(c.end ?? '24:00')
  )
  if (closedNow)
    return { open: false, text: `暂停办公至 ${closedNow.end ?? '今日下班'}（${closedNow.reason}）` }
  const ranges = [...station.officeHours.ranges].sort((a, b) => minutesOf(a.start) - minutesOf(b.start))
  const current = ranges.find((r) => minutesOf(r.start) <= minute && minute < minutesOf(r.end))
  if (current) return { open: true, text: `办公中 · ${current.end} 休息` }
  const next = ranges.find((r) => minute < minutesOf(r.start))
  if (next) return { open: false, text: `休息中 · ${next.start} 开始办公` }
  return { open: false, text: '今日已下班' }
}
