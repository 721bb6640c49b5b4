/**
 * The follow-up of a bad review (差评回访整改) as pure rules: its document, the steps that move it
 * from one status to the next (from which status, by whom, with what change), its two deadlines
 * in working days of the holiday table, and when it is overdue. No database here: the `rating`
 * function reads the documents, asks these rules, and writes the change with a condition on the
 * status it read (docs/ratings-and-feedback.md describes the workflow and where it lives).
 *
 *   open ──callBack──▶ called ──reply──▶ replied ──rateRectification──▶ closed
 *     └──────────────┴───────────────────┴──exclude (the review is excluded)──▶ excluded
 */
import { ERROR_MESSAGES, type ErrorCode } from '../../../types/errors'
import { maskMobile } from '../../../types/identity'
import {
  CALLBACK_WORKING_DAYS,
  FINDINGS,
  FOLLOW_UP_STATUS_TEXT,
  RECTIFICATION_TEXT,
  REPLY_WORKING_DAYS,
  type CaseKind,
  type Finding,
  type FollowUpStatus,
  type RatingLevel,
  type RectificationLevel
} from '../../../types/ratings'
import type { StaffRole } from '../../../types/staff'
import { localDateTime } from '../../../types/time'
import type { Calendar } from './calendar'
import type { Refusal } from './policy'
import { workingDayDeadline } from './ratings'
import { optional } from '../fields'

/* ---------- the document ---------- */

export type OverdueStage = 'callback' | 'reply'

export interface FollowUpDoc extends Omit<BadReview, '_id'> {
  _id: string
  /** The bad review's id (`BadReview._id`). */
  ratingId: string
  contactName?: string
  mobileMasked?: string
  status: FollowUpStatus
  statusText: string
  callbackDueAt: Date
  callbackDueLocal: string
  replyDueAt: Date
  replyDueLocal: string
  deadlineProvisional: boolean
  calledBackAt?: Date
  calledBackAtLocal?: string
  calledBackBy?: string
  callNote?: string
  finding?: Finding
  findingText?: string
  rectification?: string
  reply?: string
  repliedAt?: Date
  repliedAtLocal?: string
  repliedBy?: string
  rectificationLevel?: RectificationLevel
  rectificationText?: string
  rectificationComment?: string
  rectificationRatedAt?: Date
  excludedReason?: string
  /** Overdue stages already escalated to supervisors (each once). */
  escalations: { stage: OverdueStage; at: Date; atLocal: string; names: string[] }[]
  /** The stages in `escalations` (a condition on it claims an escalation exactly once). */
  escalatedStages: OverdueStage[]
  createdAt: Date
  updatedAt: Date
}

/** Still being worked on: listed by default, counted as open, and ended by an exclusion. */
export const UNFINISHED_STATUSES = ['open', 'called', 'replied'] as const satisfies readonly FollowUpStatus[]
/** Not yet replied to: the deadlines run (overdue, escalation, recount of provisional deadlines). */
export const AWAITING_REPLY_STATUSES = ['open', 'called'] as const satisfies readonly FollowUpStatus[]

/** Who works a follow-up: the station's leaders, and supervisors (the resident rates the outcome). */
export const FOLLOW_UP_STAFF = ['leader', 'supervisor'] as const satisfies readonly StaffRole[]

/** Every transition: from which status, to which, and who takes it. */
export const FOLLOW_UP_STEPS = {
  callBack: { from: ['open'], to: 'called', by: FOLLOW_UP_STAFF },
  reply: { from: ['called'], to: 'replied', by: FOLLOW_UP_STAFF },
  rateRectification: { from: ['replied'], to: 'closed', by: ['resident'] },
  exclude: { from: UNFINISHED_STATUSES, to: 'excluded', by: FOLLOW_UP_STAFF }
} as const satisfies Record<
  string,
  { from: readonly FollowUpStatus[]; to: FollowUpStatus; by: readonly (StaffRole | 'resident')[] }
>

/**
 * What a step comes to: `advance` — write `patch` on condition the status is still `from`;
 * `repeat` — this very step was already taken (a retry): change nothing, finish its side effects;
 * `refuse` — not allowed now.
 */
export type Step<P> =
  | { kind: 'advance'; from: FollowUpStatus; patch: P }
  | { kind: 'repeat' }
  | { kind: 'refuse'; refusal: Refusal }

const refuse = (code: ErrorCode, message: string = ERROR_MESSAGES[code]) =>
  ({ kind: 'refuse', refusal: { code, message } }) as const
const repeat = { kind: 'repeat' } as const

/** A member of staff taking a step (their station is checked by the caller, with the document). */
export interface StepActor {
  role: StaffRole
  name: string
}

const isFollowUpStaff = (role: StaffRole) => (FOLLOW_UP_STAFF as readonly StaffRole[]).includes(role)

/* ---------- deadlines ---------- */

export type FollowUpDeadlines = Pick<
  FollowUpDoc,
  'callbackDueAt' | 'callbackDueLocal' | 'replyDueAt' | 'replyDueLocal' | 'deadlineProvisional'
