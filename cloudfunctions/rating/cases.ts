/**
 * The cases residents rate: a finished appointment or a finished request, with the facts a
 * rating copies (station, officer, business type) and the contact a follow-up calls back.
 */
import {
  APPOINTMENT_CASE_TYPE,
  BUSINESS_TYPES,
  type BusinessType,
  type CaseKind,
  type CaseSummary
} from '../../types/ratings'
import { KIND_LABELS, REQUEST_CATEGORIES } from '../../types/requests'
import type { AppointmentDoc } from '../_shared/documents'
import { repo } from '../_shared/db'
import { iso, optional } from '../_shared/fields'
import { businessOfRequest, businessOfService } from '../_shared/domain/ratings'
import type { RequestDoc } from '../_shared/escalation'
import { services, stationName } from './store'

export interface CaseFacts {
  summary: CaseSummary
  openid: string
  stationId: string
  finishedAt?: Date
  officerStaffId?: string
  business: BusinessType
  contactName: string
  mobile: string
}

/** An appointment as a case (one more read: the officer who finished it). */
export async function appointmentCase(a: AppointmentDoc): Promise<CaseFacts> {
  const officer = a.finishedBy ? await repo('staff').byId(a.finishedBy) : null
  const service = (await services()).find((s) => s._id === a.serviceId)
  const finishedAt = a.status === 'done' && a.finishedAt ? new Date(a.finishedAt) : undefined
  return {
    summary: {
      caseKind: 'appointment',
      caseId: a._id,
      caseType: APPOINTMENT_CASE_TYPE,
      serviceName: a.serviceName,
      stationName: a.place ?? (await stationName(a.stationId)),
      ...optional({ officerName: officer?.name }),
      finished: finishedAt !== undefined,
      ...optional({ finishedAt: iso(finishedAt) })
    },
    openid: a.openid,
    stationId: a.stationId,
    ...optional({ finishedAt, officerStaffId: officer?._id }),
    business: businessOfService(service?.category),
    contactName: a.applicant.name,
    mobile: a.applicant.mobile
  }
}

/** A request as a case (the officer is on the request itself). */
export async function requestCase(r: RequestDoc): Promise<CaseFacts> {
  const officer = r.assignedTo ?? r.acceptedBy ?? r.doneBy
  const finishedAt = r.status === 'done' && r.doneAt ? new Date(r.doneAt) : undefined
  return {
    summary: {
      caseKind: 'request',
      caseId: r._id,
      caseType: KIND_LABELS[r.kind],
      serviceName: REQUEST_CATEGORIES[r.category],
      stationName: await stationName(r.stationId),
      ...optional({ officerName: officer?.name }),
      finished: finishedAt !== undefined,
      ...optional({ finishedAt: iso(finishedAt) })
    },
    openid: r.openid,
    stationId: r.stationId,
    ...optional({ finishedAt, officerStaffId: officer?.staffId }),
    business: businessOfRequest(r.category),
    contactName: r.contactName,
    mobile: r.mobile
  }
}

export async function caseOf(kind: CaseKind, caseId: string): Promise<CaseFacts | null> {
  if (kind === 'appointment') {
    const a = await repo('appointments').byId(caseId)
    return a ? appointmentCase(a) : null
  }
  const r = await repo('requests').byId(caseId)
  return r ? requestCase(r) : null
}

/** The resident's name and mobile on a case: one read, for the leader's call back. */
export async function contactOf(
  kind: CaseKind,
  caseId: string
): Promise<{ contactName: string; mobile: string } | null> {
  if (kind === 'appointment') {
    const a = await repo('appointments').byId(caseId)
    return a ? { contactName: a.applicant.name, mobile: a.applicant.mobile } : null
  }
  const r = await repo('requests').byId(caseId)
  return r ? { contactName: r.contactName, mobile: r.mobile } : null
}

export const businessText = (b: BusinessType) => BUSINESS_TYPES[b]
