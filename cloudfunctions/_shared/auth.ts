/**
 * Roles come from the staff collection, looked up by the caller's OPENID (from the platform),
 * never from a request's payload. A leader or supervisor acts for their own station only;
 * a supervisor with no station (the first, from configuration) oversees all.
 */
import type { StaffRole } from '../../database/seed/staff'
import { db } from './db'
import { AppError, type CallContext } from './handler'

export interface StaffDoc {
  _id: string
  openid: string
  name: string
  role: StaffRole
  stationId: string
  active: boolean
}

export async function requireStaff(ctx: CallContext, roles: readonly StaffRole[], stationId?: string): Promise<StaffDoc> {
  if (!ctx.openid) throw new AppError('UNAUTHENTICATED')
  const found = (await db().collection<StaffDoc>('staff').where({ openid: ctx.openid, active: true }).limit(1).get()).data[0]
  if (!found || !roles.includes(found.role)) throw new AppError('FORBIDDEN')
  if (stationId && found.stationId && found.stationId !== stationId && found.role !== 'supervisor') throw new AppError('FORBIDDEN')
  return found
}
