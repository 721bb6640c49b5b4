/** An appointment as stored (collection `appointments`), shared by the functions that read it. */
import type { AppointmentStatus, Relation, Slot, SlotKind } from '../../types/appointment'
import type { LocalDate, LocalTime } from '../../types/time'

export interface AppointmentDoc {
  _id: string
  openid: string
  stationId: string
  /** The station's short name, for messages. */
  place: string
  serviceId: string
  serviceName: string
  slotId: string
  date: LocalDate
  start: LocalTime
  end: LocalTime
  startsAt: Date
  kind: SlotKind
  label?: string
  resource: string
  code: string
  status: AppointmentStatus
  /** `${openid}|${date}` while active: a unique index keeps one active booking a day. */
  dayKey: string
  applicant: {
    name: string
    mobile: string
    relation: Relation
    idNumberProtected?: string
    idMasked?: string
  }
  materials: { name: string; note?: string; required: boolean }[]
  consentAt: Date
  createdAt: Date
  updatedAt: Date
  requestId: string
  rescheduledFrom?: { date: LocalDate; start: LocalTime; slotId: string }
  cancelledAt?: Date
  cancelledBy?: 'resident' | 'station'
  /** When the reminders were queued (the evening before, one hour before). */
  remindedEvening?: Date
  remindedHour?: Date
}

/**
 * A slot as stored (collection `slots`): the places held, and whether a closure has closed it.
 * `station.addClosure` marks each slot it covers inside a transaction before it cancels what is
 * booked there; booking refuses a marked slot in its own transaction, so the two cannot both win
 * (docs/booking-rules.md).
 */
export interface SlotDoc extends Slot {
  closed?: boolean
  /** The closure that closed it. */
  closureId?: string
  updatedAt?: Date
}
