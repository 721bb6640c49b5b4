/**
 * The booking rules hold under races, through the local cloud (docs/booking-rules.md): one
 * resident's parallel bookings never pass the policy's limit; bookings racing a closure end
 * refused or cancelled with a notice; double-tapped cancels and reschedules answer the same
 * success every time and change things once. After each race every slot's booked count equals
 * the appointments holding it.
 */
import type { Doc } from '../../local-cloud/db/store'
import type { Result } from '../../types/result'
import type { StationOutputs } from '../../types/station-admin'
import { minutesOf } from '../../types/time'
import { appointment, APPLICANT, ok, requestId, slotInvariantViolations } from '../helpers/appointments'
import { callFunction, freshCloud } from '../helpers/cloud'
import { connectSdk } from '../helpers/sdk'

jest.setTimeout(180_000)

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const NOW = Date.parse('2026-11-27T01:59:00Z') // Friday 09:59 in Shanghai
const STATION = 'st-yunxi-chengguan'
const CERT = 'svc-cert-hukou'
const LEADER = 'demo-leader-zhou'
const slot = (date: string, hhmm: string, resource = 'window') => `${STATION}_${date}_${hhmm}_${resource}`
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code)
const book = (openid: string, slotId: string, name = APPLICANT.name) =>
  appointment(
    cloud,
    'book',
    { requestId: requestId(), serviceId: CERT, slotId, applicant: { ...APPLICANT, name }, consent: true },
    openid
  )
const reschedule = (openid: string, appointmentId: string, slotId: string) =>
  appointment(cloud, 'reschedule', { appointmentId, slotId, requestId: requestId() }, openid)

/** The account's daily limit in this file: two people a day, so that three active bookings can exceed it. */
const PER_ACCOUNT_DAILY = 2

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.clock.set(NOW)
  const station = cloud.store.get('stations', STATION) as Doc & { booking: { policy: object } }
  const booking = {
    ...station.booking,
    policy: { ...station.booking.policy, maxPerAccountDaily: PER_ACCOUNT_DAILY }
  }
  cloud.store.commit([{ coll: 'stations', id: STATION, doc: { ...station, booking } }])
})

afterAll(async () => {
  await cloud.close()
})

afterEach(() => {
  expect(slotInvariantViolations(cloud)).toEqual([])
})

test("one resident's six parallel bookings on six days: exactly the policy's maximum succeed", async () => {
  const { policy } = ok(await appointment(cloud, 'options', { serviceId: CERT }, 'r-six-0'))
  expect(policy.maxActive).toBeLessThan(6) // else this race proves nothing
  const days = ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07']
  // Warm instances, so the six calls run side by side rather than behind cold starts.
  await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      appointment(cloud, 'slots', { serviceId: CERT, date: '2026-12-01' }, `r-warm-${i}`)
    )
  )
  const residents = ['r-six-0', 'r-six-1', 'r-six-2']
  for (const [n, r] of residents.entries()) {
    const results = await Promise.all(
      days.map((d) => book(r, slot(d, ['0900', '0930', '1000'][n] as string)))
    )
    const codes = results.map(code)
    expect(codes.filter((c) => c === 'ok')).toHaveLength(policy.maxActive)
    expect(codes.filter((c) => c !== 'ok')).toEqual(Array(6 - policy.maxActive).fill('TOO_MANY_ACTIVE'))
    expect(
      cloud.store.docs('appointments').filter((a) => a.openid === r && a.status === 'booked')
    ).toHaveLength(policy.maxActive)
    // Each resident's guard was written by each booking that succeeded, and holds no OPENID.
    expect(JSON.stringify(cloud.store.docs('bookingGuards'))).not.toContain(r)
  }
  const mine = ok(await appointment(cloud, 'mine', {}, 'r-six-0'))
  expect(mine.upcoming).toHaveLength(policy.maxActive)
})

