/**
 * Audit of officer access to residents' personal data (DESIGN principle 8, PIPL): every staff
 * action that returns residents' names or mobiles records one flat entry in the `audit`
 * collection — who (staff id, role, masked name), what (the action, the records by id only),
 * when (the instant and Shanghai local time), and the station. Never the personal data itself.
 *
 * One database request per audited call (one add). It runs before the data is returned: when the
 * entry cannot be written the read fails (INTERNAL) rather than going unaudited.
 */
import { maskName } from '../../types/identity'
import { AUDITED_ACTION_LABELS, type AuditEntry, type AuditedAction } from '../../types/staff-admin'
import type { Staff } from '../../types/staff'
import { localDateTime } from '../../types/time'
import { db } from './db'
import type { CallContext } from './handler'

/** The stored entry: as the audit action returns it, with the instant as a date. */
export type AuditDoc = Omit<AuditEntry, '_id' | 'at'> & { at: Date }

export function auditDoc(staff: Staff, action: AuditedAction, recordKind: AuditEntry['recordKind'], recordIds: readonly string[], stationId: string, ctx: CallContext): AuditDoc {
  return {
    staffId: staff._id,
    staffNameMasked: maskName(staff.name),
    role: staff.role,
    action,
    actionLabel: AUDITED_ACTION_LABELS[action],
    recordKind,
    recordIds: [...recordIds],
    recordCount: recordIds.length,
    stationId,
    at: ctx.now,
    atLocal: localDateTime(ctx.now),
    requestId: ctx.requestId
  }
}

/** Records one read of personal data (one add). */
export async function recordAccess(staff: Staff, action: AuditedAction, recordKind: AuditEntry['recordKind'], recordIds: readonly string[], stationId: string, ctx: CallContext): Promise<void> {
  await db().collection('audit').add({ data: { ...auditDoc(staff, action, recordKind, recordIds, stationId, ctx) } })
}
