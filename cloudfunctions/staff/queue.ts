/**
 * The officer's day queue, pure: the check-in window, what an officer may do with an appointment
 * now, and how its status reads. No database here (unit-tested in tests/unit/officer-queue.test.ts).
 */
import { STATUS_LABELS, type AppointmentStatus, type BookingPolicy } from '../../types/appointment'
import type { QueueAction } from '../../types/staff-admin'

export interface QueueFacts {
  status: AppointmentStatus
  startsAt: Date
  startedAt?: Date
}

type Window = Pick<BookingPolicy, 'checkInEarlyMinutes' | 'checkInLateMinutes'>

/** Where `now` stands against the check-in window of an appointment starting at `startsAt`. */
export function checkInWindow(startsAt: Date, now: Date, policy: Window): 'early' | 'open' | 'closed' {
  const t = now.getTime()
  const opens = startsAt.getTime() - policy.checkInEarlyMinutes * 60_000
  const closes = startsAt.getTime() + policy.checkInLateMinutes * 60_000
  if (t < opens) return 'early'
  return t <= closes ? 'open' : 'closed'
}

export function statusLabel(a: Pick<QueueFacts, 'status' | 'startedAt'>): string {
  return a.status === 'checked_in' && a.startedAt ? '办理中' : STATUS_LABELS[a.status]
}

export function queueActions(a: QueueFacts, now: Date, policy: Window): QueueAction[] {
  if (a.status === 'checked_in') return a.startedAt ? ['finish'] : ['start', 'finish']
  if (a.status === 'booked' && checkInWindow(a.startsAt, now, policy) === 'closed') return ['noShow']
  return []
}
