/**
 * Who the caller is. Roles come from the staff collection, looked up by the caller's OPENID (from
 * the platform), never from a request's payload. Which actions each role may take, and the one
 * station-scope rule, are declared per action in `defineFunction` (access.ts).
 */
import type { Staff, StaffRole } from '../../types/staff'
import { accessFor, requireStation } from './access'
import { AppError } from './app-error'
import type { CallContext } from './handler'

/**
 * For a handler declared without `access` (the older form): the caller's active staff record
 * with one of `roles`, in scope for `stationId` when given; FORBIDDEN otherwise. Declare the
 * action's access in `defineFunction` instead: the record then arrives as `ctx.staff`.
 */
export async function requireStaff(
  ctx: CallContext,
  roles: readonly StaffRole[],
  stationId?: string
): Promise<Staff> {
  const staff = await accessFor({ access: 'staff', roles, station: 'any' }, ctx)
  if (stationId) requireStation(staff, stationId)
  return staff
}

/** A resident's call: the caller's OPENID from the platform, or UNAUTHENTICATED. */
export function requireCaller(ctx: Pick<CallContext, 'openid'>): string {
  if (!ctx.openid) throw new AppError('UNAUTHENTICATED')
  return ctx.openid
}
