/**
 * 政务服务“好差评” — satisfaction ratings of finished cases, the follow-up of every bad review,
 * and what supervisors read of them (dashboard, daily rollups, CSV export). The `rating`
 * function's contract.
 *
 * A case is a finished appointment (`appointment`) or a finished emergency / after-hours /
 * home-visit request (`request`). Only that case's resident may rate it, once, after it is done.
 *
 * Follow-up of a bad review (不满意 / 非常不满意), deadlines in working days of the holiday table:
 *   open      → the leader calls the resident back (by the end of the 1st working day after)
 *   called    → verified, rectification recorded, reply sent (by the end of the 15th working day)
 *   replied   → the resident rates the rectification (满意 / 基本满意 / 不满意)
 *   closed
 * A leader or supervisor may exclude a review found malicious or mistaken, with a recorded
 * reason (status `excluded`); excluded reviews leave the satisfaction figures but stay visible.
 * Overdue follow-ups alert the supervisors (once per stage).
 */
import './zod'
import * as z from 'zod/mini'
import { RequestId } from './appointment'
import { DocId } from './guide'
import type { DashboardView } from './dashboard'
import { isLocalDate } from './time'

export const RATING_LEVELS = [
  'very_satisfied',
  'satisfied',
  'basic',
  'unsatisfied',
  'very_unsatisfied'
] as const
export type RatingLevel = (typeof RATING_LEVELS)[number]

export const LEVEL_TEXT: Record<RatingLevel, string> = {
  very_satisfied: '非常满意',
  satisfied: '满意',
  basic: '基本满意',
  unsatisfied: '不满意',
  very_unsatisfied: '非常不满意'
}

/** Score 5 (非常满意) … 1 (非常不满意): what the console shows beside the text. */
export const LEVEL_SCORE: Record<RatingLevel, number> = {
  very_satisfied: 5,
  satisfied: 4,
  basic: 3,
  unsatisfied: 2,
  very_unsatisfied: 1
}

/** 不满意 and 非常不满意 are bad reviews (差评): each opens a follow-up. */
export function isBadLevel(level: RatingLevel): boolean {
  return level === 'unsatisfied' || level === 'very_unsatisfied'
}

/** The window's "five ones" (五个一) and the usual complaints. */
export const POSITIVE_TAGS = {
  smile: '一张笑脸',
  chair: '一把椅子',
  greeting: '一声问候',
  kind_word: '一句暖心话',
  equal: '一视同仁'
} as const
export const NEGATIVE_TAGS = {
  long_wait: '等候时间长',
  unclear_guidance: '指引不清楚',
  attitude: '服务态度差',
  repeat_trips: '多跑了冤枉路',
  slow: '办理效率低'
} as const
export const RATING_TAGS = { ...POSITIVE_TAGS, ...NEGATIVE_TAGS } as const
export type RatingTag = keyof typeof RATING_TAGS
export const RATING_TAG_KEYS = Object.keys(RATING_TAGS) as RatingTag[]

export const MAX_COMMENT_CHARS = 300
export const MAX_TAGS = 10

/** How the resident rates the rectification of a bad review. */
export const RECTIFICATION_LEVELS = ['satisfied', 'basic', 'unsatisfied'] as const
export type RectificationLevel = (typeof RECTIFICATION_LEVELS)[number]
export const RECTIFICATION_TEXT: Record<RectificationLevel, string> = {
  satisfied: '满意',
  basic: '基本满意',
  unsatisfied: '不满意'
}

export const CASE_KINDS = ['appointment', 'request'] as const
/** A request's case type is its kind's label (绿色通道 / 延时服务 / 上门服务). */
export const APPOINTMENT_CASE_TYPE = '预约办理'
export type CaseKind = (typeof CASE_KINDS)[number]

/** Business types for a window's volumes (like its yearly summary). */
export const BUSINESS_TYPES = {
  id_card: '居民身份证',
  certificate: '户籍证明',
  registration: '户口登记、注销与迁移',
  correction: '户籍信息更正',
  consultation: '政策咨询',
  other: '其他'
} as const
export type BusinessType = keyof typeof BUSINESS_TYPES

