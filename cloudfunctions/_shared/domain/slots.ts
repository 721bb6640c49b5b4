/**
 * The slots of one day at one station: office hours cut into slot-length pieces, one slot per
 * resource (window, capture room) with its capacity; extended-hours windows (延时服务) as
 * their own slots, marked as such; closures remove what they cover.
 */
import type { Slot, StationBooking } from '../../../types/appointment'
import type { Station } from '../../../types/guide'
import {
  instantAt,
  isoWeekday,
  minutesOf,
  timeOfMinutes,
  type LocalDate,
  type LocalTime
} from '../../../types/time'
import type { DayInfo } from './calendar'
import { optional } from '../fields'

/** A slot as the station's settings define it; the stored Slot adds the booked count. */
export type SlotDef = Omit<Slot, 'booked'>

export function slotId(stationId: string, date: LocalDate, start: LocalTime, resource: string): string {
  return `${stationId}_${date}_${start.replace(':', '')}_${resource}`
}

function cut(start: LocalTime, end: LocalTime, minutes: number): [LocalTime, LocalTime][] {
  const out: [LocalTime, LocalTime][] = []
  for (let t = minutesOf(start); t + minutes <= minutesOf(end); t += minutes)
    out.push([timeOfMinutes(t), timeOfMinutes(t + minutes)])
  return out
}

function closed(day: DayInfo, start: LocalTime, end: LocalTime): boolean {
  return day.closures.some(
    (c) => !c.start || !c.end || (minutesOf(c.start) < minutesOf(end) && minutesOf(start) < minutesOf(c.end))
  )
}

export function daySlots(
  station: Pick<Station, '_id' | 'officeHours'> & { booking: StationBooking },
  day: DayInfo
): SlotDef[] {
  if (day.status === 'unpublished') return []
  const { booking } = station
  const out: SlotDef[] = []
  const add = (
    start: LocalTime,
    end: LocalTime,
    resource: string,
    capacity: number,
    kind: SlotDef['kind'],
    label?: string
  ) => {
    if (capacity <= 0 || closed(day, start, end)) return
    out.push({
      _id: slotId(station._id, day.date, start, resource),
      stationId: station._id,
      date: day.date,
      start,
      end,
      startsAt: instantAt(day.date, start),
      resource,
      kind,
      ...optional({ label }),
      capacity
    })
  }
  // On a make-up working day (调休上班) the window keeps weekday hours whatever the weekday.
  const regularDay =
    day.status === 'working' && (day.makeUp || station.officeHours.weekdays.includes(isoWeekday(day.date)))
  if (regularDay) {
    for (const range of station.officeHours.ranges) {
      for (const [s, e] of cut(range.start, range.end, booking.slotMinutes)) {
        for (const r of booking.resources) add(s, e, r.key, r.capacity, 'regular')
      }
    }
  }
  for (const w of booking.extended) {
    if ((w.on === 'working') !== (day.status === 'working')) continue
    // Extended slots are served at the general window by the on-duty officer.
    for (const [s, e] of cut(w.start, w.end, booking.slotMinutes))
      add(s, e, 'duty', w.capacity, 'extended', w.label)
  }
  return out.sort((a, b) => a.start.localeCompare(b.start) || a.resource.localeCompare(b.resource))
}
