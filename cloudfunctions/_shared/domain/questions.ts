/**
 * Residents' online questions under first-ask responsibility (首问责任) as pure rules: the
 * document, who may open, answer and hand a question on, what each step writes and on which
 * condition, and who sees what. No database here: the `feedback` function reads the question,
 * asks these rules, and writes with the condition they give, so of two staff acting at once
 * exactly one wins (docs/ratings-and-feedback.md).
 *
 *   asked ──open (the first officer or leader: the owner)──▶ owned ──answer (the owner)──▶ answered
 *                                                            └─transfer (owner or leader, reason)─┘ owned
 */
import { ERROR_MESSAGES, type ErrorCode } from '../../../types/errors'
import { QUESTION_STATUS_TEXT, type QuestionStatus } from '../../../types/feedback'
import type { StaffRole } from '../../../types/staff'
import { localDateTime, minutesBetween } from '../../../types/time'
import type { Refusal } from './policy'
import { optional } from '../fields'

/* ---------- the document ---------- */

/** A member of staff as recorded on a document. */
export interface Who {
  staffId: string
  name: string
}

export interface StoredOwner {
  staffId: string
  name: string
  at: Date
  atLocal: string
  reason?: string
  byStaffId?: string
  byName?: string
}

export interface QuestionDoc {
  _id: string
  openid: string
  requestId: string
  stationId: string
  question: string
  serviceName?: string
  status: QuestionStatus
  statusText: string
  createdAt: Date
  createdAtLocal: string
  updatedAt: Date
  /** The staff alerted when it was asked. */
  alertedStaffIds: string[]
  /** The current owner (首问责任人): absent until the first officer opens it. */
  ownerStaffId?: string
  owner?: Who
  /** Every owner in turn: the first opener, then each hand-off with its reason. */
  owners: StoredOwner[]
  firstOpenedAt?: Date
  firstOpenedAtLocal?: string
  firstResponseMinutes?: number
  answer?: string
  answeredAt?: Date
  answeredAtLocal?: string
  answeredBy?: Who
  answerMinutes?: number
}

/* ---------- roles ---------- */

/** Who reads the station's questions and may open or answer one (supervisors only look on). */
export const QUESTION_STAFF = ['officer', 'leader', 'supervisor'] as const satisfies readonly StaffRole[]
/** Who may own a question: by opening it first, or by being handed it. */
export const QUESTION_OWNERS = ['officer', 'leader'] as const satisfies readonly StaffRole[]
/** Who may hand a question on: its owner, or a leader of its station. */
export const QUESTION_TRANSFERRERS = QUESTION_OWNERS

/** The member of staff acting (their station is checked by the caller, with the document). */
export interface QuestionActor {
  _id: string
  name: string
  role: StaffRole
  stationId?: string
}

export const mayOwn = (s: { role: StaffRole }) => (QUESTION_OWNERS as readonly StaffRole[]).includes(s.role)

export const who = (s: Pick<QuestionActor, '_id' | 'name'>): Who => ({ staffId: s._id, name: s.name })

/* ---------- what a step comes to ---------- */

/**
 * `advance` — write `patch` on condition the document still matches `where`; `repeat` — this very
 * step was already taken (a retry): change nothing, finish its side effects; `refuse` — not allowed.
 */
export type QuestionStep<P> =
  | { kind: 'advance'; where: { status: QuestionStatus; ownerStaffId?: string }; patch: P }
  | { kind: 'repeat' }
  | { kind: 'refuse'; refusal: Refusal }

const refuse = (code: ErrorCode, message: string = ERROR_MESSAGES[code]) =>
  ({ kind: 'refuse', refusal: { code, message } }) as const
const repeat = { kind: 'repeat' } as const

const ANSWERED_NO_TRANSFER = '这条咨询已经答复过了，不能再转交'

/** Why someone other than the owner may not act on the question. */
export function notOwner(doc: Pick<QuestionDoc, 'status' | 'owner'>): Refusal {
  if (doc.status === 'asked')
    return { code: 'NOT_OWNER', message: '请先打开这条咨询（打开即成为首问责任人）再答复' }
  return {
    code: 'NOT_OWNER',
    message: doc.owner
      ? `这条咨询由${doc.owner.name}负责答复（首问责任），请联系负责的民警`
      : ERROR_MESSAGES.NOT_OWNER
  }
}

/* ---------- opening: the first opener owns it ---------- */

