/**
 * Booking messages through the outbox: the confirmation written with the booking, reminders
 * queued by the notify timer, each sent once, a refused send (no grant: 43101) failed visibly
 * and still in the resident's in-app inbox.
 */
import type { NotifyOutputs } from '../../types/notify'
import type { Result } from '../../types/result'
import { appointment, APPLICANT, ok, requestId } from '../helpers/appointments'
import { callFunction, freshCloud } from '../helpers/cloud'
import { allowTemplates } from '../helpers/subscriptions'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const NOW = Date.parse('2026-11-27T01:59:00Z') // Friday 09:59 in Shanghai
const SLOT = 'st-yunxi-chengguan_2026-11-30_0900_window' // Monday 09:00

const allow = (openid: string, keys: ('bookingConfirmed' | 'bookingReminder')[]) =>
  allowTemplates(cloud, openid, keys)

function outbox(touser: string) {
  return cloud.store.docs('outbox').filter((r) => r.touser === touser)
}

async function inbox(openid: string) {
  const res = await callFunction<Result<NotifyOutputs['inbox']>>(
    cloud,
    'notify',
    { action: 'inbox', payload: {} },
    openid
  )
  return ok(res.body)
}

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.clock.set(NOW)
})

afterAll(async () => {
  await cloud.close()
})

test('the confirmation is queued with the booking and sent once by the timer', async () => {
  await allow('r-msg', ['bookingConfirmed', 'bookingReminder'])
  const booked = ok(
    await appointment(
      cloud,
      'book',
      {
        requestId: requestId(),
        serviceId: 'svc-cert-hukou',
        slotId: SLOT,
        applicant: APPLICANT,
        consent: true
      },
      'r-msg'
    )
  )
  expect(outbox('r-msg')).toMatchObject([{ template: 'bookingConfirmed', status: 'pending' }])

  const run = await cloud.timers.fire('notify')
  expect(run.ok).toBe(true)
  expect(outbox('r-msg')).toMatchObject([{ status: 'sent', attempts: 1 }])
  const delivered = cloud.messages.list({ touser: 'r-msg' }).filter((m) => m.errCode === 0)
  expect(delivered).toHaveLength(1)
  expect(JSON.stringify(delivered[0]?.data)).toContain(booked.code)
  expect(delivered[0]?.page).toBe(`pages/booking-detail/index?id=${booked._id}`)

  await cloud.timers.fire('notify')
  expect(cloud.messages.list({ touser: 'r-msg' }).filter((m) => m.errCode === 0)).toHaveLength(1)
})

test('reminders: the evening before from 20:00, and an hour before — each queued once', async () => {
  cloud.clock.set(Date.parse('2026-11-29T12:05:00Z')) // Sunday 20:05
  await cloud.timers.fire('notify')
  await cloud.timers.fire('notify')
  const evening = outbox('r-msg').filter((r) => String(r.dedupeKey).startsWith('remind-evening'))
  expect(evening).toMatchObject([{ template: 'bookingReminder', status: 'sent' }])

  cloud.clock.set(Date.parse('2026-11-30T00:05:00Z')) // Monday 08:05, 55 minutes before
  await cloud.timers.fire('notify')
  const hour = outbox('r-msg').filter((r) => String(r.dedupeKey).startsWith('remind-hour'))
  // The resident allowed one reminder: WeChat refuses the second (43101), which is final.
  expect(hour).toMatchObject([{ status: 'failed', lastError: { errCode: 43101 } }])
  await cloud.timers.fire('notify')
  expect(outbox('r-msg').filter((r) => String(r.dedupeKey).startsWith('remind-hour'))).toHaveLength(1)
  cloud.clock.set(NOW)
})

