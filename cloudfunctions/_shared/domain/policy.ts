/**
 * The booking policy as pure rules (defaults follow practice at real windows):
 * book from today (until a cut-off before the slot) up to N working days ahead; one active
 * booking a day and at most M at once; cancel or reschedule until a limit before the slot;
 * repeated no-shows suspend online booking, and the resident is told why and until when.
 * These functions judge the bookings they are given; that the judgement holds under concurrency
 * (bookings given are current, and the one-a-day rule backed by a unique index) is the caller's
 * part, described in docs/booking-rules.md.
 */
import { DEFAULT_PER_ACCOUNT_DAILY, type BookingPolicy } from '../../../types/appointment'
import type { ErrorCode } from '../../../types/errors'
import { addDays, localDate, type LocalDate } from '../../../types/time'
import type { AppointmentDoc } from '../documents'
import type { Calendar } from './calendar'

/** What the booking rules read of a resident's appointment. */
export type BookingLike = Pick<AppointmentDoc, '_id' | 'date' | 'startsAt' | 'status'> &
  Partial<Pick<AppointmentDoc, 'personKey'>>

export interface Refusal {
  code: ErrorCode
  message: string
  /** The resident's own booking that stands in the way (ONE_PER_DAY). */
  blockingAppointmentId?: string
}

/** The dates a resident may pick now: today (if a working or duty day) through N working days ahead. */
export function bookableDates(now: Date, calendar: Calendar, policy: BookingPolicy): LocalDate[] {
  const today = localDate(now)
  const ahead = calendar.workingDaysAfter(today, policy.maxWorkingDaysAhead)
  const last = ahead[ahead.length - 1]
  const dates: LocalDate[] = []
  for (let d = today; last !== undefined && d <= last; d = addDays(d, 1)) {
    if (calendar.day(d).status !== 'unpublished') dates.push(d)
  }
  if (last === undefined && calendar.day(today).status !== 'unpublished') dates.push(today)
  return dates
}

export function isActive(b: Pick<BookingLike, 'status'>): boolean {
  return b.status === 'booked'
}

/** Online booking suspended until this instant, or null. */
export function suspendedUntil(
  history: readonly BookingLike[],
  now: Date,
  policy: BookingPolicy
): Date | null {
  const day = 86_400_000
  const noShows = history
    .filter((b) => b.status === 'no_show' && b.startsAt.getTime() <= now.getTime())
    .map((b) => b.startsAt.getTime())
    .sort((a, b) => a - b)
  // Each run of `noShowLimit` no-shows within the window suspends from the last of them.
  let until: number | null = null
  for (let i = policy.noShowLimit - 1; i < noShows.length; i++) {
    const last = noShows[i] as number
    const first = noShows[i - policy.noShowLimit + 1] as number
    if (last - first <= policy.noShowWindowDays * day)
      until = Math.max(until ?? 0, last + policy.suspensionDays * day)
  }
  return until !== null && until > now.getTime() ? new Date(until) : null
}

/**
 * Whether this resident may book a slot starting at `startsAt` on `date`, given their bookings
 * (`mine`, any status) — `ignoreId` leaves out the booking being rescheduled.
 */
export function checkNewBooking(args: {
  now: Date
  date: LocalDate
  startsAt: Date
  calendar: Calendar
  policy: BookingPolicy
  mine: readonly BookingLike[]
  ignoreId?: string
  /** Who the booking serves (protect.ts `personKey`). */
  personKey?: string
}): Refusal | null {
  const { now, date, startsAt, calendar, policy } = args
  if (startsAt.getTime() <= now.getTime())
    return { code: 'SLOT_PAST', message: '这个时间已经过去了，请选择其他时间' }
  if (!bookableDates(now, calendar, policy).includes(date)) {
    return calendar.day(date).status === 'unpublished'
      ? { code: 'CALENDAR_UNPUBLISHED', message: '该日期的节假日安排尚未发布，暂不开放预约' }
      : { code: 'OUTSIDE_WINDOW', message: `只能预约今天起 ${policy.maxWorkingDaysAhead} 个工作日内的时间` }
  }
  if (startsAt.getTime() - now.getTime() < policy.sameDayCutoffMinutes * 60_000) {
    return { code: 'TOO_LATE', message: `请至少提前 ${policy.sameDayCutoffMinutes} 分钟预约` }
  }
  const until = suspendedUntil(args.mine, now, policy)
  if (until) {
    return {
      code: 'SUSPENDED',
      message: `您近 ${policy.noShowWindowDays} 天内有 ${policy.noShowLimit} 次预约未到场，在线预约暂停至 ${localDate(until)}，如需办理可直接到窗口取号`
    }
  }
  const active = args.mine.filter(
    (b) => isActive(b) && b._id !== args.ignoreId && b.startsAt.getTime() > now.getTime()
  )
  const sameDay = active.filter((b) => b.date === date)
  // Once a day per person served. A booking from before the rule was per person names nobody: it
  // counts as the same person, as it did then.
  const samePerson = sameDay.find((b) => !b.personKey || !args.personKey || b.personKey === args.personKey)
  if (samePerson)
    return {
      code: 'ONE_PER_DAY',
      message: '这位办事人当天已有预约，同一人一天只能预约一次，可改约已有的预约',
      blockingAppointmentId: samePerson._id
    }
  const perDay = policy.maxPerAccountDaily ?? DEFAULT_PER_ACCOUNT_DAILY
  if (sameDay.length >= perDay)
    return {
      code: 'ACCOUNT_DAILY_LIMIT',
      message: `一个微信号同一天最多为 ${perDay} 位办事人预约，请换一天或到窗口办理`
    }
  if (active.length >= policy.maxActive)
    return {
      code: 'TOO_MANY_ACTIVE',
      message: `最多同时保留 ${policy.maxActive} 个预约，请先取消或办结已有预约`
    }
  return null
}

/** Whether a booking may still be cancelled or moved by the resident. */
export function checkChange(now: Date, booking: BookingLike, policy: BookingPolicy): Refusal | null {
  if (booking.status !== 'booked')
    return { code: 'NOT_CHANGEABLE', message: '这个预约已签到、办结或取消，不能再更改' }
  if (booking.startsAt.getTime() - now.getTime() < policy.cancelBeforeMinutes * 60_000) {
    return {
      code: 'TOO_LATE_TO_CHANGE',
      message: `距预约时间不足 ${policy.cancelBeforeMinutes / 60} 小时，不能在线取消或改约，请致电窗口`
    }
  }
  return null
}
