/**
 * 在线咨询 under 首问责任 (first-ask responsibility): a resident `ask`s (idempotent by the client's
 * request id) and the on-duty officer(s) are alerted; the first officer or leader to `openQuestion`
 * becomes its owner (of two opening at once exactly one wins, the other gets the view with
 * canAnswer=false); only the owner `answer`s (NOT_OWNER otherwise); the owner or a leader may
 * `transfer` it to a named active officer or leader of the station, with a reason, recorded in
 * `owners`. Times to the first opening and to the answer are kept for supervisors. Which step is
 * allowed when, by whom, what it writes and on which condition are the pure rules in
 * _shared/domain/questions.ts; this file reads, asks them, writes, and sends the messages.
 */
import {
  QUESTION_STATUS_TEXT,
  type OwnerRecord,
  type QuestionStaffView,
  type QuestionView
} from '../../types/feedback'
import { pageUrl } from '../../types/routes'
import type { Staff } from '../../types/staff'
import { clipThing } from '../../types/templates'
import { localDateTime, minutesBetween } from '../../types/time'
import { requireStation } from '../_shared/access'
import { collection, insertOrGetRaced, repo } from '../_shared/db'
import { optional } from '../_shared/fields'
import {
  QUESTION_STAFF,
  QUESTION_TRANSFERRERS,
  answerLost,
  answerStep,
  checkTransfer,
  mayAnswer,
  mayOwn,
  mayTransfer,
  openStep,
  staffOrder,
  transferLost,
  transferStep,
  visibleTo,
  type QuestionDoc,
  type StoredOwner
} from '../_shared/domain/questions'
import type { Refusal } from '../_shared/domain/policy'
import { firstRecipients, stationStaff } from '../_shared/escalation'
import { AppError, type Handlers } from '../_shared/handler'
import { enqueueWithId, type NewMessage } from '../_shared/outbox'
import { LIST_LIMIT, docId, enqueueAll, iso, replyNotice, sendNowFrom, stationOf } from './common'

const questionColl = () => collection('questions')
const questionById = (id: string) => repo('questions').byId(id)

const refused = (r: Refusal) => new AppError(r.code, r.message)

function questionView(doc: QuestionDoc): QuestionView {
  const v: QuestionView = {
    _id: doc._id,
    stationId: doc.stationId,
    question: doc.question,
    status: doc.status,
    statusText: QUESTION_STATUS_TEXT[doc.status],
    createdAt: iso(doc.createdAt),
    createdAtLocal: doc.createdAtLocal
  }
  if (doc.serviceName) v.serviceName = doc.serviceName
  if (doc.owner) v.ownerName = doc.owner.name
  if (doc.answer !== undefined) v.answer = doc.answer
  if (doc.answeredAt) v.answeredAt = iso(doc.answeredAt)
  return v
}

function ownerRecord(o: StoredOwner): OwnerRecord {
  return {
    staffId: o.staffId,
    name: o.name,
    at: iso(o.at),
    ...optional({ reason: o.reason, byName: o.byName })
  }
}

/**
 * A question as staff see it: the text, never who asked (no name, mobile or OPENID, and no staff
 * action leads from a question to its resident), so not a read of personal data — not audited.
 */
function questionStaffView(doc: QuestionDoc, me: Staff): QuestionStaffView {
  const v: QuestionStaffView = {
    ...questionView(doc),
    owners: (doc.owners ?? []).map(ownerRecord),
    canAnswer: mayAnswer(doc, me),
    canTransfer: mayTransfer(doc, me)
  }
  if (doc.ownerStaffId) v.ownerStaffId = doc.ownerStaffId
  if (doc.firstOpenedAt) {
    v.firstOpenedAt = iso(doc.firstOpenedAt)
    v.firstResponseMinutes = minutesBetween(doc.createdAt, doc.firstOpenedAt)
  }
  if (doc.answeredAt) v.answerMinutes = minutesBetween(doc.createdAt, doc.answeredAt)
  return v
}

