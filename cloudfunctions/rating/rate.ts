/**
 * Residents rating their finished cases (政务服务“好差评”): `case` (one case, its rating and
 * follow-up), `rate` (idempotent by the client's request id; one rating per case: the rating's id
 * derives from the case; a bad review opens its follow-up, follow-ups.ts), `pending` (the in-app
 * prompt: finished cases of the last 60 days not yet rated), `mine`.
 */
import {
  FOLLOW_UP_STATUS_TEXT,
  LEVEL_SCORE,
  LEVEL_TEXT,
  RATING_TAGS,
  RATING_TAG_KEYS,
  isBadLevel,
  type CaseSummary,
  type RatingTag
} from '../../types/ratings'
import { localDate, localDateTime } from '../../types/time'
import { db, insertOrGetRaced, repo } from '../_shared/db'
import { optional } from '../_shared/fields'
import { followUpIdOf } from '../_shared/domain/follow-ups'
import { AppError, type Handlers } from '../_shared/handler'
import { appointmentCase, businessText, caseOf, requestCase } from './cases'
import { ensureFollowUp, openFollowUp } from './follow-ups'
import { followUpById, followUps, ratingById, ratingIdOf, ratings, type RatingDoc } from './store'
import { residentFollowUp, residentRating } from './views'

/** Someone else's case is "not found" to its caller: its existence is not disclosed. */
const NOT_YOURS = () => new AppError('NOT_FOUND', '没有找到这项业务')

export const residentActions: Pick<Handlers<'rating'>, 'case' | 'rate' | 'pending' | 'mine'> = {
  case: {
    access: 'resident',
    async handler({ caseKind, caseId }, ctx) {
      const { openid } = ctx
      const c = await caseOf(caseKind, caseId)
      if (!c || c.openid !== openid) throw NOT_YOURS()
      const r = await ratingById(ratingIdOf(caseKind, caseId))
      const f = r?.followUpId ? await followUpById(r.followUpId) : null
      return {
        case: c.summary,
        ...optional({ rating: r && residentRating(r), followUp: f && residentFollowUp(f) })
      }
    }
  },

  rate: {
    access: 'resident',
    async handler(input, ctx) {
      const { openid } = ctx
      const c = await caseOf(input.caseKind, input.caseId)
      // Someone else's case is "not found" to this caller: its existence is not disclosed.
      if (!c || c.openid !== openid) throw NOT_YOURS()
      if (!c.summary.finished || !c.finishedAt) throw new AppError('CASE_NOT_FINISHED')
      const id = ratingIdOf(input.caseKind, input.caseId)
      const existing = await ratingById(id)
      if (existing) {
        await ensureFollowUp(existing, ctx.now) // repairs a crash between the two writes
        if (existing.requestId !== input.requestId) throw new AppError('ALREADY_RATED')
        return residentRating(existing)
      }
      const tags = [...new Set(input.tags ?? [])]
      if (tags.some((t) => !(RATING_TAG_KEYS as string[]).includes(t))) throw new AppError('TAG_UNKNOWN')
      const bad = isBadLevel(input.level)
      const comment = input.comment?.trim()
      const doc: RatingDoc = {
        _id: id,
        caseKind: input.caseKind,
        caseId: input.caseId,
        caseType: c.summary.caseType,
        openid,
        requestId: input.requestId,
        stationId: c.stationId,
        stationName: c.summary.stationName,
        ...(c.officerStaffId
          ? { officerStaffId: c.officerStaffId, officerName: c.summary.officerName ?? '' }
          : {}),
        serviceName: c.summary.serviceName,
        businessType: c.business,
        businessTypeText: businessText(c.business),
        level: input.level,
        levelText: LEVEL_TEXT[input.level],
        score: LEVEL_SCORE[input.level],
        bad,
        tags: tags as RatingTag[],
        tagTexts: tags.map((t) => RATING_TAGS[t as RatingTag]),
        ...optional({ comment }),
        ratedAt: ctx.now,
        ratedAtLocal: localDateTime(ctx.now),
        ratedDate: localDate(ctx.now),
        finishedAt: c.finishedAt,
        ...(bad ? { followUpId: followUpIdOf(id), followUpStatusText: FOLLOW_UP_STATUS_TEXT.open } : {}),
        excluded: false
      }
      const { doc: raced, inserted } = await insertOrGetRaced('ratings', doc)
      if (!inserted) {
        if (raced.requestId === input.requestId) return residentRating(raced)
        throw new AppError('ALREADY_RATED')
      }
      if (bad) await openFollowUp(doc, c.contactName, c.mobile, ctx.now)
      return residentRating(doc)
    }
  },

  pending: {
    access: 'resident',
    async handler(_input, ctx) {
      const { openid } = ctx
      const _ = db().command
      const since = new Date(ctx.now.getTime() - 60 * 86_400_000)
      const [appointments, reqs] = await Promise.all([
        repo('appointments').find({ openid, status: 'done', finishedAt: _.gte(since) }, { limit: 50 }),
        repo('requests').find({ openid, status: 'done', doneAt: _.gte(since) }, { limit: 50 })
      ])
      const ids = [
        ...appointments.map((a) => ratingIdOf('appointment', a._id)),
        ...reqs.map((r) => ratingIdOf('request', r._id))
      ]
      const rated = new Set(
        ids.length
          ? (await repo('ratings').find({ _id: _.in(ids) }, { limit: 100, fields: ['_id'] })).map(
              (r) => r._id
            )
          : []
      )
      // Built from the documents just read: no second read per case.
      const out: CaseSummary[] = [
        ...(await Promise.all(
          appointments.filter((a) => !rated.has(ratingIdOf('appointment', a._id))).map(appointmentCase)
        )),
        ...(await Promise.all(reqs.filter((r) => !rated.has(ratingIdOf('request', r._id))).map(requestCase)))
      ].map((c) => c.summary)
      return out.sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''))
    }
  },

  mine: {
    access: 'resident',
    async handler(_input, ctx) {
      const { openid } = ctx
      const docs = (await ratings().where({ openid }).orderBy('ratedAt', 'desc').limit(50).get()).data
      const _ = db().command
      const fids = docs.flatMap((d) => (d.followUpId ? [d.followUpId] : []))
      const fus = fids.length
        ? (
            await followUps()
              .where({ _id: _.in(fids) })
              .limit(50)
              .get()
          ).data
        : []
      return docs.map((d) => {
        const f = fus.find((x) => x._id === d.followUpId)
        return { rating: residentRating(d), ...optional({ followUp: f && residentFollowUp(f) }) }
      })
    }
  }
}
