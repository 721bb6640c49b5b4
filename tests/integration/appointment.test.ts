/**
 * Residents book, change and keep appointments, through the appointment function on the local
 * cloud, with the cloud clock set to Friday 2026-11-27 09:59 in Shanghai.
 */
import { MAX_SAVED_APPLICANTS } from '../../types/appointment'
import {
  CHECKS_PER_MINUTE,
  dateAvailabilityText,
  type AppointmentView,
  type DateOption
} from '../../types/appointment'
import { appointment, APPLICANT, ok, requestId, slotInvariantViolations } from '../helpers/appointments'
import type { Result } from '../../types/result'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const NOW = Date.parse('2026-11-27T01:59:00Z') // 09:59 in Shanghai
const ID_CARD = 'svc-idcard-renew' // capture room: 1 person per slot
const CERT = 'svc-cert-hukou' // windows: 2 people per slot
const slot = (date: string, hhmm: string, resource: string) =>
  `st-yunxi-chengguan_${date}_${hhmm}_${resource}`

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.clock.set(NOW)
})

afterAll(async () => {
  await cloud.close()
})

afterEach(() => {
  cloud.clock.set(NOW)
  expect(slotInvariantViolations(cloud)).toEqual([])
})

async function firstBooking(openid: string): Promise<AppointmentView> {
  const mine = ok(await appointment(cloud, 'mine', {}, openid))
  const first = mine.upcoming[0]
  if (!first) throw new Error(`${openid} has no booking`)
  return first
}

function book(openid: string, slotId: string, extra: Record<string, unknown> = {}, serviceId = CERT) {
  return appointment(
    cloud,
    'book',
    { requestId: requestId(), serviceId, slotId, applicant: APPLICANT, consent: true, ...extra },
    openid
  )
}

describe('what is on offer', () => {
  test('dates from today through the 7th working day, with the duty weekend', async () => {
    const options = ok(await appointment(cloud, 'options', { serviceId: ID_CARD }, 'r-offer'))
    expect(options.dates[0]?.date).toBe('2026-11-27')
    expect(options.dates[options.dates.length - 1]?.date).toBe('2026-12-08')
    expect(options.dates.find((d) => d.date === '2026-11-28')).toMatchObject({ status: 'rest' })
    expect(options.suspendedUntil).toBeUndefined()
  })

  test("a day's slots for a service: its resource plus the extended-hours slots, each with what is left", async () => {
    const { slots } = ok(
      await appointment(cloud, 'slots', { serviceId: ID_CARD, date: '2026-12-01' }, 'r-offer')
    )
    expect(slots.find((s) => s.start === '08:30')).toMatchObject({
      slotId: slot('2026-12-01', '0830', 'capture'),
      kind: 'regular',
      left: 1
    })
    expect(slots.filter((s) => s.kind === 'extended').map((s) => s.label)).toContain('午间延时')
    expect(slots.some((s) => s.slotId.endsWith('_window'))).toBe(false)
  })

  test('each date says how many places are left, and the first date with a place is named', async () => {
    const before = ok(await appointment(cloud, 'options', { serviceId: CERT }, 'r-avail'))
    expect(before.firstAvailable).toBe('2026-11-27')
    const sunday = before.dates.find((d) => d.date === '2026-11-29')
    expect(sunday).toMatchObject({ status: 'rest', left: 6 }) // 周末值班 09:00–12:00, one a slot
    expect(dateAvailabilityText(sunday as DateOption)).toBe('休息日·仅值班')
    const tuesday = before.dates.find((d) => d.date === '2026-12-01') as DateOption
    expect(dateAvailabilityText(tuesday)).toBe(`余 ${tuesday.left}`)
    // The places of the date the slots action lists add up to the date's figure.
    const { slots } = ok(
      await appointment(cloud, 'slots', { serviceId: CERT, date: '2026-12-01' }, 'r-avail')
    )
    expect(slots.reduce((n, s) => n + s.left, 0)).toBe(tuesday.left)

    // Every duty slot of the Sunday taken: 约满, and it is not the first available date.
    for (const hhmm of ['0900', '0930', '1000', '1030', '1100', '1130'])
      ok(await book(`r-avail-${hhmm}`, slot('2026-11-29', hhmm, 'duty')))
    ok(await book('r-avail-tue', slot('2026-12-01', '0830', 'window')))
    const after = ok(await appointment(cloud, 'options', { serviceId: CERT }, 'r-avail'))
    const full = after.dates.find((d) => d.date === '2026-11-29') as DateOption
    expect(full.left).toBe(0)
    expect(dateAvailabilityText(full)).toBe('约满')
    expect(after.dates.find((d) => d.date === '2026-12-01')?.left).toBe(tuesday.left - 1)
  })

  test('same-day slots closing within the hour are not offered', async () => {
    const { slots } = ok(
      await appointment(cloud, 'slots', { serviceId: CERT, date: '2026-11-27' }, 'r-offer')
    )
    expect(slots[0]?.start).toBe('11:00')
  })
})

