/**
 * The queue's data layer (docs/queue.md): a line's day counter (`queueCounters`) holds every
 * number of the day, and `queueTickets` one document per number. A number is given, called or
 * moved in a transaction that reads the counter and writes it with the ticket, so numbers are
 * consecutive and two officers never call the same one. Used by the `queue` function and by
 * `staff.checkIn`, which puts a checked-in appointment into its service's line.
 */
import type { Transaction } from 'wx-server-sdk'
import {
  DEFAULT_QUEUE,
  NEAR_AHEAD,
  TICKET_STATUS_LABELS,
  ticketNumber,
  type QueueLine,
  type QueueSettings,
  type TicketKind
} from '../../types/queue'
import { pageUrl } from '../../types/routes'
import { clipThing } from '../../types/templates'
import { localDate, localDateTime } from '../../types/time'
import { getCloud } from './cloud'
import { collection, db, digestId, isConflict, isDuplicateKey, repo, txGet } from './db'
import type { QueueCounterDoc, QueueTicketDoc, StationDoc } from './documents'
import { callOrder, counterId, ticketId, type QueueEntry } from './domain/queue'
import { AppError } from './handler'
import { enqueueWithId, grantCountId, sendNow, type NewMessage } from './outbox'

/** The station's queue settings: its own, else the defaults. */
export function settingsOf(station: Pick<StationDoc, 'queue'>): QueueSettings {
  return station.queue ?? DEFAULT_QUEUE
}

export function lineOf(settings: QueueSettings, key: string): QueueLine {
  const line = settings.lines.find((l) => l.key === key)
  if (!line) throw new AppError('QUEUE_LINE_UNKNOWN')
  return line
}

/** Who holds a number, as the counter stores it: a digest, never the OPENID. */
export const holderOf = (openid: string) => digestId('h', `queue:${openid}`, 16)

/** Statuses in which a resident still holds their place (one per line at a time). */
const HOLDING = new Set(['waiting', 'called', 'serving'])

const counters = () => collection('queueCounters')

function newCounter(stationId: string, date: string, line: string, now: Date): QueueCounterDoc {
  return {
    _id: counterId(stationId, date, line),
    stationId,
    date,
    line,
    lastSeq: 0,
    entries: [],
    recentMinutes: [],
    updatedAt: now
  }
}

/** Creates the line's day counter if it is missing (a twin's creation is as good as ours). */
async function ensureCounter(stationId: string, date: string, line: string, now: Date): Promise<void> {
  try {
    await counters().add({ data: { ...newCounter(stationId, date, line, now) } })
  } catch (err) {
    if (!isDuplicateKey(err)) throw err
  }
}

class MissingCounter extends Error {}

/**
 * A transaction on counters, retried on a write conflict. Taking a number is the hot path (a
 * hall's morning rush, a hundred at once in the test), so it retries more, with shorter pauses,
 * than the general helper: every retry is one read and one write of a small document.
 */
export async function onCounters<R>(
  ids: { stationId: string; date: string; line: string }[],
  now: Date,
  work: (tx: Transaction, docs: QueueCounterDoc[]) => Promise<R>,
  attempts = 200
): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    const tx = await db().startTransaction()
    try {
      const docs: QueueCounterDoc[] = []
      for (const c of ids) {
        const doc = await txGet(tx, 'queueCounters', counterId(c.stationId, c.date, c.line))
        if (!doc) throw new MissingCounter()
        docs.push(doc)
      }
      const result = await work(tx, docs)
      await tx.commit()
      return result
    } catch (err) {
      await tx.rollback().catch(() => undefined)
      if (err instanceof MissingCounter) {
        for (const c of ids) await ensureCounter(c.stationId, c.date, c.line, now)
        continue
      }
      if (!isConflict(err)) throw err
      if (attempt >= attempts) throw new AppError('BUSY')
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * Math.min(50, 5 * attempt)))
    }
  }
}

