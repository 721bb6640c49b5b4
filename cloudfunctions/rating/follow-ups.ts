/**
 * The follow-up of every bad review (差评回访整改): opened with the review and the station's leaders
 * alerted; the leader calls the resident back (`callBack`) and replies with the finding and the
 * rectification (`reply`, the resident is told); the resident rates the rectification
 * (`rateRectification`), which closes it; excluding the review (`exclude`) ends it. Which step is
 * allowed when, by whom, and what it writes are the pure rules in _shared/domain/follow-ups.ts;
 * this file reads, asks them, and writes on condition the status is still the one read.
 * The hourly timer's follow-up jobs (repair, recount, escalation) are in timer.ts.
 */
import { pageUrl } from '../../types/routes'
import { FOLLOW_UP_STATUS_TEXT } from '../../types/ratings'
import type { Staff } from '../../types/staff'
import { SMS_MAX_CUSTOM_CHARS, clipSmsParam } from '../../types/sms'
import { clipThing } from '../../types/templates'
import { deadlineText, localDate, localDateTime } from '../../types/time'
import { disclose, discloseOne } from '../_shared/audit'
import { requireStation } from '../_shared/access'
import { holidayCalendar } from '../_shared/calendars'
import { db, insertOrGetRaced, updateIfStatus } from '../_shared/db'
import { optional } from '../_shared/fields'
import {
  AWAITING_REPLY_STATUSES,
  FOLLOW_UP_STAFF,
  UNFINISHED_STATUSES,
  callBackStep,
  excludeReviewStep,
  followUpExclusion,
  followUpIdOf,
  newFollowUp,
  overdueStage,
  rateRectificationStep,
  replyStep,
  type FollowUpDoc,
  type Step
} from '../_shared/domain/follow-ups'
import { AppError, type Handlers } from '../_shared/handler'
import { enqueueWithId, type NewMessage } from '../_shared/outbox'
import { contactOf } from './cases'
import { saveDay } from './rollups'
import { scopeOf } from './scope'
import { followUpById, followUps, ratingById, ratings, send, staffNames, type RatingDoc } from './store'
import { residentFollowUp, staffFollowUp, staffRating } from './views'

/** Why a member of staff is alerted about a follow-up: a new bad review, or a deadline passed. */
export type FollowUpOccasion = 'new' | 'overdue-callback' | 'overdue-reply'

/** What each occasion says: the alert's type (a phrase), its note, and the deadline it names. */
const OCCASIONS: Record<
  FollowUpOccasion,
  { kind: string; sms: string; note: string; due: 'callbackDueAt' | 'replyDueAt' }
> = {
  new: { kind: '差评回访', sms: '待回访', note: '请电话回访居民并记录结果', due: 'callbackDueAt' },
  'overdue-callback': {
    kind: '回访逾期',
    sms: '回访逾期',
    note: '回访已逾期，请尽快处理',
    due: 'callbackDueAt'
  },
  'overdue-reply': {
    kind: '答复逾期',
    sms: '答复逾期',
    note: '整改答复已逾期，请尽快处理',
    due: 'replyDueAt'
  }
}

/**
 * An alert to a member of staff about a follow-up (one per follow-up, occasion and person), in the
 * follow-up template's own words with the deadline as people say it (docs/alerts.md). When WeChat
 * cannot deliver it, a text message to their mobile links to the follow-up.
 */
export function alertMessage(to: Staff, f: FollowUpDoc, occasion: FollowUpOccasion): NewMessage {
  const o = OCCASIONS[occasion]
  const due = deadlineText(f[o.due])
  const service = clipSmsParam(f.serviceName, SMS_MAX_CUSTOM_CHARS - [...o.sms, ...due].length)
  return {
    dedupeKey: `followup:${f._id}:${occasion}:${to._id}`,
    template: 'followUpAlert',
    touser: to.openid,
    page: pageUrl('officer/ratings/index', { followUpId: f._id }),
    values: {
      kind: o.kind,
      service: clipThing(f.serviceName),
      level: f.levelText,
      due,
      note: o.note
    },
    ref: { kind: 'followUp', id: f._id },
    sms: {
      staffId: to._id,
      template: 'followUpAlert',
      params: [o.sms, service, due],
      path: 'officer/ratings/index',
      query: `followUpId=${f._id}`
    }
  }
}

