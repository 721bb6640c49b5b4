/**
 * The daily rollups (ratingRollups: one document per station and Shanghai day) the dashboard
 * reads: computed from the raw documents, saved by the hourly timer, by an exclusion, by a
 * supervisor's `rollup` and by the dashboard for a past day it found missing. The rating figures
 * are the pure rollupDay in _shared/domain/ratings.ts; this file adds what each officer finished
 * and the accept time of each emergency (docs/ratings-and-feedback.md, "The dashboard").
 *
 * Finished appointments and requests are counted by the database (aggregate, grouped by day,
 * service or category and officer), so a day's or a year's computation costs a few requests
 * however many cases it holds.
 */
import type { OfficerWork } from '../../types/dashboard'
import { DEFAULT_ACCEPT_MINUTES, type RequestCategory } from '../../types/requests'
import type { RatingLevel } from '../../types/ratings'
import { addDays, localDate, minutesBetween } from '../../types/time'
import { db } from '../_shared/db'
import {
  businessOfRequest,
  businessOfService,
  dayBounds,
  daysOf,
  rollupDay,
  type RollupDoc
} from '../_shared/domain/ratings'
import { acceptMinutes, type RequestDoc } from '../_shared/escalation'
import type { Handlers } from '../_shared/handler'
import { checkPeriod, scopeOf } from './scope'
import { readAll, services, stations, type RatingDoc } from './store'

/**
 * Rollups written before a field the dashboard reads existed carry an older version (or none):
 * the dashboard computes those days again (and saves them) instead of reading zeros.
 */
export const ROLLUP_VERSION = 2

/** A day's rollup as this version writes it. */
export interface DayRollup extends RollupDoc {
  version: number
  /** Cases each officer finished that day (appointments by `finishedBy`, requests by `doneBy`). */
  work: OfficerWork[]
  /** Minutes from submit to accept of each emergency accepted that day (for the median). */
  acceptMinutes: number[]
}

export const isCurrent = (d: Partial<DayRollup>): d is DayRollup =>
  (d.version ?? 0) >= ROLLUP_VERSION && Array.isArray(d.work) && Array.isArray(d.acceptMinutes)

interface RatingGroup {
  _id: {
    date: string
    level: RatingLevel
    excluded?: boolean | null
    officerStaffId?: string | null
    officerName?: string | null
    serviceName: string
  }
  n: number
}

/** Every group of a grouping aggregate, sorted by its key's fields: one request per 1000 groups. */
async function groupsOf<G>(
  collection: string,
  match: Record<string, unknown>,
  group: Record<string, unknown> & { _id: Record<string, unknown> }
): Promise<G[]> {
  const sort = Object.fromEntries(Object.keys(group._id).map((k) => [`_id.${k}`, 1 as const]))
  const out: G[] = []
  for (let skip = 0; ; skip += 1000) {
    const page = (
      await db()
        .collection(collection)
        .aggregate()
        .match(match)
        .group(group)
        .sort(sort)
        .skip(skip)
        .limit(1000)
        .end()
    ).list as G[]
    out.push(...page)
    if (page.length < 1000) return out
  }
}

/** The period's ratings counted by day, level, exclusion, officer and service. */
function ratingGroups(stationId: string, from: string, to: string): Promise<RatingGroup[]> {
  const _ = db().command
  return groupsOf<RatingGroup>(
    'ratings',
    { stationId, ratedDate: _.and(_.gte(from), _.lte(to)) },
    {
      _id: {
        date: '$ratedDate',
        officerStaffId: '$officerStaffId',
        officerName: '$officerName',
        serviceName: '$serviceName',
        level: '$level',
        excluded: '$excluded'
      },
      n: _.aggregate.sum(1)
    }
  )
}

interface WorkGroup {
  /** `kind`: the appointment's service id or the request's category. */
  _id: { date: string; kind: string; officer?: string | null; name?: string | null }
  n: number
  /** Cases with a start before their finish, and the milliseconds between the two summed. */
  timed: number
  ms: number
}

