/**
 * The `staff` function: who the caller is, invite codes (邀请码) that bind a WeChat account to a
 * staff role at a station, the duty roster (值班表), and the officer's day queue (今日预约):
 * check-in by booking code, start, finish, no-show.
 */
import './zod'
import * as z from 'zod/mini'
import type { AppointmentStatus, SlotKind } from './appointment'
import type { DutyGap, RosterDay } from './duty'
import { DocId } from './guide'
import type { StaffRole } from './staff'
import { workbenchInput, type Workbench } from './workbench'
import { isLocalDate, isLocalTime, isoWeekday, type LocalDate, type LocalTime } from './time'

const LocalDateSchema = z.string().check(z.refine(isLocalDate))
const LocalTimeSchema = z.string().check(z.refine(isLocalTime))

/** Invite codes: 8 characters of the booking-code alphabet (no look-alikes), shown "K7P2 9XAB". */
export const INVITE_CODE_LENGTH = 8
/** An invite is valid this long after it is created. */
export const INVITE_TTL_HOURS = 72

export const ROLE_LABELS: Record<StaffRole, string> = {
  officer: '民警',
  leader: '所领导',
  supervisor: '督察'
}

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
  staffIds: z.array(DocId).check(z.maxLength(20)),
  onCall: z.optional(z.boolean())
})

/** A Monday: the roster is saved and copied a week (Monday to Sunday) at a time. */
const MondaySchema = z.string().check(z.refine((d) => isLocalDate(d) && isoWeekday(d) === 1))

const StaffMobile = z.string().check(z.trim(), z.regex(/^1[3-9]\d{9}$/, 'MOBILE_INVALID'))

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
    name: z.string().check(z.trim(), z.minLength(1, 'NAME_INVALID'), z.maxLength(20, 'NAME_INVALID')),
    /** Their own mobile: alerts WeChat cannot deliver reach them as text messages. */
    mobile: StaffMobile
  }),
  /** A member of staff changes their own mobile (for text-message alerts). */
  setMobile: z.strictObject({ mobile: StaffMobile }),
  roster: z.strictObject({ stationId: DocId, from: LocalDateSchema, to: LocalDateSchema }),
  setRosterDay: z.strictObject({
    stationId: DocId,
    date: LocalDateSchema,
    shifts: z.array(Shift).check(z.maxLength(12))
  }),
  /** Writes the seven days of one week at once (all or nothing): what the week grid saves. */
  setRosterWeek: z.strictObject({
    stationId: DocId,
    week: MondaySchema,
    /** Monday first; a day with no shifts is saved empty. */
    days: z.array(z.array(Shift).check(z.maxLength(12))).check(z.minLength(7), z.maxLength(7))
  }),
  /**
   * Copies the week starting `from` onto the week starting `week`, all seven days at once; people
   * no longer active at the station are left out. Repeating it changes nothing more.
   */
  copyRosterWeek: z.strictObject({ stationId: DocId, from: MondaySchema, week: MondaySchema }),
  onDuty: z.strictObject({ stationId: DocId }),
  /** 工作台: what needs doing now at the station, counted (types/workbench.ts). */
  workbench: workbenchInput,
  /** The officer's day queue: the station's appointments of the day (default today), by slot. */
  today: z.strictObject({ stationId: DocId, date: z.optional(LocalDateSchema) }),
  checkIn: z.strictObject({ code: z.string().check(z.maxLength(20)) }),
  start: z.strictObject({ appointmentId: DocId }),
  finish: z.strictObject({
    appointmentId: DocId,
    note: z.optional(z.string().check(z.trim(), z.maxLength(200)))
  }),
  noShow: z.strictObject({ appointmentId: DocId }),
  /**
   * Leaders (own station) and supervisors (any station, or all when stationId is left out): who
   * read residents' personal data, when, and which records (ids only). Dates are Shanghai days;
   * `staffId` narrows the log to one member of staff.
   */
  audit: z.strictObject({
    stationId: z.optional(DocId),
    staffId: z.optional(DocId),
    from: LocalDateSchema,
    to: LocalDateSchema
  }),
  /**
   * Someone leaves the window: their WeChat account stops acting as staff at once (alerts, queue,
   * personal data). Leaders: officers of their station; supervisors: anyone but themselves. A
   * new invite brings them back.
   */
  deactivate: z.strictObject({
    staffId: DocId,
    reason: z.string().check(z.trim(), z.minLength(2, 'REASON_REQUIRED'), z.maxLength(100, 'INVALID_INPUT'))
  })
}

