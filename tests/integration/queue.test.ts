/**
 * 取号与叫号 through the local cloud: a resident takes a number within opening hours only (a rest
 * day, the lunch break are refused and write nothing), one per line while holding one, a retry
 * answers the same number; the poll costs at most one database request; an officer calls (the
 * resident is told, and the one three places back), recalls, skips a no-show only after three
 * calls, starts and finishes (the times are kept), moves a number to another line; a checked-in
 * appointment joins its service's line and, in its slot, is called before walk-ins; the screen shows
 * numbers only; a hundred residents taking numbers at once get a hundred consecutive numbers.
 */
import type { QueueOutputs } from '../../types/queue'
import type { Result } from '../../types/result'
import type { StaffOutputs } from '../../types/staff-admin'
import { appointment, APPLICANT, ok, requestId } from '../helpers/appointments'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'
import { allowTemplates } from '../helpers/subscriptions'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const STATION = 'st-yunxi-chengguan'
const LI = 'demo-officer-li'
const ELSEWHERE = 'officer-q-elsewhere'
const at = (shanghai: string) => cloud.clock.set(Date.parse(`${shanghai}+08:00`))

function q<A extends keyof QueueOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<QueueOutputs[A]>>(cloud, 'queue', { action, payload }, openid).then(
    (r) => r.body
  )
}
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code)
const take = (openid: string, line = 'A', rid = requestId()) =>
  q('take', { requestId: rid, stationId: STATION, line }, openid)

async function refused(call: () => Promise<Result<unknown>>, expected: string) {
  const before = snapshot(cloud)
  const res = await call()
  expect(code(res)).toBe(expected)
  expect(snapshot(cloud)).toEqual(before)
  return res
}

const sentTo = (openid: string) =>
  cloud.messages.list({ touser: openid, limit: 100 }).filter((m) => m.errCode === 0)

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.store.commit([
    {
      coll: 'staff',
      id: 'staff-q-elsewhere',
      doc: {
        _id: 'staff-q-elsewhere',
        openid: ELSEWHERE,
        name: '外所民警',
        role: 'officer',
        stationId: 'st-other',
        active: true
      }
    }
  ])
})

afterAll(async () => {
  await cloud.close()
})

describe('taking a number', () => {
  test('a rest day and the lunch break are refused in plain words, and nothing is written', async () => {
    at('2026-12-27T10:00:00') // Sunday
    const sunday = await refused(() => take('r-q1'), 'QUEUE_CLOSED')
    expect(!sunday.ok && sunday.error.message).toMatch(/休息日/)
    at('2026-12-28T12:30:00') // Monday, lunch break
    const lunch = await refused(() => take('r-q1'), 'QUEUE_CLOSED')
    expect(!lunch.ok && lunch.error.message).toBe('现在不在办公时间（08:30–12:00、14:30–17:30），暂不能取号')
    const lines = ok(await q('lines', { stationId: STATION }, ''))
    expect(lines.open).toBe(false)
    expect(lines.lines.map((l) => `${l.key} ${l.label}`)).toEqual(['A 身份证', 'B 户口与证明'])
  })

  test('numbers are consecutive per line; a retry is the same number; one per resident per line', async () => {
    at('2026-12-28T09:00:00')
    const rid = requestId()
    const first = ok(await take('r-q1', 'A', rid))
    expect(first).toMatchObject({
      number: 'A001',
      ahead: 0,
      waitMinutes: 0,
      status: 'waiting',
      statusLabel: '排队中'
    })
    const again = ok(await take('r-q1', 'A', rid))
    expect(again.ticketId).toBe(first.ticketId)
    await refused(() => take('r-q1', 'A'), 'QUEUE_ALREADY_WAITING')
    await refused(() => take('r-q1', 'Z'), 'QUEUE_LINE_UNKNOWN')
    await refused(() => take('', 'A'), 'UNAUTHENTICATED')
    const numbers = []
    for (const r of ['r-q2', 'r-q3', 'r-q4', 'r-q5']) numbers.push(ok(await take(r)))
    expect(numbers.map((t) => `${t.number} ${t.ahead} ${t.waitMinutes}`)).toEqual([
      'A002 1 8',
      'A003 2 16',
      'A004 3 24',
      'A005 4 32'
    ])
    // Another line has its own numbers.
    expect(ok(await take('r-q1', 'B')).number).toBe('B001')
  })

  test('a poll reads the database once, and another resident’s number is not found', async () => {
    const id = `${STATION}_20261228_A_2`
    ok(await q('status', { ticketId: id }, 'r-q2')) // a warm instance (the station is cached)
    cloud.faults.resetCounts()
    const polled = ok(await q('status', { ticketId: id }, 'r-q2'))
    expect(cloud.faults.requestCounts().queue ?? 0).toBeLessThanOrEqual(1)
    expect(polled).toMatchObject({ number: 'A002', ahead: 1 })
    expect(code(await q('status', { ticketId: id }, 'r-q3'))).toBe('NOT_FOUND')
    cloud.faults.resetCounts()
    const screen = ok(await q('screen', { stationId: STATION }, ''))
    expect(cloud.faults.requestCounts().queue ?? 0).toBeLessThanOrEqual(1)
    expect(screen.lines[0]).toMatchObject({
      key: 'A',
      serving: [],
      next: ['A001', 'A002', 'A003', 'A004', 'A005']
    })
  })
})