/** The follow-up of a bad review: deadlines from the holiday table; the station's leaders alerted. */
export async function openFollowUp(
  r: RatingDoc,
  contactName: string,
  mobile: string,
  now: Date
): Promise<FollowUpDoc> {
  const f = newFollowUp(r, { contactName, mobile }, await holidayCalendar(), now)
  const { doc: saved } = await insertOrGetRaced('followUps', f) // a retry finds it
  await alertLeaders(saved, now)
  return saved
}

/** The station's leaders (else its supervisors) are told at once; queued again harmlessly on a retry. */
async function alertLeaders(f: FollowUpDoc, now: Date): Promise<void> {
  if (f.status !== 'open') return
  let leaders = await staffNames('leader', f.stationId)
  if (leaders.length === 0) leaders = await staffNames('supervisor', f.stationId)
  const ids = await Promise.all(leaders.map((l) => enqueueWithId(alertMessage(l, f, 'new'), now)))
  await send(ids, now)
}

/**
 * Every bad review has its follow-up: called on retries, on a second rating attempt and by the
 * timer, so a crash between saving the rating and opening the follow-up (or queueing the
 * leaders' alerts) is repaired. An excluded review needs none.
 */
export async function ensureFollowUp(r: RatingDoc, now: Date): Promise<FollowUpDoc | undefined> {
  if (!r.bad || r.excluded) return undefined
  const existing = await followUpById(followUpIdOf(r._id))
  if (existing) {
    await alertLeaders(existing, now)
    return existing
  }
  const c = await contactOf(r.caseKind, r.caseId)
  return openFollowUp(r, c?.contactName ?? '', c?.mobile ?? '', now)
}

/** A follow-up the staff member may work on (their station; a supervisor any). */
async function staffFollowUpDoc(staff: Staff, id: string): Promise<FollowUpDoc> {
  const f = await followUpById(id)
  if (!f) throw new AppError('NOT_FOUND', '没有找到这条差评回访记录')
  requireStation(staff, f.stationId)
  return f
}

/** Keeps the rating's flat copy of the follow-up's progress in step (for the console). */
async function mirrorOnRating(f: FollowUpDoc, extra: Partial<RatingDoc> = {}): Promise<void> {
  await ratings()
    .doc(f.ratingId)
    .update({ data: { followUpStatusText: FOLLOW_UP_STATUS_TEXT[f.status], ...extra } })
}

/**
 * Writes an allowed step on condition the status is still the one it starts from (a concurrent
 * change is refused plainly); a refusal is thrown. Returns null for a retry of the same step.
 */
async function take<P extends Partial<FollowUpDoc>>(
  f: FollowUpDoc,
  step: Step<P>
): Promise<FollowUpDoc | null> {
  if (step.kind === 'refuse') throw new AppError(step.refusal.code, step.refusal.message)
  if (step.kind === 'repeat') return null
  if (!(await updateIfStatus('followUps', f._id, step.from, step.patch))) throw new AppError('FOLLOW_UP_STEP')
  const next = { ...f, ...step.patch }
  await mirrorOnRating(next, optional({ rectificationText: next.rectificationText }))
  return next
}

/** The resident is told of the reply; the notice opens the rating page, where they rate the rectification. */
async function notifyReply(f: FollowUpDoc, now: Date): Promise<void> {
  const page = pageUrl(
    'pages/rating/index',
    f.caseKind === 'appointment' ? { appointmentId: f.caseId } : { requestId: f.caseId }
  )
  const id = await enqueueWithId(
    {
      dedupeKey: `followup-reply:${f._id}`,
      template: 'replyNotice',
      touser: f.openid,
      page,
      values: {
        subject: clipThing(`${f.serviceName}评价整改`),
        status: '已答复',
        time: localDateTime(f.repliedAt ?? now),
        note: clipThing(f.reply ?? '')
      },
      ref: { kind: 'followUp', id: f._id }
    },
    now
  )
  await send([id], now)
}

export const followUpActions: Pick<
  Handlers<'rating'>,
  'followUps' | 'callBack' | 'reply' | 'rateRectification' | 'exclude'
