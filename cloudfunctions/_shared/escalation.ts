/**
 * Who is alerted about a resident's request (急事求助 / 延时服务 / 上门服务), and escalation when
 * nobody takes it. Shared by the `requests` function (the first alert, at submit) and the notify
 * timer (escalations).
 *
 * - First alert: the staff on duty now by the station's roster (`rosters`, one document per
 *   station and day); when the roster names nobody, the station's leader(s).
 * - Escalation: a request still `submitted` when its `nextEscalationAt` passes (the station's
 *   limit: `requestAcceptMinutes` on the station document, default DEFAULT_ACCEPT_MINUTES) alerts
 *   the leader(s) and the next officer on the roster not yet alerted (every officer of the station
 *   when the roster has nobody further), records the round on the request, and sets the next
 *   deadline one more period away — until someone accepts, declines or (home visit) assigns it.
 * Each alert is an outbox record (dedupeKey per request, staff member and round), so a WeChat
 * refusal never loses it: the officer's in-app inbox shows it, and a text message goes to the
 * officer's mobile (the outbox's second channel). Escalation runs over both channels alike.
 */
import { pageUrl } from '../../types/routes'
import type { Station } from '../../types/guide'
import type { RosterDay } from '../../types/duty'
import { onDutyAt } from '../../types/duty'
import {
  DEFAULT_ACCEPT_MINUTES,
  KIND_LABELS,
  REQUEST_CATEGORIES,
  type RequestCategory,
  type RequestKind,
  type RequestStatus
} from '../../types/requests'
import type { Staff } from '../../types/staff'
import { clipSmsParam } from '../../types/sms'
import { clipThing } from '../../types/templates'
import { addDays, localDate, localDateTime, minutesOf, localTime } from '../../types/time'
import { collection, db, repo } from './db'
import { enqueueWithId, type NewMessage } from './outbox'

export interface EscalationRecord {
  round: number
  at: Date
  staffIds: string[]
  names: string[]
}

export interface RequestDoc {
  _id: string
  openid: string
  requestId: string
  stationId: string
  kind: RequestKind
  category: RequestCategory
  description: string
  contactName: string
  mobile: string
  wantedAt?: Date
  address?: string
  status: RequestStatus
  createdAt: Date
  updatedAt: Date
  /** Staff ids alerted so far (any round). */
  alertedStaffIds: string[]
  /** Round 0 is the first alert at submit; 1, 2, … are escalations. */
  escalations: EscalationRecord[]
  escalationRound: number
  /** Submitted only: when it escalates if nobody has taken it. */
  nextEscalationAt?: Date | null
  acceptedBy?: { staffId: string; name: string }
  /** When it was accepted or assigned (emergency accept times for supervisors). */
  acceptedAt?: Date
  agreedAt?: Date
  place?: string
  assignedTo?: { staffId: string; name: string }
  declinedBy?: { staffId: string; name: string }
  declineReason?: string
  alternative?: string
  doneBy?: { staffId: string; name: string }
  doneAt?: Date
  doneNote?: string
  /** When a member of staff first had it in front of them (the open list): the resident was reached. */
  seenAt?: Date
}

export function acceptMinutes(station: Pick<Station, '_id'> & { requestAcceptMinutes?: unknown }): number {
  const m = station.requestAcceptMinutes
  return typeof m === 'number' && Number.isFinite(m) && m >= 1 ? m : DEFAULT_ACCEPT_MINUTES
}

export async function stationStaff(stationId: string): Promise<Staff[]> {
  return (await collection('staff').where({ stationId, active: true }).limit(200).get()).data
}

async function rosterDays(stationId: string, now: Date): Promise<RosterDay[]> {
  const today = localDate(now)
  const rosters = repo('rosters')
  const days = await Promise.all(
    [addDays(today, -1), today, addDays(today, 1)].map((d) => rosters.byId(`${stationId}_${d}`))
  )
  return days.filter((d): d is RosterDay => d !== null)
}

/**
 * The roster's staff in the order they come on duty: those on duty now, then each later shift
 * of today, then tomorrow's shifts.
 */
export function rosterOrder(days: readonly RosterDay[], stationId: string, now: Date): string[] {
  const order = [...onDutyAt(days, stationId, now)]
  const today = localDate(now)
  const minute = minutesOf(localTime(now))
  const later = days
    .filter((d) => d.stationId === stationId && (d.date === today || d.date === addDays(today, 1)))
    .flatMap((d) =>
      d.shifts.map((s) => ({
        key: `${d.date} ${s.start}`,
        future: d.date !== today || minutesOf(s.start) > minute,
        ids: s.staffIds
      }))
    )
    .filter((s) => s.future)
    .sort((a, b) => a.key.localeCompare(b.key))
  for (const s of later) for (const id of s.ids) if (!order.includes(id)) order.push(id)
  return order
}

/** Staff to alert for a new request: on duty now, or else the leader(s). */
export async function firstRecipients(stationId: string, now: Date): Promise<Staff[]> {
  const [staff, days] = await Promise.all([stationStaff(stationId), rosterDays(stationId, now)])
  const byId = new Map(staff.map((s) => [s._id, s]))
  const onDuty = onDutyAt(days, stationId, now)
    .map((id) => byId.get(id))
    .filter((s): s is Staff => s !== undefined && s.role !== 'supervisor')
  return onDuty.length > 0 ? onDuty : staff.filter((s) => s.role === 'leader')
}

