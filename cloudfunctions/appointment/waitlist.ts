/**
 * 候补 — a full slot's waitlist. A place freed by a cancel or a move goes, in the transaction that
 * frees it, to the first waiting entry that every booking rule still allows; it never goes back to
 * the open pool while such an entry waits. Entries that can no longer be honoured are marked with
 * why and passed over. The rules and why no race gets past them: docs/booking-rules.md, "Waitlist".
 */
import type { Transaction } from 'wx-server-sdk'
import { slotDate, type WaitlistEntryView } from '../../types/appointment'
import type { Station } from '../../types/guide'
import { maskMobile } from '../../types/identity'
import { bookingAlertMessage, waitlistPromotedMessage } from '../_shared/booking-messages'
import { firstRecipients } from '../_shared/escalation'
import { bookingCalendar } from '../_shared/calendars'
import { collection, db, idempotentId, txGet } from '../_shared/db'
import { newBookingCode } from '../_shared/domain/booking-code'
import { checkNewBooking } from '../_shared/domain/policy'
import { daySlots } from '../_shared/domain/slots'
import type { AppointmentDoc, SlotDoc, WaitlistDoc } from '../_shared/documents'
import { optional } from '../_shared/fields'
import { enqueueInTransaction } from '../_shared/outbox'
import { dayHolder, guardId, mine, releaseFinishedDay, service } from './bookings'

/** How many waiting entries one freed place looks at, in order, before the place goes back to the pool. */
const CANDIDATES = 20

/**
 * The booking a promoted entry becomes: one id for each time the entry joined, so no entry is ever
 * booked twice for one joining (the database refuses a second document with the same id).
 */
function bookingIdFor(entry: WaitlistDoc): string {
  return idempotentId('ap', entry.openid, `waitlist:${entry._id}:${new Date(entry.joinedAt).getTime()}`)
}

/**
 * Why this entry cannot take the place now, as the status to mark it with, or null when it can.
 * The same rules as a booking (the policy on the resident's bookings, one booking a day per
 * person), read after the caller's transaction began; the promotion then writes the resident's
 * guard, so a booking of theirs committing meanwhile conflicts and this runs again.
 */
async function refusalFor(
  entry: WaitlistDoc,
  st: Station,
  now: Date,
  freedBookingId: string
): Promise<Pick<WaitlistDoc, 'status' | 'reasonCode' | 'reason'> | null> {
  if (now.getTime() >= new Date(entry.closesAt).getTime()) return { status: 'expired' }
  const calendar = await bookingCalendar(st._id)
  const refusal = checkNewBooking({
    now,
    date: entry.date,
    startsAt: new Date(entry.startsAt),
    calendar,
    policy: st.booking.policy,
    mine: await mine(entry.openid, now),
    // The booking being cancelled or moved away is still booked as far as a plain read can tell.
    ignoreId: freedBookingId,
    personKey: entry.personKey
  })
  if (refusal) return { status: 'skipped', reasonCode: refusal.code, reason: refusal.message }
  const holder = await dayHolder(entry.personKey, entry.date)
  if (holder && holder._id !== freedBookingId && !(await releaseFinishedDay(holder)))
    return { status: 'skipped', reasonCode: 'ONE_PER_DAY', reason: '这位办事人当天已有其他预约' }
  return null
}

/**
 * Frees one place of a slot inside the caller's transaction (a cancel, or a move away). The place
 * goes straight to the first eligible waiting entry: its booking is added, the entry marked
 * promoted and the 候补成功 message queued, all in this transaction; the slot's count then stays
 * as it was. With nobody eligible waiting, or a slot a closure has closed, the place is released.
 * Returns the booking made, if any.
 */
export async function freePlace(
  tx: Transaction,
  slotId: string,
  now: Date,
  st: Station,
  freedBookingId: string
): Promise<AppointmentDoc | null> {
  const slot = await txGet(tx, 'slots', slotId)
  if (!slot || slot.booked <= 0) return null
  // Against the station's capacity now, not the one stored when the slot was first held: a slot
  // the station made smaller (an officer fewer) promotes nobody until it is below its new size.
  const capacity = await capacityNow(st, slotId)
  const promoted =
    !slot.closed && slot.booked - 1 < capacity ? await promote(tx, slot, now, st, freedBookingId) : null
  await tx
    .collection('slots')
    .doc(slotId)
    .update({ data: promoted ? { updatedAt: now } : { booked: db().command.inc(-1), updatedAt: now } })
  return promoted
}

