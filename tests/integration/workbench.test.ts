/**
 * 工作台 (staff.workbench) through the local cloud: each count against a station whose documents
 * are known — emergencies and other requests still waiting (with the oldest one's time, for the
 * page's ticking wait), today's queue by status, questions nobody opened and those in hand (the
 * officer's own; everyone's for a leader), the caller's alerts WeChat did not deliver this week,
 * and for leaders and supervisors follow-ups open and overdue and feedback without a reply.
 * Another station's documents never count; another station's officer may not name this one. The
 * call costs the same few database requests however much the station holds, and writes nothing.
 */
import type { Result } from '../../types/result'
import type { StaffOutputs } from '../../types/staff-admin'
import { ok } from '../helpers/appointments'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const STATION = 'st-yunxi-chengguan'
const OTHER = 'st-workbench-other'
const LI = 'demo-officer-li'
const LEADER = 'demo-leader-zhou'
const SUPERVISOR = 'demo-supervisor-chen'
const ELSEWHERE = 'officer-workbench-elsewhere'
const RESIDENT = 'r-workbench-wang'
const TODAY = '2026-12-01' // a Tuesday
const NOW = Date.parse(`${TODAY}T10:00:00+08:00`)
const ago = (minutes: number) => new Date(NOW - minutes * 60_000)

function workbench(openid: string, payload: unknown = {}) {
  return callFunction<Result<StaffOutputs['workbench']>>(
    cloud,
    'staff',
    { action: 'workbench', payload },
    openid
  ).then((r) => r.body)
}

let serial = 0
type Docs = Record<string, unknown>[]
const commit = (coll: string, docs: Docs) =>
  cloud.store.commit(
    docs.map((d) => {
      const _id = `wb-${coll}-${serial++}`
      // Fields under a unique index get a value of their own.
      const unique =
        coll === 'appointments' ? { code: _id, dayKey: _id } : coll === 'outbox' ? { dedupeKey: _id } : {}
      return { coll, id: _id, doc: { _id, ...unique, ...d } }
    })
  )

function request(stationId: string, kind: string, status: string, minutesAgo: number) {
  return {
    stationId,
    kind,
    status,
    category: 'other',
    createdAt: ago(minutesAgo),
    updatedAt: ago(minutesAgo)
  }
}
const appointmentOf = (stationId: string, date: string, status: string) => ({ stationId, date, status })
const question = (stationId: string, status: string, ownerStaffId?: string) => ({
  stationId,
  status,
  createdAt: ago(30),
  ...(ownerStaffId ? { ownerStaffId } : {})
})
const followUp = (status: string, callbackDueMinutes: number, replyDueMinutes: number) => ({
  stationId: STATION,
  status,
  callbackDueAt: new Date(NOW + callbackDueMinutes * 60_000),
  replyDueAt: new Date(NOW + replyDueMinutes * 60_000)
})
const alert = (touser: string, template: string, status: string, daysAgo: number) => ({
  touser,
  template,
  status,
  createdAt: new Date(NOW - daysAgo * 86_400_000),
  values: {},
  ref: { kind: 'request', id: 'x' }
})

/** A station's worth of documents (the other station's copy must never count). */
function fill(stationId: string) {
  commit('requests', [
    request(stationId, 'emergency', 'submitted', 12),
    request(stationId, 'emergency', 'submitted', 47), // the oldest waiting emergency
    request(stationId, 'emergency', 'accepted', 90),
    request(stationId, 'after_hours', 'submitted', 65),
    request(stationId, 'home_visit', 'submitted', 20),
    request(stationId, 'after_hours', 'accepted', 200),
    request(stationId, 'emergency', 'done', 300),
    request(stationId, 'emergency', 'declined', 400)
  ])
  commit('appointments', [
    appointmentOf(stationId, TODAY, 'booked'),
    appointmentOf(stationId, TODAY, 'booked'),
    appointmentOf(stationId, TODAY, 'booked'),
    appointmentOf(stationId, TODAY, 'checked_in'),
    appointmentOf(stationId, TODAY, 'done'),
    appointmentOf(stationId, TODAY, 'done'),
    appointmentOf(stationId, TODAY, 'cancelled'),
    appointmentOf(stationId, TODAY, 'no_show'),
    appointmentOf(stationId, '2026-12-02', 'booked')
  ])
  commit('questions', [
    question(stationId, 'asked'),
    question(stationId, 'asked'),
    question(stationId, 'owned', 'staff-officer-li'),
    question(stationId, 'owned', 'staff-officer-zhao'),
    question(stationId, 'answered', 'staff-officer-li')
  ])
  commit('feedback', [
    { stationId, status: 'submitted' },
    { stationId, status: 'submitted' },
    { stationId, status: 'replied' }
  ])
  commit('idCards', [
    { stationId, status: 'ready', delivery: 'pickup' },
    { stationId, status: 'ready', delivery: 'pickup' },
    { stationId, status: 'ready', delivery: 'post' },
    { stationId, status: 'making', delivery: 'post' },
    { stationId, status: 'picked_up', delivery: 'pickup' }
  ])
}

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.clock.set(NOW)
  cloud.store.commit([
    {
      coll: 'staff',
      id: 'staff-wb-elsewhere',
      doc: {
        _id: 'staff-wb-elsewhere',
        openid: ELSEWHERE,
        name: '外所民警',
        role: 'officer',
        stationId: OTHER,
        active: true
      }
    }
  ])
  fill(STATION)
  fill(OTHER)
  commit('followUps', [
    followUp('open', -60, 14 * 1440), // call-back overdue
    followUp('open', 600, 15 * 1440), // call-back due tomorrow
    followUp('called', -1440, -10), // reply overdue
    followUp('called', -1440, 5 * 1440), // called back, reply in time
    followUp('replied', -1440, -10), // waiting for the resident: not the station's to do
    followUp('closed', -1440, -10)
  ])
  commit('outbox', [
    alert(LI, 'officerAlert', 'failed', 1),
    alert(LI, 'followUpAlert', 'failed', 0),
    alert(LI, 'officerAlert', 'failed', 9), // older than a week
    alert(LI, 'officerAlert', 'sent', 0),
    alert(LI, 'officerAlert', 'pending', 0),
    alert(LI, 'bookingConfirmed', 'failed', 0), // as a resident: not a staff alert
    alert(LEADER, 'officerAlert', 'failed', 0)
  ])
})

