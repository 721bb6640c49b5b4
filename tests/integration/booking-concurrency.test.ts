/**
 * Capacity under concurrency: 500 residents book the same slot at once through the local cloud;
 * exactly its capacity succeed, the rest are told it is full, and afterwards every slot's
 * booked count equals the appointments holding it.
 */
import { appointment, APPLICANT, requestId, slotInvariantViolations } from '../helpers/appointments'
import { freshCloud } from '../helpers/cloud'

jest.setTimeout(180_000)

test('500 simultaneous bookings for one slot of capacity 2 → exactly 2', async () => {
  const cloud = await freshCloud({ timers: false })
  try {
    cloud.clock.set(Date.parse('2026-11-27T01:59:00Z'))
    const slotId = 'st-yunxi-chengguan_2026-12-01_0900_window'
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        appointment(
          cloud,
          'book',
          {
            requestId: requestId(),
            serviceId: 'svc-cert-hukou',
            slotId,
            applicant: APPLICANT,
            consent: true
          },
          `crowd-${i}`
        )
      )
    )
    const codes = results.map((r) => (r.ok ? 'ok' : r.error.code))
    expect(codes.filter((c) => c === 'ok')).toHaveLength(2)
    // Everyone else hears the slot is full (never a system error).
    expect(new Set(codes.filter((c) => c !== 'ok'))).toEqual(new Set(['SLOT_FULL']))
    expect(cloud.store.get('slots', slotId)).toMatchObject({ booked: 2, capacity: 2 })
    expect(cloud.store.docs('appointments')).toHaveLength(2)
    expect(slotInvariantViolations(cloud)).toEqual([])
  } finally {
    await cloud.close()
  }
})
