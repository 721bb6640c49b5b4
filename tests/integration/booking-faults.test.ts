/**
 * Faults never double-book and leave no phantom hold: the booking function's instance is killed
 * at chosen points of its transaction; afterwards every slot's booked count still equals the
 * appointments holding it, and retrying the same request books once. Also the database requests
 * a booking costs (what the cloud bills), a deterministic budget.
 */
import type { Doc } from '../../local-cloud/db/store'
import { appointment, APPLICANT, ok, requestId, slotInvariantViolations } from '../helpers/appointments'
import { callFunction, freshCloud } from '../helpers/cloud'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const SLOT = 'st-yunxi-chengguan_2026-12-01_0900_window'

beforeAll(async () => {
  cloud = await freshCloud({ timers: false, transactionLifetimeMs: 1000 })
  cloud.clock.set(Date.parse('2026-11-27T01:59:00Z'))
})

afterAll(async () => {
  await cloud.close()
})

const waitForExpiry = () => new Promise((r) => setTimeout(r, 1500))

test.each([
  ['after the place is held, before the booking is saved', 'database.insertDocument', 'appointments'],
  ['at the commit', 'database.commitTransaction', undefined]
])('a crash %s leaves no phantom hold, and the retry books once', async (_when, action, collection) => {
  const openid = `r-crash-${action.replace(/\W/g, '-')}`
  const payload = {
    requestId: requestId(),
    serviceId: 'svc-cert-hukou',
    slotId: SLOT,
    applicant: APPLICANT,
    consent: true
  }
  const heldBefore = Number(cloud.store.get('slots', SLOT)?.booked ?? 0)
  cloud.faults.crashOn({
    fn: 'appointment',
    action,
    ...(collection ? { collection } : {}),
    inTransaction: true
  })

  const crashed = await callFunction<{ errCode: number }>(
    cloud,
    'appointment',
    { action: 'book', payload },
    openid
  )
  expect(crashed.status).toBe(500)
  expect(crashed.body.errCode).toBe(-504002)
  await waitForExpiry() // the abandoned transaction is rolled back, as the cloud does when it times out
  expect(Number(cloud.store.get('slots', SLOT)?.booked ?? 0)).toBe(heldBefore)
  expect(cloud.store.docs('appointments').filter((a) => a.openid === openid)).toHaveLength(0)
  expect(cloud.store.docs('outbox').filter((m) => m.touser === openid)).toHaveLength(0)
  expect(slotInvariantViolations(cloud)).toEqual([])

  const retried = ok(await appointment(cloud, 'book', payload, openid))
  expect(ok(await appointment(cloud, 'book', payload, openid))._id).toBe(retried._id)
  expect(cloud.store.docs('appointments').filter((a) => a.openid === openid)).toHaveLength(1)
  expect(cloud.store.get('slots', SLOT)?.booked).toBe(heldBefore + 1)
  expect(slotInvariantViolations(cloud)).toEqual([])
})

/**
 * Measured: see npm run bench, and docs/booking-rules.md for what each request is. Lower is
 * cheaper; raise only with a reason.
 */
const BOOKING_REQUEST_BUDGET = 8

test(`a booking on a warm instance costs at most ${BOOKING_REQUEST_BUDGET} database requests`, async () => {
  // Warm the instance: station, service, holiday table and closures are cached for a minute.
  ok(
    await appointment(
      cloud,
      'book',
      {
        requestId: requestId(),
        serviceId: 'svc-cert-hukou',
        slotId: 'st-yunxi-chengguan_2026-12-02_1000_window',
        applicant: APPLICANT,
        consent: true
      },
      'r-budget-warm'
    )
  )
  const counts: number[] = []
  // A first booking of a new resident in a new slot, then one by someone with a booking already.
  for (const [openid, slotId] of [
    ['r-budget', 'st-yunxi-chengguan_2026-12-02_0900_window'],
    ['r-budget-warm', 'st-yunxi-chengguan_2026-12-03_0900_window']
  ]) {
    cloud.faults.resetCounts()
    ok(
      await appointment(
        cloud,
        'book',
        { requestId: requestId(), serviceId: 'svc-cert-hukou', slotId, applicant: APPLICANT, consent: true },
        openid
      )
    )
    counts.push(cloud.faults.requestCounts().appointment ?? 0)
  }
  for (const used of counts) {
    expect(used).toBeGreaterThan(0)
    expect(used).toBeLessThanOrEqual(BOOKING_REQUEST_BUDGET)
  }
})

