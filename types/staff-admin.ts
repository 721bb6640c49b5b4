/**
 * The `staff` function: who the caller is, invite codes (邀请码) that bind a WeChat account to a
 * staff role at a station, the duty roster (值班表), and the officer's day queue (今日预约):
 * check-in by booking code, start, finish, no-show.
 */
import './zod'
import * as z from 'zod/mini'
import type { AppointmentStatus, SlotKind } from './appointment'
import type { RosterDay } from './duty'
import { DocId } from './guide'
import type { StaffRole } from './staff'
import { isLocalDate, isLocalTime, type LocalDate, type LocalTime } from './time'

const LocalDateSchema = z.string().check(z.refine(isLocalDate))
const LocalTimeSchema = z.string().check(z.refine(isLocalTime))

/** Invite codes: 8 characters of the booking-code alphabet (no look-alikes), shown "K7P2 9XAB". */
export const INVITE_CODE_LENGTH = 8
/** An invite is valid this long after it is created. */
export const INVITE_TTL_HOURS = 72

export const ROLE_LABELS: Record<StaffRole, string> = { officer: '民警', leader: '所领导', supervisor: '督察' }

/** What an officer or leader types ("k7p2-9xab" → "K7P29XAB"), or null when it cannot be a code. */
export function normaliseInviteCode(input: string, alphabet: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '')
  return code.length === INVITE_CODE_LENGTH && [...code].every((c) => alphabet.includes(c)) ? code : null
}

export function formatInviteCode(code: string): string {
  return `${code.slice(0, 4)} ${code.slice(4)}`
}

const Shift = z.strictObject({
  start: LocalTimeSchema,
  end: LocalTimeSchema,
  staffIds: z.array(DocId).check(z.maxLength(20))
})

export const staffInputs = {
  /** The caller's staff record, or {role: 'resident'}. */
  me: z.strictObject({}),
  /** Leaders invite officers to their station; supervisors may invite any role to any station. */
  createInvite: z.strictObject({
    role: z.enum(['officer', 'leader', 'supervisor']),
    /** Defaults to the inviter's station. */
    stationId: z.optional(DocId)
  }),
  bindInvite: z.strictObject({
    code: z.string().check(z.maxLength(20)),
    /** The name shown to colleagues and on the roster (e.g. 李警官). */
    name: z.string().check(z.trim(), z.minLength(1, 'NAME_INVALID'), z.maxLength(20, 'NAME_INVALID'))
  }),
  roster: z.strictObject({ stationId: DocId, from: LocalDateSchema, to: LocalDateSchema }),
  setRosterDay: z.strictObject({ stationId: DocId, date: LocalDateSchema, shifts: z.array(Shift).check(z.maxLength(12)) }),
  onDuty: z.strictObject({ stationId: DocId }),
  /** The officer's day queue: the station's appointments of the day (default today), by slot. */
  today: z.strictObject({ stationId: DocId, date: z.optional(LocalDateSchema) }),
  checkIn: z.strictObject({ code: z.string().check(z.maxLength(20)) }),
  start: z.strictObject({ appointmentId: DocId }),
  finish: z.strictObject({ appointmentId: DocId, note: z.optional(z.string().check(z.trim(), z.maxLength(200))) }),
  noShow: z.strictObject({ appointmentId: DocId }),
  /**
   * Leaders (own station) and supervisors (any station, or all when stationId is left out): who
   * read residents' personal data, when, and which records (ids only). Dates are Shanghai days.
   */
  audit: z.strictObject({ stationId: z.optional(DocId), from: LocalDateSchema, to: LocalDateSchema }),
  /**
   * Someone leaves the window: their WeChat account stops acting as staff at once (alerts, queue,
   * personal data). Leaders: officers of their station; supervisors: anyone but themselves. A
   * new invite brings them back.
   */
  deactivate: z.strictObject({ staffId: DocId, reason: z.string().check(z.trim(), z.minLength(2, 'REASON_REQUIRED'), z.maxLength(100, 'INVALID_INPUT')) })
}

/** The staff actions that read residents' personal data, as the audit log names them. */
export type AuditedAction = 'staff.today' | 'requests.open' | 'rating.followUps' | 'feedback.list'

export const AUDITED_ACTION_LABELS: Record<AuditedAction, string> = {
  'staff.today': '查看今日预约（姓名、手机号后四位）',
  'requests.open': '查看待办申请（联系人、完整手机号）',
  'rating.followUps': '查看差评回访（居民姓名、完整手机号）',
  'feedback.list': '查看意见簿（留言人姓名、手机号）'
}

/**
 * One staff read of residents' personal data: who, what, when, where — the records by id only,
 * never the personal data itself.
 */
export interface AuditEntry {
  _id: string
  staffId: string
  /** The reader's name masked (周**), enough to recognise a colleague, not to expose them. */
  staffNameMasked: string
  role: StaffRole
  action: AuditedAction
  actionLabel: string
  /** The collection the records come from. */
  recordKind: 'appointments' | 'requests' | 'followUps' | 'feedback'
  recordIds: string[]
  recordCount: number
  stationId: string
  /** ISO instant. */
  at: string
  /** "2026-12-28 09:59", Asia/Shanghai. */
  atLocal: string
  requestId: string
}

export interface StaffView {
  staffId: string
  name: string
  role: StaffRole
  /** '' for a supervisor who oversees every station. */
  stationId: string
  stationName?: string
}

export type QueueAction = 'start' | 'finish' | 'noShow'

/** An appointment as an officer sees it: the applicant's name, the mobile masked, never the ID number. */
export interface QueueItem {
  _id: string
  code: string
  status: AppointmentStatus
  /** Text label of the status (办理中 for a checked-in appointment being served). */
  statusLabel: string
  serviceName: string
  start: LocalTime
  end: LocalTime
  applicantName: string
  mobileMasked: string
  checkedInAt?: string
  startedAt?: string
  finishedAt?: string
  note?: string
  /** What an officer may do now (by the server's clock and the station's check-in window). */
  actions: QueueAction[]
}

export interface QueueSlot {
  start: LocalTime
  end: LocalTime
  kind: SlotKind
  label?: string
  items: QueueItem[]
}

export interface StaffOutputs {
  me: StaffView | { role: 'resident' }
  createInvite: { code: string; role: StaffRole; stationId: string; expiresAt: string }
  bindInvite: StaffView
  roster: { days: RosterDay[]; staff: { staffId: string; name: string; role: StaffRole }[] }
  setRosterDay: RosterDay
  onDuty: { at: string; staff: { staffId: string; name: string; role: StaffRole }[] }
  today: { stationId: string; date: LocalDate; slots: QueueSlot[]; counts: Record<AppointmentStatus, number> }
  checkIn: QueueItem
  /** `changed` is false when the appointment was already in that state (a retry, or a colleague was first). */
  start: QueueItem & { changed: boolean }
  finish: QueueItem & { changed: boolean }
  noShow: QueueItem & { changed: boolean }
  /** Newest first, at most AUDIT_LIST_LIMIT; `truncated` when there were more. */
  audit: { entries: AuditEntry[]; truncated: boolean }
  deactivate: { staffId: string; name: string; role: StaffRole; active: false; deactivatedAtLocal: string }
}

export const AUDIT_LIST_LIMIT = 500