export type OpenPatch = Pick<
  QuestionDoc,
  | 'status'
  | 'statusText'
  | 'ownerStaffId'
  | 'owner'
  | 'owners'
  | 'firstOpenedAt'
  | 'firstOpenedAtLocal'
  | 'firstResponseMinutes'
  | 'updatedAt'
>

/**
 * Opening a question: the first officer or leader to open a waiting one becomes its owner (on
 * condition it is still `asked`); anyone else, or a question already taken, only looks.
 */
export function openStep(
  doc: Pick<QuestionDoc, 'status' | 'createdAt'>,
  by: QuestionActor,
  now: Date
): { kind: 'look' } | { kind: 'advance'; where: { status: 'asked' }; patch: OpenPatch } {
  if (doc.status !== 'asked' || !mayOwn(by)) return { kind: 'look' }
  return {
    kind: 'advance',
    where: { status: 'asked' },
    patch: {
      status: 'owned',
      statusText: QUESTION_STATUS_TEXT.owned,
      ownerStaffId: by._id,
      owner: who(by),
      owners: [{ staffId: by._id, name: by.name, at: now, atLocal: localDateTime(now) }],
      firstOpenedAt: now,
      firstOpenedAtLocal: localDateTime(now),
      firstResponseMinutes: minutesBetween(doc.createdAt, now),
      updatedAt: now
    }
  }
}

/* ---------- answering: only the owner ---------- */

export type AnswerPatch = Pick<
  QuestionDoc,
  | 'status'
  | 'statusText'
  | 'answer'
  | 'answeredAt'
  | 'answeredAtLocal'
  | 'answeredBy'
  | 'answerMinutes'
  | 'updatedAt'
>

const isAnswerRetry = (
  d: Pick<QuestionDoc, 'status' | 'answer' | 'answeredBy'>,
  by: QuestionActor,
  answer: string
) => d.status === 'answered' && d.answer === answer && d.answeredBy?.staffId === by._id

/** The owner answers (on condition it is still theirs); the same answer by them again is a retry. */
export function answerStep(
  doc: Pick<QuestionDoc, 'status' | 'createdAt' | 'ownerStaffId' | 'owner' | 'answer' | 'answeredBy'>,
  by: QuestionActor,
  answer: string,
  now: Date
): QuestionStep<AnswerPatch> {
  if (doc.status === 'answered') return isAnswerRetry(doc, by, answer) ? repeat : refuse('QUESTION_ANSWERED')
  if (doc.status !== 'owned' || doc.ownerStaffId !== by._id) return { kind: 'refuse', refusal: notOwner(doc) }
  return {
    kind: 'advance',
    where: { status: 'owned', ownerStaffId: by._id },
    patch: {
      status: 'answered',
      statusText: QUESTION_STATUS_TEXT.answered,
      answer,
      answeredAt: now,
      answeredAtLocal: localDateTime(now),
      answeredBy: who(by),
      answerMinutes: minutesBetween(doc.createdAt, now),
      updatedAt: now
    }
  }
}

/** The answer's condition failed (a hand-off or another answer came first): judged on the question reread. */
export function answerLost(
  doc: Pick<QuestionDoc, 'status' | 'owner' | 'answer' | 'answeredBy'>,
  by: QuestionActor,
  answer: string
): { kind: 'repeat' } | { kind: 'refuse'; refusal: Refusal } {
  if (isAnswerRetry(doc, by, answer)) return repeat
  if (doc.status === 'answered') return refuse('QUESTION_ANSWERED')
  return { kind: 'refuse', refusal: notOwner(doc) }
}

/* ---------- handing on: the owner or a leader, to an officer or leader, with a reason ---------- */

export type TransferPatch = Pick<QuestionDoc, 'ownerStaffId' | 'owner' | 'owners' | 'updatedAt'>

export interface TransferInput {
  toStaffId: string
  reason: string
}

const lastOwner = (d: Pick<QuestionDoc, 'owners'>) => d.owners?.[d.owners.length - 1]

const isTransferRetry = (
  d: Pick<QuestionDoc, 'ownerStaffId' | 'owners'>,
  by: QuestionActor,
  input: TransferInput
) =>
  d.ownerStaffId === input.toStaffId &&
  lastOwner(d)?.byStaffId === by._id &&
  lastOwner(d)?.reason === input.reason

/**
 * Whether `by` may hand the question to `input.toStaffId` at all (before the new owner is looked
 * up): `repeat` when this very hand-off was already made, a refusal, or null to go on.
 */
