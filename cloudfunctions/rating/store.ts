/**
 * The rating function's documents and the reads every part of it shares: ratings and follow-ups
 * (the follow-up's document and rules are in _shared/domain/follow-ups.ts), stations and services
 * (cached a minute per warm instance; the holiday table is _shared/calendars.ts), paged reads,
 * and the staff to alert.
 */
import type { Station, ServiceItem } from '../../types/guide'
import type { BusinessType, CaseKind, RatingLevel, RatingTag } from '../../types/ratings'
import type { Staff } from '../../types/staff'
import { cached } from '../_shared/cache'
import { getCloud } from '../_shared/cloud'
import { db, repo, type Where } from '../_shared/db'
import type { FollowUpDoc } from '../_shared/domain/follow-ups'
import { sendNow } from '../_shared/outbox'

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

export const ratings = () => db().collection<RatingDoc>('ratings')
export const followUps = () => db().collection<FollowUpDoc>('followUps')
export const ratingById = (id: string) => repo<RatingDoc>('ratings').byId(id)
export const followUpById = (id: string) => repo<FollowUpDoc>('followUps').byId(id)

export const ratingIdOf = (kind: CaseKind, caseId: string) =>
  `rt-${kind === 'appointment' ? 'a' : 'r'}-${caseId}`

const TTL = 60_000
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

export async function stations() {
  return allStations.get()
}

export async function services() {
  return allServices.get()
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

/** The station's leaders; or the supervisors over it (those of the station, and those over all). */
export async function staffNames(role: 'leader' | 'supervisor', stationId: string): Promise<Staff[]> {
  const staff = db().collection<Staff>('staff')
  if (role === 'leader') return (await staff.where({ role, active: true, stationId }).limit(100).get()).data
  return (await staff.where({ role, active: true }).limit(200).get()).data.filter(
    (s) => !s.stationId || s.stationId === stationId
  )
}

/** Sends queued messages right away (a failure stays on the record for the notify timer). */
export const send = (ids: (string | null)[], now: Date) =>
  sendNow(ids, now, getCloud().getWXContext().ENV, 'rating')