/** Staff to alert in an escalation round: the leader(s), and the next officer(s). */
export async function escalationRecipients(
  doc: Pick<RequestDoc, 'stationId' | 'alertedStaffIds'>,
  now: Date
): Promise<Staff[]> {
  const [staff, days] = await Promise.all([stationStaff(doc.stationId), rosterDays(doc.stationId, now)])
  const byId = new Map(staff.map((s) => [s._id, s]))
  const leaders = staff.filter((s) => s.role === 'leader')
  const alerted = new Set(doc.alertedStaffIds)
  const next = rosterOrder(days, doc.stationId, now)
    .map((id) => byId.get(id))
    .find((s): s is Staff => s !== undefined && s.role === 'officer' && !alerted.has(s._id))
  const officers = next ? [next] : staff.filter((s) => s.role === 'officer')
  const seen = new Set<string>()
  return [...leaders, ...officers].filter((s) => !seen.has(s._id) && (seen.add(s._id), true))
}

export function alertMessage(
  doc: Pick<RequestDoc, '_id' | 'kind' | 'category' | 'createdAt' | 'description'>,
  staff: Pick<Staff, '_id' | 'openid'>,
  round: number,
  waitedMinutes = 0
): NewMessage {
  const what = `${KIND_LABELS[doc.kind]}${round === 0 ? '' : `第${round}次催办`}：${REQUEST_CATEGORIES[doc.category]}`
  return {
    dedupeKey: `alert:${doc._id}:${staff._id}:r${round}`,
    template: 'officerAlert',
    touser: staff.openid,
    page: pageUrl('officer/requests/index', { id: doc._id }),
    values: {
      kind: KIND_LABELS[doc.kind],
      service: clipThing(REQUEST_CATEGORIES[doc.category]),
      time: localDateTime(doc.createdAt),
      note:
        round === 0
          ? clipThing(doc.description)
          : clipThing(`第${round}次催办：已等待${waitedMinutes}分钟未受理`)
    },
    ref: { kind: 'request', id: doc._id },
    // WeChat may not deliver (no grant, 43101, an outage): then a text message, with a link to the request.
    sms: {
      staffId: staff._id,
      template: 'staffAlert',
      params: [clipSmsParam(what)],
      path: 'officer/requests/index',
      query: `id=${doc._id}`
    }
  }
}

/** Enqueues one alert per staff member; returns the new outbox ids (for an immediate send). */
export async function enqueueAlerts(
  doc: RequestDoc,
  staff: readonly Staff[],
  round: number,
  now: Date
): Promise<string[]> {
  const waited = Math.max(0, Math.round((now.getTime() - new Date(doc.createdAt).getTime()) / 60_000))
  const ids: string[] = []
  for (const s of staff) {
    const id = await enqueueWithId(alertMessage(doc, s, round, waited), now)
    if (id) ids.push(id)
  }
  return ids
}

export interface EscalationReport {
  escalated: number
  alerts: number
}

/**
 * One timer step: every submitted request past its deadline escalates by one round. The round is
 * claimed with a conditional update on (status, escalationRound), so two timer runs never record
 * the same round twice; the alerts are enqueued before the claim and are deduplicated by key.
 */
export async function escalateDue(now: Date, limit = 50): Promise<EscalationReport> {
  const _ = db().command
  const requests = collection('requests')
  const due = (
    await requests
      .where({ status: 'submitted', nextEscalationAt: _.lte(now) })
      .orderBy('nextEscalationAt', 'asc')
      .limit(limit)
      .get()
  ).data
  const report: EscalationReport = { escalated: 0, alerts: 0 }
  const stationCache = new Map<string, number>()
  for (const doc of due) {
    let minutes = stationCache.get(doc.stationId)
    if (minutes === undefined) {
      const st = await repo('stations').byId(doc.stationId)
      minutes = st ? acceptMinutes(st) : DEFAULT_ACCEPT_MINUTES
      stationCache.set(doc.stationId, minutes)
    }
    const round = (doc.escalationRound ?? 0) + 1
    const staff = await escalationRecipients(doc, now)
    const ids = await enqueueAlerts(doc, staff, round, now)
    const escalation: EscalationRecord = {
      round,
      at: now,
      staffIds: staff.map((s) => s._id),
      names: staff.map((s) => s.name)
    }
    const claimed = await requests
      .where({ _id: doc._id, status: 'submitted', escalationRound: doc.escalationRound ?? 0 })
      .update({
        data: {
          escalationRound: round,
          escalations: [...(doc.escalations ?? []), escalation],
          alertedStaffIds: [...new Set([...(doc.alertedStaffIds ?? []), ...escalation.staffIds])],
          nextEscalationAt: new Date(now.getTime() + minutes * 60_000),
          updatedAt: now
        }
      })
    if (claimed.stats.updated === 1) {
      report.escalated++
      report.alerts += ids.length
    }
  }
  return report
}
