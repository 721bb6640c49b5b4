/**
 * 意见簿 / 警民联系箱, the feedback box: a resident `submit`s (idempotent by the client's request
 * id; anonymous entries keep no name or mobile — only the OPENID, so the resident still sees their
 * own), reads `mine`; the station's leader (or a supervisor) `list`s them, unanswered first, and
 * `reply`s once. Staff views never carry the OPENID; reading entries that carry a contact is
 * recorded in the audit log.
 */
import {
  FEEDBACK_KINDS,
  FEEDBACK_STATUS_TEXT,
  type FeedbackStaffView,
  type FeedbackView
} from '../../types/feedback'
import { pageUrl } from '../../types/routes'
import type { Staff } from '../../types/staff'
import { clipThing } from '../../types/templates'
import { localDateTime } from '../../types/time'
import { disclose, discloseOne, notPersonal, personal, type Sealed } from '../_shared/audit'
import { requireStation } from '../_shared/access'
import { collection, insertOrGetRaced, repo, updateIfStatus } from '../_shared/db'
import { optional } from '../_shared/fields'
import { who } from '../_shared/domain/questions'
import { stationStaff } from '../_shared/escalation'
import { AppError, type Handlers } from '../_shared/handler'
import { enqueueWithId, type NewMessage } from '../_shared/outbox'
import { LIST_LIMIT, docId, enqueueAll, iso, replyNotice, sendNowFrom, stationOf, time } from './common'

import type { FeedbackDoc } from '../_shared/documents'

export type { FeedbackDoc }

const feedbackColl = () => collection('feedback')
const feedbackById = (id: string) => repo('feedback').byId(id)

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

function feedbackAlert(doc: FeedbackDoc, leader: Pick<Staff, '_id' | 'openid'>): NewMessage {
  return {
    dedupeKey: `feedback:${doc._id}:${leader._id}`,
    template: 'officerAlert',
    touser: leader.openid,
    page: pageUrl('officer/feedback/index', { id: doc._id }),
    values: {
      kind: '群众留言',
      service: clipThing(FEEDBACK_KINDS[doc.kind]),
      time: localDateTime(doc.createdAt),
      note: clipThing(doc.content)
    },
    ref: { kind: 'feedback', id: doc._id }
  }
}

async function notifyFeedbackReply(doc: FeedbackDoc, now: Date): Promise<void> {
  const msg = await enqueueWithId(
    replyNotice('feedback', doc._id, doc.openid, '意见簿回复', doc.reply ?? '', doc.repliedAt ?? now),
    now
  )
  await sendNowFrom([msg], now)
}

export const boxActions: Pick<Handlers<'feedback'>, 'submit' | 'mine' | 'list' | 'reply'> = {
  submit: {
    access: 'resident',
    async handler(input, ctx) {
      const { openid } = ctx
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
        ...optional({ contactName, mobile }),
        status: 'submitted',
        statusText: FEEDBACK_STATUS_TEXT.submitted,
        createdAt: ctx.now,
        createdAtLocal: localDateTime(ctx.now),
        updatedAt: ctx.now,
        alertedStaffIds: leaders.map((l) => l._id)
      }
      // add (not set): a second submit racing with the same id is refused as a duplicate key.
      const { doc: stored, inserted } = await insertOrGetRaced('feedback', doc)
      if (!inserted) return feedbackView(stored)
      await sendNowFrom(
        await enqueueAll(
          leaders.map((l) => feedbackAlert(doc, l)),
          ctx.now
        ),
        ctx.now
      )
      return feedbackView(doc)
    }
  },

  mine: {
    access: 'resident',
    async handler(_input, ctx) {
      const { openid } = ctx
      const docs = (await feedbackColl().where({ openid }).orderBy('createdAt', 'desc').limit(50).get()).data
      return docs.map(feedbackView)
    }
  },

  list: {
    access: 'staff',
    roles: ['leader', 'supervisor'],
    station: 'own',
    async handler({ stationId, status }, ctx) {
      const { staff } = ctx
      // A leader reads their own station; a supervisor the one asked for, else their own, else all.
      const station = staff.role === 'leader' ? staff.stationId : (stationId ?? staff.stationId)
      if (staff.role === 'leader' && !station) throw new AppError('FORBIDDEN')
      const where: Record<string, unknown> = station ? { stationId: station } : {}
      if (status && status !== 'all') where.status = status
      const docs = (await feedbackColl().where(where).orderBy('createdAt', 'desc').limit(LIST_LIMIT).get())
        .data
      const rank = (d: FeedbackDoc) => (d.status === 'submitted' ? 0 : 1)
      docs.sort((a, b) => rank(a) - rank(b) || time(b.createdAt) - time(a.createdAt))
      return disclose(
        { staff, action: 'feedback.list', ctx, ...optional({ stationId: station }) },
        docs.map(feedbackStaffView)
      )
    }
  },

  reply: {
    access: 'staff',
    roles: ['leader', 'supervisor'],
    station: 'any',
    async handler({ id, reply }, ctx) {
      const { staff } = ctx
      const doc = await feedbackById(id)
      if (!doc) throw new AppError('NOT_FOUND', '没有找到这条留言')
      requireStation(staff, doc.stationId)
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
      let replied: FeedbackDoc = { ...doc, ...patch }
      if (!(await updateIfStatus('feedback', id, 'submitted', patch))) {
        const now = await feedbackById(id)
        if (!now || !isRetry(now)) throw closed()
        replied = now
      }
      await notifyFeedbackReply(replied, ctx.now)
      return discloseOne({ staff, action: 'feedback.reply', ctx }, feedbackStaffView(replied))
    }
  }
}