test('without a grant the send fails visibly and the inbox still shows the message', async () => {
  ok(
    await appointment(
      cloud,
      'book',
      {
        requestId: requestId(),
        serviceId: 'svc-cert-hukou',
        slotId: SLOT,
        applicant: APPLICANT,
        consent: true
      },
      'r-nogrant'
    )
  )
  await cloud.timers.fire('notify')
  expect(outbox('r-nogrant')).toMatchObject([
    { status: 'failed', attempts: 1, lastError: { errCode: 43101 } }
  ])
  const items = await inbox('r-nogrant')
  expect(items).toHaveLength(1)
  expect(items[0]).toMatchObject({
    title: '预约成功通知',
    delivery: 'failed',
    deliveryNote: expect.stringContaining('仅在此处显示')
  })
  expect(items[0]?.lines.map((l) => l.label)).toEqual([
    '预约事项',
    '预约时间',
    '办理地点',
    '预约码',
    '温馨提示'
  ])
})

test("the inbox shows only the caller's own messages", async () => {
  const items = await inbox('r-someone-else')
  expect(items).toEqual([])
})

test('a station that wants it announces each new booking to the on-duty officers', async () => {
  const station = cloud.store.get('stations', 'st-yunxi-chengguan') as Record<string, unknown> & {
    _id: string
    booking: Record<string, unknown>
  }
  cloud.store.commit([
    {
      coll: 'stations',
      id: station._id,
      doc: { ...station, booking: { ...station.booking, alertOfficersOnBooking: true } }
    }
  ])
  // Past the function's one-minute cache of the station, however long the cold starts above took.
  cloud.clock.advance(5 * 60_000)
  try {
    const booked = ok(
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
        'r-announced'
      )
    )
    // Nobody is on the roster in this test: the leader is told.
    const alerts = cloud.store
      .docs('outbox')
      .filter((r) => r.template === 'officerAlert' && (r.ref as { id: string }).id === booked._id)
    expect(alerts.map((a) => a.touser)).toEqual(['demo-leader-zhou'])
    expect(alerts[0]).toMatchObject({ page: 'officer/queue/index', values: { kind: '新预约' } })
  } finally {
    cloud.store.commit([{ coll: 'stations', id: station._id, doc: station }])
    cloud.clock.set(NOW)
  }
})

