/**
 * The hourly timer (config.json `hourlyRollup`, minute 5; declared through defineFunction, so only
 * the platform's own trigger runs it): repair follow-ups a crash left behind, recount provisional
 * deadlines, roll up yesterday and today, and alert about overdue follow-ups (once per stage).
 */
import { addDays, localDate, localDateTime } from '../../types/time'
import { holidayCalendar } from '../_shared/calendars'
import { db } from '../_shared/db'
import {
  AWAITING_REPLY_STATUSES,
  escalationDue,
  followUpIdOf,
  recountedDeadlines,
  type FollowUpDoc
} from '../_shared/domain/follow-ups'
import type { TimerContext } from '../_shared/handler'
import { enqueueWithId } from '../_shared/outbox'
import { alertMessage, ensureFollowUp } from './follow-ups'
import { rollupRecent } from './rollups'
import { followUps, readAll, send, staffNames, type RatingDoc } from './store'

/** Alerts supervisors (and the station's leaders) about follow-ups past a deadline, once per stage. */
export async function escalateOverdue(now: Date): Promise<number> {
  const _ = db().command
  const due = await readAll<FollowUpDoc>('followUps', {
    status: _.in([...AWAITING_REPLY_STATUSES]),
    callbackDueAt: _.lte(now)
  })
  let escalated = 0
  for (const f of due) {
    const stage = escalationDue(f, now)
    if (!stage) continue
    const supervisors = await staffNames('supervisor', f.stationId)
    const leaders = await staffNames('leader', f.stationId)
    const entry = { stage, at: now, atLocal: localDateTime(now), names: supervisors.map((s) => s.name) }
    // Queued first (one record per follow-up, stage and person: a second run adds none), then
    // recorded, so a crash between the two never loses the alert.
    const ids = await Promise.all(
      [...supervisors, ...leaders].map((s) =>
        enqueueWithId(alertMessage(s, f, stage === 'callback' ? 'overdue-callback' : 'overdue-reply'), now)
      )
    )
    await send(ids, now)
    const res = await followUps()
      .where({ _id: f._id, escalatedStages: _.neq(stage) })
      .update({ data: { escalatedStages: _.push([stage]), escalations: _.push([entry]), updatedAt: now } })
    if (res.stats.updated === 1) escalated++
  }
  return escalated
}

/** Bad reviews of the last two days without a follow-up (a crash between two writes) get one. */
export async function repairFollowUps(now: Date): Promise<number> {
  const _ = db().command
  const today = localDate(now)
  const bad = await readAll<RatingDoc>('ratings', {
    bad: true,
    excluded: false,
    ratedDate: _.in([addDays(today, -1), today])
  })
  if (bad.length === 0) return 0
  const have = new Set(
    (
      await readAll<FollowUpDoc>('followUps', { _id: _.in(bad.map((r) => followUpIdOf(r._id))) }, ['_id'])
    ).map((f) => f._id)
  )
  let repaired = 0
  for (const r of bad.filter((x) => !have.has(followUpIdOf(x._id)))) {
    await ensureFollowUp(r, now)
    repaired++
  }
  return repaired
}

/**
 * Deadlines counted Monday–Friday because a year's holiday table was not yet published are
 * counted again once it is (a holiday on a counted day moves the deadline later).
 */
export async function recountProvisional(now: Date): Promise<number> {
  const _ = db().command
  const open = await readAll<FollowUpDoc>('followUps', {
    deadlineProvisional: true,
    status: _.in([...AWAITING_REPLY_STATUSES])
  })
  if (open.length === 0) return 0
  const cal = await holidayCalendar(true)
  let changed = 0
  for (const f of open) {
    const deadlines = recountedDeadlines(f, cal)
    if (deadlines) {
      await followUps()
        .doc(f._id)
        .update({ data: { ...deadlines, updatedAt: now } })
      changed++
    }
  }
  return changed
}

/** The hourly trigger's work; its report (counts only) is the invocation's result. */
export async function hourly({ now }: TimerContext) {
  const repaired = await repairFollowUps(now)
  const recounted = await recountProvisional(now)
  const rolled = await rollupRecent(now)
  const escalated = await escalateOverdue(now)
  console.log(
    `rating: ${repaired} follow-ups repaired; ${recounted} deadlines recounted; ${rolled} station-days rolled up; ${escalated} overdue follow-ups escalated`
  )
  return { repaired, recounted, rolled, escalated }
}