describe('booking', () => {
  let booked: AppointmentView

  test('books a slot: a code, the materials checklist, and the place held', async () => {
    booked = ok(await book('r-book', slot('2026-12-01', '0900', 'window')))
    expect(booked.code).toMatch(/^[2-9A-HJKMNP-TW-Z]{6}$/)
    expect(booked).toMatchObject({
      status: 'booked',
      date: '2026-12-01',
      start: '09:00',
      end: '09:30',
      serviceName: '户籍证明开具'
    })
    expect(booked.materials.map((m) => m.name)).toContain('居民户口簿')
    expect(booked.applicant).toEqual({ name: '王芳', mobileMasked: '138****5678', relation: 'self' })
    expect(cloud.store.get('slots', slot('2026-12-01', '0900', 'window'))).toMatchObject({
      booked: 1,
      capacity: 2
    })
    const mine = ok(await appointment(cloud, 'mine', {}, 'r-book'))
    expect(mine.upcoming.map((a) => a._id)).toEqual([booked._id])
  })

  test('a retried request returns the same booking and holds nothing more', async () => {
    const id = requestId()
    const payload = {
      requestId: id,
      serviceId: CERT,
      slotId: slot('2026-12-02', '0900', 'window'),
      applicant: APPLICANT,
      consent: true
    }
    const first = ok(await appointment(cloud, 'book', payload, 'r-retry'))
    const again = ok(await appointment(cloud, 'book', payload, 'r-retry'))
    expect(again._id).toBe(first._id)
    expect(again.code).toBe(first.code)
    expect(cloud.store.get('slots', slot('2026-12-02', '0900', 'window'))?.booked).toBe(1)
  })

  test('a double tap (the same request twice at once) books once', async () => {
    const payload = {
      requestId: requestId(),
      serviceId: CERT,
      slotId: slot('2026-12-03', '0900', 'window'),
      applicant: APPLICANT,
      consent: true
    }
    const [a, b] = await Promise.all([
      appointment(cloud, 'book', payload, 'r-tap'),
      appointment(cloud, 'book', payload, 'r-tap')
    ])
    expect(ok(a)._id).toBe(ok(b)._id)
    expect(cloud.store.docs('appointments').filter((d) => d.openid === 'r-tap')).toHaveLength(1)
  })

  test('a full slot is refused', async () => {
    const s = slot('2026-12-01', '0830', 'capture')
    ok(await book('r-full-1', s, {}, ID_CARD))
    const res = await book('r-full-2', s, {}, ID_CARD)
    expect(res.ok ? 'ok' : res.error.code).toBe('SLOT_FULL')
  })

  test('one active booking a day, and at most three at once', async () => {
    ok(await book('r-limits', slot('2026-12-01', '1000', 'window')))
    const sameDay = await book('r-limits', slot('2026-12-01', '1500', 'window'))
    expect(sameDay.ok ? 'ok' : sameDay.error.code).toBe('ONE_PER_DAY')
    ok(await book('r-limits', slot('2026-12-02', '1000', 'window')))
    ok(await book('r-limits', slot('2026-12-03', '1000', 'window')))
    const fourth = await book('r-limits', slot('2026-12-04', '1000', 'window'))
    expect(fourth.ok ? 'ok' : fourth.error.code).toBe('TOO_MANY_ACTIVE')
  })

  test('an ID number is checked, stored protected and shown masked', async () => {
    const bad = await book('r-id', slot('2026-12-04', '0900', 'window'), {
      applicant: { ...APPLICANT, idNumber: '110105194912310021' }
    })
    expect(bad.ok ? 'ok' : bad.error).toEqual({
      code: 'ID_NUMBER_INVALID',
      message: expect.stringContaining('校验位')
    })
    const good = ok(
      await book('r-id', slot('2026-12-04', '0900', 'window'), {
        applicant: { ...APPLICANT, idNumber: '11010519491231002X' }
      })
    )
    expect(good.applicant.idMasked).toBe('110105********002X')
    const stored = JSON.stringify(cloud.store.get('appointments', good._id))
    expect(stored).not.toContain('11010519491231002X')
    expect(stored).toContain('idNumberProtected')
  })
})

