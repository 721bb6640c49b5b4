/**
 * 候补: a full slot's waitlist, through the appointment and station functions on the local cloud
 * (docs/booking-rules.md, "Waitlist"). A place freed by a cancel or a move goes, in the same
 * transaction, to the first waiting entry the booking rules allow, booked with the details given
 * when joining, and the resident is told; entries that cannot be honoured are passed over with
 * why; a closure's cancels promote nobody; the list closes at the slot's cut-off; and 50 cancels
 * racing on one slot never overbook it nor promote anyone twice; the daily purge deletes old entries.
 */
import type { Doc } from '../../local-cloud/db/store'
import { MAX_WAITLIST_ENTRIES, type WaitlistEntryView } from '../../types/appointment'
import type { Result } from '../../types/result'
import type { StationOutputs } from '../../types/station-admin'
import { appointment, APPLICANT, ok, requestId, slotInvariantViolations } from '../helpers/appointments'
import { callFunction, freshCloud } from '../helpers/cloud'

jest.setTimeout(240_000)

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const NOW = Date.parse('2026-11-27T01:59:00Z') // Friday 09:59 in Shanghai
const STATION = 'st-yunxi-chengguan'
const ID_CARD = 'svc-idcard-renew' // the capture room: one person a slot
const CERT = 'svc-cert-hukou' // the windows: RACE_CAPACITY a slot in this file
const LEADER = 'demo-leader-zhou'
const RACE_CAPACITY = 50
const slot = (date: string, hhmm: string, resource = 'capture') => `${STATION}_${date}_${hhmm}_${resource}`
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code)
const FATHER_ID = '11010519491231002X'

const book = (openid: string, slotId: string, name = APPLICANT.name, serviceId = ID_CARD) =>
  appointment(
    cloud,
    'book',
    { requestId: requestId(), serviceId, slotId, applicant: { ...APPLICANT, name }, consent: true },
    openid
  )
const join = (
  openid: string,
  slotId: string,
  applicant: Record<string, unknown> = {},
  serviceId = ID_CARD,
  consent = true
) =>
  appointment(
    cloud,
    'joinWaitlist',
    { serviceId, slotId, applicant: { ...APPLICANT, ...applicant }, consent },
    openid
  )
const cancel = (openid: string, appointmentId: string) =>
  appointment(cloud, 'cancel', { appointmentId }, openid)
const entries = (slotId: string) => cloud.store.docs('waitlist').filter((e) => e.slotId === slotId)
const messagesTo = (openid: string) =>
  cloud.store.docs('outbox').filter((m) => m.touser === openid && String(m.dedupeKey).startsWith('waitlist:'))

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.clock.set(NOW)
  // The windows take RACE_CAPACITY people a slot here, so that 50 bookings of one slot can be cancelled at once.
  const station = cloud.store.get('stations', STATION) as Doc & {
    booking: { resources: { key: string; capacity: number }[] }
  }
  const resources = station.booking.resources.map((r) =>
    r.key === 'window' ? { ...r, capacity: RACE_CAPACITY } : r
  )
  cloud.store.commit([
    { coll: 'stations', id: STATION, doc: { ...station, booking: { ...station.booking, resources } } }
  ])
})

afterAll(async () => {
  await cloud.close()
})

afterEach(() => {
  cloud.faults.clear()
  cloud.clock.set(NOW)
  expect(slotInvariantViolations(cloud)).toEqual([])
})

test('a full slot offers 候补; joining keeps the applicant as a booking would, and joining again is the same entry', async () => {
  const target = slot('2026-11-30', '0900')
  const before = ok(await appointment(cloud, 'slots', { serviceId: ID_CARD, date: '2026-11-30' }, 'r-look'))
  expect(before.slots.find((s) => s.slotId === target)).toMatchObject({ left: 1 })
  expect(before.slots.find((s) => s.slotId === target)?.waitlist).toBeUndefined()
  // A slot with a place is booked, not waited for.
  expect(code(await join('r-wait-a', target))).toBe('SLOT_NOT_FULL')
  ok(await book('r-holder-a', target))
  const after = ok(await appointment(cloud, 'slots', { serviceId: ID_CARD, date: '2026-11-30' }, 'r-look'))
  expect(after.slots.find((s) => s.slotId === target)).toMatchObject({ left: 0, waitlist: true })

  expect(code(await join('r-wait-a', target, {}, ID_CARD, false))).toBe('CONSENT_REQUIRED')
  const father = { name: '王建国', relation: 'parent', idNumber: FATHER_ID }
  const entry = ok(await join('r-wait-a', target, father))
  expect(entry).toMatchObject({
    status: 'waiting',
    slotId: target,
    date: '2026-11-30',
    start: '09:00',
    applicant: {
      name: '王建国',
      relation: 'parent',
      mobileMasked: '138****5678',
      idMasked: '110105********002X'
    }
  })
  // Stored as a booking stores it: the ID number protected, never in the clear.
  const stored = cloud.store.get('waitlist', entry._id)
  expect(JSON.stringify(stored)).not.toContain(FATHER_ID)
  expect(String((stored?.applicant as { idNumberProtected: string }).idNumberProtected)).toMatch(/^v1:/)
  // Joining again: the same entry, the same place on the list.
  expect(ok(await join('r-wait-a', target, father))).toEqual(entry)
  expect(ok(await appointment(cloud, 'myWaitlist', {}, 'r-wait-a'))).toEqual([entry])
  // Nobody else sees it.
  expect(ok(await appointment(cloud, 'myWaitlist', {}, 'r-holder-a'))).toEqual([])
})