/** The Shanghai day of a date field, as the database computes it. */
const shanghaiDay = (field: string) =>
  db().command.aggregate.dateToString({ date: field, format: '%Y-%m-%d', timezone: 'Asia/Shanghai' })

/**
 * Finished cases counted by day, kind (service or category) and officer, with the time from
 * `start` to `end` summed over those where the start came first. An appointment finished without
 * being started gets its start at the finish (staff.finish): it counts, untimed.
 */
function workGroups(
  collection: 'appointments' | 'requests',
  match: Record<string, unknown>,
  kind: string,
  officer: string,
  name: string | null,
  start: string,
  end: string
): Promise<WorkGroup[]> {
  const $ = db().command.aggregate
  const timed = $.lt([start, end])
  return groupsOf(collection, match, {
    _id: { date: shanghaiDay(end), kind, officer, ...(name ? { name } : {}) },
    n: $.sum(1),
    timed: $.sum($.cond([timed, 1, 0])),
    // ifNull: a condition's branches may both be evaluated, and a missing start must not fail it.
    ms: $.sum($.cond([timed, $.subtract([end, $.ifNull([start, end])]), 0]))
  })
}

/** Each day of a period for one station, computed from the raw documents (not saved). */
export async function computeRange(
  stationId: string,
  from: string,
  to: string,
  now: Date
): Promise<DayRollup[]> {
  const _ = db().command
  const within = _.and(_.gte(dayBounds(from)[0]), _.lt(dayBounds(to)[1]))
  const station = (await stations()).find((s) => s._id === stationId)
  const serviceList = await services()
  const [groups, appointments, requestsDone, emergencies, asked, opened, answered] = await Promise.all([
    ratingGroups(stationId, from, to),
    workGroups(
      'appointments',
      { stationId, status: 'done', finishedAt: within },
      '$serviceId',
      '$finishedBy',
      null,
      '$startedAt',
      '$finishedAt'
    ),
    workGroups(
      'requests',
      { stationId, status: 'done', doneAt: within },
      '$category',
      '$doneBy.staffId',
      '$doneBy.name',
      '$acceptedAt',
      '$doneAt'
    ),
    readAll<RequestDoc & { acceptedAt: Date }>(
      'requests',
      { stationId, kind: 'emergency', acceptedAt: within },
      ['createdAt', 'acceptedAt']
    ),
    readAll<{ createdAt: Date }>('questions', { stationId, createdAt: within }, ['createdAt']),
    readAll<{ createdAt: Date; firstOpenedAt: Date }>('questions', { stationId, firstOpenedAt: within }, [
      'createdAt',
      'firstOpenedAt'
    ]),
    readAll<{ createdAt: Date; answeredAt: Date }>('questions', { stationId, answeredAt: within }, [
      'createdAt',
      'answeredAt'
    ])
  ])
  const categoryOf = new Map(serviceList.map((s) => [s._id, s.category]))
  const limit = station ? acceptMinutes(station) : DEFAULT_ACCEPT_MINUTES
  const on =
    <T>(list: readonly T[], at: (x: T) => Date | string) =>
    (date: string) =>
      list.filter((x) => localDate(at(x)) === date)
  const acceptedOn = on(emergencies, (e) => e.acceptedAt)
  const askedOn = on(asked, (q) => q.createdAt)
  const openedOn = on(opened, (q) => q.firstOpenedAt)
  const answeredOn = on(answered, (q) => q.answeredAt)
  const officerIds = [
    ...new Set(appointments.map((g) => g._id.officer).filter((id): id is string => Boolean(id)))
  ]
  const names = new Map(
    officerIds.length
      ? (await readAll<{ _id: string; name: string }>('staff', { _id: _.in(officerIds) }, ['name'])).map(
          (s) => [s._id, s.name]
        )
      : []
  )
  const finishedOn = (date: string) => [
    ...appointments
      .filter((g) => g._id.date === date)
      .map((g) => ({ ...g, business: businessOfService(categoryOf.get(g._id.kind)) })),
    ...requestsDone
      .filter((g) => g._id.date === date)
      .map((g) => ({ ...g, business: businessOfRequest(g._id.kind as RequestCategory) }))
  ]
  return daysOf(from, to).map((date) => {
    const finished = finishedOn(date)
    const day = rollupDay({
      stationId,
      stationName: station?.shortName ?? station?.name ?? stationId,
      date,
      ratings: groups
        .filter((g) => g._id.date === date)
        .map((g) => ({
          count: g.n,
          level: g._id.level,
          excluded: g._id.excluded === true,
          ...(g._id.officerStaffId
            ? { officerStaffId: g._id.officerStaffId, officerName: g._id.officerName ?? g._id.officerStaffId }
            : {}),
          serviceName: g._id.serviceName
        })),
      finished: finished.flatMap((g) => Array.from({ length: g.n }, () => ({ business: g.business }))),
      emergencies: acceptedOn(date).map((e) => ({
        createdAt: new Date(e.createdAt),
        acceptedAt: new Date(e.acceptedAt)
      })),
      acceptLimitMinutes: limit,
      questionsAsked: askedOn(date).map((q) => ({ createdAt: new Date(q.createdAt) })),
      questionsOpened: openedOn(date).map((q) => ({
        createdAt: new Date(q.createdAt),
        firstOpenedAt: new Date(q.firstOpenedAt)
      })),
      questionsAnswered: answeredOn(date).map((q) => ({
        createdAt: new Date(q.createdAt),
        answeredAt: new Date(q.answeredAt)
      })),
      now
    })
    return {
      ...day,
      version: ROLLUP_VERSION,
      work: officerWork(finished, names),
      acceptMinutes: acceptedOn(date)
        .map((e) => minutesBetween(new Date(e.createdAt), new Date(e.acceptedAt)))
        .sort((a, b) => a - b)
    }
  })
}

