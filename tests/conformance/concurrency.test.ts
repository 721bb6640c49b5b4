/**
 * Capacity under concurrency, the way the booking functions rely on it (capacity is enforced
 * atomically, never by reading then writing): many callers at once through the real wx-server-sdk.
 * Deterministic, so asserted (the benchmark prints the same figure).
 */
import { sdkCloud, type SdkCloud } from '../helpers/conformance'
import type { SdkError } from '../helpers/sdk'

let env: SdkCloud

beforeAll(async () => {
  env = await sdkCloud(['slots', 'bookings'])
})

afterAll(async () => {
  await env.cloud.close()
})

// 云开发 guide › 数据库 › 原子操作: an update with a condition is atomic per document, so
// "decrement only while something is left" cannot oversell: 500 concurrent conditional
// increments with capacity 10 give exactly 10 successes (docs/platform.md).
test('500 concurrent conditional increments on one document with capacity 10: exactly 10 succeed', async () => {
  const _ = env.db.command
  await env.db.collection('slots').add({ data: { _id: 'slot-500', capacity: 10, booked: 0 } })
  const attempts = Array.from({ length: 500 }, () =>
    env.db
      .collection('slots')
      .where({ _id: 'slot-500', booked: _.lt(10) })
      .update({ data: { booked: _.inc(1) } })
  )
  const results = await Promise.all(attempts)
  expect(results.filter((r) => r.stats.updated === 1)).toHaveLength(10)
  expect((await env.db.collection('slots').doc('slot-500').get()).data?.booked).toBe(10)
})

// 云开发 guide › 数据库 › 事务: a transaction that reads a slot, checks capacity, increments it
// and adds a booking is all-or-nothing; concurrent ones conflict instead of overselling.
test('concurrent booking transactions never oversell and never leave a booking without its count', async () => {
  const _ = env.db.command
  await env.db.collection('slots').add({ data: { _id: 'slot-tx', capacity: 5, booked: 0 } })
  const book = (who: number) =>
    env.db.runTransaction(async (tx) => {
      const slot = (await tx.collection('slots').doc('slot-tx').get()).data as {
        booked: number
        capacity: number
      }
      if (slot.booked >= slot.capacity) return 'full'
      await tx
        .collection('slots')
        .doc('slot-tx')
        .update({ data: { booked: _.inc(1) } })
      await tx.collection('bookings').add({ data: { slot: 'slot-tx', who } })
      return 'booked'
    })
  const outcomes = await Promise.all(
    Array.from({ length: 40 }, (_unused, i) =>
      book(i).then(
        (r) => r,
        (e: SdkError) => (e.errCode === -501001 ? 'conflict' : `error ${e.errCode ?? e.message}`)
      )
    )
  )
  const booked = outcomes.filter((o) => o === 'booked').length
  expect(outcomes.every((o) => o === 'booked' || o === 'full' || o === 'conflict')).toBe(true)
  expect(booked).toBeGreaterThan(0)
  expect(booked).toBeLessThanOrEqual(5)
  const slot = (await env.db.collection('slots').doc('slot-tx').get()).data
  expect(slot?.booked).toBe(booked)
  expect((await env.db.collection('bookings').where({ slot: 'slot-tx' }).count()).total).toBe(booked)
})