test('200 bookings racing a closure of that morning: none stays booked in the closed time, each one cancelled is told', async () => {
  const date = '2026-12-08' // a day no other test here books
  const closure = { start: '08:30', end: '12:00' }
  const covered = (start: string, end: string) =>
    minutesOf(start) < minutesOf(closure.end) && minutesOf(closure.start) < minutesOf(end)
  const { slots } = ok(await appointment(cloud, 'slots', { serviceId: CERT, date }, 'r-race-look'))
  expect(slots.filter((s) => covered(s.start, s.end)).length).toBeGreaterThan(3)
  expect(slots.filter((s) => !covered(s.start, s.end)).length).toBeGreaterThan(3)

  let answered = 0
  let release: () => void = () => undefined
  const someAnswered = new Promise<void>((resolve) => (release = resolve))
  const bookings = Array.from({ length: 200 }, (_, i) =>
    book(`r-race-${i}`, (slots[i % slots.length] as { slotId: string }).slotId).then((r) => {
      if (++answered === 20) release()
      return r
    })
  )
  // The closure lands while most bookings are still in flight.
  await someAnswered
  const closing = callFunction<Result<StationOutputs['addClosure']>>(
    cloud,
    'station',
    {
      action: 'addClosure',
      payload: { requestId: requestId(), stationId: STATION, date, ...closure, reason: '系统升级暂停办理' }
    },
    LEADER
  )
  const results = await Promise.all(bookings)
  const closed = ok((await closing).body)

  const codes = results.map(code)
  expect(new Set(codes.filter((c) => c !== 'ok'))).toEqual(new Set(['SLOT_FULL', 'SLOT_CLOSED']))
  const appointments = cloud.store
    .docs('appointments')
    .filter((a) => a.date === date && String(a.openid).startsWith('r-race-'))
  // Nothing is booked in the closed time.
  expect(
    appointments.filter((a) => a.status === 'booked' && covered(a.start as string, a.end as string))
  ).toEqual([])
  // Every booking that was answered "booked" is either still booked outside the closed time, or
  // was cancelled by the station with a cancellation message in the outbox.
  const cancelledByStation = new Set<string>()
  for (const r of results) {
    if (!r.ok) continue
    const a = appointments.find((d) => d._id === r.data._id)
    expect(a).toBeDefined()
    if (a?.status === 'booked') {
      expect(covered(a.start as string, a.end as string)).toBe(false)
      continue
    }
    expect(a).toMatchObject({ status: 'cancelled', cancelledBy: 'station' })
    cancelledByStation.add(r.data._id)
    const notices = cloud.store
      .docs('outbox')
      .filter((m) => m.template === 'bookingCancelled' && (m.ref as { id: string }).id === r.data._id)
    expect(notices).toHaveLength(1)
  }
  // The race really happened: bookings in the closed time had succeeded before it, and were cancelled.
  expect(cancelledByStation.size).toBeGreaterThan(0)
  expect(closed.cancelled).toBe(cancelledByStation.size) // the closure cancelled exactly these
  expect(appointments.filter((a) => a.status === 'cancelled')).toHaveLength(cancelledByStation.size)
  // Places outside the closed time were all taken; none inside is held.
  for (const s of slots) {
    const doc = cloud.store.get('slots', s.slotId)
    if (covered(s.start, s.end)) expect(doc).toMatchObject({ booked: 0, closed: true })
    else expect(doc?.booked).toBe(doc?.capacity)
  }
  // The closed slots are no longer offered.
  const after = ok(await appointment(cloud, 'slots', { serviceId: CERT, date }, 'r-race-look'))
  expect(after.slots.filter((s) => covered(s.start, s.end))).toEqual([])
})

test('ten simultaneous cancels of one booking: all answer the same cancelled booking, the place is released once', async () => {
  const target = slot('2026-12-02', '1430')
  ok(await book('r-other', target))
  const a = ok(await book('r-cancel', target))
  expect(cloud.store.get('slots', target)?.booked).toBe(2)
  const results = await Promise.all(
    Array.from({ length: 10 }, () => appointment(cloud, 'cancel', { appointmentId: a._id }, 'r-cancel'))
  )
  expect(results.map(code)).toEqual(Array(10).fill('ok'))
  const views = results.map((r) => ok(r))
  for (const v of views) expect(v).toEqual(views[0])
  expect(views[0]).toMatchObject({ _id: a._id, code: a.code, status: 'cancelled' })
  expect(views[0]?.changeableUntil).toBeUndefined()
  expect(cloud.store.get('slots', target)?.booked).toBe(1)
  expect(cloud.store.get('appointments', a._id)).toMatchObject({
    status: 'cancelled',
    cancelledBy: 'resident'
  })
  // And once more, afterwards: the same answer.
  expect(ok(await appointment(cloud, 'cancel', { appointmentId: a._id }, 'r-cancel'))).toEqual(views[0])
})

