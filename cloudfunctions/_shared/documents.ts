/**
 * What the database holds: one document type per collection, and `CollectionDocs`, the map from a
 * collection's name to its document type. The typed accessors in `db.ts` (`collection`, `repo`,
 * `txGet`) and the declarations in `database/collections.ts` are both keyed by this map, so a
 * collection declared on one side and missing on the other does not typecheck
 * (docs/decisions/data-layer.md).
 */
import type {
  AppointmentStatus,
  CalendarYear,
  Closure,
  Relation,
  Slot,
  SlotKind,
  WaitlistStatus
} from '../../types/appointment'
import type { RosterDay } from '../../types/duty'
import type { FeedbackKind, FeedbackStatus } from '../../types/feedback'
import type { ServiceItem, Station } from '../../types/guide'
import type { BusinessType, CaseKind, RatingLevel, RatingTag } from '../../types/ratings'
import type { Staff, StaffRole } from '../../types/staff'
import type { LocalDate, LocalTime } from '../../types/time'
import type { AuditDoc } from './audit'
import type { FollowUpDoc } from './domain/follow-ups'
import type { QuestionDoc, Who } from './domain/questions'
import type { RollupDoc } from './domain/ratings'
import type { RequestDoc } from './escalation'
import type { GrantCountDoc, OutboxRecord } from './outbox'
import type { DailyRunDoc } from './retention'
import type { QueueSettings, TicketKind, TicketStatus } from '../../types/queue'
import type { QueueEntry } from './domain/queue'
import type { CardStage, Delivery } from '../../types/cards'
import type { PrereviewDoc } from './domain/prereview'

/**
 * An appointment as stored (collection `appointments`): what booking writes, and what the
 * window's queue adds as the resident is checked in, served and finished. The one type every
 * function reads it as.
 */
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
  /**
   * `${personKey}|${date}` while active: a unique index keeps one active booking a day per person
   * served (bookings made before the rule was per person have `${openid}|${date}`).
   */
  dayKey: string
  /** Who is served (protect.ts `personKey`): no ID number or name in it. Absent on older bookings. */
  personKey?: string
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
  /** A closure's reason, when the station cancelled it. */
  cancelReason?: string
  /** When the reminders were queued (the evening before, one hour before). */
  remindedEvening?: Date
  remindedHour?: Date
  /* The window's queue (staff ids in the *By fields). */
  checkedInAt?: Date
  checkedInBy?: string
  /** null from check-in until the officer starts serving. */
  startedAt?: Date | null
  startedBy?: string
  finishedAt?: Date
  finishedBy?: string
  note?: string
  noShowAt?: Date
  noShowBy?: string
  /** Set once the retention purge erased the applicant's personal data. */
  purgedAt?: Date
  /** The pre-review linked to it (材料预审), and whether it passed: the window shows 材料已预审. */
  prereviewId?: string
  prereviewPassed?: boolean
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
  /** When someone last joined its waitlist (the join writes the slot, so it never crosses a cancel). */
  waitlistAt?: Date
  updatedAt?: Date
}

/** A station as stored: what the guide shows, and the station's own limit for accepting requests. */
export type StationDoc = Station & {
  /** Minutes before a request nobody has taken escalates (default DEFAULT_ACCEPT_MINUTES). */
  requestAcceptMinutes?: number
  /** The queue's lines and merge limit (default DEFAULT_QUEUE, types/queue.ts). */
  queue?: QueueSettings
}

/** A member of staff as stored: the role record, and how they came and went. */
export interface StaffDoc extends Staff {
  /** The invite they bound (`inv-<code>`). */
  inviteId?: string
  /** The first supervisor, created from configuration rather than an invite. */
  fromConfiguration?: boolean
  createdAt?: Date
  updatedAt?: Date
  deactivatedAt?: Date
  deactivatedAtLocal?: string
  deactivatedBy?: string
  deactivationReason?: string
}

/** A one-time invite code (`_id` is `inv-<code>`). */
export interface InviteDoc {
  _id: string
  code: string
  role: StaffRole
  stationId: string
  createdBy: string
  createdAt: Date
  expiresAt: Date
  usedBy?: string
  usedAt?: Date
}

