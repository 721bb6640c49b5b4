/**
 * The rating function's documents and the reads they share: ratings, follow-ups, the cases
 * they are about (appointments and requests), and the daily rollups.
 */
import type { CalendarYear } from '../../types/appointment'
import type { Station, ServiceItem } from '../../types/guide'
import { maskMobile } from '../../types/identity'
import {
  BUSINESS_TYPES,
  FINDINGS,
  FOLLOW_UP_STATUS_TEXT,
  APPOINTMENT_CASE_TYPE,
  type BusinessType,
  type CaseKind,
  type CaseSummary,
  type Finding,
  type FollowUpResidentView,
  type FollowUpStaffView,
  type FollowUpStatus,
  type RatingLevel,
  type RatingTag,
  type RatingView,
  type RectificationLevel
} from '../../types/ratings'
import { DEFAULT_ACCEPT_MINUTES, KIND_LABELS, REQUEST_CATEGORIES } from '../../types/requests'
import type { Staff } from '../../types/staff'
import { localDate } from '../../types/time'
import type { AppointmentDoc } from '../_shared/appointment-doc'
import { cached } from '../_shared/cache'
import { personal, type Sealed } from '../_shared/audit'
import { db, repo, type Where } from '../_shared/db'
import { Calendar } from '../_shared/domain/calendar'
import {
  businessOfRequest,
  businessOfService,
  dayBounds,
  daysOf,
  rollupDay,
  type RollupDoc
} from '../_shared/domain/ratings'
import { acceptMinutes, type RequestDoc } from '../_shared/escalation'

export interface RatingDoc {
  _id: string
  caseKind: CaseKind
  caseId: string
  caseType: string
  openid: string
  requestId: string
  stationId: string
  stationName: string
  officerStaffId?: string
  officerName?: string
  serviceName: string
  businessType: BusinessType
  businessTypeText: string
  level: RatingLevel
  levelText: string
  score: number
  bad: boolean
  tags: RatingTag[]
  tagTexts: string[]
  comment?: string
  ratedAt: Date
  ratedAtLocal: string
  ratedDate: string
  finishedAt: Date
  followUpId?: string
  followUpStatusText?: string
  rectificationText?: string
  excluded: boolean
  excludedReason?: string
  excludedBy?: string
  excludedAt?: Date
  excludedAtLocal?: string
}

export interface FollowUpDoc {
  _id: string
  ratingId: string
  openid: string
  caseKind: CaseKind
  caseId: string
  caseType: string
  stationId: string
  stationName: string
  officerStaffId?: string
  officerName?: string
  serviceName: string
  level: RatingLevel
  levelText: string
  tagTexts: string[]
  comment?: string
  ratedAt: Date
  ratedAtLocal: string
  contactName?: string
  mobileMasked?: string
  status: FollowUpStatus
  statusText: string
  callbackDueAt: Date
  callbackDueLocal: string
  replyDueAt: Date
  replyDueLocal: string
  deadlineProvisional: boolean
  calledBackAt?: Date
  calledBackAtLocal?: string
  calledBackBy?: string
  callNote?: string
  finding?: Finding
  findingText?: string
  rectification?: string
  reply?: string
  repliedAt?: Date
  repliedAtLocal?: string
  repliedBy?: string
  rectificationLevel?: RectificationLevel
  rectificationText?: string
  rectificationComment?: string
  rectificationRatedAt?: Date
  excludedReason?: string
  /** Overdue stages already escalated to supervisors (each once). */
  escalations: { stage: 'callback' | 'reply'; at: Date; atLocal: string; names: string[] }[]
  /** The stages in `escalations` (a condition on it claims an escalation exactly once). */
  escalatedStages: ('callback' | 'reply')[]
  createdAt: Date
  updatedAt: Date
}

export const ratings = () => db().collection<RatingDoc>('ratings')
export const followUps = () => db().collection<FollowUpDoc>('followUps')
export const ratingById = (id: string) => repo<RatingDoc>('ratings').byId(id)
export const followUpById = (id: string) => repo<FollowUpDoc>('followUps').byId(id)

export const ratingIdOf = (kind: CaseKind, caseId: string) =>
  `rt-${kind === 'appointment' ? 'a' : 'r'}-${caseId}`
export const followUpIdOf = (ratingId: string) => `fu-${ratingId}`

const TTL = 60_000
const calendarYears = cached(
  TTL,
  async () => (await db().collection<CalendarYear>('calendars').where({}).limit(100).get()).data
)
const allStations = cached(
  TTL,
  async () =>
    (
      await db()
        .collection<Station & { requestAcceptMinutes?: number }>('stations')
        .where({})
        .limit(100)
        .get()
    ).data
)
const allServices = cached(
  TTL,
  async () => (await db().collection<ServiceItem>('services').where({}).limit(1000).get()).data
)