export function checkTransfer(
  doc: Pick<QuestionDoc, 'status' | 'ownerStaffId' | 'owner' | 'owners'>,
  by: QuestionActor,
  input: TransferInput
): { kind: 'repeat' } | { kind: 'refuse'; refusal: Refusal } | null {
  if (!(QUESTION_TRANSFERRERS as readonly StaffRole[]).includes(by.role)) return refuse('FORBIDDEN')
  if (isTransferRetry(doc, by, input)) return repeat
  if (doc.status === 'answered') return refuse('QUESTION_ANSWERED', ANSWERED_NO_TRANSFER)
  if (doc.status !== 'owned')
    return refuse('INVALID_INPUT', '这条咨询还没有负责人：打开它即成为首问责任人，再转交')
  if (doc.ownerStaffId !== by._id && by.role !== 'leader') return { kind: 'refuse', refusal: notOwner(doc) }
  if (input.toStaffId === doc.ownerStaffId) return refuse('INVALID_INPUT', '新的负责人不能是现在的负责人')
  return null
}

/**
 * The hand-off to `target` (the active member of the question's station with the id asked for, if
 * any): written on condition the owner is still the one read; the new owner recorded with the reason.
 */
export function transferStep(
  doc: Pick<QuestionDoc, 'ownerStaffId' | 'owners'>,
  by: QuestionActor,
  target: QuestionActor | undefined,
  input: TransferInput,
  now: Date
): Exclude<QuestionStep<TransferPatch>, { kind: 'repeat' }> {
  if (!target || target._id !== input.toStaffId || !mayOwn(target))
    return refuse('INVALID_INPUT', '请选择本所在岗的民警或所领导作为新的负责人')
  const record: StoredOwner = {
    staffId: target._id,
    name: target.name,
    at: now,
    atLocal: localDateTime(now),
    reason: input.reason,
    byStaffId: by._id,
    byName: by.name
  }
  return {
    kind: 'advance',
    where: { status: 'owned', ...optional({ ownerStaffId: doc.ownerStaffId }) },
    patch: {
      ownerStaffId: target._id,
      owner: who(target),
      owners: [...(doc.owners ?? []), record],
      updatedAt: now
    }
  }
}

/** The hand-off's condition failed (another hand-off or an answer came first): judged on the question reread. */
export function transferLost(
  doc: Pick<QuestionDoc, 'status' | 'ownerStaffId' | 'owner' | 'owners'>,
  by: QuestionActor,
  input: TransferInput
): { kind: 'repeat' } | { kind: 'refuse'; refusal: Refusal } {
  if (isTransferRetry(doc, by, input)) return repeat
  if (doc.status === 'answered') return refuse('QUESTION_ANSWERED', ANSWERED_NO_TRANSFER)
  return { kind: 'refuse', refusal: notOwner(doc) }
}

/* ---------- who sees what ---------- */

/** The owner may answer while it is theirs. */
export const mayAnswer = (doc: Pick<QuestionDoc, 'status' | 'ownerStaffId'>, me: QuestionActor) =>
  doc.status === 'owned' && doc.ownerStaffId === me._id

/** The owner, or a leader of its station, may hand on a question in hand. */
export const mayTransfer = (
  doc: Pick<QuestionDoc, 'status' | 'ownerStaffId' | 'stationId'>,
  me: QuestionActor
) =>
  doc.status === 'owned' &&
  (doc.ownerStaffId === me._id || (me.role === 'leader' && me.stationId === doc.stationId))

/**
 * A station's list, as one member of staff sees it: every waiting question, their own (in hand or
 * answered by them), and — for leaders and supervisors — every question in hand.
 */
export function visibleTo(
  doc: Pick<QuestionDoc, 'status' | 'ownerStaffId' | 'answeredBy'>,
  me: QuestionActor
): boolean {
  const seesAllOpen = me.role === 'leader' || me.role === 'supervisor'
  return (
    doc.status === 'asked' ||
    doc.ownerStaffId === me._id ||
    doc.answeredBy?.staffId === me._id ||
    (seesAllOpen && doc.status === 'owned')
  )
}

/** Waiting first (oldest first: they have waited longest), then in hand, then answered (newest first). */
export function staffOrder(
  a: Pick<QuestionDoc, 'status' | 'createdAt'>,
  b: Pick<QuestionDoc, 'status' | 'createdAt'>
): number {
  const rank = (d: Pick<QuestionDoc, 'status'>) => (d.status === 'asked' ? 0 : d.status === 'owned' ? 1 : 2)
  const time = (d: Pick<QuestionDoc, 'createdAt'>) => new Date(d.createdAt).getTime()
  return rank(a) - rank(b) || (a.status === 'answered' ? time(b) - time(a) : time(a) - time(b))
}