afterAll(async () => {
  await cloud.close()
})

test('an officer: waiting requests with the oldest emergency, today’s queue, questions, undelivered alerts', async () => {
  const data = ok(await workbench(LI))
  expect(data).toEqual({
    stationId: STATION,
    stationName: expect.any(String),
    role: 'officer',
    at: expect.stringMatching(/^2026-12-01T02:0\d/),
    requests: {
      emergencies: 2,
      oldestEmergencyAt: ago(47).toISOString(),
      waiting: 2,
      oldestWaitingAt: ago(65).toISOString(),
      accepted: 2
    },
    queue: { date: TODAY, booked: 3, checkedIn: 1, done: 2 },
    // The officer's own question in hand, not a colleague's.
    questions: { unowned: 2, inHand: 1 },
    undelivered: 2,
    prereviews: { waiting: 0 },
    // Ready to collect at this station, one of them to post.
    cards: { ready: 3, toPost: 1 }
  })
  // Rows for leaders only are absent, not zero.
  expect(data).not.toHaveProperty('followUps')
  expect(data).not.toHaveProperty('feedback')
})

test('a leader also sees follow-ups open and overdue, and feedback without a reply', async () => {
  const data = ok(await workbench(LEADER))
  expect(data.role).toBe('leader')
  expect(data.questions).toEqual({ unowned: 2, inHand: 2 })
  expect(data.followUps).toEqual({ open: 4, overdue: 2 })
  expect(data.feedback).toEqual({ unreplied: 2 })
  expect(data.undelivered).toBe(1)
})

test('a supervisor sees the station they name, and another one’s counts are its own', async () => {
  const own = ok(await workbench(SUPERVISOR, { stationId: STATION }))
  expect(own.followUps).toEqual({ open: 4, overdue: 2 })
  const other = ok(await workbench(SUPERVISOR, { stationId: OTHER }))
  expect(other.stationId).toBe(OTHER)
  expect(other.requests.emergencies).toBe(2)
  expect(other.followUps).toEqual({ open: 0, overdue: 0 })
})

test('the oldest waits move with what is still waiting; none waiting, no time', async () => {
  const elsewhere = ok(await workbench(ELSEWHERE))
  expect(elsewhere.stationId).toBe(OTHER)
  expect(elsewhere.requests.emergencies).toBe(2)
  expect(elsewhere.undelivered).toBe(0)
  commit('requests', [request(OTHER, 'emergency', 'submitted', 120)])
  expect(ok(await workbench(ELSEWHERE)).requests.oldestEmergencyAt).toBe(ago(120).toISOString())
  const none = ok(await workbench(LI, { stationId: STATION }))
  cloud.store.commit(
    cloud.store
      .docs('requests')
      .filter((d) => d.stationId === STATION && d.status === 'submitted')
      .map((d) => ({ coll: 'requests', id: d._id, doc: { ...d, status: 'accepted' } }))
  )
  const after = ok(await workbench(LI))
  expect(none.requests.emergencies).toBe(2)
  expect(after.requests).toEqual({ emergencies: 0, waiting: 0, accepted: 6 })
})

test('refused to residents, to no identity, and to another station’s officer naming this one; writes nothing', async () => {
  for (const [openid, payload, expected] of [
    ['', {}, 'UNAUTHENTICATED'],
    [RESIDENT, {}, 'FORBIDDEN'],
    [ELSEWHERE, { stationId: STATION }, 'FORBIDDEN']
  ] as const) {
    const before = snapshot(cloud)
    const res = await workbench(openid, payload)
    expect(res.ok ? 'ok' : res.error.code).toBe(expected)
    expect(snapshot(cloud)).toEqual(before)
  }
  const before = snapshot(cloud)
  ok(await workbench(LEADER))
  expect(snapshot(cloud)).toEqual(before) // counts are no personal data: no audit entry either
})

test('cheap: the same few database requests however much the station holds', async () => {
  const cost = async () => {
    cloud.faults.resetCounts()
    ok(await workbench(LEADER))
    return cloud.faults.requestCounts().staff ?? 0
  }
  const small = await cost()
  for (let i = 0; i < 20; i++) fill(STATION)
  const large = await cost()
  expect(large).toBe(small)
  // The caller's staff record, the station, and one request per figure (20).
  expect(small).toBeLessThanOrEqual(21)
  expect(ok(await workbench(LEADER)).queue.booked).toBe(63)
})
