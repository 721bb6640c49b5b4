/**
 * Escalation by the notify timer (cloudfunctions/_shared/escalation.ts): a request nobody has
 * taken within the station's limit (default 30 minutes) alerts the leader and the next officer on
 * the roster, then keeps escalating every further period (to every officer of the station once
 * the roster has nobody further) until someone handles it. Each round is recorded on the request
 * and visible to staff; once taken, it escalates no more.
 */
import type { RequestsOutputs } from '../../types/requests'
import type { Result } from '../../types/result'
import { ok, requestId } from '../helpers/appointments'
import { callFunction, freshCloud } from '../helpers/cloud'
import { allowTemplates } from '../helpers/subscriptions'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const STATION = 'st-yunxi-chengguan'
const NOW = Date.parse('2026-12-01T12:00:00Z') // Tuesday 20:00 in Shanghai
const RESIDENT = 'r-esc'
const OFFICER = 'demo-officer-li'
const LEADER = 'demo-leader-zhou'
const MINUTE = 60_000

function req<A extends keyof RequestsOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<RequestsOutputs[A]>>(cloud, 'requests', { action, payload }, openid).then(
    (r) => r.body
  )
}

const alertsOf = (id: string) =>
  cloud.store
    .docs('outbox')
    .filter((r) => r.template === 'officerAlert' && (r.ref as { id: string }).id === id)
    .map((r) => ({ to: r.touser as string, round: /:r(\d+)$/.exec(String(r.dedupeKey))?.[1] }))

async function submit() {
  return ok(
    await req(
      'submit',
      {
        requestId: requestId(),
        kind: 'emergency',
        category: 'temp_id_medical',
        description: '明早去省城住院，身份证丢了',
        contactName: '赵强',
        mobile: '13900001111',
        stationId: STATION
      },
      RESIDENT
    )
  )
}

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.clock.set(NOW)
  const officer = (id: string, openid: string, name: string) => ({
    coll: 'staff',
    id,
    doc: { _id: id, openid, name, role: 'officer', stationId: STATION, active: true }
  })
  cloud.store.commit([
    officer('staff-officer-sun', 'officer-sun', '孙警官'),
    officer('staff-officer-qian', 'officer-qian', '钱警官'),
    {
      coll: 'rosters',
      id: `${STATION}_2026-12-01`,
      doc: {
        _id: `${STATION}_2026-12-01`,
        stationId: STATION,
        date: '2026-12-01',
        shifts: [
          { start: '17:30', end: '22:00', staffIds: ['staff-officer-li'] },
          { start: '22:00', end: '08:30', staffIds: ['staff-officer-sun'] }
        ]
      }
    }
  ])
  // The next officer allowed the alert template: their escalation alert is delivered by WeChat.
  await allowTemplates(cloud, 'officer-sun', ['officerAlert'])
})

afterAll(async () => {
  await cloud.close()
})

test('nobody accepts: after 30 minutes the leader and the next officer, then again every period', async () => {
  const r = await submit()
  expect(alertsOf(r._id)).toEqual([{ to: OFFICER, round: '0' }])

  // Before the limit: nothing more.
  cloud.clock.advance(29 * MINUTE)
  expect((await cloud.timers.fire('notify')).ok).toBe(true)
  expect(alertsOf(r._id)).toHaveLength(1)

  // Past 30 minutes: the leader and the next officer on the roster (the 22:00 shift).
  cloud.clock.advance(2 * MINUTE)
  await cloud.timers.fire('notify')
  expect(alertsOf(r._id).filter((a) => a.round === '1')).toEqual(
    expect.arrayContaining([
      { to: LEADER, round: '1' },
      { to: 'officer-sun', round: '1' }
    ])
  )
  expect(alertsOf(r._id).filter((a) => a.round === '1')).toHaveLength(2)
  // The timer sent them: delivered to the officer who allowed alerts; the leader has no grant, so
  // WeChat refused theirs (43101) and it stays in the outbox and their inbox with the reason.
  const round1 = cloud.store
    .docs('outbox')
    .filter((m) => (m.ref as { id: string }).id === r._id && String(m.dedupeKey).endsWith(':r1'))
  expect(round1.find((m) => m.touser === 'officer-sun')).toMatchObject({ status: 'sent' })
  expect(round1.find((m) => m.touser === LEADER)).toMatchObject({
    status: 'failed',
    lastError: { errCode: 43101 }
  })
  const delivered = cloud.messages.list({ touser: 'officer-sun' }).filter((m) => m.errCode === 0)
  expect(JSON.stringify(delivered.at(-1)?.data)).toContain('第1次催办')

  // A second run within the same minute does not escalate again.
  await cloud.timers.fire('notify')
  expect(alertsOf(r._id)).toHaveLength(3)

  // Staff see the round on the request.
  const open = ok(await req('open', {}, OFFICER)).requests.find((x) => x._id === r._id)
  expect(open?.escalations).toEqual([
    { round: 1, at: expect.any(String), names: expect.arrayContaining(['周所长', '孙警官']) }
  ])

  // Another period: the roster has nobody further, so the leader and every officer of the station.
  cloud.clock.advance(30 * MINUTE)
  await cloud.timers.fire('notify')
  const round2 = alertsOf(r._id)
    .filter((a) => a.round === '2')
    .map((a) => a.to)
    .sort()
  expect(round2).toEqual(
    [LEADER, 'demo-officer-li', 'demo-officer-zhao', 'officer-qian', 'officer-sun'].sort()
  )
  expect(
    ok(await req('open', {}, LEADER))
      .requests.find((x) => x._id === r._id)
      ?.escalations.map((e) => e.round)
  ).toEqual([1, 2])

  // Taken: no further escalation.
  ok(
    await req(
      'accept',
      {
        id: r._id,
        agreedAt: new Date(cloud.clock.now() + 30 * MINUTE).toISOString(),
        place: '城关派出所值班室'
      },
      'officer-qian'
    )
  )
  const count = alertsOf(r._id).length
  cloud.clock.advance(90 * MINUTE)
  await cloud.timers.fire('notify')
  expect(alertsOf(r._id)).toHaveLength(count)
  cloud.clock.set(NOW)
})

test('a declined request does not escalate', async () => {
  const r = await submit()
  ok(await req('decline', { id: r._id, reason: '需本人到场', alternative: '请明早到窗口' }, OFFICER))
  cloud.clock.advance(45 * MINUTE)
  await cloud.timers.fire('notify')
  expect(alertsOf(r._id)).toHaveLength(1)
  cloud.clock.set(NOW)
})

test('a station may set its own limit (requestAcceptMinutes on the station document)', async () => {
  const station = cloud.store.docs('stations').find((s) => s._id === STATION)
  if (!station) throw new Error('the demo station is missing')
  cloud.store.commit([{ coll: 'stations', id: STATION, doc: { ...station, requestAcceptMinutes: 10 } }])
  try {
    const r = await submit()
    cloud.clock.advance(11 * MINUTE)
    await cloud.timers.fire('notify')
    expect(alertsOf(r._id).some((a) => a.round === '1')).toBe(true)
  } finally {
    cloud.store.commit([{ coll: 'stations', id: STATION, doc: station }])
    cloud.clock.set(NOW)
  }
})
