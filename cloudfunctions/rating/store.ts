/**
 * The rating function's documents and the reads every part of it shares: ratings and follow-ups
 * (the follow-up's document and rules are in _shared/domain/follow-ups.ts), stations and services
 * (cached a minute per warm instance; the holiday table is _shared/calendars.ts), paged reads,
 * and the staff to alert.
 */
import type { CaseKind } from '../../types/ratings'
import type { Staff } from '../../types/staff'
import { cached } from '../_shared/cache'
import { getCloud } from '../_shared/cloud'
import { collection, db, repo, type Where } from '../_shared/db'
import { sendNow } from '../_shared/outbox'

export type { RatingDoc } from '../_shared/documents'

export const ratings = () => collection('ratings')
export const followUps = () => collection('followUps')
export const ratingById = (id: string) => repo('ratings').byId(id)
export const followUpById = (id: string) => repo('followUps').byId(id)

export const ratingIdOf = (kind: CaseKind, caseId: string) =>
  `rt-${kind === 'appointment' ? 'a' : 'r'}-${caseId}`

const TTL = 60_000
const allStations = cached(TTL, async () => (await collection('stations').where({}).limit(100).get()).data)
const allServices = cached(TTL, async () => (await collection('services').where({}).limit(1000).get()).data)

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
  const staff = collection('staff')
  if (role === 'leader') return (await staff.where({ role, active: true, stationId }).limit(100).get()).data
  return (await staff.where({ role, active: true }).limit(200).get()).data.filter(
    (s) => !s.stationId || s.stationId === stationId
  )
}

/** Sends queued messages right away (a failure stays on the record for the notify timer). */
export const send = (ids: (string | null)[], now: Date) =>
  sendNow(ids, now, getCloud().getWXContext().ENV, 'rating')
