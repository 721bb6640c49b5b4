/**
 * The supervisors' and leaders' dashboard (a read model): satisfaction overall, by station,
 * officer and service, and its trend; volumes by business type against the same days last year;
 * a row per officer; emergency accept times — all from the daily rollups (rollups.ts), so a
 * load costs a bounded number of requests whatever the period holds — and follow-up progress
 * and online-question response times. docs/ratings-and-feedback.md ("The dashboard").
 */
import {
  VOLUME_LABELS,
  type DashboardView,
  type OfficerRow,
  type OfficerWork,
  type QueueLineFigures,
  type VolumeRow
} from '../../types/dashboard'
import { DEFAULT_QUEUE, type TicketStatus } from '../../types/queue'
import { BUSINESS_TYPES, type BusinessType, type Breakdown } from '../../types/ratings'
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
import { computeDay, computeRange, isCurrent, saveDocs, type DayRollup } from './rollups'
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

/**
 * The rollups of the given days. Past days come from ratingRollups; a past day with no rollup,
 * or one written before the fields read here existed, is computed from the raw documents (one
 * range per station, counted by the database) and saved, so the next load reads it. Today is
 * always computed live.
 */
async function rollupsFor(
  stationIds: readonly string[],
  days: readonly LocalDate[],
  now: Date
): Promise<DayRollup[]> {
  const today = localDate(now)
  const past = days.filter((d) => d < today)
  const _ = db().command
  const stored = past.length
    ? (
        await readAll<Partial<DayRollup>>('ratingRollups', {
          stationId: _.in([...stationIds]),
          date: _.and(_.gte(past[0]), _.lte(past[past.length - 1]))
        })
      ).filter(isCurrent)
    : []
  const wanted = new Set(past)
  const have = new Set(stored.map((d) => `${d.stationId}_${d.date}`))
  const out = stored.filter((d) => wanted.has(d.date))
  for (const stationId of stationIds) {
    const missing = past.filter((d) => !have.has(`${stationId}_${d}`))
    const first = missing[0]
    const last = missing[missing.length - 1]
    if (first && last) {
      const computed = (await computeRange(stationId, first, last, now)).filter((d) =>
        missing.includes(d.date)
      )
      await saveDocs(computed)
      out.push(...computed)
    }
    if (days.includes(today)) out.push(await computeDay(stationId, today, now))
  }
  return out
}

/** The same calendar day a year before; 29 February falls back to the 28th. */
export function yearBefore(date: LocalDate): LocalDate {
  const year = String(Number(date.slice(0, 4)) - 1).padStart(4, '0')
  const md = date.slice(5) === '02-29' ? '02-28' : date.slice(5)
  return `${year}-${md}`
}

const round1 = (x: number) => Math.round(x * 10) / 10
const avg = (sum: number, n: number) => (n ? round1(sum / n) : null)
const change = (now: number, before: number) => (before ? round1(((now - before) / before) * 100) : null)

function median(sorted: readonly number[]): number | null {
  if (!sorted.length) return null
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[mid] as number)
    : round1(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2)
}

function volumesOf(docs: readonly DayRollup[]): Record<BusinessType, number> {
  const out = Object.fromEntries(Object.keys(BUSINESS_TYPES).map((k) => [k, 0])) as Record<
    BusinessType,
    number
  >
  for (const d of docs) for (const k of Object.keys(out) as BusinessType[]) out[k] += d.volumes[k] ?? 0
  return out
}

