/**
 * The holiday table and the stations' closures as a `Calendar`, read through this instance's
 * one-minute caches: every function that counts working days or offers dates reads them here.
 */
import type { LocalDate } from '../../types/time'
import { localDate } from '../../types/time'
import { cached, cachedByKey } from './cache'
import { collection, db } from './db'
import { Calendar } from './domain/calendar'

/** How long a warm instance trusts what it read. */
export const CALENDAR_TTL_MS = 60_000

/** Every year of the holiday table (one document a year). */
export const holidayYears = cached(
  CALENDAR_TTL_MS,
  async () => (await collection('calendars').where({}).limit(100).get()).data
)

/** The holiday table alone (working days, no closures); `fresh` reads it now. */
export async function holidayCalendar(fresh = false): Promise<Calendar> {
  if (fresh) holidayYears.clear()
  return new Calendar(await holidayYears.get())
}

/** The station's calendar between two dates: the cached holiday table, the closures read now. */
export async function stationCalendar(stationId: string, from: LocalDate, to: LocalDate): Promise<Calendar> {
  const _ = db().command
  const [years, closures] = await Promise.all([
    holidayYears.get(),
    collection('closures')
      .where({ stationId, date: _.and(_.gte(from), _.lte(to)) })
      .limit(1000)
      .get()
  ])
  return new Calendar(years, closures.data)
}

const upcomingClosures = cachedByKey(
  CALENDAR_TTL_MS,
  async (stationId) =>
    (
      await collection('closures')
        .where({ stationId, date: db().command.gte(localDate(new Date())) })
        .limit(1000)
        .get()
    ).data
)

/**
 * The calendar a booking is checked against, entirely from the caches (no database request on a
 * warm instance). A closure added meanwhile is still refused: addClosure marks the slots it
 * covers, and booking reads that mark inside its transaction (docs/booking-rules.md).
 */
export async function bookingCalendar(stationId: string): Promise<Calendar> {
  const [years, closures] = await Promise.all([holidayYears.get(), upcomingClosures(stationId)])
  return new Calendar(years, closures)
}