describe('calling', () => {
  test('call next: the resident is told, and so is the one with three ahead', async () => {
    // r-q1 allowed the reminder once; r-q5 twice (the page records each answer in the app's count).
    await allowTemplates(cloud, 'r-q1', ['queueCall'])
    for (let i = 0; i < 2; i++) {
      await allowTemplates(cloud, 'r-q5', ['queueCall'])
      await callFunction(
        cloud,
        'notify',
        { action: 'recordSubscribe', payload: { results: { queueCall: 'accept' } } },
        'r-q5'
      )
    }
    // r-q1 records one accept too (the app's count: 1), spent by the call below.
    await callFunction(
      cloud,
      'notify',
      { action: 'recordSubscribe', payload: { results: { queueCall: 'accept' } } },
      'r-q1'
    )
    at('2026-12-28T09:05:00')
    const called = ok(await q('callNext', { stationId: STATION, line: 'A', window: 1 }, LI))
    expect(called).toMatchObject({ number: 'A001', status: 'called', window: 1, calls: 1 })
    const mine = ok(await q('status', { ticketId: called.ticketId }, 'r-q1'))
    expect(mine).toMatchObject({ status: 'called', statusLabel: '请到窗口', window: 1 })
    expect(sentTo('r-q1').map((m) => m.data.thing5?.value)).toEqual(['请到1号窗口办理'])
    // A005 now has A002, A003, A004 ahead: three.
    expect(ok(await q('status', { ticketId: `${STATION}_20261228_A_5` }, 'r-q5')).ahead).toBe(3)
    expect(sentTo('r-q5').map((m) => m.data.phrase3?.value)).toEqual(['即将轮到您'])
    const screen = ok(await q('screen', { stationId: STATION }, ''))
    expect(screen.lines[0]?.serving).toEqual([{ window: 1, number: 'A001', recalled: false }])
  })

  test('a no-show is skipped only after three calls', async () => {
    const id = `${STATION}_20261228_A_1`
    await refused(() => q('skip', { stationId: STATION, ticketId: id }, LI), 'QUEUE_SKIP_TOO_EARLY')
    expect(ok(await q('recall', { stationId: STATION, ticketId: id }, LI)).calls).toBe(2)
    expect(ok(await q('recall', { stationId: STATION, ticketId: id }, LI)).calls).toBe(3)
    const skipped = ok(await q('skip', { stationId: STATION, ticketId: id }, LI))
    expect(skipped.status).toBe('no_show')
    expect(ok(await q('status', { ticketId: id }, 'r-q1')).statusLabel).toBe('已过号')
    await refused(() => q('recall', { stationId: STATION, ticketId: id }, LI), 'QUEUE_WRONG_STATUS')
    // Skipped, r-q1 may take a new number in A.
    expect(ok(await take('r-q1', 'A')).number).toBe('A006')
  })

  test('start and finish keep the times; the estimate then follows the service time', async () => {
    at('2026-12-28T09:10:00')
    const called = ok(await q('callNext', { stationId: STATION, line: 'A', window: 2 }, LI))
    expect(called.number).toBe('A002')
    // A006 (r-q1's second number) is now three ahead, but r-q1's one grant went on the call of A001:
    // no "three ahead" notice is queued to fail, nor would one spend a grant the call needs.
    expect(ok(await q('status', { ticketId: `${STATION}_20261228_A_6` }, 'r-q1')).ahead).toBe(3)
    expect(
      cloud.store.docs('outbox').filter((r) => r.dedupeKey === `queue:${STATION}_20261228_A_6:near`)
    ).toEqual([])
    at('2026-12-28T09:11:00')
    ok(await q('start', { stationId: STATION, ticketId: called.ticketId }, LI))
    at('2026-12-28T09:15:00')
    ok(await q('finish', { stationId: STATION, ticketId: called.ticketId }, LI))
    const doc = cloud.store.docs('queueTickets').find((d) => d._id === called.ticketId) as Record<
      string,
      unknown
    >
    expect(
      [doc.takenAt, doc.calledAt, doc.startedAt, doc.finishedAt].map((d) =>
        new Date(d as string).toISOString().slice(0, 16)
      )
    ).toEqual(['2026-12-28T01:00', '2026-12-28T01:10', '2026-12-28T01:11', '2026-12-28T01:15'])
    expect(doc.status).toBe('done')
    // 4 minutes a number now: A005 has A003, A004 ahead → 8 minutes.
    expect(ok(await q('status', { ticketId: `${STATION}_20261228_A_5` }, 'r-q5'))).toMatchObject({
      ahead: 2,
      waitMinutes: 8
    })
  })

  test('a number moved to another line gets a number there, ahead of its walk-ins', async () => {
    ok(await take('r-q7', 'B')) // B002, a walk-in
    const moved = ok(
      await q('transfer', { stationId: STATION, ticketId: `${STATION}_20261228_A_3`, line: 'B' }, LI)
    )
    expect(moved.number).toBe('B003')
    const old = ok(await q('status', { ticketId: `${STATION}_20261228_A_3` }, 'r-q3'))
    expect(old).toMatchObject({ status: 'transferred', transferredTo: { number: 'B003' } })
    expect(ok(await q('status', { ticketId: moved.ticketId }, 'r-q3')).ahead).toBe(0)
    const board = ok(await q('board', { stationId: STATION }, LI))
    expect(board.lines[1]?.waiting.map((t) => t.number)).toEqual(['B003', 'B001', 'B002'])
  })

  test('staff of another station, residents and anonymous callers may not call', async () => {
    const call = { stationId: STATION, line: 'A', window: 1 }
    await refused(() => q('callNext', call, 'r-q1'), 'FORBIDDEN')
    await refused(() => q('callNext', call, ELSEWHERE), 'FORBIDDEN')
    await refused(() => q('callNext', call, ''), 'UNAUTHENTICATED')
    await refused(() => q('board', { stationId: STATION }, ELSEWHERE), 'FORBIDDEN')
    // A ticket id of another station with the caller's station named is not found.
    await refused(
      () => q('recall', { stationId: 'st-other', ticketId: `${STATION}_20261228_A_4` }, ELSEWHERE),
      'NOT_FOUND'
    )
  })
})