/**
 * The staff actions whose replies carry residents' personal data (a name, a mobile, an ID number,
 * an address, or text a resident wrote under their own name), as the audit log names them. Each
 * successful call leaves one entry (docs/privacy-and-access.md); cloudfunctions/_shared/audit.ts
 * is the only way such a reply gets out.
 */
export type AuditedAction =
  | 'staff.today'
  | 'staff.checkIn'
  | 'staff.start'
  | 'staff.finish'
  | 'staff.noShow'
  | 'requests.open'
  | 'requests.accept'
  | 'requests.decline'
  | 'requests.done'
  | 'requests.assign'
  | 'rating.list'
  | 'rating.exclude'
  | 'rating.export'
  | 'rating.followUps'
  | 'rating.callBack'
  | 'rating.reply'
  | 'rating.dashboard'
  | 'feedback.list'
  | 'feedback.reply'
  | 'notify.inbox'
  | 'prereview.open'
  | 'cards.list'
  | 'cards.address'
  | 'cards.unfollow'

export const AUDITED_ACTION_LABELS: Record<AuditedAction, string> = {
  'staff.today': '查看今日预约（姓名、手机号后四位）',
  'staff.checkIn': '预约签到（姓名、手机号后四位）',
  'staff.start': '开始办理预约（姓名、手机号后四位）',
  'staff.finish': '办结预约（姓名、手机号后四位）',
  'staff.noShow': '标记预约未到场（姓名、手机号后四位）',
  'requests.open': '查看待办申请（联系人、完整手机号）',
  'requests.accept': '受理申请（联系人、完整手机号、求助内容）',
  'requests.decline': '不予受理申请（联系人、完整手机号、求助内容）',
  'requests.done': '办结申请（联系人、完整手机号、求助内容）',
  'requests.assign': '指派上门服务（联系人、完整手机号、上门地址）',
  'rating.list': '查看评价（居民填写的评价内容）',
  'rating.exclude': '剔除评价（居民填写的评价内容）',
  'rating.export': '导出评价表（评价内容、手机号掩码）',
  'rating.followUps': '查看差评回访（居民姓名、手机号）',
  'rating.callBack': '记录差评回访（居民姓名、手机号）',
  'rating.reply': '答复差评整改（居民姓名、手机号）',
  'rating.dashboard': '查看评价看板中的待办回访（居民姓名、评价内容）',
  'feedback.list': '查看意见簿（留言人姓名、手机号）',
  'feedback.reply': '回复意见簿留言（留言人姓名、手机号）',
  'notify.inbox': '查看工作提醒（居民求助、留言、咨询摘要）',
  'prereview.open': '查看材料预审照片（居民上传的证件、材料照片）',
  'cards.list': '查看制证进度列表（持证人姓名、身份证号脱敏）',
  'cards.address': '查看证件邮寄地址（收件人、手机号、详细地址）',
  'cards.unfollow': '解除证件的关注人（关注人的邮寄地址一并清除）'
}

/** The collections audited records come from. */
export type AuditRecordKind =
  'appointments' | 'requests' | 'followUps' | 'feedback' | 'ratings' | 'messages' | 'prereviews' | 'idCards'

export const AUDIT_RECORD_KIND_LABELS: Record<AuditRecordKind, string> = {
  appointments: '预约',
  requests: '求助申请',
  followUps: '差评回访',
  feedback: '意见簿留言',
  ratings: '评价',
  messages: '工作提醒',
  prereviews: '材料预审',
  idCards: '身份证制证'
}

