/**
 * 预约服务 — the station's booking settings, slots, appointments, and the `appointment`
 * function's contract.
 */
import './zod'
import * as z from 'zod/mini'
import type { ErrorCode } from './errors'
import { DocId } from './guide'
import { isLocalDate, type LocalDate, type LocalTime } from './time'

/** Something that limits how many people a slot can take: a window, the photo/fingerprint room. */
export interface Resource {
  key: string
  label: string
  /** People per slot. */
  capacity: number
}

/** 延时服务: lunch and evening windows on working days, a duty window on rest days. */
export interface ExtendedWindow {
  label: string
  /** 'working': on working days; 'rest': on weekends and holidays. */
  on: 'working' | 'rest'
  start: LocalTime
  end: LocalTime
  /** People per slot (one on-duty officer: usually 1). */
  capacity: number
}

export interface BookingPolicy {
  /** Bookable up to this many working days ahead. */
  maxWorkingDaysAhead: number
  /** Same-day booking closes this long before the slot starts. */
  sameDayCutoffMinutes: number
  /** Active (upcoming, not cancelled) bookings a resident may hold at once. */
  maxActive: number
  /** Cancel or reschedule until this long before the slot. */
  cancelBeforeMinutes: number
  /** This many no-shows within noShowWindowDays suspend online booking for suspensionDays. */
  noShowLimit: number
  noShowWindowDays: number
  suspensionDays: number
  /** Check-in opens this long before the slot and closes this long after its start. */
  checkInEarlyMinutes: number
  checkInLateMinutes: number
  /** Bookings one WeChat account may hold on one day, for different people (default DEFAULT_PER_ACCOUNT_DAILY). */
  maxPerAccountDaily?: number
}

/** A family books for several people from one phone: this many a day per account, by default. */
export const DEFAULT_PER_ACCOUNT_DAILY = 3

export interface StationBooking {
  slotMinutes: number
  resources: Resource[]
  extended: ExtendedWindow[]
  policy: BookingPolicy
  /** Alert the on-duty officers of each new booking too (off by default: bookings are planned). */
  alertOfficersOnBooking?: boolean
}

export const DEFAULT_POLICY: BookingPolicy = {
  maxWorkingDaysAhead: 7,
  sameDayCutoffMinutes: 60,
  maxActive: 3,
  cancelBeforeMinutes: 120,
  noShowLimit: 2,
  noShowWindowDays: 30,
  suspensionDays: 90,
  checkInEarlyMinutes: 30,
  checkInLateMinutes: 15
}

/** One year of the holiday table (节假日与调休), seeded from chinese-days, editable by supervisors. */
export interface CalendarYear {
  _id: string
  year: number
  /** Only the exceptions: statutory holidays and make-up working days (调休上班). */
  days: { date: LocalDate; kind: 'holiday' | 'workday'; name: string }[]
  source: string
  /** A year is opened for booking only once a supervisor has confirmed its table. */
  confirmed: boolean
  updatedAt: Date
}

/** A station closure: a whole day, or part of it (a training session, a system outage). */
export interface Closure {
  _id: string
  stationId: string
  date: LocalDate
  start?: LocalTime
  end?: LocalTime
  reason: string
}

export type SlotKind = 'regular' | 'extended'

export interface Slot {
  /** `${stationId}_${date}_${HHmm}_${resource}` */
  _id: string
  stationId: string
  date: LocalDate
  start: LocalTime
  end: LocalTime
  startsAt: Date
  resource: string
  kind: SlotKind
  label?: string
  capacity: number
  booked: number
}

export const APPOINTMENT_STATUSES = ['booked', 'checked_in', 'done', 'cancelled', 'no_show'] as const
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number]

export const STATUS_LABELS: Record<AppointmentStatus, string> = {
  booked: '已预约',
  checked_in: '已签到',
  done: '已办结',
  cancelled: '已取消',
  no_show: '未到场'
}

export const RELATIONS = [
  'self',
  'spouse',
  'parent',
  'child',
  'grandparent',
  'grandchild',
  'sibling',
  'other'
] as const
export type Relation = (typeof RELATIONS)[number]
export const RELATION_LABELS: Record<Relation, string> = {
  self: '本人',
  spouse: '配偶',
  parent: '父母',
  child: '子女',
  grandparent: '祖父母/外祖父母',
  grandchild: '孙子女/外孙子女',
  sibling: '兄弟姐妹',
  other: '其他亲属'
}