test('a cancel gives the place to the first on the list, in the same step, booked as they asked and told', async () => {
  const target = slot('2026-11-30', '0930')
  const holder = ok(await book('r-holder-b', target))
  const first = ok(await join('r-wait-b1', target, { name: '李明', idNumber: FATHER_ID }))
  cloud.clock.set(NOW + 60_000)
  const second = ok(await join('r-wait-b2', target, { name: '赵丽' }))
  cloud.clock.set(NOW + 120_000)

  ok(await cancel('r-holder-b', holder._id))
  // The place never went back to the pool: the slot is still full, now held by the first entry.
  expect(cloud.store.get('slots', target)).toMatchObject({ booked: 1 })
  const promoted = ok(await appointment(cloud, 'myWaitlist', {}, 'r-wait-b1'))[0] as WaitlistEntryView
  expect(promoted).toMatchObject({ _id: first._id, status: 'promoted' })
  const booking = ok(await appointment(cloud, 'get', { appointmentId: promoted.appointmentId }, 'r-wait-b1'))
  expect(booking).toMatchObject({
    status: 'booked',
    date: '2026-11-30',
    start: '09:30',
    serviceId: ID_CARD,
    applicant: { name: '李明', idMasked: '110105********002X', mobileMasked: '138****5678' }
  })
  expect(ok(await appointment(cloud, 'mine', {}, 'r-wait-b1')).upcoming.map((b) => b._id)).toEqual([
    booking._id
  ])
  // Told: one 候补成功 message, with the booking's code, shown in 我的消息 whatever WeChat does.
  const told = messagesTo('r-wait-b1')
  expect(told).toHaveLength(1)
  expect(told[0]).toMatchObject({
    template: 'bookingConfirmed',
    values: { code: booking.code, tip: expect.stringContaining('候补成功') },
    ref: { kind: 'appointment', id: booking._id }
  })
  // The second still waits, and nothing was booked for them.
  expect(ok(await appointment(cloud, 'myWaitlist', {}, 'r-wait-b2'))[0]).toMatchObject({
    _id: second._id,
    status: 'waiting'
  })
  expect(messagesTo('r-wait-b2')).toEqual([])
})

test('an entry the booking rules no longer allow is passed over and marked with why; the next one gets the place', async () => {
  const target = slot('2026-11-30', '1000')
  const holder = ok(await book('r-holder-c', target))
  ok(await join('r-wait-c1', target, { name: '孙强' }))
  cloud.clock.set(NOW + 60_000)
  ok(await join('r-wait-c2', target, { name: '周敏' }))
  // Meanwhile the first person booked another time that day: once a day per person.
  ok(await book('r-wait-c1', slot('2026-11-30', '1500'), '孙强'))
  ok(await cancel('r-holder-c', holder._id))
  const [c1] = ok(await appointment(cloud, 'myWaitlist', {}, 'r-wait-c1'))
  expect(c1).toMatchObject({ status: 'skipped', reason: expect.stringContaining('当天已有') })
  expect(c1?.appointmentId).toBeUndefined()
  const [c2] = ok(await appointment(cloud, 'myWaitlist', {}, 'r-wait-c2'))
  expect(c2).toMatchObject({ status: 'promoted' })
  expect(cloud.store.get('appointments', c2?.appointmentId as string)).toMatchObject({
    slotId: target,
    status: 'booked'
  })
})