/** Writes a counter's changed state inside its transaction. */
export async function saveCounter(tx: Transaction, doc: QueueCounterDoc, now: Date): Promise<void> {
  await tx
    .collection('queueCounters')
    .doc(doc._id)
    .update({
      data: { lastSeq: doc.lastSeq, entries: doc.entries, recentMinutes: doc.recentMinutes, updatedAt: now }
    })
}

export interface NewNumber {
  stationId: string
  line: string
  kind: TicketKind
  openid: string
  now: Date
  requestId?: string
  appointmentId?: string
  onSite?: boolean
  slot?: { start: Date; end: Date }
  /** Moved from another line: the old ticket's id. */
  transferredFrom?: string
}

/**
 * Appends the next number to the counter (in the caller's transaction) and adds its ticket.
 * Refuses a second number for the same resident in the same line while they hold one, unless it
 * is the same request (a retry), which answers with the number it got.
 */
export async function appendNumber(
  tx: Transaction,
  counter: QueueCounterDoc,
  n: NewNumber
): Promise<{ entry: QueueEntry; ticket: QueueTicketDoc | null }> {
  const holder = holderOf(n.openid)
  const held = counter.entries.find((e) => e.holder === holder && HOLDING.has(e.status))
  if (held && n.kind === 'walk_in') {
    if (n.requestId && held.requestId === n.requestId) return { entry: held, ticket: null }
    throw new AppError(
      'QUEUE_ALREADY_WAITING',
      `您在这个队列已有号码 ${ticketNumber(counter.line, held.seq)}，请等待叫号`
    )
  }
  const seq = counter.lastSeq + 1
  const at = n.now.getTime()
  const entry: QueueEntry = {
    seq,
    kind: n.kind,
    status: 'waiting',
    holder,
    passed: 0,
    calls: 0,
    takenAt: at
  }
  if (n.requestId) entry.requestId = n.requestId
  if (n.slot) {
    entry.slotStart = n.slot.start.getTime()
    entry.slotEnd = n.slot.end.getTime()
  }
  if (n.transferredFrom) entry.moved = true
  counter.lastSeq = seq
  counter.entries.push(entry)
  const ticket: QueueTicketDoc = {
    _id: ticketId(counter.stationId, counter.date, counter.line, seq),
    stationId: counter.stationId,
    date: counter.date,
    line: counter.line,
    seq,
    number: ticketNumber(counter.line, seq),
    kind: n.kind,
    status: 'waiting',
    openid: n.openid,
    calls: 0,
    takenAt: n.now,
    updatedAt: n.now
  }
  if (n.requestId) ticket.requestId = n.requestId
  if (n.appointmentId) ticket.appointmentId = n.appointmentId
  if (n.onSite !== undefined) ticket.onSite = n.onSite
  if (n.transferredFrom) ticket.transferredFrom = n.transferredFrom
  await tx.collection('queueTickets').add({ data: { ...ticket } })
  return { entry, ticket }
}

/**
 * A checked-in appointment joins its service's line (staff.checkIn). Its number counts as an
 * appointment in its slot from the slot's start (docs/queue.md). Returns the number given.
 */
export async function enterAppointment(
  station: StationDoc,
  a: {
    _id: string
    openid: string
    stationId: string
    serviceId: string
    startsAt: Date
    end: string
    date: string
  },
  category: string | undefined,
  now: Date
): Promise<string> {
  const settings = settingsOf(station)
  const line =
    settings.lines.find((l) => category !== undefined && (l.categories as string[]).includes(category)) ??
    settings.lines[settings.lines.length - 1]
  if (!line) throw new AppError('QUEUE_LINE_UNKNOWN')
  const date = localDate(now)
  const startsAt = new Date(a.startsAt)
  const [h, m] = a.end.split(':').map(Number) as [number, number]
  const end = new Date(Date.parse(`${a.date}T00:00:00+08:00`) + (h * 60 + m) * 60_000)
  const id = { stationId: a.stationId, date, line: line.key }
  return onCounters([id], now, async (tx, [counter]) => {
    const c = counter as QueueCounterDoc
    const { entry } = await appendNumber(tx, c, {
      stationId: a.stationId,
      line: line.key,
      kind: 'appointment',
      openid: a.openid,
      now,
      appointmentId: a._id,
      slot: { start: startsAt, end }
    })
    await saveCounter(tx, c, now)
    return ticketNumber(line.key, entry.seq)
  })
}

