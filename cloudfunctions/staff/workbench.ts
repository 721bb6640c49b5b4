/**
 * 工作台 (`staff.workbench`): how many things need doing now at a station — emergencies and other
 * requests waiting to be taken (with when the oldest was sent, so the page can tick its wait), the
 * day's queue, online questions without an answer, the caller's alerts WeChat could not deliver,
 * and for leaders and supervisors bad-review follow-ups (open, overdue) and feedback without a reply.
 *
 * Cheap by construction: every figure is a count() (or a single document for an oldest wait) on an
 * indexed field set, a fixed number of requests run side by side whatever the station's size, and
 * no list is read. Counts carry no resident's personal data, so nothing is audited
 * (docs/workbench.md).
 */
import type { Staff } from '../../types/staff'
import { localDate } from '../../types/time'
import { TEMPLATE_KEYS, TEMPLATES } from '../../types/templates'
import { UNDELIVERED_DAYS, type Workbench } from '../../types/workbench'
import { collection, db, repo } from '../_shared/db'
import { optional } from '../_shared/fields'
import { AppError } from '../_shared/app-error'

/** The alerts staff receive (the inbox's "微信未送达" rows among them are what the workbench counts). */
const STAFF_TEMPLATES = TEMPLATE_KEYS.filter((k) => TEMPLATES[k].audience === 'officer')

const manages = (s: Staff) => s.role === 'leader' || s.role === 'supervisor'

/** The creation time of the oldest request matching `where`, as ISO, if any. */
async function oldest(where: Record<string, unknown>): Promise<string | undefined> {
  const first = (
    await collection('requests')
      .where(where)
      .orderBy('createdAt', 'asc')
      .field({ createdAt: true })
      .limit(1)
      .get()
  ).data[0]
  return first ? new Date(first.createdAt).toISOString() : undefined
}

/**
 * The counts for `stationId` (already checked against the caller's scope by the access rule) as
 * the caller sees them. At most 20 database requests, all in parallel.
 */
export async function workbench(staff: Staff, stationId: string | undefined, now: Date): Promise<Workbench> {
  const station = stationId ?? staff.stationId
  if (!station) throw new AppError('INVALID_INPUT', '请选择派出所')
  const _ = db().command
  const count =
    (
      name:
        | 'requests'
        | 'appointments'
        | 'questions'
        | 'followUps'
        | 'feedback'
        | 'outbox'
        | 'prereviews'
        | 'idCards'
    ) =>
    (where: Record<string, unknown>) =>
      collection(name)
        .where(where)
        .count()
        .then((r) => r.total)
  const requests = count('requests')
  const today = localDate(now)
  const emergency = { stationId: station, status: 'submitted', kind: 'emergency' }
  const other = { stationId: station, status: 'submitted', kind: _.in(['after_hours', 'home_visit']) }
  const lead = manages(staff)

  const [
    st,
    emergencies,
    oldestEmergencyAt,
    waiting,
    oldestWaitingAt,
    accepted,
    booked,
    checkedIn,
    done,
    unowned,
    inHand,
    undelivered,
    followUps,
    feedback,
    prereviews,
    cardsReady,
    cardsToPost
  ] = await Promise.all([
    repo('stations').byId(station),
    requests(emergency),
    oldest(emergency),
    requests(other),
    oldest(other),
    requests({ stationId: station, status: 'accepted' }),
    count('appointments')({ stationId: station, date: today, status: 'booked' }),
    count('appointments')({ stationId: station, date: today, status: 'checked_in' }),
    count('appointments')({ stationId: station, date: today, status: 'done' }),
    count('questions')({ stationId: station, status: 'asked' }),
    count('questions')(
      lead
        ? { stationId: station, status: 'owned' }
        : { stationId: station, ownerStaffId: staff._id, status: 'owned' }
    ),
    count('outbox')({
      touser: staff.openid,
      template: _.in(STAFF_TEMPLATES),
      status: 'failed',
      createdAt: _.gte(new Date(now.getTime() - UNDELIVERED_DAYS * 86_400_000))
    }),
    lead ? followUpCounts(station, now) : undefined,
    lead ? count('feedback')({ stationId: station, status: 'submitted' }) : undefined,
    // Those still to review: a case that ended while waiting is nobody's to review.
    count('prereviews')({ stationId: station, status: 'submitted', endedAt: _.exists(false) }),
    count('idCards')({ stationId: station, status: 'ready' }),
    count('idCards')({ stationId: station, status: 'ready', delivery: 'post' })
  ])

  return {
    stationId: station,
    ...optional({ stationName: st?.name }),
    role: staff.role,
    at: now.toISOString(),
    requests: {
      emergencies,
      ...optional({ oldestEmergencyAt }),
      waiting,
      ...optional({ oldestWaitingAt }),
      accepted
    },
    queue: { date: today, booked, checkedIn, done },
    questions: { unowned, inHand },
    undelivered,
    prereviews: { waiting: prereviews },
    cards: { ready: cardsReady, toPost: cardsToPost },
    ...optional({ followUps, feedback: feedback === undefined ? undefined : { unreplied: feedback } })
  }
}

/**
 * Follow-ups still waiting for the station (to be called back or replied to) and how many of them
 * are overdue. The reply deadline always falls after the call-back deadline, so an overdue one is
 * either still open past its call-back deadline or called back and past its reply deadline: two
 * counts, no overlap (the same rule as overdueStage in _shared/domain/follow-ups.ts).
 */
async function followUpCounts(stationId: string, now: Date): Promise<{ open: number; overdue: number }> {
  const _ = db().command
  const count = (where: Record<string, unknown>) =>
    collection('followUps')
      .where({ stationId, ...where })
      .count()
      .then((r) => r.total)
  const [open, lateCall, lateReply] = await Promise.all([
    count({ status: _.in(['open', 'called']) }),
    count({ status: 'open', callbackDueAt: _.lte(now) }),
    count({ status: 'called', replyDueAt: _.lte(now) })
  ])
  return { open, overdue: lateCall + lateReply }
}