/**
 * One staff read of residents' personal data: who, what, when, where — the records by id only,
 * never the personal data itself.
 */
export interface AuditEntry {
  _id: string
  staffId: string
  /**
   * The reader's name in full: the log is read by their leaders and supervisors, who must know
   * who it was (the residents are the people protected, not the staff).
   */
  staffName: string
  role: StaffRole
  action: AuditedAction
  actionLabel: string
  /** The collection the records come from. */
  recordKind: AuditRecordKind
  recordIds: string[]
  recordCount: number
  /** The station the read was for; '' when it spanned several (a supervisor's read of all). */
  stationId: string
  /** Every station whose records were read (a leader's log shows entries naming their station). */
  stationIds?: string[]
  /** ISO instant. */
  at: string
  /** "2026-12-28 09:59", Asia/Shanghai. */
  atLocal: string
  requestId: string
}

/** A member of staff as the roster shows them, with how an alert can reach them. */
export interface RosterPerson {
  staffId: string
  name: string
  role: StaffRole
  /** WeChat alerts allowed (a long-term grant, or one-time sends left). */
  wechat: boolean
  /** Their mobile, masked — in full only for the leaders of their station (to call them). */
  mobile?: string
  /** Some channel works: WeChat, or a mobile for text messages. */
  reachable: boolean
}

/** The answer of a week write: the week as saved, what it replaced, and its coverage. */
export interface RosterWeekResult {
  week: LocalDate
  /** Monday to Sunday, as now stored. */
  days: RosterDay[]
  /** The days that had other shifts before this write, with those shifts: what was overwritten. */
  overwritten: { date: LocalDate; shifts: RosterDay['shifts'] }[]
  /** The week's stretches with nobody reachable on the roster (Monday 00:00 to Sunday 24:00). */
  gaps: DutyGap[]
}

export interface StaffView {
  staffId: string
  name: string
  role: StaffRole
  /** '' for a supervisor who oversees every station. */
  stationId: string
  stationName?: string
  /** Their own mobile for text-message alerts, masked. */
  mobileMasked?: string
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
  /** Its materials pre-review passed (材料已预审): the papers were checked before the visit. */
  prereviewed?: boolean
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
  roster: {
    days: RosterDay[]
    staff: RosterPerson[]
    /**
     * From now to 7 days on: the stretches with nobody reachable on the roster (alerts then go to
     * the leaders only). Empty when every hour is covered.
     */
    gaps: DutyGap[]
  }
  setMobile: { mobileMasked: string }
  setRosterDay: RosterDay
  setRosterWeek: RosterWeekResult
  copyRosterWeek: RosterWeekResult & {
    /** Names of people on the copied week who are no longer active here, left out of the copy. */
    dropped: string[]
  }
  onDuty: { at: string; staff: { staffId: string; name: string; role: StaffRole }[] }
  workbench: Workbench
  today: { stationId: string; date: LocalDate; slots: QueueSlot[]; counts: Record<AppointmentStatus, number> }
  checkIn: QueueItem
  /** `changed` is false when the appointment was already in that state (a retry, or a colleague was first). */
  start: QueueItem & { changed: boolean }
  finish: QueueItem & { changed: boolean }
  noShow: QueueItem & { changed: boolean }
  /**
   * Newest first, at most AUDIT_LIST_LIMIT; `truncated` when there were more. `people`: the staff
   * whose reads the log can show (the station's, and the supervisors), to filter by.
   */
  audit: { entries: AuditEntry[]; truncated: boolean; people: AuditPerson[] }
  deactivate: { staffId: string; name: string; role: StaffRole; active: false; deactivatedAtLocal: string }
}

export const AUDIT_LIST_LIMIT = 500

/**
 * A member of staff seeing the same records the same way again within this many minutes (a page
 * shown again, a list refreshed, a retried call) adds no second entry (docs/privacy-and-access.md).
 */
export const AUDIT_REPEAT_MINUTES = 10

/** A member of staff the audit log can be filtered by. */
export interface AuditPerson {
  staffId: string
  name: string
  role: StaffRole
  active: boolean
}