test('ten simultaneous reschedules with one request id: all answer the same moved booking, it moves once', async () => {
  const from = slot('2026-12-03', '1430')
  const to = slot('2026-12-04', '1600')
  const a = ok(await book('r-move', from))
  const move = { appointmentId: a._id, slotId: to, requestId: requestId() }
  const results = await Promise.all(
    Array.from({ length: 10 }, () => appointment(cloud, 'reschedule', move, 'r-move'))
  )
  expect(results.map(code)).toEqual(Array(10).fill('ok'))
  const views = results.map((r) => ok(r))
  for (const v of views) expect(v).toEqual(views[0])
  expect(views[0]).toMatchObject({
    _id: a._id,
    code: a.code,
    status: 'booked',
    date: '2026-12-04',
    start: '16:00',
    rescheduledFrom: { date: '2026-12-03', start: '14:30' }
  })
  expect(cloud.store.get('slots', from)?.booked).toBe(0)
  expect(cloud.store.get('slots', to)?.booked).toBe(1)
  expect(cloud.store.get('appointments', a._id)).toMatchObject({
    slotId: to,
    rescheduledFrom: { slotId: from }
  })
  // One confirmation for the booking, one for the move.
  const confirmations = cloud.store
    .docs('outbox')
    .filter((m) => m.template === 'bookingConfirmed' && (m.ref as { id: string }).id === a._id)
  // (each keyed by the slot and the request that chose it)
  const keys = confirmations.map((m) => String(m.dedupeKey))
  expect(keys).toHaveLength(2)
  expect(keys.filter((k) => k.startsWith(`confirm:${a._id}:${from}:`))).toHaveLength(1)
  expect(keys).toContain(`confirm:${a._id}:${to}:${move.requestId}`)
  // The same request once more, afterwards: the same answer, nothing moves.
  expect(ok(await appointment(cloud, 'reschedule', move, 'r-move'))).toEqual(views[0])
  expect(cloud.store.get('slots', to)?.booked).toBe(1)
})

test('a retried booking whose own place filled the slot answers with that booking, holding nothing more', async () => {
  const capture = slot('2026-12-07', '1430', 'capture') // one person per slot
  const payload = {
    requestId: requestId(),
    serviceId: 'svc-idcard-renew',
    slotId: capture,
    applicant: APPLICANT,
    consent: true
  }
  const first = ok(await appointment(cloud, 'book', payload, 'r-retry-full'))
  const again = await Promise.all(
    Array.from({ length: 3 }, () => appointment(cloud, 'book', payload, 'r-retry-full'))
  )
  for (const r of again) expect(ok(r)).toEqual(first)
  expect(cloud.store.get('slots', capture)?.booked).toBe(1)
})

test("a move to another day races the account's daily limit as a booking does: never more than the limit that day", async () => {
  const [dayA, dayB, dayC] = ['2026-11-30', '2026-12-01', '2026-12-07']
  const times = ['1430', '1500', '1530', '1600'] // one per resident, on every day
  const targets = ['1630', '1700', '1030', '1100'] // where the racing pair lands on day B
  const outcomes = await Promise.all(
    times.map(async (time, i) => {
      const r = `r-move-limit-${i}`
      const target = slot(dayB, targets[i] as string)
      ok(await book(r, slot(dayB, time), '李雷'))
      const onA = ok(await book(r, slot(dayA, time), '韩梅梅'))
      const onC = i < 2 ? ok(await book(r, slot(dayC, time), '张伟')) : undefined
      // Two residents race two moves onto day B, two race a move against a new booking there.
      const racing = onC
        ? [reschedule(r, onA._id, target), reschedule(r, onC._id, target)]
        : [reschedule(r, onA._id, target), book(r, target, '张伟')]
      const codes = (await Promise.all(racing)).map(code)
      const onB = cloud.store
        .docs('appointments')
        .filter((a) => a.openid === r && a.status === 'booked' && a.date === dayB)
      return { r, codes, onB: onB.length }
    })
  )
  for (const { codes, onB } of outcomes) {
    expect(onB).toBe(PER_ACCOUNT_DAILY)
    expect(codes.sort()).toEqual(['ACCOUNT_DAILY_LIMIT', 'ok'])
  }
  // Where two moves raced, the one that went through wrote the resident's guard, as a booking does:
  // that is what serialises the two.
  const guards = cloud.store.docs('bookingGuards').map((g) => g.lastBookingId)
  for (const r of ['r-move-limit-0', 'r-move-limit-1']) {
    const moved = cloud.store.docs('appointments').filter((a) => a.openid === r && a.rescheduledFrom)
    expect(moved).toHaveLength(1)
    expect(guards).toContain(moved[0]?._id)
  }
})

