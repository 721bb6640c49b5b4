/** Kept for older imports: the appointment and slot documents are typed in `documents.ts`. */
export type { AppointmentDoc, SlotDoc } from './documents'
