/**
 * feedback — 意见簿 / 警民联系箱 (the feedback box) and 首问责任 (first-ask responsibility) for
 * residents' online questions. The contract, and what each action means, is types/feedback.ts.
 *
 * Feedback: a resident `submit`s (idempotent by the client's request id; anonymous entries keep no
 * name or mobile — only the OPENID, so the resident still sees their own), reads `mine`; the
 * station's leader (or a supervisor) `list`s them, unanswered first, and `reply`s once. Staff views
 * never carry the OPENID; reading entries that carry a contact is recorded in the audit log.
 *
 * Questions: a resident `ask`s (idempotent likewise) and the on-duty officer(s) are alerted; the
 * first officer or leader to `openQuestion` becomes its owner (a conditional update on the status:
 * of two opening at once exactly one wins, the other gets the view with canAnswer=false); only the
 * owner `answer`s (NOT_OWNER otherwise); the owner or a leader may `transfer` it to a named active
 * officer or leader of the station, with a reason, recorded in `owners`. Times to the first opening
 * and to the answer are kept (instants and whole minutes) for supervisors.
 *
 * Every message (leader / officer alerts, replies to the resident) is an outbox record first, then
 * sent right away from here; a failure stays on the record for the notify timer or the inbox.
 */
import type { Station } from '../../types/guide'
import {
  feedbackInputs,
  FEEDBACK_KINDS,
  FEEDBACK_STATUS_TEXT,
  QUESTION_STATUS_TEXT,
  type FeedbackKind,
  type FeedbackStaffView,
  type FeedbackStatus,
  type FeedbackView,
  type OwnerRecord,
  type QuestionStaffView,
  type QuestionStatus,
  type QuestionView
} from '../../types/feedback'
import type { Staff } from '../../types/staff'
import { clipThing } from '../../types/templates'
import { localDateTime, minutesBetween } from '../../types/time'
import { disclose, discloseOne, notPersonal, personal, type Sealed } from '../_shared/audit'
import { requireCaller, requireStaff } from '../_shared/auth'
import { getCloud } from '../_shared/cloud'
import { db, idempotentId, isDuplicateKey, repo } from '../_shared/db'
import { firstRecipients, stationStaff } from '../_shared/escalation'
import { AppError, defineFunction } from '../_shared/handler'
import { enqueueWithId, sendNow, type NewMessage } from '../_shared/outbox'

/* ---------- stored documents ---------- */

interface Who {
  staffId: string
  name: string
}

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

interface StoredOwner {
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

const feedbackColl = () => db().collection<FeedbackDoc>('feedback')
const questionColl = () => db().collection<QuestionDoc>('questions')
const feedbackById = (id: string) => repo<FeedbackDoc>('feedback').byId(id)
const questionById = (id: string) => repo<QuestionDoc>('questions').byId(id)

const FEEDBACK_PAGE = 'pages/my-voice/index'
const LIST_LIMIT = 200

/** Ids derive from the caller and the client request id: a retry finds its document. */
const docId = (prefix: 'fb' | 'qs', openid: string, requestId: string) =>
  idempotentId(prefix, openid, requestId, `${prefix}:`)

const iso = (d: Date | string) => new Date(d).toISOString()
const time = (d: Date | string) => new Date(d).getTime()
const who = (s: Staff): Who => ({ staffId: s._id, name: s.name })

const sendNowFrom = (ids: (string | null)[], now: Date) =>
  sendNow(ids, now, getCloud().getWXContext().ENV, 'feedback')

async function enqueueAll(messages: NewMessage[], now: Date): Promise<(string | null)[]> {
  const ids: (string | null)[] = []
  for (const m of messages) ids.push(await enqueueWithId(m, now))
  return ids
}

/* ---------- views ---------- */

function feedbackView(doc: FeedbackDoc): FeedbackView {
  const v: FeedbackView = {
    _id: doc._id,
    stationId: doc.stationId,
    kind: doc.kind,
    kindText: FEEDBACK_KINDS[doc.kind],
    content: doc.content,
    anonymous: doc.anonymous,
    status: doc.status,
    statusText: FEEDBACK_STATUS_TEXT[doc.status],
    createdAt: iso(doc.createdAt),
    createdAtLocal: doc.createdAtLocal
  }
  if (doc.reply !== undefined) v.reply = doc.reply
  if (doc.repliedAt) v.repliedAt = iso(doc.repliedAt)
  if (doc.repliedBy) v.repliedBy = doc.repliedBy.name
  return v
}

/**
 * Staff see a contact only when the resident gave one; never the OPENID, never who wrote an
 * anonymous entry. A named entry (the resident's words, and their contact if given) is personal
 * data, sealed until the read is audited; an anonymous one is linked to nobody staff could find.
 */
function feedbackStaffView(doc: FeedbackDoc): Sealed<FeedbackStaffView> {
  const v: FeedbackStaffView = feedbackView(doc)
  if (doc.anonymous) return notPersonal(v)
  if (doc.contactName) v.contactName = doc.contactName
  if (doc.mobile) v.mobile = doc.mobile
  return personal('feedback', doc, v)
}

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
    ...(o.reason ? { reason: o.reason } : {}),
    ...(o.byName ? { byName: o.byName } : {})
  }
}

