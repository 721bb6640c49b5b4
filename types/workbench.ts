/**
 * 工作台 — the staff landing page: how many of each thing need doing now at a station, counted by
 * the `staff.workbench` action (docs/workbench.md). Counts only: the lists themselves are on the
 * pages each row opens, so the workbench carries no resident's personal data.
 */
import './zod'
import * as z from 'zod/mini'
import { DocId } from './guide'
import type { StaffRole } from './staff'
import type { LocalDate } from './time'

/** Failed alerts older than this many days no longer count as needing attention. */
export const UNDELIVERED_DAYS = 7

export const workbenchInput = z.strictObject({
  /** Defaults to the caller's station; a supervisor may name any. */
  stationId: z.optional(DocId)
})

export interface Workbench {
  stationId: string
  stationName?: string
  role: StaffRole
  /** When the counts were taken (ISO): waits tick on from here. */
  at: string
  requests: {
    /** Emergencies (绿色通道) nobody has accepted yet, and when the oldest of them was sent (ISO). */
    emergencies: number
    oldestEmergencyAt?: string
    /** After-hours requests and home visits nobody has accepted or assigned yet. */
    waiting: number
    oldestWaitingAt?: string
    /** Accepted, not yet done. */
    accepted: number
  }
  /** Today's appointments at the station, by where they stand. */
  queue: { date: LocalDate; booked: number; checkedIn: number; done: number }
  questions: {
    /** Asked and opened by nobody yet. */
    unowned: number
    /** Opened, not yet answered: the caller's own for an officer, everyone's for a leader or supervisor. */
    inHand: number
  }
  /** The caller's alerts of the last UNDELIVERED_DAYS days that WeChat could not deliver. */
  undelivered: number
  /** 材料预审 submitted and waiting for review. */
  prereviews: { waiting: number }
  /** 制证进度: ID cards at the station ready to collect (已到所可领取), and of them those to post. */
  cards: { ready: number; toPost: number }
  /** Leaders and supervisors: bad-review follow-ups still to be called back or replied to, and how many are overdue. */
  followUps?: { open: number; overdue: number }
  /** Leaders and supervisors: feedback-box entries without a reply. */
  feedback?: { unreplied: number }
}