describe('a failure after the commit is not the resident’s: the booking exists, the answer says so', () => {
  let alerting: Cloud

  beforeAll(async () => {
    alerting = await freshCloud({ timers: false })
    alerting.clock.set(Date.parse('2026-11-27T01:59:00Z'))
    // This station announces each new booking to the officers on duty.
    const station = alerting.store.get('stations', 'st-yunxi-chengguan') as Doc & { booking: object }
    alerting.store.commit([
      {
        coll: 'stations',
        id: station._id,
        doc: { ...station, booking: { ...station.booking, alertOfficersOnBooking: true } }
      }
    ])
  })

  afterEach(() => alerting.faults.clear())

  afterAll(async () => {
    await alerting.close()
  })

  const failOutboxOutsideTransaction = (action: string) =>
    alerting.faults.failOn({ fn: 'appointment', action, collection: 'outbox', outsideTransaction: true })

  test('book: the officers’ alerts are queued with the booking, so no later write can fail it', async () => {
    failOutboxOutsideTransaction('database.insertDocument')
    const booked = ok(
      await appointment(
        alerting,
        'book',
        {
          requestId: requestId(),
          serviceId: 'svc-cert-hukou',
          slotId: SLOT,
          applicant: APPLICANT,
          consent: true
        },
        'r-after-commit-book'
      )
    )
    expect(alerting.store.get('appointments', booked._id)).toMatchObject({ status: 'booked' })
    const messages = alerting.store.docs('outbox').filter((m) => (m.ref as { id: string }).id === booked._id)
    expect(messages.map((m) => m.template).sort()).toEqual(
      expect.arrayContaining(['bookingConfirmed', 'officerAlert'])
    )
    expect(slotInvariantViolations(alerting)).toEqual([])
  })

  test.each(['reschedule', 'cancel'] as const)(
    '%s: the old time’s reminders cannot be withdrawn, yet the resident is told it is done',
    async (action) => {
      const openid = `r-after-commit-${action}`
      const booked = ok(
        await appointment(
          alerting,
          'book',
          {
            requestId: requestId(),
            serviceId: 'svc-cert-hukou',
            slotId: 'st-yunxi-chengguan_2026-12-02_0900_window',
            applicant: APPLICANT,
            consent: true
          },
          openid
        )
      )
      failOutboxOutsideTransaction('database.removeDocument')
      const payload =
        action === 'reschedule'
          ? {
              appointmentId: booked._id,
              slotId: 'st-yunxi-chengguan_2026-12-03_0900_window',
              requestId: requestId()
            }
          : { appointmentId: booked._id }
      const changed = ok(await appointment(alerting, action, payload, openid))
      const stored = alerting.store.get('appointments', booked._id)
      if (action === 'reschedule') {
        expect(changed).toMatchObject({ status: 'booked', date: '2026-12-03' })
        expect(stored).toMatchObject({ status: 'booked', date: '2026-12-03' })
      } else {
        expect(changed.status).toBe('cancelled')
        expect(stored).toMatchObject({ status: 'cancelled' })
      }
      // The same call again answers the same: nothing half-done is left to trip over.
      expect(ok(await appointment(alerting, action, payload, openid))).toEqual(changed)
      expect(slotInvariantViolations(alerting)).toEqual([])
    }
  )
})
