/** Booking helpers for integration tests: calls as a resident, and the capacity invariant. */
import type { LocalCloud } from '../../local-cloud/cloud'
import type { AppointmentOutputs, ApplicantInput } from '../../types/appointment'
import type { Result } from '../../types/result'
import { callFunction } from './cloud'

export const APPLICANT: ApplicantInput = { name: '王芳', mobile: '13812345678', relation: 'self' }

let counter = 0
export function requestId(): string {
  return `req${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 8)}`
}

export async function appointment<A extends keyof AppointmentOutputs>(
  cloud: { url: string },
  action: A,
  payload: unknown,
  openid = 'demo-resident-wang'
) {
  const res = await callFunction<Result<AppointmentOutputs[A]>>(
    cloud,
    'appointment',
    { action, payload },
    openid
  )
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(res.body)}`)
  return res.body
}

export function ok<T>(res: Result<T>): T {
  if (!res.ok) throw new Error(`expected ok, got ${res.error.code}: ${res.error.message}`)
  return res.data
}

/**
 * The invariant capacity rests on: every slot's booked count equals the appointments holding a
 * place in it (any status but cancelled), and never exceeds its capacity.
 */
export function slotInvariantViolations(cloud: LocalCloud): string[] {
  const holding = new Map<string, number>()
  for (const a of cloud.store.docs('appointments')) {
    if (a.status !== 'cancelled') holding.set(a.slotId as string, (holding.get(a.slotId as string) ?? 0) + 1)
  }
  const problems: string[] = []
  const slots = cloud.store.docs('slots')
  for (const s of slots) {
    const held = holding.get(s._id) ?? 0
    if (s.booked !== held)
      problems.push(`${s._id}: booked ${String(s.booked)} but ${held} appointments hold it`)
    if ((s.booked as number) > (s.capacity as number))
      problems.push(`${s._id}: booked ${String(s.booked)} over capacity ${String(s.capacity)}`)
  }
  for (const [slotId, n] of holding)
    if (!slots.some((s) => s._id === slotId)) problems.push(`${slotId}: ${n} appointments but no slot`)
  return problems
}