describe('changes to a booking and their messages', () => {
  const bookAt = (openid: string, slotId: string) =>
    appointment(
      cloud,
      'book',
      { requestId: requestId(), serviceId: 'svc-cert-hukou', slotId, applicant: APPLICANT, consent: true },
      openid
    )

  afterEach(() => {
    cloud.faults.clear()
    cloud.clock.set(NOW)
  })

  test("a resident's cancel sends the cancellation notice, shown in their inbox", async () => {
    await allow('r-cancels', ['bookingConfirmed'])
    const booked = ok(await bookAt('r-cancels', 'st-yunxi-chengguan_2026-12-03_1000_window'))
    ok(await appointment(cloud, 'cancel', { appointmentId: booked._id }, 'r-cancels'))
    ok(await appointment(cloud, 'cancel', { appointmentId: booked._id }, 'r-cancels')) // a double tap
    const notices = outbox('r-cancels').filter((r) => r.template === 'bookingCancelled')
    expect(notices).toMatchObject([
      { values: { time: '2026-12-03 10:00', reason: '您已取消此预约' }, ref: { id: booked._id } }
    ])
    await cloud.timers.fire('notify')
    const items = await inbox('r-cancels')
    expect(items.map((i) => i.title)).toEqual(expect.arrayContaining(['预约取消通知', '预约成功通知']))
    // The confirmation of the cancelled booking no longer holds; the cancellation notice does.
    expect(items.find((i) => i.title === '预约成功通知')?.superseded).toContain('已取消')
    expect(items.find((i) => i.title === '预约取消通知')?.superseded).toBeUndefined()
  })

  test('a booking moved away and back the same evening is reminded of its time again', async () => {
    await allow('r-back', ['bookingConfirmed', 'bookingReminder'])
    const friday = 'st-yunxi-chengguan_2026-12-04_1430_window'
    const booked = ok(await bookAt('r-back', friday))
    // Thursday 20:05: the evening reminder is queued; WeChat is down, so it waits for a retry.
    cloud.clock.set(Date.parse('2026-12-03T12:05:00Z'))
    cloud.faults.failSends({ fn: 'notify', times: 10 })
    await cloud.timers.fire('notify')
    cloud.faults.clear()
    const move = (slotId: string) =>
      appointment(
        cloud,
        'reschedule',
        { appointmentId: booked._id, slotId, requestId: requestId() },
        'r-back'
      )
    ok(await move('st-yunxi-chengguan_2026-12-07_1000_window')) // away: the reminder is withdrawn
    ok(await move(friday)) // and back again
    await cloud.timers.fire('notify')
    const reminders = outbox('r-back').filter((r) => String(r.dedupeKey).startsWith('remind-evening'))
    expect(reminders.map((r) => r.status).sort()).toEqual(['sent', 'withdrawn'])
    expect(reminders.find((r) => r.status === 'sent')).toMatchObject({ values: { time: '2026-12-04 14:30' } })
  })

  test("a reschedule withdraws the old time's waiting reminder and reminds of the new time", async () => {
    await allow('r-moves', ['bookingConfirmed', 'bookingReminder'])
    const booked = ok(await bookAt('r-moves', 'st-yunxi-chengguan_2026-12-04_1500_window'))
    await cloud.timers.fire('notify') // the confirmation is sent
    // Thursday 20:05: the evening reminder is queued; WeChat is down, so it waits for a retry.
    cloud.clock.set(Date.parse('2026-12-03T12:05:00Z'))
    cloud.faults.failSends({ fn: 'notify', times: 10 })
    await cloud.timers.fire('notify')
    cloud.faults.clear()
    const reminder = () => outbox('r-moves').filter((r) => String(r.dedupeKey).startsWith('remind-'))
    expect(reminder()).toMatchObject([{ status: 'pending', values: { time: '2026-12-04 15:00' } }])

    // Friday 09:00, more than two hours before: moved to Monday.
    cloud.clock.set(Date.parse('2026-12-04T01:00:00Z'))
    const newSlot = 'st-yunxi-chengguan_2026-12-07_1000_window'
    ok(
      await appointment(
        cloud,
        'reschedule',
        { appointmentId: booked._id, slotId: newSlot, requestId: requestId() },
        'r-moves'
      )
    )
    // Withdrawn: kept (for 我的消息), never sent.
    expect(reminder()).toMatchObject([{ status: 'withdrawn', superseded: 'rescheduled' }])
    const confirmations = outbox('r-moves').filter((r) => r.template === 'bookingConfirmed')
    expect(confirmations.map((r) => (r.values as { time: string }).time)).toEqual([
      '2026-12-04 15:00',
      '2026-12-07 10:00'
    ])
    await cloud.timers.fire('notify')
    expect(reminder()).toMatchObject([{ status: 'withdrawn' }])
    // 我的消息: the old time's reminder and confirmation say they no longer hold; the new one does not.
    const items = await inbox('r-moves')
    const old = items.filter((i) => i.lines.some((l) => l.value === '2026-12-04 15:00'))
    expect(old.map((i) => [i.title, i.superseded])).toEqual(
      expect.arrayContaining([
        ['预约提醒', expect.stringContaining('已改约')],
        ['预约成功通知', expect.stringContaining('已改约')]
      ])
    )
    expect(old.find((i) => i.title === '预约提醒')?.delivery).toBe('withdrawn')
    const current = items.filter((i) => i.lines.some((l) => l.value === '2026-12-07 10:00'))
    expect(current.map((i) => i.superseded)).toEqual([undefined])
    const reminded = cloud.messages
      .list({ touser: 'r-moves' })
      .filter((m) => m.errCode === 0 && JSON.stringify(m.data).includes('明天请按时'))
    expect(reminded).toEqual([])

    // Sunday 20:05: the new time's evening reminder is queued (the old time's flag did not carry over).
    cloud.clock.set(Date.parse('2026-12-06T12:05:00Z'))
    await cloud.timers.fire('notify')
    expect(reminder().filter((r) => r.status !== 'withdrawn')).toMatchObject([
      { status: 'sent', values: { time: '2026-12-07 10:00' } }
    ])
  })
})
