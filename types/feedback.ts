/**
 * 意见簿 / 警民联系箱 (the feedback box) and 首问责任 (first-ask responsibility) for residents'
 * online questions: the `feedback` function's contract.
 *
 * Feedback: a suggestion or complaint, anonymous if the resident wishes (then staff see no name
 * or contact; the resident still sees their own entry and its reply). The station's leader
 * replies; the resident is told (`replyNotice`) and reads the reply in the app.
 *
 * Questions: a resident asks; the first officer who opens it becomes its owner (首问责任人) and
 * keeps it until it is answered. A hand-off names the new owner and a reason (recorded); nobody
 * else may answer. Times to first response (opened) and to the answer are kept for supervisors.
 */
import './zod'
import * as z from 'zod/mini'
import { RequestId } from './appointment'
import { DocId } from './guide'

export const FEEDBACK_KINDS = { suggestion: '意见建议', complaint: '投诉', praise: '表扬' } as const
export type FeedbackKind = keyof typeof FEEDBACK_KINDS

export const FEEDBACK_STATUS_TEXT = { submitted: '待回复', replied: '已回复' } as const
export type FeedbackStatus = keyof typeof FEEDBACK_STATUS_TEXT

export const QUESTION_STATUS_TEXT = {
  asked: '等待民警查看',
  owned: '民警正在答复',
  answered: '已答复'
} as const
export type QuestionStatus = keyof typeof QUESTION_STATUS_TEXT

const text = (max: number) =>
  z.string().check(z.trim(), z.minLength(1, 'INVALID_INPUT'), z.maxLength(max, 'INVALID_INPUT'))

export const feedbackInputs = {
  /** A resident writes to the station; the same requestId again returns the same entry. */
  submit: z.strictObject({
    requestId: RequestId,
    stationId: DocId,
    kind: z.enum(Object.keys(FEEDBACK_KINDS) as [FeedbackKind, ...FeedbackKind[]]),
    content: text(500),
    anonymous: z.boolean(),
    /** Only when not anonymous, and then both optional: how the leader may call back. */
    contactName: z.optional(z.string().check(z.trim(), z.maxLength(20, 'NAME_INVALID'))),
    mobile: z.optional(z.string().check(z.trim(), z.regex(/^(1[3-9]\d{9})?$/, 'MOBILE_INVALID')))
  }),
  mine: z.strictObject({}),
  /** Leader / supervisor: the station's feedback, unanswered first. */
  list: z.strictObject({
    stationId: z.optional(DocId),
    status: z.optional(z.enum(['submitted', 'replied', 'all']))
  }),
  /** Leader: the reply the resident reads. */
  reply: z.strictObject({ id: DocId, reply: text(500) }),

  /** A resident asks a question online. */
  ask: z.strictObject({
    requestId: RequestId,
    stationId: DocId,
    question: text(300),
    serviceName: z.optional(text(60))
  }),
  myQuestions: z.strictObject({}),
  /** Staff: the station's questions: unowned ones, the caller's own, and (leader/supervisor) all open. */
  questions: z.strictObject({ stationId: z.optional(DocId) }),
  /** Officer: opens a question; the first to open it becomes its owner. */
  openQuestion: z.strictObject({ id: DocId }),
  /** The owner answers. */
  answer: z.strictObject({ id: DocId, answer: text(500) }),
  /** The owner (or a leader) hands the question to a named officer of the station, with a reason. */
  transfer: z.strictObject({ id: DocId, toStaffId: DocId, reason: text(100) })
}

export interface FeedbackView {
  _id: string
  stationId: string
  kind: FeedbackKind
  kindText: string
  content: string
  anonymous: boolean
  status: FeedbackStatus
  statusText: string
  createdAt: string
  createdAtLocal: string
  reply?: string
  repliedAt?: string
  repliedBy?: string
}

/** Staff see the contact only when the resident gave one (never who wrote an anonymous entry). */
export interface FeedbackStaffView extends FeedbackView {
  contactName?: string
  mobile?: string
}

export interface OwnerRecord {
  staffId: string
  name: string
  at: string
  /** Why it was handed on (absent for the first owner). */
  reason?: string
  byName?: string
}

export interface QuestionView {
  _id: string
  stationId: string
  question: string
  serviceName?: string
  status: QuestionStatus
  statusText: string
  createdAt: string
  createdAtLocal: string
  ownerName?: string
  answer?: string
  answeredAt?: string
}

export interface QuestionStaffView extends QuestionView {
  ownerStaffId?: string
  owners: OwnerRecord[]
  firstOpenedAt?: string
  /** Minutes from asking to the first officer opening it / to the answer. */
  firstResponseMinutes?: number
  answerMinutes?: number
  /** What the caller may do now. */
  canAnswer: boolean
  canTransfer: boolean
}

export interface FeedbackOutputs {
  submit: FeedbackView
  mine: FeedbackView[]
  list: FeedbackStaffView[]
  reply: FeedbackStaffView
  ask: QuestionView
  myQuestions: QuestionView[]
  questions: {
    me: { staffId: string; role: 'officer' | 'leader' | 'supervisor' }
    items: QuestionStaffView[]
    officers: { staffId: string; name: string }[]
  }
  openQuestion: QuestionStaffView
  answer: QuestionStaffView
  transfer: QuestionStaffView
}
