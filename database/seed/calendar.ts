/**
 * The holiday table (节假日与调休) seeded from the npm package chinese-days (2004–2026 as
 * published by the State Council). Later years are added by a supervisor when announced (usually
 * in November); until then they are "not yet published" and not opened for booking.
 */
import data from 'chinese-days/dist/chinese-days.json'
import type { CalendarYear } from '../../types/appointment'
import { calendarYearFrom } from '../../cloudfunctions/_shared/domain/calendar'

export const SEEDED_YEARS = [2024, 2025, 2026]

const seededAt = new Date('2026-11-01T00:00:00Z')

export const calendarYears: CalendarYear[] = SEEDED_YEARS.map((year) =>
  calendarYearFrom(
    year,
    data.holidays as Record<string, string>,
    data.workdays as Record<string, string>,
    'chinese-days 1.5.7',
    seededAt
  )
)