function questionAlert(doc: QuestionDoc, officer: Pick<Staff, '_id' | 'openid'>): NewMessage {
  return {
    dedupeKey: `question:${doc._id}:${officer._id}`,
    template: 'officerAlert',
    touser: officer.openid,
    page: pageUrl('officer/questions/index', { id: doc._id }),
    values: {
      kind: '群众咨询',
      service: clipThing(doc.serviceName ?? '在线咨询'),
      time: localDateTime(doc.createdAt),
      note: clipThing(doc.question)
    },
    ref: { kind: 'question', id: doc._id }
  }
}

/** The resident's notice of a reply (one per entry or question: the dedupe key). */
async function notifyAnswer(doc: QuestionDoc, now: Date): Promise<void> {
  const msg = await enqueueWithId(
    replyNotice('question', doc._id, doc.openid, '在线咨询答复', doc.answer ?? '', doc.answeredAt ?? now),
    now
  )
  await sendNowFrom([msg], now)
}

async function staffQuestion(staff: Staff, id: string): Promise<QuestionDoc> {
  const doc = await questionById(id)
  if (!doc) throw new AppError('NOT_FOUND', '没有找到这条咨询')
  requireStation(staff, doc.stationId)
  return doc
}

export const questionActions: Pick<
  Handlers<'feedback'>,
  'ask' | 'myQuestions' | 'questions' | 'openQuestion' | 'answer' | 'transfer'