export const FOLLOW_UP_STATUSES = ['open', 'called', 'replied', 'closed', 'excluded'] as const
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number]
export const FOLLOW_UP_STATUS_TEXT: Record<FollowUpStatus, string> = {
  open: '待回访',
  called: '已回访，整改中',
  replied: '已答复，待居民评价整改',
  closed: '已办结',
  excluded: '已剔除'
}

/** Deadlines, in working days after the day of the review (each ends at 24:00 Shanghai time). */
export const CALLBACK_WORKING_DAYS = 1
export const REPLY_WORKING_DAYS = 15

export const FINDINGS = {
  substantiated: '情况属实',
  partly: '部分属实',
  unsubstantiated: '情况不属实'
} as const
export type Finding = keyof typeof FINDINGS

/** A period of Shanghai calendar days, both ends included; at most a year and a day. */
export const MAX_PERIOD_DAYS = 366
export const MAX_EXPORT_ROWS = 20000
const LocalDateSchema = z.string().check(z.refine(isLocalDate, 'INVALID_INPUT'))
const text = (max: number) =>
  z.string().check(z.trim(), z.minLength(1, 'INVALID_INPUT'), z.maxLength(max, 'INVALID_INPUT'))
const Period = { from: LocalDateSchema, to: LocalDateSchema }

export const ratingInputs = {
  /** The rating page: the case as its resident sees it, with the rating and follow-up if any. */
  case: z.strictObject({ caseKind: z.enum(CASE_KINDS), caseId: DocId }),
  /** The resident rates a finished case of theirs; the same requestId again returns the same rating. */
  rate: z.strictObject({
    requestId: RequestId,
    caseKind: z.enum(CASE_KINDS),
    caseId: DocId,
    level: z.enum(RATING_LEVELS),
    tags: z.optional(z.array(z.string().check(z.maxLength(32))).check(z.maxLength(MAX_TAGS, 'TAG_UNKNOWN'))),
    comment: z.optional(z.string().check(z.trim(), z.maxLength(MAX_COMMENT_CHARS, 'COMMENT_TOO_LONG')))
  }),
  /** The caller's finished cases not yet rated (the in-app prompt), newest first. */
  pending: z.strictObject({}),
  /** The caller's own ratings, with their follow-ups. */
  mine: z.strictObject({}),
  /** The resident rates how their bad review was rectified (once, after the reply). */
  rateRectification: z.strictObject({
    followUpId: DocId,
    level: z.enum(RECTIFICATION_LEVELS),
    comment: z.optional(z.string().check(z.trim(), z.maxLength(MAX_COMMENT_CHARS, 'COMMENT_TOO_LONG')))
  }),

  /** Staff: ratings they may see (officer: own cases; leader: the station; supervisor: all). */
  list: z.strictObject({ ...Period, stationId: z.optional(DocId), badOnly: z.optional(z.boolean()) }),
  /** Leader / supervisor: follow-ups of bad reviews. `open` = not closed or excluded. */
  followUps: z.strictObject({
    stationId: z.optional(DocId),
    status: z.optional(z.enum(['open', 'overdue', 'all']))
  }),
  /** Leader: the resident was called back (what was said). */
  callBack: z.strictObject({ followUpId: DocId, note: text(300) }),
  /** Leader: verification finding, the rectification and the reply the resident reads. */
  reply: z.strictObject({
    followUpId: DocId,
    finding: z.enum(['substantiated', 'partly', 'unsubstantiated']),
    rectification: text(500),
    reply: text(500)
  }),
  /** Leader / supervisor: exclude a malicious or mistaken review, with the reason. */
  exclude: z.strictObject({
    ratingId: DocId,
    reason: z.string().check(z.trim(), z.minLength(5, 'REASON_REQUIRED'), z.maxLength(300, 'INVALID_INPUT'))
  }),

  /** Supervisor (leader: own station): figures for a period. */
  dashboard: z.strictObject({
    ...Period,
    stationId: z.optional(DocId),
    officerStaffId: z.optional(DocId),
    serviceName: z.optional(z.string().check(z.maxLength(60)))
  }),
  /** Supervisor (leader: own station): the period's ratings as CSV (mobiles masked). */
  export: z.strictObject({ ...Period, stationId: z.optional(DocId) }),
  /** Supervisor: recompute the daily rollups of a period (the timer does yesterday and today). */
  rollup: z.strictObject({ ...Period, stationId: z.optional(DocId) })
}