>

/**
 * Call back by the end of the first working day after the day of the review, reply by the end of
 * the fifteenth (holiday table; provisional where a year's table is not yet confirmed).
 */
export function followUpDeadlines(calendar: Calendar, ratedAt: Date): FollowUpDeadlines {
  const callback = workingDayDeadline(calendar, ratedAt, CALLBACK_WORKING_DAYS)
  const reply = workingDayDeadline(calendar, ratedAt, REPLY_WORKING_DAYS)
  return {
    callbackDueAt: callback.dueAt,
    callbackDueLocal: localDateTime(callback.dueAt),
    replyDueAt: reply.dueAt,
    replyDueLocal: localDateTime(reply.dueAt),
    deadlineProvisional: callback.provisional || reply.provisional
  }
}

/**
 * Provisional deadlines counted again with the current holiday table: the new deadlines when
 * they moved or are no longer provisional, null when nothing changed.
 */
export function recountedDeadlines(
  f: Pick<FollowUpDoc, 'ratedAt' | 'callbackDueAt' | 'replyDueAt'>,
  calendar: Calendar
): FollowUpDeadlines | null {
  const d = followUpDeadlines(calendar, new Date(f.ratedAt))
  const same =
    d.deadlineProvisional &&
    d.callbackDueAt.getTime() === new Date(f.callbackDueAt).getTime() &&
    d.replyDueAt.getTime() === new Date(f.replyDueAt).getTime()
  return same ? null : d
}

/** Which deadline has passed unmet, if any (the reply's wins once both have). */
export function overdueStage(
  f: Pick<FollowUpDoc, 'status' | 'callbackDueAt' | 'replyDueAt'>,
  now: Date
): OverdueStage | null {
  if ((f.status === 'open' || f.status === 'called') && now.getTime() >= new Date(f.replyDueAt).getTime())
    return 'reply'
  if (f.status === 'open' && now.getTime() >= new Date(f.callbackDueAt).getTime()) return 'callback'
  return null
}

/** The overdue stage supervisors are still to be told about (each stage once), or null. */
export function escalationDue(
  f: Pick<FollowUpDoc, 'status' | 'callbackDueAt' | 'replyDueAt' | 'escalatedStages'>,
  now: Date
): OverdueStage | null {
  const stage = overdueStage(f, now)
  return stage && !f.escalatedStages.includes(stage) ? stage : null
}

/* ---------- opening ---------- */

/** The bad review a follow-up is opened for (a rating document has these fields). */
export interface BadReview {
  _id: string
  openid: string
  caseKind: CaseKind
  caseId: string
  caseType: string
  stationId: string
  stationName: string
  officerStaffId?: string
  officerName?: string
  serviceName: string
  level: RatingLevel
  levelText: string
  tagTexts: string[]
  comment?: string
  ratedAt: Date
  ratedAtLocal: string
}

export const followUpIdOf = (ratingId: string) => `fu-${ratingId}`

/** A new follow-up: open, deadlines counted from the review, the resident's mobile kept masked. */
export function newFollowUp(
  r: BadReview,
  contact: { contactName: string; mobile: string },
  calendar: Calendar,
  now: Date
): FollowUpDoc {
  return {
    _id: followUpIdOf(r._id),
    ratingId: r._id,
    openid: r.openid,
    caseKind: r.caseKind,
    caseId: r.caseId,
    caseType: r.caseType,
    stationId: r.stationId,
    stationName: r.stationName,
    ...(r.officerStaffId ? { officerStaffId: r.officerStaffId, officerName: r.officerName } : {}),
    serviceName: r.serviceName,
    level: r.level,
    levelText: r.levelText,
    tagTexts: r.tagTexts,
    ...optional({ comment: r.comment }),
    ratedAt: r.ratedAt,
    ratedAtLocal: r.ratedAtLocal,
    contactName: contact.contactName,
    mobileMasked: maskMobile(contact.mobile),
    status: 'open',
    statusText: FOLLOW_UP_STATUS_TEXT.open,
    ...followUpDeadlines(calendar, new Date(r.ratedAt)),
    escalations: [],
    escalatedStages: [],
    createdAt: now,
    updatedAt: now
  }
}

/* ---------- the steps ---------- */

export type CallBackPatch = Pick<
  FollowUpDoc,
  'status' | 'statusText' | 'calledBackAt' | 'calledBackAtLocal' | 'calledBackBy' | 'callNote' | 'updatedAt'
>

/** The leader has called the resident back (only from `open`; the same note again is a retry). */
export function callBackStep(
  f: Pick<FollowUpDoc, 'status' | 'callNote'>,
  by: StepActor,
  note: string,
  now: Date
): Step<CallBackPatch> {
  if (!isFollowUpStaff(by.role)) return refuse('FORBIDDEN')
  if (f.status === 'called' && f.callNote === note) return repeat
  if (f.status !== 'open')
    return refuse('FOLLOW_UP_STEP', f.status === 'excluded' ? '这条评价已剔除，无需回访' : '已经记录过回访了')
  return {
    kind: 'advance',
    from: 'open',
    patch: {
      status: 'called',
      statusText: FOLLOW_UP_STATUS_TEXT.called,
      calledBackAt: now,
      calledBackAtLocal: localDateTime(now),
      calledBackBy: by.name,
      callNote: note,
      updatedAt: now
    }
  }
}