/** The slot's capacity by the station's settings today; 0 when the slot is no longer offered. */
async function capacityNow(st: Station, slotId: string): Promise<number> {
  const date = slotDate(slotId)
  if (!date) return 0
  const calendar = await bookingCalendar(st._id)
  return daySlots(st, calendar.day(date)).find((s) => s._id === slotId)?.capacity ?? 0
}

async function promote(
  tx: Transaction,
  slot: SlotDoc,
  now: Date,
  st: Station,
  freedBookingId: string
): Promise<AppointmentDoc | null> {
  // A plain read (queries do not take part in a transaction): each candidate is read again in the
  // transaction before its status changes, and every write below conflicts with any other change.
  const waiting = (
    await collection('waitlist')
      .where({ slotId: slot._id, status: 'waiting' })
      .orderBy('joinedAt', 'asc')
      .limit(CANDIDATES)
      .get()
  ).data
  for (const candidate of waiting) {
    const entry = await txGet(tx, 'waitlist', candidate._id)
    if (!entry || entry.status !== 'waiting') continue
    const refusal = await refusalFor(entry, st, now, freedBookingId)
    if (refusal) {
      await tx
        .collection('waitlist')
        .doc(entry._id)
        .update({ data: { ...refusal, updatedAt: now } })
      continue
    }
    const svc = await service(entry.serviceId)
    const booking: AppointmentDoc = {
      _id: bookingIdFor(entry),
      openid: entry.openid,
      stationId: entry.stationId,
      place: st.shortName,
      serviceId: entry.serviceId,
      serviceName: entry.serviceName,
      slotId: slot._id,
      date: slot.date,
      start: slot.start,
      end: slot.end,
      startsAt: new Date(slot.startsAt),
      kind: slot.kind,
      ...optional({ label: slot.label }),
      resource: slot.resource,
      code: newBookingCode(),
      status: 'booked',
      dayKey: `${entry.personKey}|${slot.date}`,
      personKey: entry.personKey,
      applicant: entry.applicant,
      materials: svc.materials.map((m) => ({
        name: m.name,
        required: m.required,
        ...optional({ note: m.note })
      })),
      consentAt: entry.consentAt,
      createdAt: now,
      updatedAt: now,
      requestId: `waitlist-${entry._id}`
    }
    await tx
      .collection('bookingGuards')
      .doc(guardId(entry.openid))
      .set({ data: { lastBookingId: booking._id, updatedAt: now } })
    await tx.collection('appointments').add({ data: { ...booking } })
    await tx
      .collection('waitlist')
      .doc(entry._id)
      .update({
        data: { status: 'promoted', appointmentId: booking._id, promotedAt: now, updatedAt: now }
      })
    await enqueueInTransaction(tx, waitlistPromotedMessage(booking, st.shortName), now)
    // A booking like any other: the officers are told of it when the station asks for that.
    const officers = st.booking.alertOfficersOnBooking ? await firstRecipients(st._id, now) : []
    for (const officer of officers) await enqueueInTransaction(tx, bookingAlertMessage(booking, officer), now)
    return booking
  }
  return null
}

/** The entry as the resident sees it: a waiting entry past the cut-off reads expired. */
export function waitlistView(doc: WaitlistDoc, now: Date): WaitlistEntryView {
  const closed = now.getTime() >= new Date(doc.closesAt).getTime()
  const status = doc.status === 'waiting' && closed ? 'expired' : doc.status
  return {
    _id: doc._id,
    status,
    serviceId: doc.serviceId,
    serviceName: doc.serviceName,
    slotId: doc.slotId,
    date: doc.date,
    start: doc.start,
    end: doc.end,
    applicant: {
      name: doc.applicant.name,
      mobileMasked: maskMobile(doc.applicant.mobile),
      relation: doc.applicant.relation,
      ...optional({ idMasked: doc.applicant.idMasked })
    },
    closesAt: new Date(doc.closesAt).toISOString(),
    joinedAt: new Date(doc.joinedAt).toISOString(),
    ...optional({
      appointmentId: doc.appointmentId,
      reason: status === 'skipped' ? doc.reason : undefined
    })
  }
}