describe("once a day per person served, and the account's daily limit", () => {
  const FATHER = { ...APPLICANT, name: '王建国', relation: 'parent', idNumber: '11010519491231002X' }
  const check = (openid: string, date: string, applicant: Record<string, unknown>) =>
    appointment(cloud, 'check', { serviceId: CERT, date, applicant }, openid)

  test('a daughter books for her father on the day she has her own booking', async () => {
    const own = ok(await book('r-daughter', slot('2026-12-03', '0900', 'window')))
    expect(
      ok(await check('r-daughter', '2026-12-03', { name: FATHER.name, idNumber: FATHER.idNumber }))
    ).toEqual({
      allowed: true
    })
    const his = ok(await book('r-daughter', slot('2026-12-03', '1000', 'window'), { applicant: FATHER }))
    expect(his._id).not.toBe(own._id)
  })

  test('the same person twice on one day is refused before the consent sheet, linking the booking', async () => {
    const mine = ok(await appointment(cloud, 'mine', {}, 'r-daughter')).upcoming
    const fathers = mine.find((b) => b.applicant.name === FATHER.name)
    const before = ok(
      await check('r-daughter', '2026-12-03', { name: FATHER.name, idNumber: FATHER.idNumber })
    )
    expect(before).toEqual({
      allowed: false,
      code: 'ONE_PER_DAY',
      message: expect.stringContaining('同一人一天只能预约一次'),
      blockingAppointmentId: fathers?._id
    })
    const res = await book('r-daughter', slot('2026-12-03', '1500', 'window'), { applicant: FATHER })
    expect(res.ok ? 'ok' : res.error).toEqual({
      code: 'ONE_PER_DAY',
      message: expect.any(String),
      blockingAppointmentId: fathers?._id
    })
  })

  test("from another account the same ID number is refused, without disclosing the other account's booking", async () => {
    const pre = ok(await check('r-son', '2026-12-03', { name: '王建国', idNumber: FATHER.idNumber }))
    expect(pre).toMatchObject({ allowed: false, code: 'ONE_PER_DAY' })
    expect(pre).not.toHaveProperty('blockingAppointmentId')
    const res = await book('r-son', slot('2026-12-03', '1530', 'window'), { applicant: FATHER })
    expect(res.ok ? 'ok' : res.error).toEqual({ code: 'ONE_PER_DAY', message: expect.any(String) })
    // Another day is fine.
    ok(await book('r-son', slot('2026-12-08', '1100', 'window'), { applicant: FATHER }))
  })

  /** The officer's step on a booking, as the staff function stores it. */
  const mark = (id: string, status: 'done' | 'no_show') => {
    const doc = cloud.store.get('appointments', id)
    if (!doc) throw new Error(`no booking ${id}`)
    const when = new Date(NOW)
    const step = status === 'done' ? { finishedAt: when, startedAt: when } : { noShowAt: when }
    cloud.store.commit([{ coll: 'appointments', id, doc: { ...doc, ...step, status, updatedAt: when } }])
  }

  // Named without an ID number: the same name on one account is the same person.
  const GRANDMA = { ...APPLICANT, name: '赵秀英', relation: 'parent' }

  test('a finished case does not stop the same person booking another service that day', async () => {
    const first = ok(await book('r-finished', slot('2026-12-02', '0900', 'window'), { applicant: GRANDMA }))
    mark(first._id, 'done')
    const applicant = { name: GRANDMA.name }
    expect(ok(await check('r-finished', '2026-12-02', applicant))).toEqual({ allowed: true })
    // The same person, later that day, for their ID card (another service, another room).
    const second = ok(
      await book('r-finished', slot('2026-12-02', '1430', 'capture'), { applicant: GRANDMA }, ID_CARD)
    )
    expect(second.status).toBe('booked')
    // The finished case is left as it was, but for the day it no longer holds.
    expect(cloud.store.get('appointments', first._id)).toMatchObject({ status: 'done' })
    expect(String(cloud.store.get('appointments', first._id)?.dayKey)).toContain('|closed|')
  })

  test('a no-show keeps its day, and the refusal offers no change (可改约) to a booking that is over', async () => {
    const missed = ok(await book('r-missed', slot('2026-12-04', '0900', 'window'), { applicant: GRANDMA }))
    mark(missed._id, 'no_show')
    const pre = ok(await check('r-missed', '2026-12-04', { name: GRANDMA.name }))
    expect(pre).toMatchObject({ allowed: false, code: 'ONE_PER_DAY', blockingAppointmentId: missed._id })
    const res = await book('r-missed', slot('2026-12-04', '1500', 'window'), { applicant: GRANDMA })
    expect(res.ok ? 'ok' : res.error).toMatchObject({
      code: 'ONE_PER_DAY',
      blockingAppointmentId: missed._id
    })
    for (const message of [pre.allowed ? '' : pre.message, res.ok ? '' : res.error.message]) {
      expect(message).toContain('未到场')
      expect(message).not.toContain('改约')
    }
  })

  test('the availability check is limited per resident: past the allowance a clear refusal, the next minute again', async () => {
    const applicant = { name: '钱多多' }
    for (let i = 0; i < CHECKS_PER_MINUTE; i++)
      expect(ok(await check('r-checker', '2026-12-02', applicant))).toEqual({ allowed: true })
    const over = await check('r-checker', '2026-12-02', applicant)
    expect(over.ok ? 'ok' : over.error).toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('稍等一分钟')
    })
    // Another resident is not held up, and the next minute the first may check again.
    expect(ok(await check('r-checker-2', '2026-12-02', applicant))).toEqual({ allowed: true })
    cloud.clock.set(NOW + 60_000)
    expect(ok(await check('r-checker', '2026-12-02', applicant))).toEqual({ allowed: true })
    // The count holds no OPENID.
    expect(JSON.stringify(cloud.store.docs('requestQuotas'))).not.toContain('r-checker')
  })

  test('one account books at most three people a day (the station default)', async () => {
    const people = ['甲', '乙', '丙', '丁'].map((n) => ({ ...APPLICANT, name: `李${n}` }))
    for (const [i, p] of people.slice(0, 3).entries())
      ok(
        await book('r-family', slot('2026-12-08', ['0830', '0900', '0930'][i] ?? '', 'window'), {
          applicant: p
        })
      )
    const pre = ok(await check('r-family', '2026-12-08', { name: '李丁' }))
    expect(pre).toMatchObject({ allowed: false, code: 'ACCOUNT_DAILY_LIMIT' })
    const fourth = await book('r-family', slot('2026-12-08', '1000', 'window'), { applicant: people[3] })
    expect(fourth.ok ? 'ok' : fourth.error.code).toBe('ACCOUNT_DAILY_LIMIT')
  })
})

