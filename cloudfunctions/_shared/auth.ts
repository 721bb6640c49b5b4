/**
 * Roles come from the staff collection, looked up by the caller's OPENID (from the platform),
 * never from a request's payload. A leader or supervisor acts for their own station only;
 * a supervisor with no station (the first, from configuration) oversees all.
 */
import type { Staff, StaffRole } from '../../types/staff'
import { db } from './db'
import { AppError, type CallContext } from './handler'

export async function requireStaff(
  ctx: CallContext,
  roles: readonly StaffRole[],
  stationId?: string
): Promise<Staff> {
  if (!ctx.openid) throw new AppError('UNAUTHENTICATED')
  const found = (
    await db().collection<Staff>('staff').where({ openid: ctx.openid, active: true }).limit(1).get()
  ).data[0]
  if (!found || !roles.includes(found.role)) throw new AppError('FORBIDDEN')
  if (stationId && found.stationId && found.stationId !== stationId && found.role !== 'supervisor')
    throw new AppError('FORBIDDEN')
  return found
}

/** A resident's call: the caller's OPENID from the platform, or UNAUTHENTICATED. */
export function requireCaller(ctx: CallContext): string {
  if (!ctx.openid) throw new AppError('UNAUTHENTICATED')
  return ctx.openid
}
