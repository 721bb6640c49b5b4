/**
 * 急事求助 — the emergency green channel (绿色通道), after-hours requests (延时服务) and home
 * visits (上门服务): what a resident asks for, its states, and the `requests` function's contract.
 *
 * States: submitted → accepted (agreed time and place; for a home visit: an officer and a visit
 * time assigned by a leader) → done; or submitted → declined (a reason and what the resident can
 * do instead). Each step is told to the resident by a `requestProgress` message.
 */
import './zod'
import * as z from 'zod/mini'
import { RequestId } from './appointment'
import { DocId } from './guide'

export const REQUEST_KINDS = ['emergency', 'after_hours', 'home_visit'] as const
export type RequestKind = (typeof REQUEST_KINDS)[number]

/** Also the officer alert's `phrase` keyword: at most 5 Chinese characters each. */
export const KIND_LABELS: Record<RequestKind, string> = {
  emergency: '绿色通道',
  after_hours: '延时服务',
  home_visit: '上门服务'
}

export const KIND_HINTS: Record<RequestKind, string> = {
  emergency: '急需办理的户政事项，如丧葬火化需要的死亡登记、急需出行或就医的临时身份证',
  after_hours: '工作时间无法到窗口，希望在中午、晚上或周末办理',
  home_visit: '家中有高龄、残疾、卧床等行动不便的人，需要民警上门办理'
}

/** The emergency entry's one name, on the home page, the help page and in notices. */
export const EMERGENCY_NAME = '绿色通道·急事求助'

export const REQUEST_CATEGORIES = {
  death_cremation: '死亡登记（火化需要）',
  temp_id_travel: '临时身份证（急需出行）',
  temp_id_medical: '临时身份证（急需就医）',
  id_card: '身份证办理',
  certificate: '户籍证明',
  registration: '户口登记与迁移',
  other: '其他事项'
} as const
export type RequestCategory = keyof typeof REQUEST_CATEGORIES

/** Which categories each kind offers (checked by the function too). */
export const CATEGORIES_BY_KIND: Record<RequestKind, readonly RequestCategory[]> = {
  emergency: ['death_cremation', 'temp_id_travel', 'temp_id_medical', 'other'],
  after_hours: ['id_card', 'certificate', 'registration', 'other'],
  home_visit: ['id_card', 'certificate', 'other']
}

export const REQUEST_STATUSES = ['submitted', 'accepted', 'declined', 'done'] as const
export type RequestStatus = (typeof REQUEST_STATUSES)[number]

export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  submitted: '等待受理',
  accepted: '已受理',
  declined: '未能受理',
  done: '已办结'
}

/**
 * How long a request may wait for an officer before it escalates (minutes), and again between
 * further escalations. A station overrides it with `requestAcceptMinutes` on its document in the
 * `stations` collection; without that field this default applies.
 */
export const DEFAULT_ACCEPT_MINUTES = 30

/**
 * Abuse limits: a resident may have at most this many requests open (submitted or accepted) at
 * once, and submit at most this many in one Shanghai day. Beyond them the refusal gives the
 * station's duty phone, so a real emergency still reaches a person.
 */
export const MAX_OPEN_REQUESTS = 2
export const MAX_REQUESTS_PER_DAY = 5

/**
 * Whether a person was reached about a request (what the resident's page may say):
 *   trying     alerts are on their way; nobody is known to have them yet
 *   reached    an alert was delivered (WeChat or text message), or a member of staff opened the
 *              request's list, or it has been accepted / answered
 *   unreached  every alert failed on every channel (or there was nobody to alert): the resident
 *              must call the duty phone
 */
export const REACH_STATES = ['trying', 'reached', 'unreached'] as const
export type Reach = (typeof REACH_STATES)[number]

/** The spans the handled-requests history offers. */
export const HISTORY_PERIODS = ['today', 'week'] as const
export type HistoryPeriod = (typeof HISTORY_PERIODS)[number]
/** The history lists at most this many requests (`truncated` says when there were more). */
export const HISTORY_LIMIT = 100

const text = (max: number) =>
  z.string().check(z.trim(), z.minLength(1, 'INVALID_INPUT'), z.maxLength(max, 'INVALID_INPUT'))
const IsoInstant = z
  .string()
  .check(z.refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s))))