describe('common applicants (常用办事人)', () => {
  const MOTHER = { name: '赵桂兰', mobile: '13700001111', relation: 'parent', idNumber: '110105195003150027' }

  test("saved only with consent, the ID number protected and shown masked; the resident's own only", async () => {
    const refused = await appointment(
      cloud,
      'saveApplicant',
      { applicant: MOTHER, consent: false },
      'r-saver'
    )
    expect(refused.ok ? 'ok' : refused.error.code).toBe('CONSENT_REQUIRED')
    expect(cloud.store.docs('applicants')).toEqual([])

    const saved = ok(
      await appointment(cloud, 'saveApplicant', { applicant: MOTHER, consent: true }, 'r-saver')
    )
    expect(saved).toEqual({
      _id: expect.any(String),
      name: MOTHER.name,
      mobile: MOTHER.mobile,
      relation: 'parent',
      idMasked: '110105********0027'
    })
    const stored = JSON.stringify(cloud.store.get('applicants', saved._id))
    expect(stored).not.toContain(MOTHER.idNumber)
    expect(stored).toContain('idNumberProtected')
    // Saved again (a new mobile): the same entry, updated.
    ok(
      await appointment(
        cloud,
        'saveApplicant',
        { applicant: { ...MOTHER, mobile: '13700002222' }, consent: true },
        'r-saver'
      )
    )
    expect(ok(await appointment(cloud, 'applicants', {}, 'r-saver'))).toEqual([
      { ...saved, mobile: '13700002222' }
    ])
    expect(ok(await appointment(cloud, 'applicants', {}, 'r-other'))).toEqual([])
    const theirs = await appointment(cloud, 'removeApplicant', { applicantId: saved._id }, 'r-other')
    expect(theirs.ok ? 'ok' : theirs.error.code).toBe('NOT_FOUND')
    expect(cloud.store.get('applicants', saved._id)).toBeDefined()
  })

  test('the cap of saved applicants holds when two are saved at once', async () => {
    const save = (name: string) =>
      appointment(
        cloud,
        'saveApplicant',
        { applicant: { name, mobile: '13700003333', relation: 'child' }, consent: true },
        'r-many'
      )
    for (let i = 1; i < MAX_SAVED_APPLICANTS; i++) ok(await save(`王${'一二三四五六七八九'[i - 1]}`))
    // Both count nine before either writes: the counts' answers arrive late (long enough for the
    // second call's cold instance to start and count too).
    cloud.faults.delayOn({
      fn: 'appointment',
      action: 'database.calculateDocument',
      collection: 'applicants',
      ms: 2500,
      times: 2
    })
    const results = await Promise.all([save('王甲'), save('王乙')])
    cloud.faults.clear()
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code)).sort()).toEqual(['TOO_MANY_APPLICANTS', 'ok'])
    expect(cloud.store.docs('applicants').filter((a) => a.openid === 'r-many')).toHaveLength(
      MAX_SAVED_APPLICANTS
    )
  })

  test('picked in one tap: the booking uses the stored ID number without it being typed again', async () => {
    const [saved] = ok(await appointment(cloud, 'applicants', {}, 'r-saver'))
    const { idNumber: _typed, ...withoutId } = MOTHER
    void _typed
    const booked = ok(
      await book('r-saver', slot('2026-12-03', '1100', 'window'), {
        applicant: { ...withoutId, mobile: saved?.mobile },
        savedApplicantId: saved?._id
      })
    )
    expect(booked.applicant.idMasked).toBe('110105********0027')
    // Someone else's saved applicant cannot be borrowed.
    const borrowed = await book('r-other', slot('2026-12-03', '1100', 'window'), {
      applicant: withoutId,
      savedApplicantId: saved?._id
    })
    expect(borrowed.ok ? 'ok' : borrowed.error.code).toBe('NOT_FOUND')
  })

  test('removed by the resident, it is gone', async () => {
    const [saved] = ok(await appointment(cloud, 'applicants', {}, 'r-saver'))
    expect(
      ok(await appointment(cloud, 'removeApplicant', { applicantId: saved?._id ?? '' }, 'r-saver'))
    ).toEqual({
      removed: true
    })
    expect(ok(await appointment(cloud, 'applicants', {}, 'r-saver'))).toEqual([])
  })
})

