/**
 * Puts staff on duty around the clock (a 00:00–00:00 shift) yesterday and today — yesterday too,
 * because a night shift that began yesterday covers this morning — written straight into the
 * local cloud's store, as a leader's saved roster would be.
 */
import type { LocalCloud } from '../../local-cloud/cloud'
import { addDays, localDate } from '../../types/time'

export function onDutyAllDay(
  cloud: Pick<LocalCloud, 'store'>,
  stationId: string,
  staffIds: string[],
  now = Date.now()
): void {
  const today = localDate(now)
  cloud.store.commit(
    [addDays(today, -1), today].map((date) => ({
      coll: 'rosters',
      id: `${stationId}_${date}`,
      doc: {
        _id: `${stationId}_${date}`,
        stationId,
        date,
        shifts: [{ start: '00:00', end: '00:00', staffIds }]
      }
    }))
  )
}
