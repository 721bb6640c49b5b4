/**
 * One booking reminder, queued by the notify timer only while the booking is still what the timer
 * read: the timer reads the due bookings first and queues afterwards, and a reschedule or a cancel
 * may commit in between (docs/booking-rules.md, "Reminders against changes").
 */
import { collection, db, repo } from './db'
import { reminderMessage, type ReminderKind } from './booking-messages'
import type { AppointmentDoc } from './documents'
import { enqueue } from './outbox'

/**
 * Claims the reminder on the booking (a conditional update: still booked, still in the slot read,
 * not reminded yet), then queues it. Then reads the booking once more: a change that committed
 * between the claim and the queueing withdrew the old time's reminders before this one existed,
 * so this one is withdrawn here. Returns whether a reminder stands queued.
 */
export async function remindOnce(doc: AppointmentDoc, kind: ReminderKind, now: Date): Promise<boolean> {
  const _ = db().command
  const appointments = collection('appointments')
  const unchanged = { _id: doc._id, status: 'booked' as const, slotId: doc.slotId }
  const claim =
    kind === 'hour'
      ? appointments
          .where({ ...unchanged, remindedHour: _.exists(false) })
          .update({ data: { remindedHour: now } })
      : appointments
          .where({ ...unchanged, remindedEvening: _.exists(false) })
          .update({ data: { remindedEvening: now } })
  if ((await claim).stats.updated !== 1) return false
  const msg = reminderMessage(doc, kind, doc.place)
  try {
    await enqueue(msg, now)
  } catch (err) {
    // Not queued: the claim is given back, so the next timer run tries again.
    await appointments
      .where(unchanged)
      .update({ data: kind === 'hour' ? { remindedHour: _.remove() } : { remindedEvening: _.remove() } })
      .catch(() => undefined)
    throw err
  }
  const current = await repo('appointments').byId(doc._id)
  if (current?.status === 'booked' && current.slotId === doc.slotId) return true
  await collection('outbox').where({ dedupeKey: msg.dedupeKey, status: 'pending' }).remove()
  return false
}