describe('changing a booking', () => {
  test('cancel releases the place; cancelling again is harmless', async () => {
    const a = ok(await book('r-cancel', slot('2026-12-02', '1400', 'duty'), {}, CERT))
    expect(cloud.store.get('slots', a.date && slot('2026-12-02', '1400', 'duty'))?.booked).toBe(1)
    const cancelled = ok(await appointment(cloud, 'cancel', { appointmentId: a._id }, 'r-cancel'))
    expect(cancelled.status).toBe('cancelled')
    expect(cancelled.changeableUntil).toBeUndefined()
    expect(cloud.store.get('slots', slot('2026-12-02', '1400', 'duty'))?.booked).toBe(0)
    expect(ok(await appointment(cloud, 'cancel', { appointmentId: a._id }, 'r-cancel')).status).toBe(
      'cancelled'
    )
    // The day is free again for this resident.
    ok(await book('r-cancel', slot('2026-12-02', '1430', 'window')))
  })

  test('reschedule moves the booking in one step and keeps its code', async () => {
    const a = ok(await book('r-move', slot('2026-12-07', '0900', 'window')))
    const moved = ok(
      await appointment(
        cloud,
        'reschedule',
        { appointmentId: a._id, slotId: slot('2026-12-08', '1500', 'window'), requestId: requestId() },
        'r-move'
      )
    )
    expect(moved).toMatchObject({
      _id: a._id,
      code: a.code,
      date: '2026-12-08',
      start: '15:00',
      rescheduledFrom: { date: '2026-12-07', start: '09:00' }
    })
    expect(cloud.store.get('slots', slot('2026-12-07', '0900', 'window'))?.booked).toBe(0)
    expect(cloud.store.get('slots', slot('2026-12-08', '1500', 'window'))?.booked).toBe(1)
  })

  test('a booking moved away and back to its first time is confirmed each time', async () => {
    const first = slot('2026-12-02', '1530', 'window')
    const a = ok(await book('r-back', first))
    const move = (slotId: string) =>
      appointment(cloud, 'reschedule', { appointmentId: a._id, slotId, requestId: requestId() }, 'r-back')
    ok(await move(slot('2026-12-04', '1530', 'window')))
    const back = ok(await move(first))
    expect(back).toMatchObject({ date: '2026-12-02', start: '15:30', status: 'booked' })
    expect(cloud.store.get('slots', first)?.booked).toBe(1)
    // One confirmation per time the resident chose: the booking, the move, the move back.
    const confirmations = cloud.store
      .docs('outbox')
      .filter((m) => m.template === 'bookingConfirmed' && m.touser === 'r-back')
    expect(confirmations.map((m) => (m.values as { time: string }).time)).toEqual([
      '2026-12-02 15:30',
      '2026-12-04 15:30',
      '2026-12-02 15:30'
    ])
  })

  test('rescheduling into a full slot keeps the old booking untouched', async () => {
    const full = slot('2026-12-07', '0830', 'capture')
    ok(await book('r-occupier', full, {}, ID_CARD))
    const a = ok(await book('r-move-full', slot('2026-12-07', '0900', 'capture'), {}, ID_CARD))
    const res = await appointment(
      cloud,
      'reschedule',
      { appointmentId: a._id, slotId: full, requestId: requestId() },
      'r-move-full'
    )
    expect(res.ok ? 'ok' : res.error.code).toBe('SLOT_FULL')
    expect(ok(await appointment(cloud, 'get', { appointmentId: a._id }, 'r-move-full'))).toMatchObject({
      start: '09:00',
      status: 'booked'
    })
  })

  test('no online changes within two hours of the slot', async () => {
    const a = ok(await book('r-late', slot('2026-11-30', '0900', 'window')))
    cloud.clock.set(Date.parse('2026-11-30T00:00:00Z')) // 08:00 in Shanghai
    const res = await appointment(cloud, 'cancel', { appointmentId: a._id }, 'r-late')
    expect(res.ok ? 'ok' : res.error.code).toBe('TOO_LATE_TO_CHANGE')
  })

  test("someone else's booking is not found, and cannot be cancelled", async () => {
    const a = ok(await book('r-owner', slot('2026-12-03', '1100', 'window')))
    const before = snapshot(cloud)
    for (const action of ['get', 'cancel'] as const) {
      const res = await appointment(cloud, action, { appointmentId: a._id }, 'r-intruder')
      expect(res.ok ? 'ok' : res.error.code).toBe('NOT_FOUND')
    }
    expect(snapshot(cloud)).toEqual(before)
  })
})