test('a move to a day where the account is at its limit is refused, and the old booking stays as it was', async () => {
  const r = 'r-move-full-day'
  ok(await book(r, slot('2026-12-02', '1500'), '李雷'))
  ok(await book(r, slot('2026-12-02', '1530'), '韩梅梅'))
  const other = ok(await book(r, slot('2026-12-03', '1500'), '张伟'))
  const res = await reschedule(r, other._id, slot('2026-12-02', '1600'))
  expect(code(res)).toBe('ACCOUNT_DAILY_LIMIT')
  expect(cloud.store.get('appointments', other._id)).toMatchObject({ status: 'booked', date: '2026-12-03' })
  expect(cloud.store.get('slots', slot('2026-12-02', '1600'))?.booked ?? 0).toBe(0)
})

test('a reminder the timer read before a cancel committed is never queued (it is claimed on the booking first)', async () => {
  const a = ok(await book('r-remind-race', slot('2026-12-04', '1500')))
  const other = ok(await book('r-remind-other', slot('2026-12-04', '1530')))
  const db = connectSdk(cloud.url)
  const _ = db.command
  const evening = Date.parse('2026-12-03T12:05:00Z') // 20:05 in Shanghai, the evening before
  try {
    cloud.clock.set(evening)
    // The resident's cancel, held open: its transaction has written the booking, not yet committed.
    const tx = await db.startTransaction()
    await tx
      .collection('appointments')
      .doc(a._id)
      .update({ data: { status: 'cancelled', dayKey: `cancelled|${a._id}`, cancelledBy: 'resident' } })
    await tx
      .collection('slots')
      .doc(slot('2026-12-04', '1500'))
      .update({ data: { booked: _.inc(-1) } })
    // Meanwhile the timer reads the bookings due a reminder: this one is still booked.
    const before = cloud.faults.requestCounts().notify ?? 0
    const timer = cloud.timers.fire('notify')
    // Wait until the timer has gone past its read and waits on the booking the cancel holds.
    for (let last = -1, now = before; now !== last || now === before;) {
      await new Promise((r) => setTimeout(r, 300))
      last = now
      now = cloud.faults.requestCounts().notify ?? 0
    }
    await tx.commit()
    await timer
    const reminders = cloud.store
      .docs('outbox')
      .filter((m) => m.template === 'bookingReminder' && (m.ref as { id: string }).id === a._id)
    expect(reminders).toEqual([])
    expect(cloud.store.get('appointments', a._id)?.remindedEvening).toBeUndefined()
    // Another booking due that evening was reminded by the same run: the timer itself works.
    const others = cloud.store
      .docs('outbox')
      .filter((m) => m.template === 'bookingReminder' && (m.ref as { id: string }).id === other._id)
    expect(others).toHaveLength(1)
  } finally {
    cloud.clock.set(NOW)
  }
})

test('a join racing a cancel of the full slot: the place goes to the one who joined, never back to the open pool', async () => {
  const capture = slot('2026-12-08', '1500', 'capture') // one person per slot
  const idCard = { serviceId: 'svc-idcard-renew', slotId: capture, consent: true }
  const held = ok(
    await appointment(
      cloud,
      'book',
      { ...idCard, requestId: requestId(), applicant: APPLICANT },
      'r-wl-holder'
    )
  )
  // Warm instances, so the two calls overlap rather than queue behind cold starts.
  await Promise.all(
    ['r-wl-holder', 'r-wl-joiner'].map((r) =>
      appointment(cloud, 'slots', { serviceId: 'svc-idcard-renew', date: '2026-12-08' }, r)
    )
  )
  // The cancel's read of the waitlist answers late: it has begun its transaction and found nobody
  // waiting when the join commits.
  cloud.faults.delayOn({
    fn: 'appointment',
    action: 'database.getDocument',
    collection: 'waitlist',
    ms: 1500,
    times: 1
  })
  const cancelling = appointment(cloud, 'cancel', { appointmentId: held._id }, 'r-wl-holder')
  await new Promise((r) => setTimeout(r, 500))
  const joined = await appointment(
    cloud,
    'joinWaitlist',
    { ...idCard, applicant: { ...APPLICANT, name: '钱进' } },
    'r-wl-joiner'
  )
  ok(await cancelling)
  cloud.faults.clear()
  // The join saw the slot full (the cancel had not committed), so it is on the list; the cancel's
  // write of the slot then conflicted with the join's, ran again, and found it.
  const entry = ok(joined)
  expect(cloud.store.get('waitlist', entry._id)).toMatchObject({ status: 'promoted' })
  expect(cloud.store.get('slots', capture)).toMatchObject({ booked: 1 })
  const promoted = cloud.store
    .docs('appointments')
    .filter((a) => a.slotId === capture && a.status === 'booked')
  expect(promoted.map((a) => a.openid)).toEqual(['r-wl-joiner'])
})