/**
 * A question as staff see it: the text, never who asked (no name, mobile or OPENID, and no staff
 * action leads from a question to its resident), so not a read of personal data — not audited.
 */
function questionStaffView(doc: QuestionDoc, me: Staff): QuestionStaffView {
  const owned = doc.status === 'owned'
  const mine = doc.ownerStaffId === me._id
  const v: QuestionStaffView = {
    ...questionView(doc),
    owners: (doc.owners ?? []).map(ownerRecord),
    canAnswer: owned && mine,
    canTransfer: owned && (mine || (me.role === 'leader' && me.stationId === doc.stationId))
  }
  if (doc.ownerStaffId) v.ownerStaffId = doc.ownerStaffId
  if (doc.firstOpenedAt) {
    v.firstOpenedAt = iso(doc.firstOpenedAt)
    v.firstResponseMinutes = minutesBetween(doc.createdAt, doc.firstOpenedAt)
  }
  if (doc.answeredAt) v.answerMinutes = minutesBetween(doc.createdAt, doc.answeredAt)
  return v
}

/* ---------- messages ---------- */

function feedbackAlert(doc: FeedbackDoc, leader: Pick<Staff, '_id' | 'openid'>): NewMessage {
  return {
    dedupeKey: `feedback:${doc._id}:${leader._id}`,
    template: 'officerAlert',
    touser: leader.openid,
    page: `officer/feedback/index?id=${doc._id}`,
    values: {
      kind: '群众留言',
      service: clipThing(FEEDBACK_KINDS[doc.kind]),
      time: localDateTime(doc.createdAt),
      note: clipThing(doc.content)
    },
    ref: { kind: 'feedback', id: doc._id }
  }
}

