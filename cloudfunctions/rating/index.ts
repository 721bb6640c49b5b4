/**
 * rating — 政务服务“好差评” (types/ratings.ts is the contract; read its header first).
 * Residents: `case`, `rate` (idempotent by the client's request id; one rating per case: the
 * rating's id derives from the case), `pending` (the in-app prompt), `mine`, `rateRectification`.
 * Staff: `list` (officer: own cases; leader: the station; supervisor: all), `followUps`,
 * `callBack`, `reply` (leader of the station or a supervisor), `exclude` (with a reason),
 * `dashboard`, `export` (CSV, mobiles masked), `rollup` (supervisor: recompute a period).
 * Timer (hourly, minute 5; declared through defineFunction, only the platform's trigger runs it): recompute yesterday's and today's rollups for every station, and
 * alert supervisors about follow-ups past a deadline (once per stage).
 */
import {
  ratingInputs,
  CALLBACK_WORKING_DAYS,
  FINDINGS,
  FOLLOW_UP_STATUS_TEXT,
  LEVEL_SCORE,
  LEVEL_TEXT,
  MAX_EXPORT_ROWS,
  MAX_PERIOD_DAYS,
  RATING_TAGS,
  RATING_TAG_KEYS,
  RECTIFICATION_TEXT,
  REPLY_WORKING_DAYS,
  BUSINESS_TYPES,
  isBadLevel,
  type BusinessType,
  type Breakdown,
  type CaseSummary,
  type DashboardView,
  type RatingTag,
  type RatingView
} from '../../types/ratings'
import { maskPersonalText } from '../../types/identity'
import type { Staff } from '../../types/staff'
import { clipThing } from '../../types/templates'
import { addDays, localDate, localDateTime, type LocalDate } from '../../types/time'
import { disclose, discloseOne } from '../_shared/audit'
import type { CallContext } from '../_shared/handler'
import { requireCaller, requireStaff } from '../_shared/auth'
import { getCloud } from '../_shared/cloud'
import { csvFile } from '../_shared/csv'
import { db, isDuplicateKey, repo } from '../_shared/db'
import {
  countsOf,
  dayBounds,
  daysOf,
  emptyCounts,
  mergeGroups,
  satisfaction,
  workingDayDeadline,
  workingDaysIn,
  addCounts,
  type GroupTotals,
  type RollupDoc
} from '../_shared/domain/ratings'
import type { AppointmentDoc } from '../_shared/appointment-doc'
import type { RequestDoc } from '../_shared/escalation'
import { AppError, defineFunction, type TimerContext } from '../_shared/handler'
import { enqueueWithId, sendNow, type NewMessage } from '../_shared/outbox'
import {
  appointmentCase,
  businessText,
  calendar,
  caseOf,
  contactOf,
  computeDay,
  computeRange,
  followUpById,
  followUpIdOf,
  followUps,
  maskedMobile,
  overdueStage,
  ratingById,
  ratingIdOf,
  ratingView,
  ratings,
  staffRating,
  readAll,
  requestCase,
  residentFollowUp,
  saveDay,
  saveRange,
  staffFollowUp,
  stations,
  type FollowUpDoc,
  type RatingDoc
} from './store'

const env = () => getCloud().getWXContext().ENV
const send = (ids: (string | null)[], now: Date) => sendNow(ids, now, env(), 'rating')

const NOT_YOURS = () => new AppError('NOT_FOUND', '没有找到这项业务')

function checkPeriod(from: LocalDate, to: LocalDate): LocalDate[] {
  if (from > to) throw new AppError('INVALID_INPUT', '开始日期不能晚于结束日期')
  const days = daysOf(from, to)
  if (days.length > MAX_PERIOD_DAYS) throw new AppError('PERIOD_TOO_LONG')
  return days
}

/** Leaders act for their own station; supervisors for the one named, or all when none is. */
function scopeOf(staff: Staff, stationId: string | undefined): string | undefined {
  if (staff.role === 'supervisor') return stationId
  return staff.stationId
}

/** The station's leaders; or the supervisors over it (those of the station, and those over all). */
async function staffNames(role: 'leader' | 'supervisor', stationId: string): Promise<Staff[]> {
  const staff = db().collection<Staff>('staff')
  if (role === 'leader') return (await staff.where({ role, active: true, stationId }).limit(100).get()).data
  return (await staff.where({ role, active: true }).limit(200).get()).data.filter(
    (s) => !s.stationId || s.stationId === stationId
  )
}