describe('no-shows', () => {
  test('two no-shows within 30 days suspend online booking, and the resident is told until when', async () => {
    for (const [i, date] of ['2026-11-05', '2026-11-20'].entries()) {
      cloud.store.commit([
        {
          coll: 'appointments',
          id: `ns-${i}`,
          doc: {
            _id: `ns-${i}`,
            openid: 'r-noshow',
            status: 'no_show',
            date,
            startsAt: new Date(`${date}T01:00:00Z`),
            slotId: `past-${i}`,
            dayKey: `r-noshow|${date}|closed|ns-${i}`,
            code: `NS${i}NS${i}`
          }
        },
        { coll: 'slots', id: `past-${i}`, doc: { _id: `past-${i}`, booked: 1, capacity: 2 } }
      ])
    }
    const options = ok(await appointment(cloud, 'options', { serviceId: CERT }, 'r-noshow'))
    expect(options.suspendedUntil?.slice(0, 10)).toBe('2027-02-18')
    const res = await book('r-noshow', slot('2026-12-01', '1100', 'window'))
    expect(res.ok ? 'ok' : res.error.code).toBe('SUSPENDED')
    if (!res.ok) expect(res.error.message).toContain('2027-02-18')
  })
})

describe('bad input changes nothing', () => {
  test.each([
    ['a malformed mobile', { applicant: { ...APPLICANT, mobile: '1381234' } }, 'MOBILE_INVALID'],
    ['an over-long name', { applicant: { ...APPLICANT, name: '王'.repeat(21) } }, 'NAME_INVALID'],
    ['no consent', { consent: false }, 'CONSENT_REQUIRED'],
    ['a past slot', { slotId: slot('2026-11-26', '0900', 'window') }, 'SLOT_PAST'],
    ['a day outside the window', { slotId: slot('2026-12-10', '0900', 'window') }, 'OUTSIDE_WINDOW'],
    ['a slot that does not exist', { slotId: slot('2026-12-01', '0915', 'window') }, 'SLOT_CLOSED'],
    ['a slot of another resource', { slotId: slot('2026-12-01', '0900', 'capture') }, 'SLOT_CLOSED'],
    ['an unknown service', { serviceId: 'svc-nope' }, 'NOT_FOUND'],
    ['a consultation (not bookable)', { serviceId: 'svc-consult-policy' }, 'NOT_BOOKABLE'],
    ['a year not yet published', { slotId: slot('2027-01-04', '0900', 'window') }, 'CALENDAR_UNPUBLISHED'],
    ['a malformed request id', { requestId: 'x' }, 'INVALID_INPUT']
  ])('%s', async (_what, extra, code) => {
    const before = snapshot(cloud)
    const res = await book('r-bad', slot('2026-12-01', '0900', 'window'), extra)
    expect(res.ok ? 'ok' : res.error.code).toBe(code)
    if (!res.ok) expect(res.error.message).toMatch(/[\u4e00-\u9fa5]/)
    expect(snapshot(cloud)).toEqual(before)
  })

  test('a closed slot (training) is refused, even by an instance whose list of closures is a minute old', async () => {
    ok(await book('r-closed', slot('2026-12-04', '1000', 'window'))) // this instance has now read the closures
    const closure = {
      requestId: requestId(),
      stationId: 'st-yunxi-chengguan',
      date: '2026-12-04',
      start: '14:30',
      end: '16:00',
      reason: '业务培训'
    }
    const res = await callFunction<Result<unknown>>(
      cloud,
      'station',
      { action: 'addClosure', payload: closure },
      'demo-leader-zhou'
    )
    expect(res.body.ok).toBe(true)
    const before = snapshot(cloud)
    for (const s of [slot('2026-12-04', '1430', 'window'), slot('2026-12-04', '1530', 'window')]) {
      const refused = await book('r-closed-2', s)
      expect(refused.ok ? 'ok' : refused.error.code).toBe('SLOT_CLOSED')
    }
    expect(snapshot(cloud)).toEqual(before)
    // Moving a booking into the closed time is refused the same way.
    const moved = await appointment(
      cloud,
      'reschedule',
      {
        appointmentId: (await firstBooking('r-closed'))._id,
        slotId: slot('2026-12-04', '1500', 'window'),
        requestId: requestId()
      },
      'r-closed'
    )
    expect(moved.ok ? 'ok' : moved.error.code).toBe('SLOT_CLOSED')
  })

  test('a caller without an identity is refused', async () => {
    const res = await book('', slot('2026-12-01', '0900', 'window'))
    expect(res.ok ? 'ok' : res.error.code).toBe('UNAUTHENTICATED')
  })
})
