/**
 * A booking shared with family (转发) carries the service, time and place, and opens the service's
 * guide — never the applicant's name, mobile, ID number or the booking code.
 */
import type { AppointmentView } from '../../types/appointment'
import { isPagePath } from '../../types/routes'
import { shareCard } from '../../src/pages/booking-detail/share'

const booking: AppointmentView = {
  _id: 'appt-7f3a',
  code: 'K7M2Q9',
  status: 'booked',
  serviceId: 'id-card-renew',
  serviceName: '居民身份证换领',
  stationName: '城关派出所户籍窗口',
  address: '县城人民路 12 号',
  date: '2026-12-01',
  start: '09:30',
  end: '10:00',
  startsAt: '2026-12-01T01:30:00.000Z',
  kind: 'regular',
  applicant: {
    name: '林秀英',
    mobileMasked: '138****5678',
    relation: 'parent',
    idMasked: '3301**********1234'
  },
  materials: []
}

test('the shared card names the service, the day and time and the station', () => {
  const card = shareCard(booking)
  expect(card.title).toContain('居民身份证换领')
  expect(card.title).toContain('09:30')
  expect(card.title).toContain('12月1日')
  expect(card.title).toContain('城关派出所户籍窗口')
})

test('it opens the service guide, a page anyone can read, not the booking', () => {
  const card = shareCard(booking)
  expect(isPagePath(card.path)).toBe(true)
  expect(card.path).toBe('/pages/service/index?id=id-card-renew')
  expect(card.path).not.toContain(booking._id)
})

test('nothing personal and no booking code travels with it', () => {
  const text = JSON.stringify(shareCard(booking))
  for (const secret of ['林秀英', '138', '5678', '3301', '1234', 'K7M2Q9', 'K7M 2Q9', 'appt-7f3a'])
    expect(text).not.toContain(secret)
})