/**
 * A common applicant (常用办事人) a resident saved, with their consent, to book for them again in
 * one tap: their own records only. The ID number is stored protected and shown masked, as on a
 * booking; `_id` derives from the account and the person (`personKey`), so saving again updates.
 */
export interface ApplicantDoc {
  _id: string
  openid: string
  personKey: string
  name: string
  mobile: string
  relation: Relation
  idNumberProtected?: string
  idMasked?: string
  consentAt: Date
  createdAt: Date
  updatedAt: Date
}

/**
 * A place on a full slot's waitlist (候补, collection `waitlist`): the applicant's details kept
 * exactly as a booking keeps them (the ID number protected, shown masked), so that the booking
 * made when a place frees is the one the resident asked for. `_id` derives from the account, the
 * slot and the person: joining again is the same entry. Its status changes only inside a
 * transaction that reads it first, so no entry is promoted twice (docs/booking-rules.md).
 */
export interface WaitlistDoc {
  _id: string
  openid: string
  stationId: string
  serviceId: string
  serviceName: string
  slotId: string
  date: LocalDate
  start: LocalTime
  end: LocalTime
  startsAt: Date
  /** The slot's booking cut-off: the list closes then. */
  closesAt: Date
  personKey: string
  applicant: AppointmentDoc['applicant']
  status: WaitlistStatus
  consentAt: Date
  /** The order on the list: when the resident (last) joined. */
  joinedAt: Date
  createdAt: Date
  updatedAt: Date
  /** The booking made for it (status promoted). */
  appointmentId?: string
  promotedAt?: Date
  /** Why it was skipped: the refusal's code and its words. */
  reasonCode?: string
  reason?: string
  leftAt?: Date
}

/**
 * One per resident for their bookings (`lastBookingId`), and one per resident for their common
 * applicants (`lastApplicantId`, an id of its own): written inside each booking or save, so two of
 * one resident never commit side by side.
 */
export interface BookingGuardDoc {
  _id: string
  lastBookingId: string
  lastApplicantId?: string
  updatedAt: Date
}

/** One per resident: how many requests they submitted on `day` (Shanghai). */
export interface RequestQuotaDoc {
  _id: string
  day: string
  count: number
  updatedAt: Date
}

/** A closure as stored: who made it, and when. */
export interface ClosureDoc extends Closure {
  createdBy?: string
  createdAt?: Date
}

/** A roster day as stored. */
export interface RosterDoc extends RosterDay {
  updatedAt?: Date
}

/** A resident's rating of a finished appointment or request (collection `ratings`; docs/ratings-and-feedback.md). */
export interface RatingDoc {
  _id: string
  caseKind: CaseKind
  caseId: string
  caseType: string
  openid: string
  requestId: string
  stationId: string
  stationName: string
  officerStaffId?: string
  officerName?: string
  serviceName: string
  businessType: BusinessType
  businessTypeText: string
  level: RatingLevel
  levelText: string
  score: number
  bad: boolean
  tags: RatingTag[]
  tagTexts: string[]
  comment?: string
  ratedAt: Date
  ratedAtLocal: string
  ratedDate: string
  finishedAt: Date
  followUpId?: string
  followUpStatusText?: string
  rectificationText?: string
  excluded: boolean
  excludedReason?: string
  excludedBy?: string
  excludedAt?: Date
  excludedAtLocal?: string
}

/** An entry of the feedback box (collection `feedback`). */
export interface FeedbackDoc {
  _id: string
  /** The writer, always (they read their own entries); never shown to staff. */
  openid: string
  requestId: string
  stationId: string
  kind: FeedbackKind
  kindText: string
  content: string
  anonymous: boolean
  /** Only when not anonymous and given. */
  contactName?: string
  mobile?: string
  status: FeedbackStatus
  statusText: string
  createdAt: Date
  createdAtLocal: string
  updatedAt: Date
  /** The leaders alerted at submit. */
  alertedStaffIds: string[]
  reply?: string
  repliedAt?: Date
  repliedAtLocal?: string
  repliedBy?: Who
}

