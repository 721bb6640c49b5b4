/**
 * What the booking actions and the waitlist share: the cached station and service, the resident's
 * bookings the policy reads, the person's day key and the resident's booking guard
 * (docs/booking-rules.md).
 */
import type { ServiceItem, Station } from '../../types/guide'
import { cachedByKey } from '../_shared/cache'
import { CALENDAR_TTL_MS } from '../_shared/calendars'
import { collection, db, digestId, repo } from '../_shared/db'
import type { AppointmentDoc } from '../_shared/documents'
import { AppError } from '../_shared/handler'
import { inactiveDayKey } from '../_shared/appointment-doc'

const stationById = cachedByKey(CALENDAR_TTL_MS, (id) => repo('stations').byId(id))
const serviceById = cachedByKey(CALENDAR_TTL_MS, (id) => repo('services').byId(id))

export async function service(id: string): Promise<ServiceItem> {
  const found = await serviceById(id)
  if (!found) throw new AppError('NOT_FOUND', '没有找到这个办事事项')
  return found
}

export async function station(id: string): Promise<Station> {
  const found = await stationById(id)
  if (!found) throw new AppError('NOT_FOUND', '没有找到这个派出所窗口')
  return found
}

/** The resident's bookings that matter to the policy: upcoming, and the last 120 days (no-shows). */
export async function mine(openid: string, now: Date): Promise<AppointmentDoc[]> {
  const _ = db().command
  const since = new Date(now.getTime() - 120 * 86_400_000)
  return (
    await collection('appointments')
      .where({ openid, startsAt: _.gte(since) })
      .orderBy('startsAt', 'desc')
      .limit(200)
      .get()
  ).data
}

/**
 * The booking that holds this person's day key on this date, whoever made it (the key is unique
 * while a booking is active, and rewritten when it stops being), or null. A finished booking is
 * returned too until its key is released (`releaseFinishedDay`).
 */
export async function dayHolder(key: string, date: string): Promise<AppointmentDoc | null> {
  return (
    (
      await collection('appointments')
        .where({ dayKey: `${key}|${date}` })
        .limit(1)
        .get()
    ).data[0] ?? null
  )
}

/**
 * A finished case does not hold its person's day (docs/booking-rules.md): its key is released, by
 * a conditional update that only a still-finished booking with that key matches, when a new
 * booking of the same person that day needs it. True when the key is free now.
 */
export async function releaseFinishedDay(holder: AppointmentDoc): Promise<boolean> {
  if (holder.status !== 'done') return false
  await collection('appointments')
    .where({ _id: holder._id, status: 'done', dayKey: holder.dayKey })
    .update({ data: { dayKey: inactiveDayKey(holder) } })
  return true
}

/**
 * One document per resident (collection `bookingGuards`), written by each of their bookings inside
 * the booking's transaction: two bookings of one resident can never commit side by side, so the
 * second re-reads the first before it checks the limits. Its id is a digest: it holds no OPENID.
 */
export function guardId(openid: string): string {
  return digestId('bg', `booking-guard:${openid}`)
}

export { inactiveDayKey }

export function withoutId<T extends { _id: string }>(doc: T): Omit<T, '_id'> {
  const { _id, ...rest } = doc
  void _id
  return rest
}