function alertMessage(
  to: Staff,
  f: FollowUpDoc,
  key: string,
  kind: string,
  note: string,
  at: Date
): NewMessage {
  return {
    dedupeKey: `followup:${f._id}:${key}:${to._id}`,
    template: 'officerAlert',
    touser: to.openid,
    page: `officer/ratings/index?followUpId=${f._id}`,
    values: { kind, service: clipThing(f.serviceName), time: localDateTime(at), note: clipThing(note) },
    ref: { kind: 'followUp', id: f._id }
  }
}

/** The follow-up of a bad review: deadlines from the holiday table; the station's leaders alerted. */
async function openFollowUp(
  r: RatingDoc,
  contactName: string,
  mobile: string,
  now: Date
): Promise<FollowUpDoc> {
  const cal = await calendar()
  const callback = workingDayDeadline(cal, new Date(r.ratedAt), CALLBACK_WORKING_DAYS)
  const reply = workingDayDeadline(cal, new Date(r.ratedAt), REPLY_WORKING_DAYS)
  const f: FollowUpDoc = {
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
    ...(r.comment ? { comment: r.comment } : {}),
    ratedAt: r.ratedAt,
    ratedAtLocal: r.ratedAtLocal,
    contactName,
    mobileMasked: maskedMobile(mobile),
    status: 'open',
    statusText: FOLLOW_UP_STATUS_TEXT.open,
    callbackDueAt: callback.dueAt,
    callbackDueLocal: localDateTime(callback.dueAt),
    replyDueAt: reply.dueAt,
    replyDueLocal: localDateTime(reply.dueAt),
    deadlineProvisional: callback.provisional || reply.provisional,
    escalations: [],
    escalatedStages: [],
    createdAt: now,
    updatedAt: now
  }
  let saved = f
  try {
    await followUps().add({ data: { ...f } })
  } catch (err) {
    if (!isDuplicateKey(err)) throw err
    saved = (await followUpById(f._id)) ?? f // a retry: it exists already
  }
  await alertLeaders(saved, now)
  return saved
}

/** The station's leaders (else its supervisors) are told at once; queued again harmlessly on a retry. */
async function alertLeaders(f: FollowUpDoc, now: Date): Promise<void> {
  if (f.status !== 'open') return
  let leaders = await staffNames('leader', f.stationId)
  if (leaders.length === 0) leaders = await staffNames('supervisor', f.stationId)
  const ids = await Promise.all(
    leaders.map((l) =>
      enqueueWithId(
        alertMessage(
          l,
          f,
          'new',
          '差评回访',
          `${f.levelText}，请于${f.callbackDueLocal.slice(5)}前回访`,
          now
        ),
        now
      )
    )
  )
  await send(ids, now)
}

/**
 * Every bad review has its follow-up: called on retries, on a second rating attempt and by the
 * timer, so a crash between saving the rating and opening the follow-up (or queueing the
 * leaders' alerts) is repaired. An excluded review needs none.
 */
async function ensureFollowUp(r: RatingDoc, now: Date): Promise<FollowUpDoc | undefined> {
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
  if (staff.role !== 'supervisor' && f.stationId !== staff.stationId)
    throw new AppError('FORBIDDEN', '只能处理本所的差评')
  return f
}

/** Keeps the rating's flat copy of the follow-up's progress in step (for the console). */
async function mirrorOnRating(f: FollowUpDoc, extra: Partial<RatingDoc> = {}): Promise<void> {
  await ratings()
    .doc(f.ratingId)
    .update({ data: { followUpStatusText: FOLLOW_UP_STATUS_TEXT[f.status], ...extra } })
}

/** Moves a follow-up from one status to the next; a concurrent change is refused plainly. */
async function advance(
  f: FollowUpDoc,
  from: FollowUpDoc['status'],
  patch: Partial<FollowUpDoc>
): Promise<FollowUpDoc> {
  const res = await followUps().where({ _id: f._id, status: from }).update({ data: patch })
  if (res.stats.updated !== 1) throw new AppError('FOLLOW_UP_STEP')
  const next = { ...f, ...patch }
  await mirrorOnRating(next, next.rectificationText ? { rectificationText: next.rectificationText } : {})
  return next
}