/** Every collection, by name, and the type of its documents. */
export interface CollectionDocs {
  stations: StationDoc
  services: ServiceItem
  staff: StaffDoc
  calendars: CalendarYear
  closures: ClosureDoc
  slots: SlotDoc
  appointments: AppointmentDoc
  bookingGuards: BookingGuardDoc
  applicants: ApplicantDoc
  waitlist: WaitlistDoc
  invites: InviteDoc
  rosters: RosterDoc
  outbox: OutboxRecord
  requestQuotas: RequestQuotaDoc
  grantCounts: GrantCountDoc
  requests: RequestDoc
  ratings: RatingDoc
  followUps: FollowUpDoc
  ratingRollups: RollupDoc
  feedback: FeedbackDoc
  questions: QuestionDoc
  audit: AuditDoc & { _id: string }
  dailyRuns: DailyRunDoc
  queueCounters: QueueCounterDoc
  queueTickets: QueueTicketDoc
  prereviews: PrereviewDoc
  idCards: IdCardDoc
  cardFollowQuotas: CardFollowQuotaDoc
}

export type CollectionName = keyof CollectionDocs

/**
 * A service line's day (collection `queueCounters`, `_id` `<station>_<yyyymmdd>_<line>`): the last
 * number given and every number of the day with its state, so that one read answers a resident's
 * poll and the screen, and one transaction on it gives consecutive numbers (docs/queue.md).
 */
export interface QueueCounterDoc {
  _id: string
  stationId: string
  date: LocalDate
  line: string
  lastSeq: number
  entries: QueueEntry[]
  /** Minutes of the most recent finished numbers (called → finished), newest last. */
  recentMinutes: number[]
  updatedAt: Date
}

/**
 * One number (collection `queueTickets`, `_id` `<counter id>_<seq>`): who holds it, for messages,
 * and its times for the dashboard. Written in the same transaction as its counter.
 */
export interface QueueTicketDoc {
  _id: string
  stationId: string
  date: LocalDate
  line: string
  seq: number
  number: string
  kind: TicketKind
  status: TicketStatus
  /** The resident (walk-in: who took it; appointment: who booked it). */
  openid: string
  /** The client's request id of a walk-in's take (a retry finds the same number). */
  requestId?: string
  appointmentId?: string
  onSite?: boolean
  window?: number
  calls: number
  takenAt: Date
  calledAt?: Date
  startedAt?: Date
  finishedAt?: Date
  /** Staff ids of who called, served and skipped it. */
  calledBy?: string
  finishedBy?: string
  noShowAt?: Date
  /** Moved: the number it became in the other line, or the one it came from. */
  transferredTo?: string
  transferredFrom?: string
  updatedAt: Date
}

/**
 * One ID-card application accepted at the window (collection `idCards`, `_id` derived from the
 * station and the receipt number): its stages with time and officer, the holder (name and ID
 * number protected, shown masked), who follows it, and how it will be delivered
 * (docs/materials-and-cards.md, 制证进度).
 */
export interface IdCardDoc {
  _id: string
  stationId: string
  /** 受理编号, normalised (types/cards.ts `normaliseReceipt`). */
  receipt: string
  status: CardStage
  /** When each stage was reached and by which member of staff (their staff id); a batch's call id. */
  stages: Partial<Record<CardStage, { at: Date; by: string; batch?: string }>>
  holder: {
    /** protect.ts `protect`; removed by the retention purge. */
    nameProtected?: string
    nameMasked: string
    idProtected?: string
    idMasked?: string
  }
  /** A keyed digest of the holder's ID number (protect.ts `personKey`): a follow matches it. */
  holderKey?: string
  /** The resident who follows it (OPENID): the booking's, or who followed it by receipt number. */
  openid?: string
  appointmentId?: string
  delivery: Delivery
  /** The postal address (recipient, mobile, region, street) as JSON, protected; and masked. */
  addressProtected?: string
  addressMasked?: string
  /** Staff read the full address to write the label: the resident can no longer change it online. */
  addressLockedAt?: Date
  tracking?: string
  carrier?: string
  /** Picked up or posted: retention counts from here. */
  endedAt?: Date
  createdAt: Date
  updatedAt: Date
  /** Set once the retention purge erased the holder's name and the address. */
  purgedAt?: Date
}

/** One per resident: how many follow attempts (receipt number + ID number) they made on `day`. */
export interface CardFollowQuotaDoc {
  _id: string
  day: string
  count: number
  updatedAt: Date
}
