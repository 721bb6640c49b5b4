/**
 * 候补 against the station's capacity now: a slot the station has made smaller (the capture room out
 * of use) promotes nobody when a place frees; the place is released instead. A file of its own: the
 * functions cache the station for a minute, so the change must meet fresh instances.
 */
import type { Doc } from '../../local-cloud/db/store'
import { APPLICANT, appointment, ok, requestId } from '../helpers/appointments'
import { freshCloud } from '../helpers/cloud'

jest.setTimeout(60_000)

let cloud: Awaited<ReturnType<typeof freshCloud>>
const NOW = Date.parse('2026-11-27T01:59:00Z') // Friday 09:59 in Shanghai
const STATION = 'st-yunxi-chengguan'
const ID_CARD = 'svc-idcard-renew' // the capture room: one person a slot
const slot = (date: string, hhmm: string) => `${STATION}_${date}_${hhmm}_capture`
const book = (openid: string, slotId: string) =>
  appointment(
    cloud,
    'book',
    { requestId: requestId(), serviceId: ID_CARD, slotId, applicant: APPLICANT, consent: true },
    openid
  )
const join = (openid: string, slotId: string, name: string) =>
  appointment(
    cloud,
    'joinWaitlist',
    { serviceId: ID_CARD, slotId, applicant: { ...APPLICANT, name }, consent: true },
    openid
  )
const cancel = (openid: string, appointmentId: string) =>
  appointment(cloud, 'cancel', { appointmentId }, openid)
const messagesTo = (openid: string) =>
  cloud.store.docs('outbox').filter((m) => m.touser === openid && String(m.dedupeKey).startsWith('waitlist:'))

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.clock.set(NOW)
})

afterAll(async () => {
  await cloud.close()
})

test('a slot the station has made smaller promotes nobody until it is below its new size', async () => {
  const target = slot('2026-11-30', '1100')
  const holder = ok(await book('r-holder-small', target))
  const waiting = ok(await join('r-wait-small', target, '钱芳'))
  // The capture room is out of use that day: the station sets it to no places.
  const station = cloud.store.get('stations', STATION) as Doc & {
    booking: { resources: { key: string; capacity: number }[] }
  }
  const smaller = station.booking.resources.map((r) => (r.key === 'capture' ? { ...r, capacity: 0 } : r))
  cloud.store.commit([
    {
      coll: 'stations',
      id: STATION,
      doc: { ...station, booking: { ...station.booking, resources: smaller } }
    }
  ])
  try {
    cloud.clock.set(NOW + 10 * 60_000) // past the functions' one-minute caches of the station
    ok(await cancel('r-holder-small', holder._id))
    expect(cloud.store.get('slots', target)).toMatchObject({ booked: 0 })
    expect(ok(await appointment(cloud, 'myWaitlist', {}, 'r-wait-small'))[0]).toMatchObject({
      _id: waiting._id,
      status: 'waiting'
    })
    expect(messagesTo('r-wait-small')).toEqual([])
  } finally {
    cloud.store.commit([{ coll: 'stations', id: STATION, doc: station }])
  }
})