function questionAlert(doc: QuestionDoc, officer: Pick<Staff, '_id' | 'openid'>): NewMessage {
  return {
    dedupeKey: `question:${doc._id}:${officer._id}`,
    template: 'officerAlert',
    touser: officer.openid,
    page: `officer/questions/index?id=${doc._id}`,
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
function replyNotice(
  kind: 'feedback' | 'question',
  id: string,
  touser: string,
  subject: string,
  text: string,
  at: Date | string
): NewMessage {
  return {
    dedupeKey: `reply:${kind}:${id}`,
    template: 'replyNotice',
    touser,
    page: `${FEEDBACK_PAGE}?id=${id}`,
    values: { subject, status: '已回复', time: localDateTime(at), note: clipThing(text) },
    ref: { kind, id }
  }
}

async function notifyFeedbackReply(doc: FeedbackDoc, now: Date): Promise<void> {
  const msg = await enqueueWithId(
    replyNotice('feedback', doc._id, doc.openid, '意见簿回复', doc.reply ?? '', doc.repliedAt ?? now),
    now
  )
  await sendNowFrom([msg], now)
}

async function notifyAnswer(doc: QuestionDoc, now: Date): Promise<void> {
  const msg = await enqueueWithId(
    replyNotice('question', doc._id, doc.openid, '在线咨询答复', doc.answer ?? '', doc.answeredAt ?? now),
    now
  )
  await sendNowFrom([msg], now)
}

/* ---------- helpers for staff actions ---------- */

async function stationOf(stationId: string): Promise<Station> {
  const st = await repo<Station>('stations').byId(stationId)
  if (!st) throw new AppError('NOT_FOUND', '没有找到这个派出所窗口')
  return st
}

/** Staff act for their own station; a supervisor for any. */
function requireSameStation(staff: Staff, stationId: string, what: string): void {
  if (staff.role !== 'supervisor' && staff.stationId !== stationId)
    throw new AppError('FORBIDDEN', `只能处理本所的${what}`)
}

async function staffQuestion(staff: Staff, id: string): Promise<QuestionDoc> {
  const doc = await questionById(id)
  if (!doc) throw new AppError('NOT_FOUND', '没有找到这条咨询')
  requireSameStation(staff, doc.stationId, '咨询')
  return doc
}

function notOwner(doc: QuestionDoc): never {
  if (doc.status === 'asked')
    throw new AppError('NOT_OWNER', '请先打开这条咨询（打开即成为首问责任人）再答复')
  throw new AppError(
    'NOT_OWNER',
    doc.owner ? `这条咨询由${doc.owner.name}负责答复（首问责任），请联系负责的民警` : undefined
  )
}

const isOfficerOrLeader = (s: Staff) => s.role === 'officer' || s.role === 'leader'

export const main = defineFunction('feedback', feedbackInputs, {
  /* ---------- 意见簿 ---------- */

  async submit(input, ctx) {
    const openid = requireCaller(ctx)
    const id = docId('fb', openid, input.requestId)
    const existing = await feedbackById(id)
    if (existing) {
      // A retry: make sure the leaders' alerts exist (a crash may have cut in after the save).
      const leaders = (await stationStaff(existing.stationId)).filter((s) =>
        existing.alertedStaffIds.includes(s._id)
      )
      await sendNowFrom(
        await enqueueAll(
          leaders.map((l) => feedbackAlert(existing, l)),
          ctx.now
        ),
        ctx.now
      )
      return feedbackView(existing)
    }
    const st = await stationOf(input.stationId)
    // The station's leaders read and answer the box; with none active, its supervisors are told.
    const ofStation = await stationStaff(st._id)
    const leaders = ofStation.some((s) => s.role === 'leader')
      ? ofStation.filter((s) => s.role === 'leader')
      : ofStation.filter((s) => s.role === 'supervisor')
    // Anonymous: no name, no mobile — whatever was sent with it is dropped, not stored.
    const contactName = input.anonymous ? undefined : input.contactName?.trim() || undefined
    const mobile = input.anonymous ? undefined : input.mobile?.trim() || undefined
    const doc: FeedbackDoc = {
      _id: id,
      openid,
      requestId: input.requestId,
      stationId: st._id,
      kind: input.kind,
      kindText: FEEDBACK_KINDS[input.kind],
      content: input.content,
      anonymous: input.anonymous,
      ...(contactName ? { contactName } : {}),
      ...(mobile ? { mobile } : {}),
      status: 'submitted',
      statusText: FEEDBACK_STATUS_TEXT.submitted,
      createdAt: ctx.now,
      createdAtLocal: localDateTime(ctx.now),
      updatedAt: ctx.now,
      alertedStaffIds: leaders.map((l) => l._id)
    }
    try {
      // add (not set): a second submit racing with the same id is refused as a duplicate key.
      await feedbackColl().add({ data: { ...doc } })
    } catch (err) {
      if (!isDuplicateKey(err)) throw err
      const raced = await feedbackById(id)
      if (raced) return feedbackView(raced)
      throw err
    }
    await sendNowFrom(
      await enqueueAll(
        leaders.map((l) => feedbackAlert(doc, l)),
        ctx.now
      ),
      ctx.now
    )
    return feedbackView(doc)
  },

  async mine(_input, ctx) {
    const openid = requireCaller(ctx)
    const docs = (await feedbackColl().where({ openid }).orderBy('createdAt', 'desc').limit(50).get()).data
    return docs.map(feedbackView)
  },

  async list({ stationId, status }, ctx) {
    const staff = await requireStaff(ctx, ['leader', 'supervisor'], stationId)
    // A leader reads their own station; a supervisor the one asked for, else their own, else all.
    const station = staff.role === 'leader' ? staff.stationId : (stationId ?? staff.stationId)
    if (staff.role === 'leader' && !station) throw new AppError('FORBIDDEN')
    const where: Record<string, unknown> = station ? { stationId: station } : {}
    if (status && status !== 'all') where.status = status
    const docs = (await feedbackColl().where(where).orderBy('createdAt', 'desc').limit(LIST_LIMIT).get()).data
    const rank = (d: FeedbackDoc) => (d.status === 'submitted' ? 0 : 1)
    docs.sort((a, b) => rank(a) - rank(b) || time(b.createdAt) - time(a.createdAt))
    return disclose(
      { staff, action: 'feedback.list', ctx, ...(station ? { stationId: station } : {}) },
      docs.map(feedbackStaffView)
    )
  },

  async reply({ id, reply }, ctx) {
    const staff = await requireStaff(ctx, ['leader', 'supervisor'])
    const doc = await feedbackById(id)
    if (!doc) throw new AppError('NOT_FOUND', '没有找到这条留言')
    requireSameStation(staff, doc.stationId, '留言')
    const isRetry = (d: FeedbackDoc) =>
      d.status === 'replied' && d.reply === reply && d.repliedBy?.staffId === staff._id
    const closed = () => new AppError('REQUEST_CLOSED', '这条留言已经回复过了，不能再次回复')
    if (doc.status === 'replied') {
      if (!isRetry(doc)) throw closed()
      // A retry: make sure the resident's notice exists (a crash may have cut in after the update).
      await notifyFeedbackReply(doc, ctx.now)
      return discloseOne({ staff, action: 'feedback.reply', ctx }, feedbackStaffView(doc))
    }
    const patch = {
      status: 'replied' as const,
      statusText: FEEDBACK_STATUS_TEXT.replied,
      reply,
      repliedAt: ctx.now,
      repliedAtLocal: localDateTime(ctx.now),
      repliedBy: who(staff),
      updatedAt: ctx.now
    }
    const res = await feedbackColl().where({ _id: id, status: 'submitted' }).update({ data: patch })
    let replied: FeedbackDoc = { ...doc, ...patch }
    if (res.stats.updated !== 1) {
      const now = await feedbackById(id)
      if (!now || !isRetry(now)) throw closed()
      replied = now
    }
    await notifyFeedbackReply(replied, ctx.now)
    return discloseOne({ staff, action: 'feedback.reply', ctx }, feedbackStaffView(replied))
  },

  /* ---------- 在线咨询（首问责任） ---------- */

  async ask(input, ctx) {
    const openid = requireCaller(ctx)
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
      ...(input.serviceName ? { serviceName: input.serviceName } : {}),
      status: 'asked',
      statusText: QUESTION_STATUS_TEXT.asked,
      createdAt: ctx.now,
      createdAtLocal: localDateTime(ctx.now),
      updatedAt: ctx.now,
      alertedStaffIds: recipients.map((s) => s._id),
      owners: []
    }
    try {
      await questionColl().add({ data: { ...doc } })
    } catch (err) {
      if (!isDuplicateKey(err)) throw err
      const raced = await questionById(id)
      if (raced) return questionView(raced)
      throw err
    }
    await sendNowFrom(
      await enqueueAll(
        recipients.map((s) => questionAlert(doc, s)),
        ctx.now
      ),
      ctx.now
    )
    return questionView(doc)
  },

  async myQuestions(_input, ctx) {
    const openid = requireCaller(ctx)
    const docs = (await questionColl().where({ openid }).orderBy('createdAt', 'desc').limit(50).get()).data
    return docs.map(questionView)
  },

  async questions({ stationId }, ctx) {
    const staff = await requireStaff(ctx, ['officer', 'leader', 'supervisor'], stationId)
    const station = staff.role === 'supervisor' ? (stationId ?? staff.stationId) : staff.stationId
    if (!station) throw new AppError('INVALID_INPUT', '请选择派出所')
    const docs = (
      await questionColl().where({ stationId: station }).orderBy('createdAt', 'desc').limit(LIST_LIMIT).get()
    ).data
    const seesAllOpen = staff.role === 'leader' || staff.role === 'supervisor'
    const visible = docs.filter(
      (d) =>
        d.status === 'asked' ||
        d.ownerStaffId === staff._id ||
        d.answeredBy?.staffId === staff._id ||
        (seesAllOpen && d.status === 'owned')
    )
    // Waiting first (oldest first: they have waited longest), then in hand, then answered (newest first).
    const rank = (d: QuestionDoc) => (d.status === 'asked' ? 0 : d.status === 'owned' ? 1 : 2)
    visible.sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (a.status === 'answered'
          ? time(b.createdAt) - time(a.createdAt)
          : time(a.createdAt) - time(b.createdAt))
    )
    const officers = (await stationStaff(station))
      .filter(isOfficerOrLeader)
      .map((s) => ({ staffId: s._id, name: s.name }))
    return {
      me: { staffId: staff._id, role: staff.role },
      items: visible.map((d) => questionStaffView(d, staff)),
      officers
    }
  },

  async openQuestion({ id }, ctx) {
    const staff = await requireStaff(ctx, ['officer', 'leader', 'supervisor'])
    const doc = await staffQuestion(staff, id)
    // Supervisors look on; the first officer or leader of the station to open it owns it.
    if (doc.status !== 'asked' || !isOfficerOrLeader(staff)) return questionStaffView(doc, staff)
    const owner: StoredOwner = {
      staffId: staff._id,
      name: staff.name,
      at: ctx.now,
      atLocal: localDateTime(ctx.now)
    }
    const patch = {
      status: 'owned' as const,
      statusText: QUESTION_STATUS_TEXT.owned,
      ownerStaffId: staff._id,
      owner: who(staff),
      owners: [owner],
      firstOpenedAt: ctx.now,
      firstOpenedAtLocal: localDateTime(ctx.now),
      firstResponseMinutes: minutesBetween(doc.createdAt, ctx.now),
      updatedAt: ctx.now
    }
    // Exactly one of several opening at once moves it out of 'asked'.
    const res = await questionColl().where({ _id: id, status: 'asked' }).update({ data: patch })
    if (res.stats.updated === 1) return questionStaffView({ ...doc, ...patch }, staff)
    return questionStaffView((await questionById(id)) ?? doc, staff)
  },

  async answer({ id, answer }, ctx) {
    const staff = await requireStaff(ctx, ['officer', 'leader', 'supervisor'])
    const doc = await staffQuestion(staff, id)
    const isRetry = (d: QuestionDoc) =>
      d.status === 'answered' && d.answer === answer && d.answeredBy?.staffId === staff._id
    if (doc.status === 'answered') {
      if (!isRetry(doc)) throw new AppError('QUESTION_ANSWERED')
      await notifyAnswer(doc, ctx.now) // a retry: the notice exists, or is enqueued now
      return questionStaffView(doc, staff)
    }
    if (doc.status !== 'owned' || doc.ownerStaffId !== staff._id) notOwner(doc)
    const patch = {
      status: 'answered' as const,
      statusText: QUESTION_STATUS_TEXT.answered,
      answer,
      answeredAt: ctx.now,
      answeredAtLocal: localDateTime(ctx.now),
      answeredBy: who(staff),
      answerMinutes: minutesBetween(doc.createdAt, ctx.now),
      updatedAt: ctx.now
    }
    // Only while it is still this officer's: a hand-off or another answer in between wins.
    const res = await questionColl()
      .where({ _id: id, status: 'owned', ownerStaffId: staff._id })
      .update({ data: patch })
    let answered: QuestionDoc = { ...doc, ...patch }
    if (res.stats.updated !== 1) {
      const now = (await questionById(id)) ?? doc
      if (!isRetry(now)) {
        if (now.status === 'answered') throw new AppError('QUESTION_ANSWERED')
        notOwner(now)
      }
      answered = now
    }
    await notifyAnswer(answered, ctx.now)
    return questionStaffView(answered, staff)
  },

  async transfer({ id, toStaffId, reason }, ctx) {
    const staff = await requireStaff(ctx, ['officer', 'leader'])
    const doc = await staffQuestion(staff, id)
    const last = (d: QuestionDoc) => d.owners?.[d.owners.length - 1]
    const isRetry = (d: QuestionDoc) =>
      d.ownerStaffId === toStaffId && last(d)?.byStaffId === staff._id && last(d)?.reason === reason
    if (isRetry(doc)) return questionStaffView(doc, staff)
    if (doc.status === 'answered') throw new AppError('QUESTION_ANSWERED', '这条咨询已经答复过了，不能再转交')
    if (doc.status !== 'owned')
      throw new AppError('INVALID_INPUT', '这条咨询还没有负责人：打开它即成为首问责任人，再转交')
    if (doc.ownerStaffId !== staff._id && staff.role !== 'leader') notOwner(doc)
    if (toStaffId === doc.ownerStaffId) throw new AppError('INVALID_INPUT', '新的负责人不能是现在的负责人')
    const target = (await stationStaff(doc.stationId)).find(
      (s) => s._id === toStaffId && isOfficerOrLeader(s)
    )
    if (!target) throw new AppError('INVALID_INPUT', '请选择本所在岗的民警或所领导作为新的负责人')
    const record: StoredOwner = {
      staffId: target._id,
      name: target.name,
      at: ctx.now,
      atLocal: localDateTime(ctx.now),
      reason,
      byStaffId: staff._id,
      byName: staff.name
    }
    const owners = [...(doc.owners ?? []), record]
    const patch = { ownerStaffId: target._id, owner: who(target), owners, updatedAt: ctx.now }
    // Only from the owner we read: two hand-offs (or a hand-off and an answer) at once, one wins.
    const res = await questionColl()
      .where({ _id: id, status: 'owned', ownerStaffId: doc.ownerStaffId })
      .update({ data: patch })
    if (res.stats.updated !== 1) {
      const now = (await questionById(id)) ?? doc
      if (isRetry(now)) return questionStaffView(now, staff)
      if (now.status === 'answered')
        throw new AppError('QUESTION_ANSWERED', '这条咨询已经答复过了，不能再转交')
      notOwner(now)
    }
    const moved: QuestionDoc = { ...doc, ...patch }
    const msg = await enqueueWithId(
      {
        dedupeKey: `question-transfer:${id}:${owners.length}`,
        template: 'officerAlert',
        touser: target.openid,
        page: `officer/questions/index?id=${id}`,
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
})