> = {
  ask: {
    access: 'resident',
    async handler(input, ctx) {
      const { openid } = ctx
      const id = docId('qs', openid, input.requestId)
      const existing = await questionById(id)
      if (existing) {
        const alerted = (await stationStaff(existing.stationId)).filter((s) =>
          existing.alertedStaffIds.includes(s._id)
        )
        await sendNowFrom(
          await enqueueAll(
            alerted.map((s) => questionAlert(existing, s)),
            ctx.now
          ),
          ctx.now
        )
        return questionView(existing)
      }
      const st = await stationOf(input.stationId)
      const recipients = await firstRecipients(st._id, ctx.now)
      const doc: QuestionDoc = {
        _id: id,
        openid,
        requestId: input.requestId,
        stationId: st._id,
        question: input.question,
        ...optional({ serviceName: input.serviceName }),
        status: 'asked',
        statusText: QUESTION_STATUS_TEXT.asked,
        createdAt: ctx.now,
        createdAtLocal: localDateTime(ctx.now),
        updatedAt: ctx.now,
        alertedStaffIds: recipients.map((s) => s._id),
        owners: []
      }
      const { doc: stored, inserted } = await insertOrGetRaced('questions', doc)
      if (!inserted) return questionView(stored)
      await sendNowFrom(
        await enqueueAll(
          recipients.map((s) => questionAlert(doc, s)),
          ctx.now
        ),
        ctx.now
      )
      return questionView(doc)
    }
  },

  myQuestions: {
    access: 'resident',
    async handler(_input, ctx) {
      const { openid } = ctx
      const docs = (await questionColl().where({ openid }).orderBy('createdAt', 'desc').limit(50).get()).data
      return docs.map(questionView)
    }
  },

  questions: {
    access: 'staff',
    roles: QUESTION_STAFF,
    station: 'own',
    async handler({ stationId }, ctx) {
      const { staff } = ctx
      const station = staff.role === 'supervisor' ? (stationId ?? staff.stationId) : staff.stationId
      if (!station) throw new AppError('INVALID_INPUT', '请选择派出所')
      const docs = (
        await questionColl()
          .where({ stationId: station })
          .orderBy('createdAt', 'desc')
          .limit(LIST_LIMIT)
          .get()
      ).data
      // Waiting first (oldest first: they have waited longest), then in hand, then answered (newest first).
      const visible = docs.filter((d) => visibleTo(d, staff)).sort(staffOrder)
      const officers = (await stationStaff(station))
        .filter(mayOwn)
        .map((s) => ({ staffId: s._id, name: s.name }))
      return {
        me: { staffId: staff._id, role: staff.role },
        items: visible.map((d) => questionStaffView(d, staff)),
        officers
      }
    }
  },

  openQuestion: {
    access: 'staff',
    roles: QUESTION_STAFF,
    station: 'any',
    async handler({ id }, ctx) {
      const { staff } = ctx
      const doc = await staffQuestion(staff, id)
      // Supervisors look on; the first officer or leader of the station to open it owns it.
      const step = openStep(doc, staff, ctx.now)
      if (step.kind === 'look') return questionStaffView(doc, staff)
      // Exactly one of several opening at once moves it out of 'asked'.
      const res = await questionColl()
        .where({ _id: id, ...step.where })
        .update({ data: step.patch })
      if (res.stats.updated === 1) return questionStaffView({ ...doc, ...step.patch }, staff)
      return questionStaffView((await questionById(id)) ?? doc, staff)
    }
  },

  answer: {
    access: 'staff',
    roles: QUESTION_STAFF,
    station: 'any',
    async handler({ id, answer }, ctx) {
      const { staff } = ctx
      const doc = await staffQuestion(staff, id)
      const step = answerStep(doc, staff, answer, ctx.now)
      if (step.kind === 'refuse') throw refused(step.refusal)
      if (step.kind === 'repeat') {
        await notifyAnswer(doc, ctx.now) // a retry: the notice exists, or is enqueued now
        return questionStaffView(doc, staff)
      }
      // Only while it is still this officer's: a hand-off or another answer in between wins.
      const res = await questionColl()
        .where({ _id: id, ...step.where })
        .update({ data: step.patch })
      let answered: QuestionDoc = { ...doc, ...step.patch }
      if (res.stats.updated !== 1) {
        const now = (await questionById(id)) ?? doc
        const lost = answerLost(now, staff, answer)
        if (lost.kind === 'refuse') throw refused(lost.refusal)
        answered = now
      }
      await notifyAnswer(answered, ctx.now)
      return questionStaffView(answered, staff)
    }
  },

  transfer: {
    access: 'staff',
    roles: QUESTION_TRANSFERRERS,
    station: 'any',
    async handler({ id, toStaffId, reason }, ctx) {
      const { staff } = ctx
      const doc = await staffQuestion(staff, id)
      const input = { toStaffId, reason }
      const check = checkTransfer(doc, staff, input)
      if (check?.kind === 'refuse') throw refused(check.refusal)
      if (check?.kind === 'repeat') return questionStaffView(doc, staff)
      const target = (await stationStaff(doc.stationId)).find((s) => s._id === toStaffId && mayOwn(s))
      const step = transferStep(doc, staff, target, input, ctx.now)
      if (step.kind === 'refuse') throw refused(step.refusal)
      const newOwner = target as Staff // transferStep refuses without one
      // Only from the owner we read: two hand-offs (or a hand-off and an answer) at once, one wins.
      const res = await questionColl()
        .where({ _id: id, ...step.where })
        .update({ data: step.patch })
      if (res.stats.updated !== 1) {
        const now = (await questionById(id)) ?? doc
        const lost = transferLost(now, staff, input)
        if (lost.kind === 'refuse') throw refused(lost.refusal)
        return questionStaffView(now, staff)
      }
      const moved: QuestionDoc = { ...doc, ...step.patch }
      const msg = await enqueueWithId(
        {
          dedupeKey: `question-transfer:${id}:${step.patch.owners.length}`,
          template: 'officerAlert',
          touser: newOwner.openid,
          page: pageUrl('officer/questions/index', { id }),
          values: {
            kind: '咨询转交',
            service: clipThing(doc.serviceName ?? '在线咨询'),
            time: localDateTime(ctx.now),
            note: clipThing(`${staff.name}转交：${reason}`)
          },
          ref: { kind: 'question', id }
        },
        ctx.now
      )
      await sendNowFrom([msg], ctx.now)
      return questionStaffView(moved, staff)
    }
  }
}