/** One row per officer who finished a case or whose case was rated in the period. */
function officerRows(docs: readonly DayRollup[]): OfficerRow[] {
  const work = new Map<string, OfficerWork>()
  for (const d of docs)
    for (const w of d.work) {
      const m = work.get(w.key) ?? { key: w.key, label: w.label, finished: 0, timed: 0, handlingMinutes: 0 }
      m.finished += w.finished
      m.timed += w.timed
      m.handlingMinutes += w.handlingMinutes
      work.set(w.key, m)
    }
  const rated = new Map(mergeGroups(docs.map((d) => d.byOfficer)).map((g) => [g.key, g]))
  return [...new Set([...work.keys(), ...rated.keys()])]
    .map((key) => {
      const w = work.get(key)
      const r = rated.get(key)
      const bad = r ? r.unsatisfied + r.very_unsatisfied : 0
      return {
        staffId: key,
        name: w?.label ?? r?.label ?? key,
        finished: w?.finished ?? 0,
        averageHandlingMinutes: w ? avg(w.handlingMinutes, w.timed) : null,
        ratings: r?.total ?? 0,
        averageScore: r?.total ? Math.round((r.scoreSum / r.total) * 100) / 100 : null,
        badCount: bad
      }
    })
    .sort((a, b) => b.finished - a.finished || b.ratings - a.ratings || a.name.localeCompare(b.name))
}

interface TicketGroup {
  _id: { line: string; date: LocalDate; status: TicketStatus }
  n: number
  /** Milliseconds from taking to the (last) call; 0 for a number never called. */
  waits: number[]
}

/** Statuses whose numbers were called and came: their waits count. */
const WAITED: readonly TicketStatus[] = ['called', 'serving', 'done']

/**
 * Queue numbers of the stations and days, per line and per day: one aggregate over queueTickets
 * grouped by line, day and status (a group per line, day and status: at most a few thousand for
 * the longest period, a request per thousand), each group with its numbers' waits, so the median
 * is exact. docs/ratings-and-feedback.md ("The dashboard").
 */
async function queueFigures(
  stationIds: readonly string[],
  days: readonly LocalDate[],
  allStations: readonly { _id: string; queue?: { lines: { key: string; label: string }[] } }[]
): Promise<DashboardView['queue']> {
  const first = days[0]
  const last = days[days.length - 1]
  if (!first || !last) return { lines: [], days: [] }
  const _ = db().command
  const $ = _.aggregate
  const groups: TicketGroup[] = []
  for (let skip = 0; ; skip += 1000) {
    const page = (
      await db()
        .collection('queueTickets')
        .aggregate()
        .match({ stationId: _.in([...stationIds]), date: _.and(_.gte(first), _.lte(last)) })
        .group({
          _id: { line: '$line', date: '$date', status: '$status' },
          n: $.sum(1),
          waits: $.push($.subtract([$.ifNull(['$calledAt', '$takenAt']), '$takenAt']))
        })
        .sort({ '_id.line': 1, '_id.date': 1, '_id.status': 1 })
        .skip(skip)
        .limit(1000)
        .end()
    ).list as TicketGroup[]
    groups.push(...page)
    if (page.length < 1000) break
  }
  const labels = new Map<string, string>()
  for (const st of allStations.filter((s) => stationIds.includes(s._id)))
    for (const l of (st.queue ?? DEFAULT_QUEUE).lines) if (!labels.has(l.key)) labels.set(l.key, l.label)
  const minutes = (ms: number) => ms / 60_000
  const figures = (of: readonly TicketGroup[]) => {
    const waits = of
      .filter((g) => WAITED.includes(g._id.status))
      .flatMap((g) => g.waits.map(minutes))
      .sort((a, b) => a - b)
    return {
      taken: of.reduce((n, g) => n + g.n, 0),
      waited: waits.length,
      average: avg(
        waits.reduce((s, w) => s + w, 0),
        waits.length
      ),
      median: median(waits.map(round1))
    }
  }
  const count = (of: readonly TicketGroup[], status: TicketStatus) =>
    of.filter((g) => g._id.status === status).reduce((n, g) => n + g.n, 0)
  const lines: QueueLineFigures[] = [...new Set(groups.map((g) => g._id.line))].sort().map((line) => {
    const mine = groups.filter((g) => g._id.line === line)
    const f = figures(mine)
    return {
      line,
      label: labels.get(line) ?? line,
      taken: f.taken,
      served: count(mine, 'done'),
      noShows: count(mine, 'no_show'),
      waited: f.waited,
      averageWaitMinutes: f.average,
      medianWaitMinutes: f.median
    }
  })
  const perDay = [...new Set(groups.map((g) => g._id.date))].sort().map((date) => {
    const f = figures(groups.filter((g) => g._id.date === date))
    return { date, taken: f.taken, averageWaitMinutes: f.average }
  })
  return { lines, days: perDay }
}