/**
 * staff.checkIn's hook: the checked-in appointment joins the line of its service's category. A
 * failure here is logged and leaves the check-in standing (the officer can still serve it from the
 * day's list); it never undoes the check-in.
 */
export async function queueCheckedIn(
  a: {
    _id: string
    openid: string
    stationId: string
    serviceId: string
    startsAt: Date
    end: string
    date: string
  },
  now: Date
): Promise<string | null> {
  try {
    const [station, service] = await Promise.all([
      repo('stations').byId(a.stationId),
      repo('services').byId(a.serviceId)
    ])
    if (!station) return null
    return await enterAppointment(station, a, service?.category, now)
  } catch (err) {
    console.warn(`[queue] checked-in appointment not queued: ${(err as { code?: string }).code ?? 'error'}`)
    return null
  }
}

/** The resident's notice: three ahead, or called to a window. One per number and kind (the dedupe key). */
export function queueNotice(
  ticket: Pick<QueueTicketDoc, '_id' | 'openid' | 'number'>,
  lineLabel: string,
  what: { kind: 'near' } | { kind: 'called'; window: number; calls: number },
  now: Date
): NewMessage {
  return {
    dedupeKey: what.kind === 'near' ? `queue:${ticket._id}:near` : `queue:${ticket._id}:called:${what.calls}`,
    template: 'queueCall',
    touser: ticket.openid,
    page: pageUrl('pages/queue/index', { ticketId: ticket._id }),
    values: {
      number: ticket.number,
      line: clipThing(lineLabel),
      status: what.kind === 'near' ? '即将轮到您' : TICKET_STATUS_LABELS.called,
      time: localDateTime(now),
      note:
        what.kind === 'near'
          ? clipThing(`前面还有${NEAR_AHEAD}位，请到大厅等候叫号`)
          : clipThing(`请到${what.window}号窗口办理`)
    },
    ref: { kind: 'queue', id: ticket._id }
  }
}

/**
 * After a call: tells the called resident, and the one who now has exactly NEAR_AHEAD ahead when
 * they have a grant to spare for it.
 * Outside the transaction (the change is committed); a message that fails stays in the outbox.
 */
export async function notifyAfterCall(
  counter: QueueCounterDoc,
  called: QueueEntry | undefined,
  lineLabel: string,
  maxWalkInSkips: number,
  now: Date
): Promise<void> {
  const ids: (string | null)[] = []
  const byId = (seq: number) =>
    repo('queueTickets').byId(ticketId(counter.stationId, counter.date, counter.line, seq))
  if (called && called.window) {
    const t = await byId(called.seq)
    if (t)
      ids.push(
        await enqueueWithId(
          queueNotice(t, lineLabel, { kind: 'called', window: called.window, calls: called.calls }, now),
          now
        )
      )
  }
  const near = callOrder(counter.entries, now.getTime(), maxWalkInSkips)[NEAR_AHEAD]
  if (near) {
    const t = await byId(near.seq)
    // A one-time grant is one message: the "three ahead" notice goes only when the resident has
    // a second one left for the call (the app's own count of grants), never at the call's expense.
    const grant = t ? await repo('grantCounts').byId(grantCountId(t.openid, 'queueCall')) : null
    if (t && grant && (grant.longTerm || grant.count >= 2))
      ids.push(await enqueueWithId(queueNotice(t, lineLabel, { kind: 'near' }, now), now))
  }
  await sendNow(ids, now, getCloud().getWXContext().ENV, 'queue')
}