test('leaving is idempotent and a left entry is never promoted; another resident cannot see or leave it', async () => {
  const target = slot('2026-11-30', '1030')
  const holder = ok(await book('r-holder-d', target))
  const entry = ok(await join('r-wait-d', target, { name: '吴刚' }))
  expect(code(await appointment(cloud, 'leaveWaitlist', { entryId: entry._id }, 'r-someone-else'))).toBe(
    'NOT_FOUND'
  )
  const left = ok(await appointment(cloud, 'leaveWaitlist', { entryId: entry._id }, 'r-wait-d'))
  expect(left).toMatchObject({ _id: entry._id, status: 'left' })
  expect(ok(await appointment(cloud, 'leaveWaitlist', { entryId: entry._id }, 'r-wait-d'))).toEqual(left)
  ok(await cancel('r-holder-d', holder._id))
  // Nobody waits: the place goes back to the pool.
  expect(cloud.store.get('slots', target)).toMatchObject({ booked: 0 })
  expect(cloud.store.get('waitlist', entry._id)).toMatchObject({ status: 'left' })
  expect(messagesTo('r-wait-d')).toEqual([])
})

test('a move away promotes into the old slot in the move itself', async () => {
  const from = slot('2026-12-01', '0900')
  const holder = ok(await book('r-holder-e', from))
  ok(await join('r-wait-e', from, { name: '郑华' }))
  ok(
    await appointment(
      cloud,
      'reschedule',
      { appointmentId: holder._id, slotId: slot('2026-12-01', '1000'), requestId: requestId() },
      'r-holder-e'
    )
  )
  expect(cloud.store.get('slots', from)).toMatchObject({ booked: 1 })
  const [e] = ok(await appointment(cloud, 'myWaitlist', {}, 'r-wait-e'))
  expect(e).toMatchObject({ status: 'promoted' })
  expect(cloud.store.get('appointments', e?.appointmentId as string)).toMatchObject({ slotId: from })
})

test('a closure promotes nobody into its closed slot: its waiting entries end, marked with the reason', async () => {
  const target = slot('2026-12-02', '0900')
  ok(await book('r-holder-f', target))
  ok(await join('r-wait-f', target, { name: '冯雪' }))
  const closed = await callFunction<Result<StationOutputs['addClosure']>>(
    cloud,
    'station',
    {
      action: 'addClosure',
      payload: {
        requestId: requestId(),
        stationId: STATION,
        date: '2026-12-02',
        start: '08:30',
        end: '10:00',
        reason: '设备检修'
      }
    },
    LEADER
  )
  expect(ok(closed.body).cancelled).toBeGreaterThanOrEqual(1)
  expect(cloud.store.get('slots', target)).toMatchObject({ booked: 0, closed: true })
  expect(cloud.store.docs('appointments').filter((a) => a.openid === 'r-wait-f')).toEqual([])
  const [f] = ok(await appointment(cloud, 'myWaitlist', {}, 'r-wait-f'))
  expect(f).toMatchObject({ status: 'skipped', reason: '窗口暂停服务：设备检修' })
})

test('the list closes at the slot cut-off: a late join is refused, a waiting entry reads expired', async () => {
  const target = slot('2026-11-27', '1500') // today, 15:00: booking closes at 14:00
  ok(await book('r-holder-g', target))
  const entry = ok(await join('r-wait-g', target, { name: '陈晨' }))
  expect(entry.closesAt).toBe(new Date(Date.parse('2026-11-27T06:00:00Z')).toISOString())
  cloud.clock.set(Date.parse('2026-11-27T06:00:00Z')) // 14:00
  expect(ok(await appointment(cloud, 'myWaitlist', {}, 'r-wait-g'))[0]).toMatchObject({ status: 'expired' })
  expect(code(await join('r-wait-g2', target, { name: '陈晨' }))).toMatch(/TOO_LATE|SLOT_CLOSED/)
})

test(`a resident waits on at most ${MAX_WAITLIST_ENTRIES} slots at once`, async () => {
  const times = ['0900', '0930', '1000', '1030']
  for (const [i, t] of times.entries()) ok(await book(`r-holder-h${i}`, slot('2026-12-03', t)))
  const results = []
  for (const t of times) results.push(code(await join('r-wait-h', slot('2026-12-03', t), { name: '何平' })))
  expect(results).toEqual([...Array(MAX_WAITLIST_ENTRIES).fill('ok'), 'TOO_MANY_WAITLIST'])
})