/* ---------- the `appointment` function's contract ---------- */

/** A client request id: the same id on a retried call returns the same result, never a second booking. */
export const RequestId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/))
export const SlotId = z.string().check(z.maxLength(120), z.regex(/^[A-Za-z0-9_-]+$/))

/** A slot id is `${stationId}_${date}_${HHmm}_${resource}`: this finds its date. */
const SLOT_DATE = /_(\d{4}-\d{2}-\d{2})_/

/** The date a slot id names, or undefined when it names none. */
export function slotDate(slotId: string): LocalDate | undefined {
  return SLOT_DATE.exec(slotId)?.[1]
}
const LocalDateSchema = z.string().check(z.refine(isLocalDate))

export const Applicant = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1, 'NAME_INVALID'), z.maxLength(20, 'NAME_INVALID')),
  mobile: z.string().check(z.trim(), z.regex(/^1[3-9]\d{9}$/, 'MOBILE_INVALID')),
  relation: z.enum(RELATIONS),
  /** Optional; checked (GB 11643) by the function against today's date. */
  idNumber: z.optional(z.string().check(z.trim(), z.regex(/^(\d{17}[\dXx])?$/, 'ID_NUMBER_INVALID')))
})
export type ApplicantInput = z.input<typeof Applicant>

export const appointmentInputs = {
  /** What the booking page needs first: the service, the dates on offer, the resident's standing. */
  options: z.strictObject({ serviceId: DocId }),
  slots: z.strictObject({ serviceId: DocId, date: LocalDateSchema }),
  book: z.strictObject({
    requestId: RequestId,
    serviceId: DocId,
    slotId: SlotId,
    applicant: Applicant,
    /** A common applicant picked in one tap: their stored ID number is used when none is typed. */
    savedApplicantId: z.optional(DocId),
    /** The resident ticked the privacy notice (个人信息使用说明). */
    consent: z.boolean()
  }),
  /**
   * Before the consent sheet: would this person's booking on this date be refused? The same
   * rules `book` applies (once a day per person, the account's daily limit, suspension, limits).
   */
  check: z.strictObject({
    serviceId: DocId,
    date: LocalDateSchema,
    applicant: z.strictObject({ name: Applicant.shape.name, idNumber: Applicant.shape.idNumber })
  }),
  mine: z.strictObject({}),
  /** 常用办事人: the caller's saved applicants. */
  applicants: z.strictObject({}),
  /** Saves (or updates) a common applicant; only with the resident's consent to keep it. */
  saveApplicant: z.strictObject({ applicant: Applicant, consent: z.boolean() }),
  removeApplicant: z.strictObject({ applicantId: DocId }),
  get: z.strictObject({ appointmentId: DocId }),
  cancel: z.strictObject({ appointmentId: DocId }),
  reschedule: z.strictObject({ appointmentId: DocId, slotId: SlotId, requestId: RequestId }),
  /**
   * 候补: join a full slot's waitlist for this applicant (the same details and consent as a booking).
   * When a place frees, the first eligible entry is booked automatically (docs/booking-rules.md).
   */
  joinWaitlist: z.strictObject({
    serviceId: DocId,
    slotId: SlotId,
    applicant: Applicant,
    savedApplicantId: z.optional(DocId),
    consent: z.boolean()
  }),
  /** Leaves the waitlist; leaving twice answers the same. */
  leaveWaitlist: z.strictObject({ entryId: DocId }),
  /** The caller's waitlist entries, the newest first. */
  myWaitlist: z.strictObject({})
}

export interface DateOption {
  date: LocalDate
  /** working / rest (duty slots only) */
  status: 'working' | 'rest'
  name?: string
  makeUp?: boolean
  /** Places left on this date for the service, over every slot still offered (0: 约满). */
  left: number
}

/**
 * What the date picker shows under a date: 约满 when nothing is left, 休息日·仅值班 on a rest day
 * (only the duty slots are offered), else 余 N.
 */
export function dateAvailabilityText(d: Pick<DateOption, 'status' | 'left'>): string {
  if (d.left <= 0) return '约满'
  if (d.status === 'rest') return '休息日·仅值班'
  return `余 ${d.left}`
}