/** The case being rated, as its resident sees it. */
export interface CaseSummary {
  caseKind: CaseKind
  caseId: string
  /** 预约办理 / 绿色通道 / 延时服务 / 上门服务 */
  caseType: string
  serviceName: string
  stationName: string
  officerName?: string
  finished: boolean
  finishedAt?: string
}

export interface RatingView {
  _id: string
  caseKind: CaseKind
  caseId: string
  caseType: string
  serviceName: string
  stationName: string
  officerName?: string
  level: RatingLevel
  levelText: string
  score: number
  tags: RatingTag[]
  tagTexts: string[]
  comment?: string
  ratedAt: string
  ratedAtLocal: string
  bad: boolean
  excluded?: { reason: string; by: string; at: string }
  followUpId?: string
}

/** What the resident sees of the follow-up of their bad review. */
export interface FollowUpResidentView {
  _id: string
  status: FollowUpStatus
  statusText: string
  calledBackAt?: string
  reply?: string
  repliedAt?: string
  rectificationLevel?: RectificationLevel
  rectificationText?: string
  canRateRectification: boolean
}

export interface FollowUpStaffView extends FollowUpResidentView {
  ratingId: string
  stationId: string
  stationName: string
  officerName?: string
  serviceName: string
  caseType: string
  levelText: string
  tagTexts: string[]
  comment?: string
  ratedAtLocal: string
  /** The resident's contact for the call back (full for the station's leaders; the read is audited). */
  contactName?: string
  mobile?: string
  mobileMasked?: string
  callbackDueAt: string
  callbackDueLocal: string
  replyDueAt: string
  replyDueLocal: string
  /** The holiday table did not cover a deadline: counted as Monday–Friday for now. */
  deadlineProvisional: boolean
  overdue: 'callback' | 'reply' | null
  callNote?: string
  finding?: Finding
  findingText?: string
  rectification?: string
  excludedReason?: string
}

export interface LevelCounts {
  very_satisfied: number
  satisfied: number
  basic: number
  unsatisfied: number
  very_unsatisfied: number
}

/** Satisfaction of a set of ratings (excluded ones left out, counted apart). */
export interface Satisfaction {
  total: number
  counts: LevelCounts
  /** (非常满意 + 满意 + 基本满意) / total, in percent with one decimal; null when total is 0. */
  satisfactionRate: number | null
  /** Bad reviews (不满意 + 非常不满意) / total, in percent; null when total is 0. */
  badRate: number | null
  /** Mean score 1–5 with two decimals; null when total is 0. */
  averageScore: number | null
  excluded: number
}

export interface Breakdown extends Satisfaction {
  key: string
  label: string
}

export interface RatingOutputs {
  case: { case: CaseSummary; rating?: RatingView; followUp?: FollowUpResidentView }
  rate: RatingView
  pending: CaseSummary[]
  mine: { rating: RatingView; followUp?: FollowUpResidentView }[]
  rateRectification: FollowUpResidentView
  list: RatingView[]
  followUps: {
    me: { staffId: string; role: 'officer' | 'leader' | 'supervisor' }
    items: FollowUpStaffView[]
  }
  callBack: FollowUpStaffView
  reply: FollowUpStaffView
  exclude: RatingView
  /** The dashboard's figures (types/dashboard.ts). */
  dashboard: DashboardView
  /** At most MAX_EXPORT_ROWS rows (`truncated` when the period had more). */
  export: { fileName: string; csv: string; rows: number; truncated: boolean }
  rollup: { days: number; stations: number; ratings: number }
}
