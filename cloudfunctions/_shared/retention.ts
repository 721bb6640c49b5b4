/**
 * Retention (PIPL; DESIGN principle 8): residents' personal data is kept as long as the service
 * needs it, then erased in place. The records themselves stay — for the window's statistics,
 * ratings and the audit log, which hold ids only — with `purgedAt` set so each is erased once.
 *
 * After RETENTION_DAYS (counted from the appointment's day, or from when a request, a feedback
 * entry or a review was made; requests and follow-ups only once closed):
 *   appointments  the applicant's name, mobile and ID number (protected and masked)
 *   requests      the contact's name and mobile, the home address and the description
 *   feedback      the contact's name and mobile
 *   followUps     the resident's name and masked mobile (the call back is long over)
 * 180 days outlasts every use: a follow-up's 15 working days, the no-show suspension's three
 * months, a resident's own "my appointments" and "my requests" history of recent months.
 * Each collection is erased with one conditional update per timer run.
 */
import { addDays, localDate } from '../../types/time'
import { db } from './db'

export const RETENTION_DAYS = 180
/** What an erased name reads as. */
export const ERASED = '（已清除）'

export interface PurgeReport {
  appointments: number
  requests: number
  feedback: number
  followUps: number
}

export async function purgeExpired(now: Date): Promise<PurgeReport> {
  const _ = db().command
  const cutoff = new Date(now.getTime() - RETENTION_DAYS * 86_400_000)
  const notYet = _.exists(false)
  const [appointments, requests, feedback, followUps] = await Promise.all([
    db()
      .collection('appointments')
      .where({ date: _.lt(addDays(localDate(now), -RETENTION_DAYS)), purgedAt: notYet })
      .update({ data: { 'applicant.name': ERASED, 'applicant.mobile': '', 'applicant.idNumberProtected': _.remove(), 'applicant.idMasked': _.remove(), purgedAt: now } }),
    db()
      .collection('requests')
      .where({ createdAt: _.lt(cutoff), status: _.in(['done', 'declined']), purgedAt: notYet })
      .update({ data: { contactName: ERASED, mobile: '', description: ERASED, address: _.remove(), purgedAt: now } }),
    db()
      .collection('feedback')
      .where({ createdAt: _.lt(cutoff), purgedAt: notYet })
      .update({ data: { contactName: _.remove(), mobile: _.remove(), purgedAt: now } }),
    db()
      .collection('followUps')
      .where({ ratedAt: _.lt(cutoff), status: _.in(['closed', 'excluded']), purgedAt: notYet })
      .update({ data: { contactName: _.remove(), mobileMasked: _.remove(), purgedAt: now } })
  ])
  return { appointments: appointments.stats.updated, requests: requests.stats.updated, feedback: feedback.stats.updated, followUps: followUps.stats.updated }
}
