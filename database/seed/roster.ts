/**
 * The demo station's on-call rota (fictional): someone reachable at every hour, so that a green-
 * channel request tried by a newcomer at any hour — 22:00 on a Sunday included — reaches an
 * officer. 李警官 takes the day (08:00–20:00), 赵警官 the night (20:00–08:00), every day of the
 * week; 周所长 is the last resort when the rota names nobody. Both officers have mobiles in the
 * demo staff, so an alert WeChat cannot deliver reaches them as a text message.
 *
 * Roster days are dated, so the demo cannot ship them as fixed seed data: the local cloud's
 * starter tops them up for the coming weeks at every start (only days that have no roster yet).
 */
import type { RosterDay } from '../../types/duty'
import { addDays, type LocalDate } from '../../types/time'
import { DEMO_STATION_ID } from './stations'

export const DEMO_ROTA_WEEKS = 8

export function demoRosterDays(from: LocalDate, days = DEMO_ROTA_WEEKS * 7): RosterDay[] {
  return Array.from({ length: days }, (_, i) => {
    const date = addDays(from, i)
    return {
      _id: `${DEMO_STATION_ID}_${date}`,
      stationId: DEMO_STATION_ID,
      date,
      shifts: [
        { start: '08:00', end: '20:00', staffIds: ['staff-officer-li'] },
        { start: '20:00', end: '08:00', staffIds: ['staff-officer-zhao'] }
      ]
    }
  })
}