/**
 * 材料预审 of the stations first submitted in the period, of one service when the dashboard is
 * filtered by service (a pre-review has no officer: the officer filter does not apply, and the page
 * says so): four counts on the same filter (no document read). A trip saved: sent back at least
 * once, then passed, and not withdrawn after (docs/materials-and-cards.md, "Figures").
 */
async function prereviewFigures(
  stationIds: readonly string[],
  from: LocalDate,
  to: LocalDate,
  serviceName?: string
): Promise<DashboardView['prereviews']> {
  const _ = db().command
  const where = {
    stationId: _.in([...stationIds]),
    ...(serviceName ? { serviceName } : {}),
    firstSubmittedAt: _.and(_.gte(dayBounds(from)[0]), _.lt(dayBounds(to)[1]))
  }
  const count = (more: Record<string, unknown>) =>
    db()
      .collection('prereviews')
      .where({ ...where, ...more })
      .count()
      .then((r) => r.total)
  const [submitted, passedFirst, returnedFirst, tripsSaved] = await Promise.all([
    count({}),
    count({ firstOutcome: 'passed' }),
    count({ firstOutcome: 'returned' }),
    count({ returnedCount: _.gt(0), passedAt: _.exists(true), status: _.neq('withdrawn') })
  ])
  const reviewed = passedFirst + returnedFirst
  return {
    submitted,
    reviewed,
    passedFirst,
    firstPassRate: reviewed ? round1((passedFirst / reviewed) * 100) : null,
    tripsSaved
  }
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
  const lastYearDays = [...new Set(days.map(yearBefore))]
  const scope = scopeOf(staff, input.stationId)
  const allStations = await stations()
  const stationIds = scope ? [scope] : allStations.map((s) => s._id)
  const docs = await rollupsFor(stationIds, days, now)
  const lastYearDocs = await rollupsFor(stationIds, lastYearDays, now)
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
    const finished = docs.filter((d) => d.date === date).reduce((n, d) => n + d.visitors, 0)
    return { date, total: fig.total, satisfactionRate: fig.satisfactionRate, finished }
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
  const acceptTimes = docs.flatMap((d) => d.acceptMinutes).sort((a, b) => a - b)
  const thisYear = volumesOf(docs)
  const lastYear = volumesOf(lastYearDocs)
  const volumes: VolumeRow[] = (Object.keys(BUSINESS_TYPES) as BusinessType[])
    // 其他 only when something was counted there: the five are the window's own.
    .filter((type) => type !== 'other' || thisYear.other > 0 || lastYear.other > 0)
    .map((type) => ({
      type,
      label: VOLUME_LABELS[type],
      count: thisYear[type],
      lastYear: lastYear[type],
      change: change(thisYear[type], lastYear[type])
    }))
  const visitors = docs.reduce((s, d) => s + d.visitors, 0)
  const visitorsLastYear = lastYearDocs.reduce((s, d) => s + d.visitors, 0)
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
  const [queue, prereviews] = await Promise.all([
    queueFigures(stationIds, days, allStations),
    prereviewFigures(stationIds, input.from, input.to, input.serviceName)
  ])
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
    officers: officerRows(docs),
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
      medianMinutes: median(acceptTimes),
      maxMinutes: e.count ? e.max : null,
      withinLimit: e.within
    },
    volumes: {
      byType: volumes,
      total: visitors,
      workingDays,
      averagePerWorkingDay: avg(visitors, workingDays),
      lastYear: {
        from: lastYearDays[0] ?? yearBefore(input.from),
        to: lastYearDays[lastYearDays.length - 1] ?? yearBefore(input.to),
        total: visitorsLastYear,
        change: change(visitors, visitorsLastYear)
      }
    },
    questions: {
      asked: q.asked,
      answered: q.answered,
      open: openQuestions,
      averageFirstResponseMinutes: avg(q.frm, q.fr),
      averageAnswerMinutes: avg(q.am, q.answered)
    },
    prereviews,
    queue,
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
