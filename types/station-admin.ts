/**
 * The `station` function: the holiday table and station closures, kept by leaders and supervisors.
 */
import './zod'
import * as z from 'zod/mini'
import type { CalendarYear, Closure } from './appointment'
import { RequestId } from './appointment'
import { DocId } from './guide'
import { isLocalDate, isLocalTime } from './time'

const LocalDateSchema = z.string().check(z.refine(isLocalDate))
const LocalTimeSchema = z.string().check(z.refine(isLocalTime))
const Year = z.number().check(z.int(), z.gte(2004), z.lte(2099))

export const stationInputs = {
  /** Every year of the table with its status (confirmed, awaiting confirmation). */
  calendars: z.strictObject({}),
  /** Loads or corrects a year's holidays and make-up working days; it then awaits confirmation. */
  saveCalendarYear: z.strictObject({
    year: Year,
    days: z
      .array(
        z.strictObject({
          date: LocalDateSchema,
          kind: z.enum(['holiday', 'workday']),
          name: z.string().check(z.trim(), z.minLength(1), z.maxLength(20))
        })
      )
      .check(z.maxLength(60)),
    source: z.string().check(z.trim(), z.minLength(1), z.maxLength(100))
  }),
  /** Opens a year for booking. */
  confirmCalendarYear: z.strictObject({ year: Year }),
  closures: z.strictObject({ stationId: DocId, from: LocalDateSchema, to: LocalDateSchema }),
  /**
   * Closes the window for a day or part of it — or, with `to`, for each day from `date` to `to`
   * (at most 31 days, the same hours each day); bookings it covers are cancelled and told why.
   */
  addClosure: z.strictObject({
    requestId: RequestId,
    stationId: DocId,
    date: LocalDateSchema,
    to: z.optional(LocalDateSchema),
    start: z.optional(LocalTimeSchema),
    end: z.optional(LocalTimeSchema),
    reason: z.string().check(z.trim(), z.minLength(1, 'INVALID_INPUT'), z.maxLength(20, 'INVALID_INPUT'))
  })
}

export interface StationOutputs {
  calendars: (Pick<CalendarYear, 'year' | 'confirmed' | 'source' | 'days'> & { updatedAt: string })[]
  saveCalendarYear: { year: number; confirmed: boolean; days: number }
  confirmCalendarYear: { year: number; confirmed: true }
  closures: Closure[]
  /** `closure` is the first day's; `closures` every day's. `cancelled` counts the bookings of them all. */
  addClosure: { closure: Closure; closures: Closure[]; cancelled: number }
}
