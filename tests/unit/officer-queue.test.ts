/** The officer's queue, pure: the check-in window, what may be done now, status labels; invite codes. */
import { DEFAULT_POLICY } from '../../types/appointment'
import { CODE_ALPHABET } from '../../types/booking-code'
import { formatInviteCode, normaliseInviteCode } from '../../types/staff-admin'
import { checkInWindow, queueActions, statusLabel } from '../../cloudfunctions/staff/queue'

const startsAt = new Date('2026-12-28T06:30:00Z') // 14:30 in Shanghai
const min = (m: number) => new Date(startsAt.getTime() + m * 60_000)

test('check-in opens 30 minutes before the slot and closes 15 minutes after its start', () => {
  expect(checkInWindow(startsAt, min(-31), DEFAULT_POLICY)).toBe('early')
  expect(checkInWindow(startsAt, min(-30), DEFAULT_POLICY)).toBe('open')
  expect(checkInWindow(startsAt, min(15), DEFAULT_POLICY)).toBe('open')
  expect(checkInWindow(startsAt, min(15.01), DEFAULT_POLICY)).toBe('closed')
  expect(checkInWindow(startsAt, min(0), { checkInEarlyMinutes: 0, checkInLateMinutes: 0 })).toBe('open')
})

test('what an officer may do: start and finish once checked in, no-show only after the window', () => {
  expect(queueActions({ status: 'booked', startsAt }, min(0), DEFAULT_POLICY)).toEqual([])
  expect(queueActions({ status: 'booked', startsAt }, min(16), DEFAULT_POLICY)).toEqual(['noShow'])
  expect(queueActions({ status: 'checked_in', startsAt }, min(0), DEFAULT_POLICY)).toEqual([
    'start',
    'finish'
  ])
  expect(queueActions({ status: 'checked_in', startsAt, startedAt: min(1) }, min(2), DEFAULT_POLICY)).toEqual(
    ['finish']
  )
  for (const status of ['done', 'cancelled', 'no_show'] as const)
    expect(queueActions({ status, startsAt }, min(60), DEFAULT_POLICY)).toEqual([])
})

test('status labels are words, with 办理中 for a resident being served', () => {
  expect(statusLabel({ status: 'booked' })).toBe('已预约')
  expect(statusLabel({ status: 'checked_in' })).toBe('已签到')
  expect(statusLabel({ status: 'checked_in', startedAt: startsAt })).toBe('办理中')
  expect(statusLabel({ status: 'no_show' })).toBe('未到场')
})

test('invite codes: typed loosely, read back; look-alikes and wrong lengths refused', () => {
  expect(normaliseInviteCode('k7p2-9xab', CODE_ALPHABET)).toBe('K7P29XAB')
  expect(normaliseInviteCode(' K7P2 9XAB ', CODE_ALPHABET)).toBe('K7P29XAB')
  expect(normaliseInviteCode('K7P29XA', CODE_ALPHABET)).toBeNull()
  expect(normaliseInviteCode('K7P29XA0', CODE_ALPHABET)).toBeNull()
  expect(normaliseInviteCode('K7P29XAI', CODE_ALPHABET)).toBeNull()
  expect(formatInviteCode('K7P29XAB')).toBe('K7P2 9XAB')
})