/** The holiday table (cached a minute per warm instance; `fresh` reads it now). */
export async function calendar(fresh = false): Promise<Calendar> {
  if (fresh) calendarYears.clear()
  return new Calendar(await calendarYears.get())
}

export async function stations() {
  return allStations.get()
}

export async function stationName(stationId: string): Promise<string> {
  const st = (await allStations.get()).find((s) => s._id === stationId)
  return st?.shortName ?? st?.name ?? stationId
}

/** Every document matching, a page (1000, the server's cap) at a time. */
export async function readAll<T>(collection: string, where: Where, fields?: readonly string[]): Promise<T[]> {
  const out: T[] = []
  for (let skip = 0; ; skip += 1000) {
    let q = db().collection<T>(collection).where(where).orderBy('_id', 'asc').skip(skip).limit(1000)
    if (fields) q = q.field(Object.fromEntries([...fields, '_id'].map((f) => [f, true])))
    const page = (await q.get()).data
    out.push(...page)
    if (page.length < 1000) return out
  }
}

/* ---------- cases ---------- */

export interface CaseFacts {
  summary: CaseSummary
  openid: string
  stationId: string
  finishedAt?: Date
  officerStaffId?: string
  business: BusinessType
  contactName: string
  mobile: string
}

const iso = (d: Date | string | undefined | null) => (d ? new Date(d).toISOString() : undefined)

type FinishedAppointment = AppointmentDoc & { finishedAt?: Date; finishedBy?: string }

/** An appointment as a case (one more read: the officer who finished it). */
export async function appointmentCase(a: FinishedAppointment): Promise<CaseFacts> {
  const officer = a.finishedBy ? await repo<Staff>('staff').byId(a.finishedBy) : null
  const service = (await allServices.get()).find((s) => s._id === a.serviceId)
  const finishedAt = a.status === 'done' && a.finishedAt ? new Date(a.finishedAt) : undefined
  return {
    summary: {
      caseKind: 'appointment',
      caseId: a._id,
      caseType: APPOINTMENT_CASE_TYPE,
      serviceName: a.serviceName,
      stationName: a.place ?? (await stationName(a.stationId)),
      ...(officer ? { officerName: officer.name } : {}),
      finished: finishedAt !== undefined,
      ...(finishedAt ? { finishedAt: finishedAt.toISOString() } : {})
    },
    openid: a.openid,
    stationId: a.stationId,
    ...(finishedAt ? { finishedAt } : {}),
    ...(officer ? { officerStaffId: officer._id } : {}),
    business: businessOfService(service?.category),
    contactName: a.applicant.name,
    mobile: a.applicant.mobile
  }
}

/** A request as a case (the officer is on the request itself). */
export async function requestCase(r: RequestDoc): Promise<CaseFacts> {
  const officer = r.assignedTo ?? r.acceptedBy ?? r.doneBy
  const finishedAt = r.status === 'done' && r.doneAt ? new Date(r.doneAt) : undefined
  return {
    summary: {
      caseKind: 'request',
      caseId: r._id,
      caseType: KIND_LABELS[r.kind],
      serviceName: REQUEST_CATEGORIES[r.category],
      stationName: await stationName(r.stationId),
      ...(officer ? { officerName: officer.name } : {}),
      finished: finishedAt !== undefined,
      ...(finishedAt ? { finishedAt: finishedAt.toISOString() } : {})
    },
    openid: r.openid,
    stationId: r.stationId,
    ...(finishedAt ? { finishedAt } : {}),
    ...(officer ? { officerStaffId: officer.staffId } : {}),
    business: businessOfRequest(r.category),
    contactName: r.contactName,
    mobile: r.mobile
  }
}

export async function caseOf(kind: CaseKind, caseId: string): Promise<CaseFacts | null> {
  if (kind === 'appointment') {
    const a = await repo<FinishedAppointment>('appointments').byId(caseId)
    return a ? appointmentCase(a) : null
  }
  const r = await repo<RequestDoc>('requests').byId(caseId)
  return r ? requestCase(r) : null
}

/** The resident's name and mobile on a case: one read, for the leader's call back. */
export async function contactOf(
  kind: CaseKind,
  caseId: string
): Promise<{ contactName: string; mobile: string } | null> {
  if (kind === 'appointment') {
    const a = await repo<FinishedAppointment>('appointments').byId(caseId)
    return a ? { contactName: a.applicant.name, mobile: a.applicant.mobile } : null
  }
  const r = await repo<RequestDoc>('requests').byId(caseId)
  return r ? { contactName: r.contactName, mobile: r.mobile } : null
}