test('50 cancels racing 50 promotions on one slot: never over capacity, nobody promoted twice, first come first served', async () => {
  const date = '2026-12-04'
  const target = slot(date, '1000', 'window')
  const holders = Array.from({ length: RACE_CAPACITY }, (_, i) => `r-race-holder-${i}`)
  const waiters = Array.from({ length: RACE_CAPACITY + 10 }, (_, i) => `r-race-wait-${i}`)
  const booked: { openid: string; id: string }[] = []
  for (let i = 0; i < holders.length; i += 5)
    for (const [j, r] of (
      await Promise.all(holders.slice(i, i + 5).map((h) => book(h, target, '持约人', CERT)))
    ).entries())
      booked.push({ openid: holders[i + j] as string, id: ok(r)._id })
  expect(cloud.store.get('slots', target)).toMatchObject({ booked: RACE_CAPACITY })
  // The list in a known order: one join a second.
  for (const [i, w] of waiters.entries()) {
    cloud.clock.set(NOW + (i + 1) * 1000)
    ok(await join(w, target, { name: `候补${i}` }, CERT))
  }
  cloud.clock.set(NOW + 120_000)

  // Every promotion's read of the list answers late, so the cancels' transactions overlap.
  cloud.faults.delayOn({
    fn: 'appointment',
    action: 'database.getDocument',
    collection: 'waitlist',
    ms: 150,
    times: 200
  })
  const seen: string[] = []
  const watch = setInterval(() => {
    const s = cloud.store.get('slots', target)
    if (s && (s.booked as number) > RACE_CAPACITY) seen.push(`booked ${String(s.booked)}`)
    const held = cloud.store
      .docs('appointments')
      .filter((a) => a.slotId === target && a.status !== 'cancelled')
    if (held.length > RACE_CAPACITY) seen.push(`${held.length} bookings hold the slot`)
  }, 5)
  const results = await Promise.all(booked.map((b) => cancel(b.openid, b.id)))
  clearInterval(watch)
  cloud.faults.clear()

  expect(seen).toEqual([])
  expect(slotInvariantViolations(cloud)).toEqual([])
  // Under this much contention a cancel may answer BUSY, having changed nothing; the resident taps
  // again. Whatever the order, every cancel that went through gave its place to exactly one entry.
  expect(results.map(code).filter((c) => c !== 'ok' && c !== 'BUSY')).toEqual([])
  expect(results.filter((r) => r.ok).length).toBeGreaterThan(RACE_CAPACITY / 2)
  expect(entries(target).filter((e) => e.status === 'promoted')).toHaveLength(
    results.filter((r) => r.ok).length
  )
  for (const [i, r] of results.entries()) {
    if (r.ok) continue
    const b = booked[i] as { openid: string; id: string }
    expect(cloud.store.get('appointments', b.id)).toMatchObject({ status: 'booked' })
    ok(await cancel(b.openid, b.id))
  }
  expect(slotInvariantViolations(cloud)).toEqual([])
  const cancelled = RACE_CAPACITY

  const list = entries(target).sort((a, b) => Number(a.joinedAt) - Number(b.joinedAt))
  const promoted = list.filter((e) => e.status === 'promoted')
  // Each freed place went to one entry, each entry at most once, the earliest first.
  expect(promoted).toHaveLength(cancelled)
  expect(list.slice(0, cancelled).every((e) => e.status === 'promoted')).toBe(true)
  expect(list.slice(cancelled).every((e) => e.status === 'waiting')).toBe(true)
  const bookingIds = promoted.map((e) => e.appointmentId as string)
  expect(new Set(bookingIds).size).toBe(promoted.length)
  for (const e of promoted) {
    const mineHere = cloud.store
      .docs('appointments')
      .filter((a) => a.openid === e.openid && a.slotId === target)
    expect(mineHere.map((a) => a._id)).toEqual([e.appointmentId])
    expect(messagesTo(e.openid as string)).toHaveLength(1)
  }
  expect(cloud.store.get('slots', target)).toMatchObject({ booked: RACE_CAPACITY })
})

test('the daily purge deletes waitlist entries (they hold applicants’ details) once their slot is 180 days past', async () => {
  const dates = () => [...new Set(cloud.store.docs('waitlist').map((e) => String(e.date)))].sort()
  expect(dates()).toContain('2026-11-27')
  expect(dates()).toContain('2026-11-30')
  // 180 days after 28 November, 03:20 in Shanghai: only the entries of 27 November are that old.
  cloud.clock.set(Date.parse('2027-05-27T19:20:00Z'))
  await cloud.timers.fire('notify')
  expect(dates()[0]).toBe('2026-11-30')
  // A week later, everything this file made is past.
  cloud.clock.set(Date.parse('2027-06-05T19:20:00Z'))
  await cloud.timers.fire('notify')
  expect(cloud.store.docs('waitlist')).toEqual([])
})
