/**
 * The daily rollups (ratingRollups: one document per station and Shanghai day) the dashboard
 * reads: computed from the raw documents, saved by the hourly timer, by an exclusion and by a
 * supervisor's `rollup`. The figures themselves are the pure rollupDay in _shared/domain/ratings.ts.
 */
import { DEFAULT_ACCEPT_MINUTES } from '../../types/requests'
import type { RatingLevel } from '../../types/ratings'
import { addDays, localDate } from '../../types/time'
import type { AppointmentDoc } from '../_shared/appointment-doc'
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

/** The period's ratings counted by day, level, exclusion, officer and service: one request per 1000 groups. */
async function ratingGroups(stationId: string, from: string, to: string): Promise<RatingGroup[]> {
  const _ = db().command
  const out: RatingGroup[] = []
  for (let skip = 0; ; skip += 1000) {
    const page = (
      await db()
        .collection('ratings')
        .aggregate()
        .match({ stationId, ratedDate: _.and(_.gte(from), _.lte(to)) })
        .group({
          _id: {
            date: '$ratedDate',
            level: '$level',
            excluded: '$excluded',
            officerStaffId: '$officerStaffId',
            officerName: '$officerName',
            serviceName: '$serviceName'
          },
          n: _.aggregate.sum(1)
        })
        .sort({
          '_id.date': 1,
          '_id.officerStaffId': 1,
          '_id.officerName': 1,
          '_id.serviceName': 1,
          '_id.level': 1,
          '_id.excluded': 1
        })
        .skip(skip)
        .limit(1000)
        .end()
    ).list as RatingGroup[]
    out.push(...page)
    if (page.length < 1000) return out
  }
}

/** Each day of a period for one station, computed from the raw documents (not saved). */
export async function computeRange(
  stationId: string,
  from: string,
  to: string,
  now: Date
): Promise<RollupDoc[]> {
  const _ = db().command
  const within = _.and(_.gte(dayBounds(from)[0]), _.lt(dayBounds(to)[1]))
  const station = (await stations()).find((s) => s._id === stationId)
  const serviceList = await services()
  const [groups, appointments, requestsDone, emergencies, asked, opened, answered] = await Promise.all([
    ratingGroups(stationId, from, to),
    readAll<AppointmentDoc & { finishedAt: Date }>(
      'appointments',
      { stationId, status: 'done', finishedAt: within },
      ['serviceId', 'finishedAt']
    ),
    readAll<RequestDoc & { doneAt: Date }>('requests', { stationId, status: 'done', doneAt: within }, [
      'category',
      'doneAt'
    ]),
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
  const finishedOn = on(appointments, (a) => a.finishedAt)
  const doneOn = on(requestsDone, (r) => r.doneAt)
  const acceptedOn = on(emergencies, (e) => e.acceptedAt)
  const askedOn = on(asked, (q) => q.createdAt)
  const openedOn = on(opened, (q) => q.firstOpenedAt)
  const answeredOn = on(answered, (q) => q.answeredAt)
  return daysOf(from, to).map((date) =>
    rollupDay({
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
      finished: [
        ...finishedOn(date).map((a) => ({ business: businessOfService(categoryOf.get(a.serviceId)) })),
        ...doneOn(date).map((r) => ({ business: businessOfRequest(r.category) }))
      ],
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
  )
}

export async function computeDay(stationId: string, date: string, now: Date): Promise<RollupDoc> {
  return (await computeRange(stationId, date, date, now))[0] as RollupDoc
}

/** Computes and saves each day of a period (a set by id: running it twice gives the same documents). */
export async function saveRange(
  stationId: string,
  from: string,
  to: string,
  now: Date
): Promise<RollupDoc[]> {
  const docs = await computeRange(stationId, from, to, now)
  for (const doc of docs) {
    const { _id, ...data } = doc
    await db().collection('ratingRollups').doc(_id).set({ data })
  }
  return docs
}

export async function saveDay(stationId: string, date: string, now: Date): Promise<RollupDoc> {
  return (await saveRange(stationId, date, date, now))[0] as RollupDoc
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