/** One row per officer: cases finished, and the handling minutes of those timed (one decimal). */
function officerWork(groups: readonly WorkGroup[], names: ReadonlyMap<string, string>): OfficerWork[] {
  const map = new Map<string, OfficerWork>()
  for (const g of groups) {
    const key = g._id.officer
    if (!key) continue
    const w = map.get(key) ?? {
      key,
      label: g._id.name ?? names.get(key) ?? key,
      finished: 0,
      timed: 0,
      handlingMinutes: 0
    }
    w.finished += g.n
    w.timed += g.timed
    w.handlingMinutes = Math.round((w.handlingMinutes + g.ms / 60_000) * 10) / 10
    map.set(key, w)
  }
  return [...map.values()].sort((a, b) => b.finished - a.finished || a.key.localeCompare(b.key))
}

export async function computeDay(stationId: string, date: string, now: Date): Promise<DayRollup> {
  return (await computeRange(stationId, date, date, now))[0] as DayRollup
}

/** Computes and saves each day of a period (a set by id: running it twice gives the same documents). */
export async function saveRange(
  stationId: string,
  from: string,
  to: string,
  now: Date
): Promise<DayRollup[]> {
  const docs = await computeRange(stationId, from, to, now)
  await saveDocs(docs)
  return docs
}

/** Saves computed days (a set by id), a few at a time. */
export async function saveDocs(docs: readonly DayRollup[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 20)
    await Promise.all(
      docs.slice(i, i + 20).map(({ _id, ...data }) => db().collection('ratingRollups').doc(_id).set({ data }))
    )
}

export async function saveDay(stationId: string, date: string, now: Date): Promise<DayRollup> {
  return (await saveRange(stationId, date, date, now))[0] as DayRollup
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

export const rollupActions: Pick<Handlers<'rating'>, 'rollup'> = {
  rollup: {
    access: 'staff',
    roles: ['supervisor'],
    station: 'own',
    async handler({ from, to, stationId }, ctx) {
      const { staff } = ctx
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
  }
}
