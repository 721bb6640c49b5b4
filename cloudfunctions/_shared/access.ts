/**
 * Who may call an action, declared with the action in `defineFunction` and checked before its
 * handler runs (docs/decisions/access-per-action.md):
 *
 * - `public`: anyone, identified or not (the service guide);
 * - `resident`: anyone the platform identifies (an OPENID) — staff too, acting for themselves;
 * - `staff`: an active member of staff with one of `roles`; their record is handed to the handler
 *   as `ctx.staff`. `station: 'own'` scopes the action to the caller's station: a `stationId` in
 *   the input must be theirs. `station: 'any'` leaves scope to the handler (the action names no
 *   station, or names a record whose station the handler checks with `requireStation`).
 *
 * One station-scope rule, one answer: a supervisor oversees every station; anyone else acts for
 * their own station only, and is refused with FORBIDDEN elsewhere (docs/privacy-and-access.md).
 */
import { OUT_OF_STATION_MESSAGE } from '../../types/errors'
import type { Staff, StaffRole } from '../../types/staff'
import { collection } from './db'
import { AppError } from './app-error'
import type { CallContext } from './handler'

export interface StaffAccess {
  access: 'staff'
  roles: readonly StaffRole[]
  station: 'own' | 'any'
}

export type AccessRule = { access: 'public' } | { access: 'resident' } | StaffAccess

/** The caller's active staff record, or null. */
export async function activeStaff(openid: string): Promise<Staff | null> {
  if (!openid) return null
  return (await collection('staff').where({ openid, active: true }).limit(1).get()).data[0] ?? null
}

/** Whether the member of staff may act for this station: their own, or any for a supervisor. */
export function inStation(staff: Pick<Staff, 'role' | 'stationId'>, stationId: string): boolean {
  return staff.role === 'supervisor' || staff.stationId === stationId
}

/** The station-scope rule, for a record a handler has read: FORBIDDEN outside the caller's station. */
export function requireStation(staff: Pick<Staff, 'role' | 'stationId'>, stationId: string): void {
  if (!inStation(staff, stationId)) throw new AppError('FORBIDDEN', OUT_OF_STATION_MESSAGE)
}

/** The `stationId` an action's input names, if any. */
function stationOfInput(input: unknown): string | undefined {
  const id = (input as { stationId?: unknown } | null)?.stationId
  return typeof id === 'string' && id ? id : undefined
}

/**
 * Checks a staff rule for this call: UNAUTHENTICATED without an identity, FORBIDDEN without an
 * active staff record of one of the roles or (station 'own') for another station's input.
 */
export async function accessFor(rule: StaffAccess, ctx: CallContext, input?: unknown): Promise<Staff> {
  if (!ctx.openid) throw new AppError('UNAUTHENTICATED')
  const staff = await activeStaff(ctx.openid)
  if (!staff || !rule.roles.includes(staff.role)) throw new AppError('FORBIDDEN')
  const stationId = rule.station === 'own' ? stationOfInput(input) : undefined
  if (stationId) requireStation(staff, stationId)
  return staff
}

/** Checks an action's rule before its handler runs; the staff record when the rule names roles. */
export async function checkAccess(
  rule: AccessRule,
  ctx: CallContext,
  input: unknown
): Promise<Staff | undefined> {
  switch (rule.access) {
    case 'public':
      return undefined
    case 'resident':
      if (!ctx.openid) throw new AppError('UNAUTHENTICATED')
      return undefined
    case 'staff':
      return accessFor(rule, ctx, input)
    default:
      // Only reachable past the type checker (an action without a declared access): refuse.
      throw new AppError('FORBIDDEN')
  }
}
