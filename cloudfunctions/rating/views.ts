/**
 * What residents and staff see of ratings and follow-ups. Staff views carry residents' words and
 * contacts: they are sealed, and only an audited read opens them (docs/privacy-and-access.md).
 */
import {
  FINDINGS,
  FOLLOW_UP_STATUS_TEXT,
  type FollowUpResidentView,
  type FollowUpStaffView,
  type RatingView
} from '../../types/ratings'
import { personal, type Sealed } from '../_shared/audit'
import { iso, optional } from '../_shared/fields'
import { mayRateRectification, overdueStage, type FollowUpDoc } from '../_shared/domain/follow-ups'
import type { RatingDoc } from './store'

export function ratingView(d: RatingDoc): RatingView {
  return {
    _id: d._id,
    caseKind: d.caseKind,
    caseId: d.caseId,
    caseType: d.caseType,
    serviceName: d.serviceName,
    stationName: d.stationName,
    ...optional({ officerName: d.officerName }),
    level: d.level,
    levelText: d.levelText,
    score: d.score,
    tags: d.tags,
    tagTexts: d.tagTexts,
    ...optional({ comment: d.comment }),
    ratedAt: new Date(d.ratedAt).toISOString(),
    ratedAtLocal: d.ratedAtLocal,
    bad: d.bad,
    ...(d.excluded
      ? { excluded: { reason: d.excludedReason ?? '', by: d.excludedBy ?? '', at: iso(d.excludedAt) ?? '' } }
      : {}),
    ...optional({ followUpId: d.followUpId })
  }
}

/** A rating as staff see it (the resident's own words about their case): sealed until audited. */
export function staffRating(d: RatingDoc): Sealed<RatingView> {
  return personal('ratings', d, ratingView(d))
}

/** What the resident sees of their rating: an exclusion's reason and author are for staff. */
export function residentRating(d: RatingDoc): RatingView {
  const { excluded: _excluded, ...view } = ratingView(d)
  return view
}

export function residentFollowUp(f: FollowUpDoc): FollowUpResidentView {
  return {
    _id: f._id,
    status: f.status,
    statusText: FOLLOW_UP_STATUS_TEXT[f.status],
    ...optional({ calledBackAt: iso(f.calledBackAt), reply: f.reply, repliedAt: iso(f.repliedAt) }),
    ...(f.rectificationLevel
      ? { rectificationLevel: f.rectificationLevel, rectificationText: f.rectificationText }
      : {}),
    canRateRectification: mayRateRectification(f)
  }
}

/** A follow-up as staff see it (the resident's name, mobile, comment): sealed until audited. */
export function staffFollowUp(f: FollowUpDoc, now: Date, mobile?: string): Sealed<FollowUpStaffView> {
  return personal('followUps', f, {
    ...residentFollowUp(f),
    canRateRectification: false,
    ratingId: f.ratingId,
    stationId: f.stationId,
    stationName: f.stationName,
    ...optional({ officerName: f.officerName }),
    serviceName: f.serviceName,
    caseType: f.caseType,
    levelText: f.levelText,
    tagTexts: f.tagTexts,
    ...optional({ comment: f.comment }),
    ratedAtLocal: f.ratedAtLocal,
    ...optional({ contactName: f.contactName, mobile, mobileMasked: f.mobileMasked }),
    callbackDueAt: new Date(f.callbackDueAt).toISOString(),
    callbackDueLocal: f.callbackDueLocal,
    replyDueAt: new Date(f.replyDueAt).toISOString(),
    replyDueLocal: f.replyDueLocal,
    deadlineProvisional: f.deadlineProvisional,
    overdue: overdueStage(f, now),
    ...optional({ callNote: f.callNote }),
    ...(f.finding ? { finding: f.finding, findingText: FINDINGS[f.finding] } : {}),
    ...optional({ rectification: f.rectification, excludedReason: f.excludedReason })
  })
}
