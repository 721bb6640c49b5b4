/** The subscription messages about an appointment, as outbox entries (values by keyword name). */
import { pageUrl } from '../../types/routes'
import { clipThing } from '../../types/templates'
import { localDateTime } from '../../types/time'
import type { AppointmentDoc } from './documents'
import type { NewMessage } from './outbox'

/** What a message needs of an appointment. */
type AppointmentLike = Pick<
  AppointmentDoc,
  '_id' | 'openid' | 'serviceName' | 'date' | 'start' | 'code' | 'slotId' | 'requestId'
>

export type ReminderKind = 'evening' | 'hour'

const page = (id: string) => pageUrl('pages/booking-detail/index', { id })
const PLACE = '城关派出所户政窗口'

/**
 * Keyed by the request that chose the time (the booking's, then each reschedule's): a booking moved
 * away and back to a slot it held before is confirmed again, and a retried request is not.
 */
export function confirmationMessage(a: AppointmentLike, place = PLACE): NewMessage {
  return {
    dedupeKey: `confirm:${a._id}:${a.slotId}:${a.requestId}`,
    template: 'bookingConfirmed',
    touser: a.openid,
    page: page(a._id),
    values: {
      service: clipThing(a.serviceName),
      time: `${a.date} ${a.start}`,
      place: clipThing(place),
      code: a.code,
      tip: '请带齐材料，提前10分钟到达'
    },
    ref: { kind: 'appointment', id: a._id }
  }
}

/**
 * 候补成功: a waitlist entry was booked when a place freed. The booking confirmation's template,
 * with words of its own and a key naming the booking and its slot (so a later cancel or move of
 * it marks it superseded, as it does a confirmation).
 */
export function waitlistPromotedMessage(a: AppointmentLike, place = PLACE): NewMessage {
  return {
    dedupeKey: `waitlist:${a._id}:${a.slotId}`,
    template: 'bookingConfirmed',
    touser: a.openid,
    page: page(a._id),
    values: {
      service: clipThing(a.serviceName),
      time: `${a.date} ${a.start}`,
      place: clipThing(place),
      code: a.code,
      tip: '候补成功，已为您自动预约，请按时到达'
    },
    ref: { kind: 'appointment', id: a._id }
  }
}

export function reminderMessage(a: AppointmentLike, kind: ReminderKind, place = PLACE): NewMessage {
  return {
    dedupeKey: reminderKeys(a, a.slotId)[kind === 'evening' ? 0 : 1] ?? '',
    template: 'bookingReminder',
    touser: a.openid,
    page: page(a._id),
    values: {
      service: clipThing(a.serviceName),
      time: `${a.date} ${a.start}`,
      place: clipThing(place),
      tip: kind === 'evening' ? '明天请按时到窗口，记得带齐材料' : '1小时后请到窗口办理，预约码' + a.code
    },
    ref: { kind: 'appointment', id: a._id }
  }
}

/** The dedupe keys of an appointment's reminders for one slot (what a reschedule withdraws). */
export const reminderKeys = (a: Pick<AppointmentDoc, '_id'>, slotId: string): string[] =>
  (['evening', 'hour'] as const).map((kind) => `remind-${kind}:${a._id}:${slotId}`)

/** The resident's own cancel: their record of it in 我的消息 (and on WeChat, if they allowed it). */
export function residentCancelMessage(a: AppointmentLike, place = PLACE): NewMessage {
  return {
    dedupeKey: `cancel:${a._id}:${a.slotId}`,
    template: 'bookingCancelled',
    touser: a.openid,
    page: page(a._id),
    values: {
      service: clipThing(a.serviceName),
      time: `${a.date} ${a.start}`,
      reason: clipThing('您已取消此预约'),
      tip: clipThing(`${place}期待再次为您服务，可重新预约`)
    },
    ref: { kind: 'appointment', id: a._id }
  }
}

export function stationCancelMessage(a: AppointmentLike, reason: string): NewMessage {
  return {
    dedupeKey: `station-cancel:${a._id}:${a.slotId}`,
    template: 'bookingCancelled',
    touser: a.openid,
    page: page(a._id),
    values: {
      service: clipThing(a.serviceName),
      time: `${a.date} ${a.start}`,
      reason: clipThing(reason),
      tip: '给您带来不便，请重新预约'
    },
    ref: { kind: 'appointment', id: a._id }
  }
}

/** To an on-duty officer, when the station wants each new booking announced. */
export function bookingAlertMessage(a: AppointmentLike, staff: { _id: string; openid: string }): NewMessage {
  return {
    dedupeKey: `booking-alert:${a._id}:${a.slotId}:${staff._id}`,
    template: 'officerAlert',
    touser: staff.openid,
    page: pageUrl('officer/queue/index'),
    values: {
      kind: '新预约',
      service: clipThing(a.serviceName),
      time: `${a.date} ${a.start}`,
      note: clipThing(`预约码 ${a.code}`)
    },
    ref: { kind: 'appointment', id: a._id }
  }
}

/**
 * After a case is finished (an appointment, an emergency or after-hours request, a home visit):
 * the invitation to rate it (政务服务“好差评”). One per case.
 */
export function ratingInviteMessage(
  kind: 'appointment' | 'request',
  id: string,
  openid: string,
  serviceName: string,
  finishedAt: Date
): NewMessage {
  return {
    dedupeKey: `rating:${kind === 'appointment' ? '' : 'request:'}${id}`,
    template: 'ratingInvite',
    touser: openid,
    page: pageUrl('pages/rating/index', kind === 'appointment' ? { appointmentId: id } : { requestId: id }),
    values: {
      service: clipThing(serviceName),
      time: localDateTime(finishedAt),
      note: '请为本次服务打分，帮助我们改进'
    },
    ref: { kind, id }
  }
}