/* ---------- views ---------- */

export function ratingView(d: RatingDoc): RatingView {
  return {
    _id: d._id,
    caseKind: d.caseKind,
    caseId: d.caseId,
    caseType: d.caseType,
    serviceName: d.serviceName,
    stationName: d.stationName,
    ...(d.officerName ? { officerName: d.officerName } : {}),
    level: d.level,
    levelText: d.levelText,
    score: d.score,
    tags: d.tags,
    tagTexts: d.tagTexts,
    ...(d.comment ? { comment: d.comment } : {}),
    ratedAt: new Date(d.ratedAt).toISOString(),
    ratedAtLocal: d.ratedAtLocal,
    bad: d.bad,
    ...(d.excluded
      ? { excluded: { reason: d.excludedReason ?? '', by: d.excludedBy ?? '', at: iso(d.excludedAt) ?? '' } }
      : {}),
    ...(d.followUpId ? { followUpId: d.followUpId } : {})
  }
}

/** A rating as staff see it (the resident's own words about their case): sealed until audited. */
export function staffRating(d: RatingDoc): Sealed<RatingView> {
  return personal('ratings', d, ratingView(d))
}

export function residentFollowUp(f: FollowUpDoc): FollowUpResidentView {
  return {
    _id: f._id,
    status: f.status,
    statusText: FOLLOW_UP_STATUS_TEXT[f.status],
    ...(f.calledBackAt ? { calledBackAt: iso(f.calledBackAt) } : {}),
    ...(f.reply ? { reply: f.reply } : {}),
    ...(f.repliedAt ? { repliedAt: iso(f.repliedAt) } : {}),
    ...(f.rectificationLevel
      ? { rectificationLevel: f.rectificationLevel, rectificationText: f.rectificationText }
      : {}),
    canRateRectification: f.status === 'replied'
  }
}

/** Which deadline has passed unmet, if any (the reply's wins once both have). */
export function overdueStage(
  f: Pick<FollowUpDoc, 'status' | 'callbackDueAt' | 'replyDueAt'>,
  now: Date
): 'callback' | 'reply' | null {
  if ((f.status === 'open' || f.status === 'called') && now.getTime() >= new Date(f.replyDueAt).getTime())
    return 'reply'
  if (f.status === 'open' && now.getTime() >= new Date(f.callbackDueAt).getTime()) return 'callback'
  return null
}

/** A follow-up as staff see it (the resident's name, mobile, comment): sealed until audited. */
export function staffFollowUp(f: FollowUpDoc, now: Date, mobile?: string): Sealed<FollowUpStaffView> {
  return personal('followUps', f, {
    ...residentFollowUp(f),
    canRateRectification: false,
    ratingId: f.ratingId,
    stationId: f.stationId,
    stationName: f.stationName,
    ...(f.officerName ? { officerName: f.officerName } : {}),
    serviceName: f.serviceName,
    caseType: f.caseType,
    levelText: f.levelText,
    tagTexts: f.tagTexts,
    ...(f.comment ? { comment: f.comment } : {}),
    ratedAtLocal: f.ratedAtLocal,
    ...(f.contactName ? { contactName: f.contactName } : {}),
    ...(mobile ? { mobile } : {}),
    ...(f.mobileMasked ? { mobileMasked: f.mobileMasked } : {}),
    callbackDueAt: new Date(f.callbackDueAt).toISOString(),
    callbackDueLocal: f.callbackDueLocal,
    replyDueAt: new Date(f.replyDueAt).toISOString(),
    replyDueLocal: f.replyDueLocal,
    deadlineProvisional: f.deadlineProvisional,
    overdue: overdueStage(f, now),
    ...(f.callNote ? { callNote: f.callNote } : {}),
    ...(f.finding ? { finding: f.finding, findingText: FINDINGS[f.finding] } : {}),
    ...(f.rectification ? { rectification: f.rectification } : {}),
    ...(f.excludedReason ? { excludedReason: f.excludedReason } : {})
  })
}

export const maskedMobile = (mobile: string) => maskMobile(mobile)
export const businessText = (b: BusinessType) => BUSINESS_TYPES[b]

/* ---------- rollups ---------- */

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
  const station = (await allStations.get()).find((s) => s._id === stationId)
  const services = await allServices.get()
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
  const categoryOf = new Map(services.map((s) => [s._id, s.category]))
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
