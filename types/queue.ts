/**
 * 取号与叫号 — queue numbers at the window: a resident takes a number for a service line (on site
 * from the hall's QR code, or remotely for today within opening hours), sees how many are ahead
 * and an estimated wait; an officer calls, recalls, skips a no-show and moves a number to another
 * line; a waiting-room screen shows the numbers being served. The `queue` function's contract.
 * docs/queue.md has the rules (numbering, the merge of appointments and walk-ins, polling).
 */
import './zod'
import * as z from 'zod/mini'
import { RequestId } from './appointment'
import { DocId } from './guide'
import type { ServiceCategory } from './guide'

/** A service line: its letter (the number's prefix), its name, and the services it serves. */
export interface QueueLine {
  key: string
  label: string
  /** The service categories whose appointments join this line when checked in. */
  categories: ServiceCategory[]
  /** Minutes one resident takes at the window when the day has no finished number yet. */
  defaultServiceMinutes: number
}

/** A station's queue settings (the `queue` field of its document; these defaults without one). */
export interface QueueSettings {
  lines: QueueLine[]
  /**
   * How many numbers may be called ahead of a waiting walk-in that took its number earlier (an
   * appointment in its slot, a moved number). At the limit the walk-in is called next.
   */
  maxWalkInSkips: number
  /** How many finished numbers of a line today the estimated wait averages over. */
  recentServed: number
}

export const DEFAULT_QUEUE: QueueSettings = {
  lines: [
    { key: 'A', label: '身份证', categories: ['id_card'], defaultServiceMinutes: 8 },
    {
      key: 'B',
      label: '户口与证明',
      categories: ['certificate', 'registration', 'correction', 'consultation'],
      defaultServiceMinutes: 12
    }
  ],
  maxWalkInSkips: 3,
  recentServed: 5
}

/** A resident is told when this many are ahead of them. */
export const NEAR_AHEAD = 3
/** A called number may be skipped (no-show) only after this many calls. */
export const CALLS_BEFORE_SKIP = 3
/** How often the resident's page and the screen poll (ms). */
export const POLL_MS = 5000
/** The screen shows at most this many of the next numbers per line. */
export const SCREEN_NEXT = 5

export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'done', 'no_show', 'transferred'] as const
export type TicketStatus = (typeof TICKET_STATUSES)[number]

export const TICKET_STATUS_LABELS: Record<TicketStatus, string> = {
  waiting: '排队中',
  called: '请到窗口',
  serving: '正在办理',
  done: '已办结',
  no_show: '已过号',
  transferred: '已转到其他队列'
}

/** walk_in: a number taken by a resident; appointment: a booking checked in at the window. */
export type TicketKind = 'walk_in' | 'appointment'

/** A number as people read it: the line's letter and three digits (A001). */
export function ticketNumber(line: string, seq: number): string {
  return `${line}${String(seq).padStart(3, '0')}`
}

const LineKey = z.string().check(z.regex(/^[A-Z]$/, 'INVALID_INPUT'))
/** A ticket's id: `<station>_<date>_<line>_<seq>` (the line's day counter and the number). */
export const TicketId = z.string().check(z.regex(/^[\w-]{1,64}_\d{8}_[A-Z]_\d{1,4}$/, 'INVALID_INPUT'))
const Window = z.number().check(z.int(), z.gte(1), z.lte(20))

export const queueInputs = {
  /** Public: the station's lines, whether taking a number is open now, and each line's wait. */
  lines: z.strictObject({ stationId: DocId }),
  /** A resident takes a number; the same requestId again returns the same number. */
  take: z.strictObject({
    requestId: RequestId,
    stationId: DocId,
    line: LineKey,
    /** Opened from the hall's QR code (kept on the ticket for the figures). */
    onSite: z.optional(z.boolean())
  }),
  /** The caller's numbers of today, newest first. */
  mine: z.strictObject({ stationId: z.optional(DocId) }),
  /** The light poll: one database read answers it (docs/queue.md). */
  status: z.strictObject({ ticketId: TicketId }),
  /** Public, for the hall's screen: numbers only. One database read. */
  screen: z.strictObject({ stationId: DocId }),
  /** Staff: every line of today with its waiting and called numbers. */
  board: z.strictObject({ stationId: DocId }),
  /** Staff: calls the next number of a line to a window (the merge rule picks it). */
  callNext: z.strictObject({ stationId: DocId, line: LineKey, window: Window }),
  /** Staff: calls a called number again. */
  recall: z.strictObject({ stationId: DocId, ticketId: TicketId }),
  /** Staff: the called resident is at the window. */
  start: z.strictObject({ stationId: DocId, ticketId: TicketId }),
  finish: z.strictObject({ stationId: DocId, ticketId: TicketId }),
  /** Staff: a number called CALLS_BEFORE_SKIP times with nobody coming is a no-show. */
  skip: z.strictObject({ stationId: DocId, ticketId: TicketId }),
  /** Staff: moves a waiting or called number to another line (it gets a number there, ahead of walk-ins). */
  transfer: z.strictObject({ stationId: DocId, ticketId: TicketId, line: LineKey })
}

export interface LineInfo {
  key: string
  label: string
  waiting: number
  /** Minutes a number taken now would wait (estimate). */
  waitMinutes: number
}

export interface LinesView {
  stationId: string
  stationName: string
  date: string
  /** Whether a number can be taken now; when not, why (the refusal's message). */
  open: boolean
  closedReason?: string
  lines: LineInfo[]
}

/** What the resident sees of their number. */
export interface TicketView {
  ticketId: string
  number: string
  line: string
  lineLabel: string
  stationId: string
  date: string
  status: TicketStatus
  statusLabel: string
  /** Waiting: how many are called before this number (the merge rule's order). */
  ahead: number
  /** Waiting: the estimated minutes until called. */
  waitMinutes: number
  /** Called or serving: the window to go to. */
  window?: number
  calls: number
  /** Moved: the number in the other line (follow it). */
  transferredTo?: { ticketId: string; number: string }
  takenAt: string
  calledAt?: string
  /** The cloud's time of this answer (ISO). */
  asOf: string
}

export interface ScreenLine {
  key: string
  label: string
  /** Called and being served, by window (newest call first). */
  serving: { window: number; number: string; recalled: boolean }[]
  next: string[]
  waiting: number
}

export interface ScreenView {
  stationName: string
  date: string
  lines: ScreenLine[]
  asOf: string
}

/** One number as staff see it: no name, no contact — the number, its kind and its times. */
export interface BoardTicket {
  ticketId: string
  number: string
  kind: TicketKind
  status: TicketStatus
  window?: number
  calls: number
  /** Appointments: the slot's start and end (HH:mm). */
  slot?: { start: string; end: string }
  /** Called ahead of it although it took its number earlier. */
  passed: number
  takenAt: string
  calledAt?: string
  startedAt?: string
}

export interface BoardLine {
  key: string
  label: string
  /** Waiting, in the order they will be called. */
  waiting: BoardTicket[]
  /** Called or being served. */
  active: BoardTicket[]
  done: number
  noShow: number
  /** Average minutes of the recent finished numbers (the default when none). */
  serviceMinutes: number
}

export interface BoardView {
  stationId: string
  date: string
  maxWalkInSkips: number
  lines: BoardLine[]
  asOf: string
}

export interface QueueOutputs {
  lines: LinesView
  take: TicketView
  mine: TicketView[]
  status: TicketView
  screen: ScreenView
  board: BoardView
  callNext: BoardTicket
  recall: BoardTicket
  start: BoardTicket
  finish: BoardTicket
  skip: BoardTicket
  transfer: BoardTicket
}
