/**
 * The queue's pure rules (docs/queue.md): numbers and ids, which waiting number is called next
 * (appointments in their slot before walk-ins, with a cap on how often a walk-in is passed), the
 * order the rest will be called in, and the estimated wait. No database here: the line's day
 * counter document (`queueCounters`) holds the entries these functions read and change.
 */
import { ticketNumber, type TicketKind, type TicketStatus } from '../../../types/queue'

/** One number in a line's day counter: what the poll, the screen and the calling panel need. */
export interface QueueEntry {
  seq: number
  kind: TicketKind
  status: TicketStatus
  /** Who holds it: a digest of the resident's OPENID (never the OPENID), for the one-per-line rule and the poll. */
  holder: string
  /** A walk-in's client request id: a retried take answers with the same number. */
  requestId?: string
  /** Appointments: the slot's start and end (ms since the epoch). */
  slotStart?: number
  slotEnd?: number
  /** Moved here from another line: it has waited already, so it goes ahead of walk-ins. */
  moved?: boolean
  /** How many numbers were called ahead of it although it was taken earlier. */
  passed: number
  calls: number
  window?: number
  takenAt: number
  calledAt?: number
  startedAt?: number
  finishedAt?: number
  /** Moved away: the other line and its number there. */
  transferredTo?: { line: string; seq: number }
}

/** The date part of ids: 2026-11-30 → 20261130. */
export const compactDate = (date: string) => date.replace(/-/g, '')

/** A line's day counter: one document per station, day and line. */
export const counterId = (stationId: string, date: string, line: string) =>
  `${stationId}_${compactDate(date)}_${line}`

export const ticketId = (stationId: string, date: string, line: string, seq: number) =>
  `${counterId(stationId, date, line)}_${seq}`

/** A ticket id's parts, or null when it is not one. */
export function parseTicketId(
  id: string
): { stationId: string; date: string; line: string; seq: number; counterId: string } | null {
  const m = /^(.+)_(\d{4})(\d{2})(\d{2})_([A-Z])_(\d{1,4})$/.exec(id)
  if (!m) return null
  const [, stationId, y, mo, d, line, seq] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string
  ]
  const date = `${y}-${mo}-${d}`
  return { stationId, date, line, seq: Number(seq), counterId: counterId(stationId, date, line) }
}

export { ticketNumber }

/** An entry the rule puts ahead of walk-ins: an appointment whose slot has begun, or a moved number. */
export function isPriority(e: QueueEntry, now: number): boolean {
  return e.moved === true || (e.kind === 'appointment' && e.slotStart !== undefined && now >= e.slotStart)
}

const waitingInOrder = (entries: readonly QueueEntry[]) =>
  entries.filter((e) => e.status === 'waiting').sort((a, b) => a.seq - b.seq)

/**
 * The merge rule: which waiting number is called next.
 *   1. The earliest walk-in already passed `maxWalkInSkips` times is called: nobody is held back more.
 *   2. Otherwise the earliest priority number (an appointment in its slot, a moved number).
 *   3. Otherwise the earliest number.
 */
export function pickNext(
  entries: readonly QueueEntry[],
  now: number,
  maxWalkInSkips: number
): QueueEntry | undefined {
  const waiting = waitingInOrder(entries)
  const held = waiting.find((e) => !isPriority(e, now) && e.passed >= maxWalkInSkips)
  if (held) return held
  return waiting.find((e) => isPriority(e, now)) ?? waiting[0]
}

/** Counts the pass on every waiting non-priority number taken before the one called. */
export function notePassed(entries: QueueEntry[], called: QueueEntry, now: number): void {
  for (const e of entries)
    if (e.status === 'waiting' && e !== called && e.seq < called.seq && !isPriority(e, now)) e.passed += 1
}

/**
 * The order the waiting numbers will be called in if calls happened now, one after another: the
 * rule applied repeatedly to a copy. `ahead` of a number is its index here.
 */
export function callOrder(entries: readonly QueueEntry[], now: number, maxWalkInSkips: number): QueueEntry[] {
  const copy = entries.filter((e) => e.status === 'waiting').map((e) => ({ ...e }))
  const out: QueueEntry[] = []
  for (;;) {
    const next = pickNext(copy, now, maxWalkInSkips)
    if (!next) break
    notePassed(copy, next, now)
    next.status = 'called'
    out.push(entries.find((e) => e.seq === next.seq) as QueueEntry)
  }
  return out
}

/** The average of the recent service times (minutes), or the line's default when there are none. */
export function serviceMinutes(recent: readonly number[], fallback: number): number {
  if (recent.length === 0) return fallback
  return recent.reduce((s, m) => s + m, 0) / recent.length
}

/**
 * Minutes until a number with `ahead` numbers before it is called: each takes the average service
 * time, shared among the windows calling this line (at least one).
 */
export function estimateWait(ahead: number, minutesEach: number, windows: number): number {
  return Math.ceil((ahead * minutesEach) / Math.max(1, windows))
}

/** The windows calling this line today (those with a number called or being served). */
export function activeWindows(entries: readonly QueueEntry[]): number {
  return new Set(
    entries.filter((e) => (e.status === 'called' || e.status === 'serving') && e.window).map((e) => e.window)
  ).size
}
