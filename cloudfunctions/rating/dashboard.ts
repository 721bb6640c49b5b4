/**
 * The supervisors' and leaders' dashboard (a read model): satisfaction overall, by station,
 * officer and service, and its trend, from the daily rollups (rollups.ts); follow-up progress;
 * emergency accept times; volumes per working day; online-question response times.
 */
import { BUSINESS_TYPES, type BusinessType, type Breakdown, type DashboardView } from '../../types/ratings'
import type { Staff } from '../../types/staff'
import { localDate, type LocalDate } from '../../types/time'
import { disclose } from '../_shared/audit'
import { holidayCalendar } from '../_shared/calendars'
import { db } from '../_shared/db'
import { UNFINISHED_STATUSES, overdueStage, type FollowUpDoc } from '../_shared/domain/follow-ups'
import {
  addCounts,
  countsOf,
  dayBounds,
  emptyCounts,
  mergeGroups,
  satisfaction,
  workingDaysIn,
  type GroupTotals,
  type RollupDoc
} from '../_shared/domain/ratings'
import type { CallContext, Handlers } from '../_shared/handler'
import { businessText } from './cases'
import { computeDay, computeRange } from './rollups'
import { checkPeriod, scopeOf } from './scope'
import { readAll, stations, type RatingDoc } from './store'
import { staffFollowUp } from './views'
import { optional } from '../_shared/fields'

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
      status: _.in([...UNFINISHED_STATUSES])
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
    ? workingDaysIn(await holidayCalendar(), days[0] as string, days[days.length - 1] as string)
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
    { staff, action: 'rating.dashboard', ctx, ...optional({ stationId: scope }) },
    openOnes
      .sort((a, b) => new Date(a.replyDueAt).getTime() - new Date(b.replyDueAt).getTime())
      .slice(0, 50)
      .map((f) => staffFollowUp(f, now))
  )

  return {
    from: input.from,
    to: input.to,
    ...optional({ stationId: scope }),
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

export const dashboardActions: Pick<Handlers<'rating'>, 'dashboard'> = {
  dashboard: {
    access: 'staff',
    roles: ['leader', 'supervisor'],
    station: 'own',
    async handler(input, ctx) {
      const { staff } = ctx
      return dashboard(staff, input, ctx)
    }
  }
}