> = {
  followUps: {
    access: 'staff',
    roles: FOLLOW_UP_STAFF,
    station: 'own',
    async handler({ stationId, status }, ctx) {
      const { staff } = ctx
      const scope = scopeOf(staff, stationId)
      const _ = db().command
      const where: Record<string, unknown> = scope ? { stationId: scope } : {}
      if (status !== 'all') where.status = _.in([...UNFINISHED_STATUSES])
      let docs = (await followUps().where(where).orderBy('callbackDueAt', 'asc').limit(200).get()).data
      if (status === 'overdue') docs = docs.filter((f) => overdueStage(f, ctx.now))
      // The station's leaders call residents back: they see the full mobile of follow-ups still to be
      // called; supervisors see it masked. Either way the list names residents: the read is audited.
      const needCall =
        staff.role === 'leader'
          ? docs.filter((f) => (AWAITING_REPLY_STATUSES as readonly string[]).includes(f.status))
          : []
      const mobiles = new Map<string, string>()
      for (const f of needCall) {
        const c = await contactOf(f.caseKind, f.caseId)
        if (c?.mobile) mobiles.set(f._id, c.mobile)
      }
      const items = await disclose(
        { staff, action: 'rating.followUps', ctx, ...optional({ stationId: scope }) },
        docs.map((f) => staffFollowUp(f, ctx.now, mobiles.get(f._id)))
      )
      return { me: { staffId: staff._id, role: staff.role }, items }
    }
  },

  callBack: {
    access: 'staff',
    roles: FOLLOW_UP_STAFF,
    station: 'any',
    async handler({ followUpId, note }, ctx) {
      const { staff } = ctx
      const shown = (x: FollowUpDoc) =>
        discloseOne({ staff, action: 'rating.callBack', ctx }, staffFollowUp(x, ctx.now))
      const f = await staffFollowUpDoc(staff, followUpId)
      const next = await take(f, callBackStep(f, staff, note, ctx.now))
      if (next) return shown(next)
      await mirrorOnRating(f) // a retry: finish what a crash may have cut short
      return shown(f)
    }
  },

  reply: {
    access: 'staff',
    roles: FOLLOW_UP_STAFF,
    station: 'any',
    async handler({ followUpId, finding, rectification, reply }, ctx) {
      const { staff } = ctx
      const shown = (x: FollowUpDoc) =>
        discloseOne({ staff, action: 'rating.reply', ctx }, staffFollowUp(x, ctx.now))
      const f = await staffFollowUpDoc(staff, followUpId)
      const next = await take(f, replyStep(f, staff, { finding, rectification, reply }, ctx.now))
      if (!next) {
        // A retry: finish what a crash may have cut short (the notice is queued once per follow-up).
        await mirrorOnRating(f)
        await notifyReply(f, ctx.now)
        return shown(f)
      }
      await notifyReply(next, ctx.now)
      return shown(next)
    }
  },

  rateRectification: {
    access: 'resident',
    async handler({ followUpId, level, comment }, ctx) {
      const { openid } = ctx
      const f = await followUpById(followUpId)
      if (!f) throw new AppError('NOT_FOUND', '没有找到这条回访记录')
      const next = await take(
        f,
        rateRectificationStep(f, openid, { level, ...(comment !== undefined ? { comment } : {}) }, ctx.now)
      )
      if (next) return residentFollowUp(next)
      await mirrorOnRating(f, { rectificationText: f.rectificationText ?? '' }) // a retry
      return residentFollowUp(f)
    }
  },

  exclude: {
    access: 'staff',
    roles: FOLLOW_UP_STAFF,
    station: 'any',
    async handler({ ratingId, reason }, ctx) {
      const { staff } = ctx
      const shown = (x: RatingDoc) => discloseOne({ staff, action: 'rating.exclude', ctx }, staffRating(x))
      const r = await ratingById(ratingId)
      if (!r) throw new AppError('NOT_FOUND', '没有找到这条评价')
      requireStation(staff, r.stationId)
      const step = excludeReviewStep(r, staff, reason, ctx.now)
      if (step.kind === 'refuse') throw new AppError(step.refusal.code, step.refusal.message)
      if (step.kind === 'repeat') return shown(r)
      const res = await ratings().where({ _id: r._id, excluded: false }).update({ data: step.patch })
      if (res.stats.updated !== 1) return shown((await ratingById(r._id)) ?? r)
      if (r.followUpId) {
        const ending = followUpExclusion(reason, ctx.now)
        await updateIfStatus('followUps', r.followUpId, ending.from, ending.patch)
        const f = await followUpById(r.followUpId)
        if (f) await mirrorOnRating(f)
      }
      // The day's figures leave it out from now on.
      if (r.ratedDate < localDate(ctx.now)) await saveDay(r.stationId, r.ratedDate, ctx.now)
      return shown({ ...r, ...step.patch })
    }
  }
}