export interface SlotOption {
  slotId: string
  start: LocalTime
  end: LocalTime
  kind: SlotKind
  label?: string
  left: number
  /** Full, and its waitlist still open: the page offers 候补 (已约满·可候补). */
  waitlist?: boolean
}

/** Waiting entries one account may hold at once. */
export const MAX_WAITLIST_ENTRIES = 3

export const WAITLIST_STATUSES = ['waiting', 'promoted', 'left', 'expired', 'skipped'] as const
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number]

export const WAITLIST_STATUS_LABELS: Record<WaitlistStatus, string> = {
  waiting: '候补中',
  promoted: '候补成功',
  left: '已退出候补',
  expired: '候补未成功',
  skipped: '未能候补'
}

/** A waitlist entry as the resident sees it (我的预约). */
export interface WaitlistEntryView {
  _id: string
  /** A waiting entry past its slot's cut-off reads `expired`. */
  status: WaitlistStatus
  serviceId: string
  serviceName: string
  slotId: string
  date: LocalDate
  start: LocalTime
  end: LocalTime
  applicant: { name: string; mobileMasked: string; relation: Relation; idMasked?: string }
  /** ISO instant: the list closes at the slot's booking cut-off. */
  closesAt: string
  /** ISO instant of (re)joining: the order on the list. */
  joinedAt: string
  /** The booking made for it, once promoted. */
  appointmentId?: string
  /** Why an entry was skipped (the rule that could not be honoured). */
  reason?: string
}

export interface AppointmentView {
  _id: string
  code: string
  status: AppointmentStatus
  serviceId: string
  serviceName: string
  stationName: string
  address: string
  date: LocalDate
  start: LocalTime
  end: LocalTime
  /** ISO instant */
  startsAt: string
  kind: SlotKind
  label?: string
  applicant: { name: string; mobileMasked: string; relation: Relation; idMasked?: string }
  /** The materials checklist of the service, as it stood when booked. */
  materials: { name: string; note?: string; required: boolean }[]
  /** Until when the resident may cancel or reschedule online (ISO), if still possible. */
  changeableUntil?: string
  rescheduledFrom?: { date: LocalDate; start: LocalTime }
  /** When an officer began serving it at the window (ISO), while it is being served: 办理中. */
  startedAt?: string
  /** What the officer wrote when finishing it (e.g. when and where to collect the card). */
  officerNote?: string
  /** The station's map position (GCJ-02), for navigation, when it has one. */
  location?: { latitude: number; longitude: number }
  /** Its materials pre-review (材料预审), when one is linked; `passed`: the window sees 材料已预审. */
  prereview?: { id: string; passed: boolean }
}

/** A common applicant as the booking page shows it: the resident's own data, the ID number masked. */
export interface SavedApplicantView {
  _id: string
  name: string
  mobile: string
  relation: Relation
  idMasked?: string
}

/** How many common applicants one account keeps. */
export const MAX_SAVED_APPLICANTS = 10

/** How many availability checks (`appointment.check`) one resident may make a minute (docs/booking-rules.md). */
export const CHECKS_PER_MINUTE = 30

export interface AppointmentOutputs {
  options: {
    serviceId: string
    serviceName: string
    stationName: string
    dates: DateOption[]
    /** The first date with a place left: the one the booking page selects first. */
    firstAvailable?: LocalDate
    policy: BookingPolicy
    /** ISO instant, when online booking is suspended for no-shows. */
    suspendedUntil?: string
    activeCount: number
  }
  slots: { date: LocalDate; slots: SlotOption[] }
  /** allowed, or the refusal `book` would give (with the blocking booking when it is the caller's). */
  check:
    { allowed: true } | { allowed: false; code: ErrorCode; message: string; blockingAppointmentId?: string }
  book: AppointmentView
  applicants: SavedApplicantView[]
  saveApplicant: SavedApplicantView
  removeApplicant: { removed: boolean }
  mine: { upcoming: AppointmentView[]; past: AppointmentView[]; suspendedUntil?: string }
  get: AppointmentView
  cancel: AppointmentView
  reschedule: AppointmentView
  joinWaitlist: WaitlistEntryView
  leaveWaitlist: WaitlistEntryView
  myWaitlist: WaitlistEntryView[]
}
