/** The appointment and slot documents are typed in `documents.ts`; this module keeps their small shared rules. */
import type { AppointmentDoc } from './documents'

export type { AppointmentDoc, SlotDoc } from './documents'

/**
 * The day key of a booking that no longer holds its person's day (cancelled, by the resident or
 * a closure, or a finished case giving its day up): unique, and never a live `personKey|date`.
 */
export function inactiveDayKey(doc: Pick<AppointmentDoc, '_id' | 'openid' | 'date'>): string {
  return `${doc.openid}|${doc.date}|closed|${doc._id}`
}