export type ReplyPatch = Pick<
  FollowUpDoc,
  | 'status'
  | 'statusText'
  | 'finding'
  | 'findingText'
  | 'rectification'
  | 'reply'
  | 'repliedAt'
  | 'repliedAtLocal'
  | 'repliedBy'
  | 'updatedAt'
>

/** The station's answer to the resident: finding and rectification (only once called back). */
export function replyStep(
  f: Pick<FollowUpDoc, 'status' | 'reply'>,
  by: StepActor,
  input: { finding: Finding; rectification: string; reply: string },
  now: Date
): Step<ReplyPatch> {
  if (!isFollowUpStaff(by.role)) return refuse('FORBIDDEN')
  if (f.status === 'replied' && f.reply === input.reply) return repeat
  if (f.status === 'open') return refuse('FOLLOW_UP_STEP', '请先回访居民并记录回访情况，再答复')
  if (f.status !== 'called')
    return refuse('FOLLOW_UP_STEP', f.status === 'excluded' ? '这条评价已剔除，无需答复' : '已经答复过了')
  return {
    kind: 'advance',
    from: 'called',
    patch: {
      status: 'replied',
      statusText: FOLLOW_UP_STATUS_TEXT.replied,
      finding: input.finding,
      findingText: FINDINGS[input.finding],
      rectification: input.rectification,
      reply: input.reply,
      repliedAt: now,
      repliedAtLocal: localDateTime(now),
      repliedBy: by.name,
      updatedAt: now
    }
  }
}

export type RectificationPatch = Pick<
  FollowUpDoc,
  | 'status'
  | 'statusText'
  | 'rectificationLevel'
  | 'rectificationText'
  | 'rectificationComment'
  | 'rectificationRatedAt'
  | 'updatedAt'
>

/** Whether the resident may rate the rectification now. */
export const mayRateRectification = (f: Pick<FollowUpDoc, 'status'>) => f.status === 'replied'

/**
 * The resident who gave the bad review rates the rectification, which closes the follow-up
 * (only once replied to; anyone else is told it does not exist).
 */
export function rateRectificationStep(
  f: Pick<FollowUpDoc, 'status' | 'openid' | 'rectificationLevel'>,
  openid: string,
  input: { level: RectificationLevel; comment?: string },
  now: Date
): Step<RectificationPatch> {
  if (f.openid !== openid) return refuse('NOT_FOUND', '没有找到这条回访记录')
  if (f.status === 'closed' && f.rectificationLevel === input.level) return repeat
  if (!mayRateRectification(f))
    return refuse(
      'FOLLOW_UP_STEP',
      f.status === 'closed' ? '您已经评价过整改情况了' : '派出所还没有答复整改情况，答复后才能评价'
    )
  const text = input.comment?.trim()
  return {
    kind: 'advance',
    from: 'replied',
    patch: {
      status: 'closed',
      statusText: FOLLOW_UP_STATUS_TEXT.closed,
      rectificationLevel: input.level,
      rectificationText: RECTIFICATION_TEXT[input.level],
      ...optional({ rectificationComment: text }),
      rectificationRatedAt: now,
      updatedAt: now
    }
  }
}

/* ---------- exclusion ---------- */

/** A type, not an interface: it is written as the update's data. */
export type ReviewExclusion = {
  excluded: true
  excludedReason: string
  excludedBy: string
  excludedAt: Date
  excludedAtLocal: string
}

/**
 * Excluding a review from the figures (with a reason): the review's change, or `repeat` when it
 * is excluded already. Its follow-up, if still unfinished, ends with `followUpExclusion`.
 */
export function excludeReviewStep(
  r: { excluded: boolean },
  by: StepActor,
  reason: string,
  now: Date
): { kind: 'exclude'; patch: ReviewExclusion } | { kind: 'repeat' } | { kind: 'refuse'; refusal: Refusal } {
  if (!isFollowUpStaff(by.role)) return refuse('FORBIDDEN')
  if (r.excluded) return repeat
  return {
    kind: 'exclude',
    patch: {
      excluded: true,
      excludedReason: reason,
      excludedBy: by.name,
      excludedAt: now,
      excludedAtLocal: localDateTime(now)
    }
  }
}

/** An excluded review's follow-up: written on condition it is still one of `from`. */
export function followUpExclusion(
  reason: string,
  now: Date
): {
  from: readonly FollowUpStatus[]
  patch: Pick<FollowUpDoc, 'status' | 'statusText' | 'excludedReason' | 'updatedAt'>
} {
  return {
    from: FOLLOW_UP_STEPS.exclude.from,
    patch: {
      status: 'excluded',
      statusText: FOLLOW_UP_STATUS_TEXT.excluded,
      excludedReason: reason,
      updatedAt: now
    }
  }
}