export const requestsInputs = {
  /** A resident asks for help; the same requestId again returns the same request. */
  submit: z.strictObject({
    requestId: RequestId,
    kind: z.enum(REQUEST_KINDS),
    category: z.enum(Object.keys(REQUEST_CATEGORIES) as [RequestCategory, ...RequestCategory[]]),
    description: text(200),
    contactName: z.string().check(z.trim(), z.minLength(1, 'NAME_INVALID'), z.maxLength(20, 'NAME_INVALID')),
    mobile: z.string().check(z.trim(), z.regex(/^1[3-9]\d{9}$/, 'MOBILE_INVALID')),
    /** When the resident would like it (ISO instant). */
    wantedAt: z.optional(IsoInstant),
    /** Required for a home visit. */
    address: z.optional(text(100)),
    stationId: DocId
  }),
  /** The caller's own requests, newest first. */
  mine: z.strictObject({}),
  get: z.strictObject({ id: DocId }),
  /** Staff: the station's requests still open (submitted or accepted), emergencies first. */
  open: z.strictObject({ stationId: z.optional(DocId) }),
  /** Officer or leader: takes a submitted request with an agreed time and place. */
  accept: z.strictObject({ id: DocId, agreedAt: IsoInstant, place: text(40) }),
  decline: z.strictObject({ id: DocId, reason: text(60), alternative: text(100) }),
  done: z.strictObject({ id: DocId, note: z.optional(text(100)) }),
  /** Leader: a home visit gets an officer and a visit time. */
  assign: z.strictObject({ id: DocId, officerStaffId: DocId, visitAt: IsoInstant }),
  /**
   * Staff: the station's requests closed (done or declined) today or this week (since Monday,
   * Shanghai), newest first, with their outcome — no resident's personal data in it.
   */
  history: z.strictObject({ stationId: z.optional(DocId), period: z.enum(HISTORY_PERIODS) })
}

/** What the resident and staff both see of a request. */
export interface RequestBase {
  _id: string
  kind: RequestKind
  kindLabel: string
  category: RequestCategory
  categoryLabel: string
  description: string
  contactName: string
  mobileMasked: string
  wantedAt?: string
  address?: string
  stationId: string
  status: RequestStatus
  statusLabel: string
  createdAt: string
  /** Accepted: the agreed time (ISO) and place; for a home visit, the visit time and address. */
  agreedAt?: string
  place?: string
  /** The officer who takes it (name only). */
  officerName?: string
  /** When a member of staff accepted it (ISO): how long the resident waited is createdAt → this. */
  acceptedAt?: string
  declineReason?: string
  alternative?: string
  doneAt?: string
  doneNote?: string
}

/** What the resident sees of a request. */
export interface RequestView extends RequestBase {
  /** Whether a member of staff has been reached (the page's words follow it exactly). */
  reach: Reach
  /** The station's duty number (值班电话), to call while nobody has accepted. */
  dutyPhone: string
  /** The cloud's time when this view was made (ISO): waiting times count from it, not the phone's clock. */
  asOf: string
}

export interface EscalationRound {
  round: number
  at: string
  /** Staff alerted in this round, by name. */
  names: string[]
}

/** What staff see: the resident's contact in full (to call back) and the escalation history. */
export interface StaffRequestView extends RequestBase {
  mobile: string
  acceptedByStaffId?: string
  assignedStaffId?: string
  escalations: EscalationRound[]
  /** When it escalates next if nobody takes it (submitted only). */
  nextEscalationAt?: string
  /** The station's limit for accepting it (ISO; submitted only): sent + the station's accept minutes. */
  acceptBy?: string
}

/** A closed request as the history shows it: what it was, how it ended, who handled it, how fast. */
export interface HandledRequest {
  _id: string
  kind: RequestKind
  kindLabel: string
  categoryLabel: string
  status: 'done' | 'declined'
  statusLabel: string
  /** Done: the officer's note; declined: the reason and what the resident was told to do instead. */
  outcome: string
  createdAt: string
  acceptedAt?: string
  /** When it was done or declined (ISO). */
  closedAt: string
  /** Who accepted or was assigned it, and who closed it (names). */
  officerName?: string
  closedBy?: string
  /** How many times it escalated before anyone took it. */
  escalations: number
}

export interface RequestsOutputs {
  submit: RequestView
  mine: RequestView[]
  get: RequestView
  /** `me`: the caller (to show what they may do); `officers`: whom a leader may assign a home visit. */
  open: {
    stationId: string
    /** The server's time of the read (ISO): waits are counted from it. */
    at: string
    me: { staffId: string; role: 'officer' | 'leader' | 'supervisor' }
    requests: StaffRequestView[]
    officers: { staffId: string; name: string }[]
  }
  accept: StaffRequestView
  decline: StaffRequestView
  done: StaffRequestView
  assign: StaffRequestView
  history: {
    stationId: string
    period: HistoryPeriod
    from: string
    requests: HandledRequest[]
    truncated: boolean
  }
}

/**
 * A wait in words: "不到1分钟", "12分钟", "1小时5分钟", "2天3小时" — from `from` to `to` (instants in
 * ms or ISO). Used for how long a request has waited and how long it took to be accepted.
 */
export function waitText(from: string | number, to: string | number): string {
  const minutes = Math.max(0, Math.floor((new Date(to).getTime() - new Date(from).getTime()) / 60_000))
  if (minutes < 1) return '不到1分钟'
  if (minutes < 60) return `${minutes}分钟`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return minutes % 60 ? `${hours}小时${minutes % 60}分钟` : `${hours}小时`
  const days = Math.floor(hours / 24)
  return hours % 24 ? `${days}天${hours % 24}小时` : `${days}天`
}
