/**
 * The outbox retries a transient WeChat failure with backoff (1, 5, 15, 60 minutes), sends once
 * when WeChat recovers, and after the last attempt leaves a visible failure — failures injected
 * into the local cloud's subscribeMessage.send.
 */
import { appointment, APPLICANT, ok, requestId } from '../helpers/appointments'
import { freshCloud } from '../helpers/cloud'
import { allowTemplates } from '../helpers/subscriptions'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const NOW = Date.parse('2026-11-27T01:59:00Z')

async function bookWithGrant(openid: string, slot: string) {
  await allowTemplates(cloud, openid, ['bookingConfirmed'])
  ok(
    await appointment(
      cloud,
      'book',
      {
        requestId: requestId(),
        serviceId: 'svc-cert-hukou',
        slotId: `st-yunxi-chengguan_${slot}_window`,
        applicant: APPLICANT,
        consent: true
      },
      openid
    )
  )
}

const record = (openid: string) =>
  cloud.store.docs('outbox').find((r) => r.touser === openid && r.template === 'bookingConfirmed')
const delivered = (openid: string) => cloud.messages.list({ touser: openid }).filter((m) => m.errCode === 0)

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
})

afterAll(async () => {
  await cloud.close()
})

beforeEach(() => {
  cloud.clock.set(NOW)
  cloud.faults.clear()
})

test('a transient failure is retried after 1 and then 5 minutes, and sent once WeChat recovers', async () => {
  await bookWithGrant('r-retry', '2026-12-01_0900')
  cloud.faults.failSends({ fn: 'notify', times: 2 })

  await cloud.timers.fire('notify')
  expect(record('r-retry')).toMatchObject({ status: 'pending', attempts: 1, lastError: { errCode: -1 } })
  await cloud.timers.fire('notify') // not due yet: nothing is tried
  expect(record('r-retry')?.attempts).toBe(1)

  cloud.clock.advance(61_000)
  await cloud.timers.fire('notify')
  expect(record('r-retry')).toMatchObject({ status: 'pending', attempts: 2 })

  cloud.clock.advance(5 * 60_000 + 1000)
  await cloud.timers.fire('notify')
  expect(record('r-retry')).toMatchObject({ status: 'sent', attempts: 3 })
  expect(delivered('r-retry')).toHaveLength(1)

  cloud.clock.advance(60 * 60_000)
  await cloud.timers.fire('notify')
  expect(delivered('r-retry')).toHaveLength(1)
})

test('after the last attempt the failure stays visible and nothing more is tried', async () => {
  await bookWithGrant('r-giveup', '2026-12-02_0900')
  cloud.faults.failSends({ fn: 'notify', times: 100 })
  for (const minutes of [0, 1, 5, 15, 60, 120]) {
    cloud.clock.advance(minutes * 60_000 + 1000)
    await cloud.timers.fire('notify')
  }
  expect(record('r-giveup')).toMatchObject({ status: 'failed', attempts: 5, lastError: { errCode: -1 } })
  expect(delivered('r-giveup')).toHaveLength(0)
})