/** What the resident sees of their rating: an exclusion's reason and author are for staff. */
function residentRating(d: RatingDoc): RatingView {
  const { excluded: _excluded, ...view } = ratingView(d)
  return view
}

/** The resident is told of the reply; the notice opens the rating page, where they rate the rectification. */
async function notifyReply(f: FollowUpDoc, now: Date): Promise<void> {
  const page = `pages/rating/index?${f.caseKind === 'appointment' ? 'appointmentId' : 'requestId'}=${f.caseId}`
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

/* ---------- the dashboard ---------- */

function breakdown(g: GroupTotals): Breakdown {
  return { key: g.key, label: g.label, ...satisfaction(countsOf(g), g.excluded ?? 0) }
}

function sumRollups(
  docs: readonly RollupDoc[],
  pick: (d: RollupDoc) => GroupTotals | null
): { counts: ReturnType<typeof emptyCounts>; excluded: number } {
  let counts = emptyCounts()
  let excluded = 0
  for (const d of docs) {
    const g = pick(d)
    if (g) {
      counts = addCounts(counts, countsOf(g))
      excluded += g.excluded ?? 0
    }
  }
  return { counts, excluded }
}

const whole = (d: RollupDoc): GroupTotals => ({
  key: d.stationId,
  label: d.stationName,
  total: d.total,
  scoreSum: d.scoreSum,
  excluded: d.excluded,
  ...countsOf(d)
})

async function rollupsFor(
  stationIds: readonly string[],
  days: readonly LocalDate[],
  now: Date
): Promise<RollupDoc[]> {
  const today = localDate(now)
  const past = days.filter((d) => d < today)
  const _ = db().command
  const stored = past.length
    ? await readAll<RollupDoc>('ratingRollups', {
        stationId: _.in([...stationIds]),
        date: _.and(_.gte(past[0]), _.lte(past[past.length - 1]))
      })
    : []
  const have = new Set(stored.map((d) => `${d.stationId}_${d.date}`))
  const out = [...stored]
  for (const stationId of stationIds) {
    // Past days no timer has rolled up (a new deployment, or before the first run): computed here
    // from the raw documents in one pass, not saved — the timer and `rollup` write rollups.
    const missing = past.filter((d) => !have.has(`${stationId}_${d}`))
    const first = missing[0]
    const last = missing[missing.length - 1]
    if (first && last)
      out.push(...(await computeRange(stationId, first, last, now)).filter((d) => missing.includes(d.date)))
    if (days.includes(today)) out.push(await computeDay(stationId, today, now))
  }
  return out
}

async function dashboard(
  staff: Staff,
  input: {
    from: LocalDate
    to: LocalDate
    stationId?: string
    officerStaffId?: string
    serviceName?: string
  },
  ctx: CallContext
): Promise<DashboardView> {
  const now = ctx.now
  const days = checkPeriod(input.from, input.to).filter((d) => d <= localDate(now))
  const scope = scopeOf(staff, input.stationId)
  const stationIds = scope ? [scope] : (await stations()).map((s) => s._id)
  const docs = await rollupsFor(stationIds, days, now)
  const pick = (d: RollupDoc): GroupTotals | null => {
    if (input.officerStaffId) return d.byOfficer.find((g) => g.key === input.officerStaffId) ?? null
    if (input.serviceName) return d.byService.find((g) => g.key === input.serviceName) ?? null
    return whole(d)
  }
  const overall = sumRollups(docs, pick)
  const byStation = stationIds.map((id) => {
    const mine = docs.filter((d) => d.stationId === id)
    const s = sumRollups(mine, pick)
    return { key: id, label: mine[0]?.stationName ?? id, ...satisfaction(s.counts, s.excluded) }
  })
  const trend = days.map((date) => {
    const s = sumRollups(
      docs.filter((d) => d.date === date),
      pick
    )
    const fig = satisfaction(s.counts)
    return { date, total: fig.total, satisfactionRate: fig.satisfactionRate }
  })

  const _ = db().command
  // Open follow-ups are today's work, whatever the period; the others count when rated in the period.
  const [openOnes, inPeriod] = await Promise.all([
    readAll<FollowUpDoc>('followUps', {
      stationId: _.in(stationIds),
      status: _.in(['open', 'called', 'replied'])
    }),
    readAll<FollowUpDoc>('followUps', {
      stationId: _.in(stationIds),
      ratedAt: _.and(_.gte(dayBounds(input.from)[0]), _.lt(dayBounds(input.to)[1]))
    })
  ])
  const fus = inPeriod
  const rated = fus.filter((f) => f.rectificationLevel)
  const exclusions = (
    await readAll<RatingDoc>('ratings', {
      stationId: _.in(stationIds),
      excluded: true,
      ratedDate: _.and(_.gte(input.from), _.lte(input.to))
    })
  ).slice(0, 100)

  const e = docs.reduce(
    (s, d) => ({
      count: s.count + d.emergency.count,
      total: s.total + d.emergency.totalMinutes,
      max: Math.max(s.max, d.emergency.maxMinutes),
      within: s.within + d.emergency.withinLimit
    }),
    { count: 0, total: 0, max: 0, within: 0 }
  )
  const volumes = Object.keys(BUSINESS_TYPES).map((type) => ({
    type: type as BusinessType,
    label: businessText(type as BusinessType),
    count: docs.reduce((s, d) => s + (d.volumes[type as BusinessType] ?? 0), 0)
  }))
  const visitors = docs.reduce((s, d) => s + d.visitors, 0)
  const workingDays = days.length
    ? workingDaysIn(await calendar(), days[0] as string, days[days.length - 1] as string)
    : 0
  const q = docs.reduce(
    (s, d) => ({
      asked: s.asked + d.questions.asked,
      answered: s.answered + d.questions.answered,
      fr: s.fr + d.questions.firstResponses,
      frm: s.frm + d.questions.firstResponseMinutes,
      am: s.am + d.questions.answerMinutes
    }),
    { asked: 0, answered: 0, fr: 0, frm: 0, am: 0 }
  )
  const openQuestions = (
    await db()
      .collection('questions')
      .where({ stationId: _.in(stationIds), status: _.in(['asked', 'owned']) })
      .count()
  ).total
  const avg = (sum: number, n: number) => (n ? Math.round((sum / n) * 10) / 10 : null)
  // The open follow-ups name their residents: the dashboard's read is audited like the list's.
  const items = await disclose(
    { staff, action: 'rating.dashboard', ctx, ...(scope ? { stationId: scope } : {}) },
    openOnes
      .sort((a, b) => new Date(a.replyDueAt).getTime() - new Date(b.replyDueAt).getTime())
      .slice(0, 50)
      .map((f) => staffFollowUp(f, now))
  )

  return {
    from: input.from,
    to: input.to,
    ...(scope ? { stationId: scope } : {}),
    overall: satisfaction(overall.counts, overall.excluded),
    byStation,
    byOfficer: mergeGroups(docs.map((d) => d.byOfficer)).map((g) => breakdown(g)),
    byService: mergeGroups(docs.map((d) => d.byService)).map((g) => breakdown(g)),
    trend,
    followUps: {
      open: openOnes.length,
      overdue: openOnes.filter((f) => overdueStage(f, now)).length,
      closed: fus.filter((f) => f.status === 'closed').length,
      excluded: fus.filter((f) => f.status === 'excluded').length,
      rectificationSatisfied: rated.filter((f) => f.rectificationLevel !== 'unsatisfied').length,
      rectificationRated: rated.length,
      items
    },
    emergencyAccept: {
      count: e.count,
      averageMinutes: avg(e.total, e.count),
      maxMinutes: e.count ? e.max : null,
      withinLimit: e.within
    },
    volumes: {
      byType: volumes,
      total: visitors,
      workingDays,
      averagePerWorkingDay: avg(visitors, workingDays)
    },
    questions: {
      asked: q.asked,
      answered: q.answered,
      open: openQuestions,
      averageFirstResponseMinutes: avg(q.frm, q.fr),
      averageAnswerMinutes: avg(q.am, q.answered)
    },
    exclusions: exclusions.map((r) => ({
      ratingId: r._id,
      levelText: r.levelText,
      serviceName: r.serviceName,
      reason: r.excludedReason ?? '',
      by: r.excludedBy ?? '',
      atLocal: r.excludedAtLocal ?? ''
    })),
    generatedAt: now.toISOString()
  }
}

/* ---------- the timer ---------- */

/** Alerts supervisors (and the station's leaders) about follow-ups past a deadline, once per stage. */
export async function escalateOverdue(now: Date): Promise<number> {
  const _ = db().command
  const due = await readAll<FollowUpDoc>('followUps', {
    status: _.in(['open', 'called']),
    callbackDueAt: _.lte(now)
  })
  let escalated = 0
  for (const f of due) {
    const stage = overdueStage(f, now)
    if (!stage || f.escalatedStages.includes(stage)) continue
    const supervisors = await staffNames('supervisor', f.stationId)
    const leaders = await staffNames('leader', f.stationId)
    const entry = { stage, at: now, atLocal: localDateTime(now), names: supervisors.map((s) => s.name) }
    // Queued first (one record per follow-up, stage and person: a second run adds none), then
    // recorded, so a crash between the two never loses the alert.
    const note =
      stage === 'callback'
        ? `回访逾期，期限${f.callbackDueLocal.slice(5)}`
        : `答复逾期，期限${f.replyDueLocal.slice(5)}`
    const ids = await Promise.all(
      [...supervisors, ...leaders].map((s) =>
        enqueueWithId(alertMessage(s, f, `overdue-${stage}`, '差评逾期', note, now), now)
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
    status: _.in(['open', 'called'])
  })
  if (open.length === 0) return 0
  const cal = await calendar(true)
  let changed = 0
  for (const f of open) {
    const callback = workingDayDeadline(cal, new Date(f.ratedAt), CALLBACK_WORKING_DAYS)
    const reply = workingDayDeadline(cal, new Date(f.ratedAt), REPLY_WORKING_DAYS)
    const provisional = callback.provisional || reply.provisional
    if (
      !provisional ||
      callback.dueAt.getTime() !== new Date(f.callbackDueAt).getTime() ||
      reply.dueAt.getTime() !== new Date(f.replyDueAt).getTime()
    ) {
      await followUps()
        .doc(f._id)
        .update({
          data: {
            callbackDueAt: callback.dueAt,
            callbackDueLocal: localDateTime(callback.dueAt),
            replyDueAt: reply.dueAt,
            replyDueLocal: localDateTime(reply.dueAt),
            deadlineProvisional: provisional,
            updatedAt: now
          }
        })
      changed++
    }
  }
  return changed
}

/**
 * Yesterday's and today's rollups for every station, and again the days of reviews excluded in
 * the last two hours (an exclusion racing a timer run could otherwise leave its day stale).
 */
export async function rollupRecent(now: Date): Promise<number> {
  const today = localDate(now)
  const _ = db().command
  const days = new Set<string>()
  for (const st of await stations())
    for (const date of [addDays(today, -1), today]) days.add(`${st._id}|${date}`)
  const excluded = await readAll<RatingDoc>(
    'ratings',
    { excluded: true, excludedAt: _.gte(new Date(now.getTime() - 2 * 3_600_000)) },
    ['stationId', 'ratedDate']
  )
  for (const r of excluded) days.add(`${r.stationId}|${r.ratedDate}`)
  for (const key of days) {
    const [stationId, date] = key.split('|') as [string, string]
    await saveDay(stationId, date, now)
  }
  return days.size
}

/* ---------- actions ---------- */

/**
 * The hourly trigger's work (config.json `hourlyRollup`): repair follow-ups a crash left behind,
 * recount provisional deadlines, roll up yesterday and today, alert about overdue follow-ups.
 */
async function hourly({ now }: TimerContext) {
  const repaired = await repairFollowUps(now)
  const recounted = await recountProvisional(now)
  const rolled = await rollupRecent(now)
  const escalated = await escalateOverdue(now)
  console.log(
    `rating: ${repaired} follow-ups repaired; ${recounted} deadlines recounted; ${rolled} station-days rolled up; ${escalated} overdue follow-ups escalated`
  )
  return { repaired, recounted, rolled, escalated }
}

export const main = defineFunction(
  'rating',
  ratingInputs,
  {
    async case({ caseKind, caseId }, ctx) {
      const openid = requireCaller(ctx)
      const c = await caseOf(caseKind, caseId)
      if (!c || c.openid !== openid) throw NOT_YOURS()
      const r = await ratingById(ratingIdOf(caseKind, caseId))
      const f = r?.followUpId ? await followUpById(r.followUpId) : null
      return {
        case: c.summary,
        ...(r ? { rating: residentRating(r) } : {}),
        ...(f ? { followUp: residentFollowUp(f) } : {})
      }
    },

    async rate(input, ctx) {
      const openid = requireCaller(ctx)
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
        ...(comment ? { comment } : {}),
        ratedAt: ctx.now,
        ratedAtLocal: localDateTime(ctx.now),
        ratedDate: localDate(ctx.now),
        finishedAt: c.finishedAt,
        ...(bad ? { followUpId: followUpIdOf(id), followUpStatusText: FOLLOW_UP_STATUS_TEXT.open } : {}),
        excluded: false
      }
      try {
        await ratings().add({ data: { ...doc } })
      } catch (err) {
        if (!isDuplicateKey(err)) throw err
        const raced = await ratingById(id)
        if (raced && raced.requestId === input.requestId) return residentRating(raced)
        throw new AppError('ALREADY_RATED')
      }
      if (bad) await openFollowUp(doc, c.contactName, c.mobile, ctx.now)
      return residentRating(doc)
    },

    async pending(_input, ctx) {
      const openid = requireCaller(ctx)
      const _ = db().command
      const since = new Date(ctx.now.getTime() - 60 * 86_400_000)
      const [appointments, reqs] = await Promise.all([
        repo<AppointmentDoc & { finishedAt?: Date }>('appointments').find(
          { openid, status: 'done', finishedAt: _.gte(since) },
          { limit: 50 }
        ),
        repo<RequestDoc>('requests').find({ openid, status: 'done', doneAt: _.gte(since) }, { limit: 50 })
      ])
      const ids = [
        ...appointments.map((a) => ratingIdOf('appointment', a._id)),
        ...reqs.map((r) => ratingIdOf('request', r._id))
      ]
      const rated = new Set(
        ids.length
          ? (await repo<RatingDoc>('ratings').find({ _id: _.in(ids) }, { limit: 100, fields: ['_id'] })).map(
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
    },

    async mine(_input, ctx) {
      const openid = requireCaller(ctx)
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
        return { rating: residentRating(d), ...(f ? { followUp: residentFollowUp(f) } : {}) }
      })
    },

    async rateRectification({ followUpId, level, comment }, ctx) {
      const openid = requireCaller(ctx)
      const f = await followUpById(followUpId)
      if (!f || f.openid !== openid) throw new AppError('NOT_FOUND', '没有找到这条回访记录')
      if (f.status === 'closed' && f.rectificationLevel === level) {
        await mirrorOnRating(f, { rectificationText: f.rectificationText ?? '' }) // a retry
        return residentFollowUp(f)
      }
      if (f.status !== 'replied')
        throw new AppError(
          'FOLLOW_UP_STEP',
          f.status === 'closed' ? '您已经评价过整改情况了' : '派出所还没有答复整改情况，答复后才能评价'
        )
      const text = comment?.trim()
      const next = await advance(f, 'replied', {
        status: 'closed',
        statusText: FOLLOW_UP_STATUS_TEXT.closed,
        rectificationLevel: level,
        rectificationText: RECTIFICATION_TEXT[level],
        ...(text ? { rectificationComment: text } : {}),
        rectificationRatedAt: ctx.now,
        updatedAt: ctx.now
      })
      return residentFollowUp(next)
    },

    async list({ from, to, stationId, badOnly }, ctx) {
      const staff = await requireStaff(ctx, ['officer', 'leader', 'supervisor'], stationId)
      checkPeriod(from, to)
      const _ = db().command
      const where: Record<string, unknown> = { ratedDate: _.and(_.gte(from), _.lte(to)) }
      const scope = scopeOf(staff, stationId)
      if (staff.role === 'officer') where.officerStaffId = staff._id
      else if (scope) where.stationId = scope
      if (badOnly) where.bad = true
      const docs = (await ratings().where(where).orderBy('ratedAt', 'desc').limit(200).get()).data
      return disclose(
        { staff, action: 'rating.list', ctx, ...(scope ? { stationId: scope } : {}) },
        docs.map(staffRating)
      )
    },

    async followUps({ stationId, status }, ctx) {
      const staff = await requireStaff(ctx, ['leader', 'supervisor'], stationId)
      const scope = scopeOf(staff, stationId)
      const _ = db().command
      const where: Record<string, unknown> = scope ? { stationId: scope } : {}
      if (status !== 'all') where.status = _.in(['open', 'called', 'replied'])
      let docs = (await followUps().where(where).orderBy('callbackDueAt', 'asc').limit(200).get()).data
      if (status === 'overdue') docs = docs.filter((f) => overdueStage(f, ctx.now))
      // The station's leaders call residents back: they see the full mobile of follow-ups still to be
      // called; supervisors see it masked. Either way the list names residents: the read is audited.
      const needCall =
        staff.role === 'leader' ? docs.filter((f) => f.status === 'open' || f.status === 'called') : []
      const mobiles = new Map<string, string>()
      for (const f of needCall) {
        const c = await contactOf(f.caseKind, f.caseId)
        if (c?.mobile) mobiles.set(f._id, c.mobile)
      }
      const items = await disclose(
        { staff, action: 'rating.followUps', ctx, ...(scope ? { stationId: scope } : {}) },
        docs.map((f) => staffFollowUp(f, ctx.now, mobiles.get(f._id)))
      )
      return { me: { staffId: staff._id, role: staff.role }, items }
    },

    async callBack({ followUpId, note }, ctx) {
      const staff = await requireStaff(ctx, ['leader', 'supervisor'])
      const shown = (x: FollowUpDoc) =>
        discloseOne({ staff, action: 'rating.callBack', ctx }, staffFollowUp(x, ctx.now))
      const f = await staffFollowUpDoc(staff, followUpId)
      if (f.status === 'called' && f.callNote === note) {
        await mirrorOnRating(f) // a retry: finish what a crash may have cut short
        return shown(f)
      }
      if (f.status !== 'open')
        throw new AppError(
          'FOLLOW_UP_STEP',
          f.status === 'excluded' ? '这条评价已剔除，无需回访' : '已经记录过回访了'
        )
      const next = await advance(f, 'open', {
        status: 'called',
        statusText: FOLLOW_UP_STATUS_TEXT.called,
        calledBackAt: ctx.now,
        calledBackAtLocal: localDateTime(ctx.now),
        calledBackBy: staff.name,
        callNote: note,
        updatedAt: ctx.now
      })
      return shown(next)
    },

    async reply({ followUpId, finding, rectification, reply }, ctx) {
      const staff = await requireStaff(ctx, ['leader', 'supervisor'])
      const shown = (x: FollowUpDoc) =>
        discloseOne({ staff, action: 'rating.reply', ctx }, staffFollowUp(x, ctx.now))
      const f = await staffFollowUpDoc(staff, followUpId)
      if (f.status === 'replied' && f.reply === reply) {
        // A retry: finish what a crash may have cut short (the notice is queued once per follow-up).
        await mirrorOnRating(f)
        await notifyReply(f, ctx.now)
        return shown(f)
      }
      if (f.status === 'open') throw new AppError('FOLLOW_UP_STEP', '请先回访居民并记录回访情况，再答复')
      if (f.status !== 'called')
        throw new AppError(
          'FOLLOW_UP_STEP',
          f.status === 'excluded' ? '这条评价已剔除，无需答复' : '已经答复过了'
        )
      const next = await advance(f, 'called', {
        status: 'replied',
        statusText: FOLLOW_UP_STATUS_TEXT.replied,
        finding,
        findingText: FINDINGS[finding],
        rectification,
        reply,
        repliedAt: ctx.now,
        repliedAtLocal: localDateTime(ctx.now),
        repliedBy: staff.name,
        updatedAt: ctx.now
      })
      await notifyReply(next, ctx.now)
      return shown(next)
    },

    async exclude({ ratingId, reason }, ctx) {
      const staff = await requireStaff(ctx, ['leader', 'supervisor'])
      const shown = (x: RatingDoc) => discloseOne({ staff, action: 'rating.exclude', ctx }, staffRating(x))
      const r = await ratingById(ratingId)
      if (!r) throw new AppError('NOT_FOUND', '没有找到这条评价')
      if (staff.role !== 'supervisor' && r.stationId !== staff.stationId)
        throw new AppError('FORBIDDEN', '只能处理本所的评价')
      if (r.excluded) return shown(r)
      const patch = {
        excluded: true,
        excludedReason: reason,
        excludedBy: staff.name,
        excludedAt: ctx.now,
        excludedAtLocal: localDateTime(ctx.now)
      }
      const res = await ratings().where({ _id: r._id, excluded: false }).update({ data: patch })
      if (res.stats.updated !== 1) return shown((await ratingById(r._id)) ?? r)
      if (r.followUpId) {
        const _ = db().command
        await followUps()
          .where({ _id: r.followUpId, status: _.in(['open', 'called', 'replied']) })
          .update({
            data: {
              status: 'excluded',
              statusText: FOLLOW_UP_STATUS_TEXT.excluded,
              excludedReason: reason,
              updatedAt: ctx.now
            }
          })
        const f = await followUpById(r.followUpId)
        if (f) await mirrorOnRating(f)
      }
      // The day's figures leave it out from now on.
      if (r.ratedDate < localDate(ctx.now)) await saveDay(r.stationId, r.ratedDate, ctx.now)
      return shown({ ...r, ...patch })
    },

    async dashboard(input, ctx) {
      const staff = await requireStaff(ctx, ['leader', 'supervisor'], input.stationId)
      return dashboard(staff, input, ctx)
    },

    async export({ from, to, stationId }, ctx) {
      const staff = await requireStaff(ctx, ['leader', 'supervisor'], stationId)
      checkPeriod(from, to)
      const scope = scopeOf(staff, stationId)
      const _ = db().command
      const where: Record<string, unknown> = {
        ratedDate: _.and(_.gte(from), _.lte(to)),
        ...(scope ? { stationId: scope } : {})
      }
      const docs = (await readAll<RatingDoc>('ratings', where)).sort(
        (a, b) => new Date(a.ratedAt).getTime() - new Date(b.ratedAt).getTime()
      )
      const rows = docs.slice(0, MAX_EXPORT_ROWS)
      // The file carries residents' words (masked where they look like contacts): an audited read.
      await disclose(
        { staff, action: 'rating.export', ctx, ...(scope ? { stationId: scope } : {}) },
        rows.map(staffRating)
      )
      const fids = rows.flatMap((r) => (r.followUpId ? [r.followUpId] : []))
      const fus = new Map<string, FollowUpDoc>()
      for (let i = 0; i < fids.length; i += 500)
        for (const f of (
          await followUps()
            .where({ _id: _.in(fids.slice(i, i + 500)) })
            .limit(500)
            .get()
        ).data)
          fus.set(f._id, f)
      const header = [
        '评价编号',
        '派出所',
        '办理民警',
        '办理事项',
        '业务大类',
        '业务类型',
        '评价等级',
        '分值',
        '评价标签',
        '评价内容',
        '评价时间（北京时间）',
        '是否差评',
        '处理进度',
        '回访时间',
        '核实结论',
        '整改措施',
        '答复时间',
        '整改评价',
        '是否剔除',
        '剔除理由',
        '联系电话（掩码）'
      ]
      const csv = csvFile(
        header,
        rows.map((r) => {
          const f = r.followUpId ? fus.get(r.followUpId) : undefined
          return [
            r._id,
            r.stationName,
            r.officerName ?? '',
            r.serviceName,
            r.businessTypeText,
            r.caseType,
            r.levelText,
            r.score,
            r.tagTexts.join('、'),
            maskPersonalText(r.comment ?? ''),
            r.ratedAtLocal,
            r.bad ? '是' : '否',
            f?.statusText ?? '',
            f?.calledBackAtLocal ?? '',
            f?.findingText ?? '',
            maskPersonalText(f?.rectification ?? ''),
            f?.repliedAtLocal ?? '',
            f?.rectificationText ?? '',
            r.excluded ? '是' : '否',
            maskPersonalText(r.excludedReason ?? ''),
            f?.mobileMasked ?? ''
          ]
        })
      )
      return {
        fileName: `ratings-${from}-${to}.csv`,
        csv,
        rows: rows.length,
        truncated: docs.length > rows.length
      }
    },

    async rollup({ from, to, stationId }, ctx) {
      const staff = await requireStaff(ctx, ['supervisor'], stationId)
      const days = checkPeriod(from, to).filter((d) => d <= localDate(ctx.now))
      const scope = scopeOf(staff, stationId)
      const stationIds = scope ? [scope] : (await stations()).map((s) => s._id)
      let count = 0
      const last = days[days.length - 1]
      if (days[0] && last)
        for (const id of stationIds)
          for (const doc of await saveRange(id, days[0], last, ctx.now)) count += doc.total
      return { days: days.length, stations: stationIds.length, ratings: count }
    }
  },
  { timer: hourly }
)