describe('appointments in the line', () => {
  test('a checked-in appointment joins its service’s line and, in its slot, is called before walk-ins', async () => {
    at('2026-12-24T10:00:00')
    const booked = ok(
      await appointment(
        cloud,
        'book',
        {
          requestId: requestId(),
          serviceId: 'svc-cert-hukou',
          slotId: `${STATION}_2026-12-28_1000_window`,
          applicant: APPLICANT,
          consent: true
        },
        'r-q-appt'
      )
    )
    at('2026-12-28T10:01:00')
    const checkedIn = await callFunction<Result<StaffOutputs['checkIn']>>(
      cloud,
      'staff',
      { action: 'checkIn', payload: { code: booked.code } },
      LI
    )
    expect(code(checkedIn.body)).toBe('ok')
    const mine = ok(await q('mine', {}, 'r-q-appt'))
    // B003 (moved from A) is ahead of it; the walk-ins B001 and B002 are not.
    expect(mine.map((t) => `${t.number} ${t.ahead}`)).toEqual(['B004 1'])
    expect(ok(await q('callNext', { stationId: STATION, line: 'B', window: 1 }, LI)).number).toBe('B003')
    const called = ok(await q('callNext', { stationId: STATION, line: 'B', window: 2 }, LI))
    expect(called).toMatchObject({
      number: 'B004',
      kind: 'appointment',
      slot: { start: '10:00', end: '10:30' }
    })
    // The walk-ins were passed twice each, under the station's limit of three.
    const board = ok(await q('board', { stationId: STATION }, LI))
    expect(board.lines[1]?.waiting.map((t) => `${t.number} ${t.passed}`)).toEqual(['B001 2', 'B002 2'])
  })
})

describe('a hundred residents at once', () => {
  test('get a hundred distinct, consecutive numbers, the line in the order they were given', async () => {
    at('2026-12-29T09:00:00')
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => take(`r-crowd-${i}`, 'A')))
    const numbers = results.map((r) => ok(r).number)
    expect(new Set(numbers).size).toBe(100)
    expect([...numbers].sort()).toEqual(
      Array.from({ length: 100 }, (_, i) => `A${String(i + 1).padStart(3, '0')}`)
    )
    const counter = cloud.store
      .docs('queueCounters')
      .find((d) => d._id === `${STATION}_20261229_A`) as unknown as {
      lastSeq: number
      entries: { seq: number }[]
    }
    expect(counter.lastSeq).toBe(100)
    expect(counter.entries.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
    expect(cloud.store.docs('queueTickets').filter((d) => d.date === '2026-12-29')).toHaveLength(100)
    // Each resident's ahead is their place: the numbers' order.
    for (const r of results) {
      const t = ok(r)
      expect(t.ahead).toBe(Number(t.number.slice(1)) - 1)
    }
  })
})
