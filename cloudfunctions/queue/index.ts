/**
 * queue — 取号与叫号. A resident takes a number for a service line and polls its place; the hall's
 * screen polls the numbers being served; an officer calls the next number (the merge rule of
 * appointments and walk-ins), recalls, starts, finishes, skips a no-show, moves a number to
 * another line. The contract is types/queue.ts; the rules and why the pages poll are docs/queue.md.
 *
 * Every change to a line is a transaction on its day counter (`_shared/queue.ts`), which holds all
 * of the day's numbers: the poll and the screen are one read each.
 */
import {
  CALLS_BEFORE_SKIP,
  SCREEN_NEXT,
  TICKET_STATUS_LABELS,
  ticketNumber,
  type BoardLine,
  type BoardTicket,
  type LineInfo,
  type QueueLine,
  type QueueSettings,
  type TicketView
} from '../../types/queue'
import { localDate, localTime, minutesOf } from '../../types/time'
import type { Transaction } from 'wx-server-sdk'
import { cachedByKey } from '../_shared/cache'
import { stationCalendar } from '../_shared/calendars'
import { collection, repo } from '../_shared/db'
import type { QueueCounterDoc, StationDoc } from '../_shared/documents'
import {
  activeWindows,
  callOrder,
  counterId,
  estimateWait,
  notePassed,
  parseTicketId,
  pickNext,
  serviceMinutes,
  ticketId,
  type QueueEntry
} from '../_shared/domain/queue'
import { optional } from '../_shared/fields'
import { AppError, defineFunction } from '../_shared/handler'
import { queueInputs } from '../../types/queue'
import {
  appendNumber,
  holderOf,
  lineOf,
  notifyAfterCall,
  onCounters,
  saveCounter,
  settingsOf
} from '../_shared/queue'

/** A station's document, read at most once a minute per warm instance: the poll costs no read for it. */
const stationCached = cachedByKey(60_000, async (id) => repo('stations').byId(id))

async function stationOf(id: string): Promise<StationDoc> {
  const st = await stationCached(id)
  if (!st) throw new AppError('NOT_FOUND', '没有找到这个派出所窗口')
  return st
}

/** Why a number cannot be taken now (null: it can): a rest day, a closure, outside opening hours. */
async function closedReason(st: StationDoc, now: Date): Promise<string | null> {
  const date = localDate(now)
  const cal = await stationCalendar(st._id, date, date)
  const day = cal.day(date)
  const hours = st.officeHours.ranges.map((r) => `${r.start}–${r.end}`).join('、')
  if (day.status === 'unpublished') return '今天的节假日安排尚未发布，暂不能线上取号，请到窗口咨询'
  if (day.status === 'rest') return `今天${day.name ? `是${day.name}` : '是休息日'}，窗口不办公，暂不能取号`
  if (cal.closedAllDay(date)) return '窗口今天暂停服务，暂不能取号'
  const t = minutesOf(localTime(now))
  const inHours = st.officeHours.ranges.some((r) => t >= minutesOf(r.start) && t < minutesOf(r.end))
  if (!inHours) return `现在不在办公时间（${hours}），暂不能取号`
  const closure = day.closures.find(
    (c) => c.start && c.end && t >= minutesOf(c.start) && t < minutesOf(c.end)
  )
  if (closure) return `窗口 ${closure.start}–${closure.end} 暂停服务，暂不能取号`
  return null
}

const counterOf = (stationId: string, date: string, line: string) =>
  repo('queueCounters').byId(counterId(stationId, date, line))

function lineWait(counter: QueueCounterDoc | null, line: QueueLine, settings: QueueSettings, now: Date) {
  const entries = counter?.entries ?? []
  const order = callOrder(entries, now.getTime(), settings.maxWalkInSkips)
  const each = serviceMinutes(counter?.recentMinutes ?? [], line.defaultServiceMinutes)
  return { order, each, windows: activeWindows(entries) }
}

function ticketView(
  counter: QueueCounterDoc,
  entry: QueueEntry,
  line: QueueLine,
  settings: QueueSettings,
  now: Date
): TicketView {
  const { order, each, windows } = lineWait(counter, line, settings, now)
  const ahead = entry.status === 'waiting' ? order.findIndex((e) => e.seq === entry.seq) : 0
  const v: TicketView = {
    ticketId: ticketId(counter.stationId, counter.date, counter.line, entry.seq),
    number: ticketNumber(counter.line, entry.seq),
    line: counter.line,
    lineLabel: line.label,
    stationId: counter.stationId,
    date: counter.date,
    status: entry.status,
    statusLabel: TICKET_STATUS_LABELS[entry.status],
    ahead: Math.max(0, ahead),
    waitMinutes: entry.status === 'waiting' ? estimateWait(Math.max(0, ahead), each, windows) : 0,
    calls: entry.calls,
    takenAt: new Date(entry.takenAt).toISOString(),
    asOf: now.toISOString(),
    ...optional({
      window: entry.status === 'called' || entry.status === 'serving' ? entry.window : undefined,
      calledAt: entry.calledAt ? new Date(entry.calledAt).toISOString() : undefined
    })
  }
  if (entry.transferredTo)
    v.transferredTo = {
      ticketId: ticketId(counter.stationId, counter.date, entry.transferredTo.line, entry.transferredTo.seq),
      number: ticketNumber(entry.transferredTo.line, entry.transferredTo.seq)
    }
  return v
}

function boardTicket(counter: QueueCounterDoc, e: QueueEntry): BoardTicket {
  const t: BoardTicket = {
    ticketId: ticketId(counter.stationId, counter.date, counter.line, e.seq),
    number: ticketNumber(counter.line, e.seq),
    kind: e.kind,
    status: e.status,
    calls: e.calls,
    passed: e.passed,
    takenAt: new Date(e.takenAt).toISOString(),
    ...optional({
      window: e.window,
      calledAt: e.calledAt ? new Date(e.calledAt).toISOString() : undefined,
      startedAt: e.startedAt ? new Date(e.startedAt).toISOString() : undefined
    })
  }
  if (e.slotStart && e.slotEnd) t.slot = { start: localTime(e.slotStart), end: localTime(e.slotEnd) }
  return t
}

/** Today's counters of a station, one query: the screen's and the board's one read. */
async function todaysCounters(stationId: string, date: string): Promise<QueueCounterDoc[]> {
  return (await collection('queueCounters').where({ stationId, date }).limit(100).get()).data
}

/**
 * A staff change to one number: in a transaction on its line's counter, the entry found, checked
 * against the statuses it may be in, changed by `change`, and its ticket updated with `patch`.
 */
async function changeTicket(
  input: { stationId: string; ticketId: string },
  now: Date,
  allowed: readonly QueueEntry['status'][],
  change: (entry: QueueEntry, counter: QueueCounterDoc, tx: Transaction) => Promise<Record<string, unknown>>
): Promise<{ counter: QueueCounterDoc; entry: QueueEntry }> {
  const parsed = parseTicketId(input.ticketId)
  if (!parsed || parsed.stationId !== input.stationId) throw new AppError('NOT_FOUND', '没有找到这个号码')
  const existing = await counterOf(parsed.stationId, parsed.date, parsed.line)
  if (!existing) throw new AppError('NOT_FOUND', '没有找到这个号码')
  return onCounters([parsed], now, async (tx, [c]) => {
    const counter = c as QueueCounterDoc
    const entry = counter.entries.find((e) => e.seq === parsed.seq)
    if (!entry) throw new AppError('NOT_FOUND', '没有找到这个号码')
    if (!allowed.includes(entry.status))
      throw new AppError('QUEUE_WRONG_STATUS', `这个号码${TICKET_STATUS_LABELS[entry.status]}，请刷新后再看`)
    const patch = await change(entry, counter, tx)
    await saveCounter(tx, counter, now)
    await tx
      .collection('queueTickets')
      .doc(input.ticketId)
      .update({ data: { ...patch, status: entry.status, calls: entry.calls, updatedAt: now } })
    return { counter, entry }
  })
}

export const main = defineFunction('queue', queueInputs, {
  lines: {
    access: 'public',
    async handler({ stationId }, ctx) {
      const st = await stationOf(stationId)
      const settings = settingsOf(st)
      const date = localDate(ctx.now)
      const [reason, counters] = await Promise.all([
        closedReason(st, ctx.now),
        todaysCounters(stationId, date)
      ])
      const lines: LineInfo[] = settings.lines.map((line) => {
        const counter = counters.find((c) => c.line === line.key) ?? null
        const { order, each, windows } = lineWait(counter, line, settings, ctx.now)
        return {
          key: line.key,
          label: line.label,
          waiting: order.length,
          waitMinutes: estimateWait(order.length, each, windows)
        }
      })
      return {
        stationId,
        stationName: st.shortName,
        date,
        open: reason === null,
        ...optional({ closedReason: reason ?? undefined }),
        lines
      }
    }
  },

  take: {
    access: 'resident',
    async handler(input, ctx) {
      const st = await stationOf(input.stationId)
      const settings = settingsOf(st)
      const line = lineOf(settings, input.line)
      const reason = await closedReason(st, ctx.now)
      if (reason) throw new AppError('QUEUE_CLOSED', reason)
      const date = localDate(ctx.now)
      const id = { stationId: st._id, date, line: line.key }
      const { counter, entry } = await onCounters([id], ctx.now, async (tx, [c]) => {
        const doc = c as QueueCounterDoc
        const { entry: e, ticket } = await appendNumber(tx, doc, {
          stationId: st._id,
          line: line.key,
          kind: 'walk_in',
          openid: ctx.openid,
          now: ctx.now,
          requestId: input.requestId,
          ...optional({ onSite: input.onSite })
        })
        if (ticket) await saveCounter(tx, doc, ctx.now)
        return { counter: doc, entry: e }
      })
      return ticketView(counter, entry, line, settings, ctx.now)
    }
  },

  mine: {
    access: 'resident',
    async handler({ stationId }, ctx) {
      const date = localDate(ctx.now)
      const tickets = (
        await collection('queueTickets')
          .where({ openid: ctx.openid, date, ...(stationId ? { stationId } : {}) })
          .limit(20)
          .get()
      ).data
      const out: TicketView[] = []
      const counters = new Map<string, QueueCounterDoc | null>()
      for (const t of tickets.sort((a, b) => new Date(b.takenAt).getTime() - new Date(a.takenAt).getTime())) {
        const key = `${t.stationId}|${t.line}`
        if (!counters.has(key)) counters.set(key, await counterOf(t.stationId, t.date, t.line))
        const counter = counters.get(key)
        const entry = counter?.entries.find((e) => e.seq === t.seq)
        if (!counter || !entry) continue
        const settings = settingsOf(await stationOf(t.stationId))
        const line = settings.lines.find((l) => l.key === t.line)
        if (line) out.push(ticketView(counter, entry, line, settings, ctx.now))
      }
      return out
    }
  },

  status: {
    access: 'resident',
    async handler({ ticketId: id }, ctx) {
      const parsed = parseTicketId(id)
      if (!parsed) throw new AppError('NOT_FOUND', '没有找到这个号码')
      // The one database read of a poll (the station comes from this instance's cache).
      const counter = await counterOf(parsed.stationId, parsed.date, parsed.line)
      const entry = counter?.entries.find((e) => e.seq === parsed.seq)
      // Another resident's number is as unknown as a number that does not exist.
      if (!counter || !entry || entry.holder !== holderOf(ctx.openid))
        throw new AppError('NOT_FOUND', '没有找到这个号码')
      const settings = settingsOf(await stationOf(parsed.stationId))
      const line = settings.lines.find((l) => l.key === parsed.line) ?? {
        key: parsed.line,
        label: parsed.line,
        categories: [],
        defaultServiceMinutes: 10
      }
      return ticketView(counter, entry, line, settings, ctx.now)
    }
  },

  screen: {
    access: 'public',
    async handler({ stationId }, ctx) {
      const st = await stationOf(stationId)
      const settings = settingsOf(st)
      const date = localDate(ctx.now)
      const counters = await todaysCounters(stationId, date)
      return {
        stationName: st.shortName,
        date,
        asOf: ctx.now.toISOString(),
        lines: settings.lines.map((line) => {
          const c = counters.find((x) => x.line === line.key)
          const entries = c?.entries ?? []
          const serving = entries
            .filter((e) => (e.status === 'called' || e.status === 'serving') && e.window)
            .sort((a, b) => (b.calledAt ?? 0) - (a.calledAt ?? 0))
            .map((e) => ({
              window: e.window as number,
              number: ticketNumber(line.key, e.seq),
              recalled: e.calls > 1
            }))
          const order = callOrder(entries, ctx.now.getTime(), settings.maxWalkInSkips)
          return {
            key: line.key,
            label: line.label,
            serving,
            next: order.slice(0, SCREEN_NEXT).map((e) => ticketNumber(line.key, e.seq)),
            waiting: order.length
          }
        })
      }
    }
  },

  board: {
    access: 'staff',
    roles: ['officer', 'leader', 'supervisor'],
    station: 'own',
    async handler({ stationId }, ctx) {
      const st = await stationOf(stationId)
      const settings = settingsOf(st)
      const date = localDate(ctx.now)
      const counters = await todaysCounters(stationId, date)
      const lines: BoardLine[] = settings.lines.map((line) => {
        const c = counters.find((x) => x.line === line.key) ?? null
        const entries = c?.entries ?? []
        const { order, each } = lineWait(c, line, settings, ctx.now)
        const counter = c ?? ({ stationId, date, line: line.key } as QueueCounterDoc)
        return {
          key: line.key,
          label: line.label,
          waiting: order.map((e) => boardTicket(counter, e)),
          active: entries
            .filter((e) => e.status === 'called' || e.status === 'serving')
            .map((e) => boardTicket(counter, e)),
          done: entries.filter((e) => e.status === 'done').length,
          noShow: entries.filter((e) => e.status === 'no_show').length,
          serviceMinutes: Math.round(each * 10) / 10
        }
      })
      return { stationId, date, maxWalkInSkips: settings.maxWalkInSkips, lines, asOf: ctx.now.toISOString() }
    }
  },

  callNext: {
    access: 'staff',
    roles: ['officer', 'leader', 'supervisor'],
    station: 'own',
    async handler({ stationId, line: key, window }, ctx) {
      const st = await stationOf(stationId)
      const settings = settingsOf(st)
      const line = lineOf(settings, key)
      const date = localDate(ctx.now)
      const now = ctx.now.getTime()
      const { counter, entry } = await onCounters(
        [{ stationId, date, line: key }],
        ctx.now,
        async (tx, [c]) => {
          const doc = c as QueueCounterDoc
          const next = pickNext(doc.entries, now, settings.maxWalkInSkips)
          if (!next) throw new AppError('QUEUE_EMPTY')
          notePassed(doc.entries, next, now)
          next.status = 'called'
          next.window = window
          next.calls = 1
          next.calledAt = now
          await saveCounter(tx, doc, ctx.now)
          await tx
            .collection('queueTickets')
            .doc(ticketId(stationId, date, key, next.seq))
            .update({
              data: {
                status: 'called',
                window,
                calls: 1,
                calledAt: ctx.now,
                calledBy: ctx.staff._id,
                updatedAt: ctx.now
              }
            })
          return { counter: doc, entry: next }
        }
      )
      await notifyAfterCall(counter, entry, line.label, settings.maxWalkInSkips, ctx.now)
      return boardTicket(counter, entry)
    }
  },

  recall: {
    access: 'staff',
    roles: ['officer', 'leader', 'supervisor'],
    station: 'own',
    async handler(input, ctx) {
      const { counter, entry } = await changeTicket(input, ctx.now, ['called'], async (e) => {
        e.calls += 1
        e.calledAt = ctx.now.getTime()
        return { calledAt: ctx.now }
      })
      const settings = settingsOf(await stationOf(input.stationId))
      const line = settings.lines.find((l) => l.key === counter.line)
      await notifyAfterCall(counter, entry, line?.label ?? counter.line, settings.maxWalkInSkips, ctx.now)
      return boardTicket(counter, entry)
    }
  },

  start: {
    access: 'staff',
    roles: ['officer', 'leader', 'supervisor'],
    station: 'own',
    async handler(input, ctx) {
      const { counter, entry } = await changeTicket(input, ctx.now, ['called'], async (e) => {
        e.status = 'serving'
        e.startedAt = ctx.now.getTime()
        return { startedAt: ctx.now }
      })
      return boardTicket(counter, entry)
    }
  },

  finish: {
    access: 'staff',
    roles: ['officer', 'leader', 'supervisor'],
    station: 'own',
    async handler(input, ctx) {
      const st = await stationOf(input.stationId)
      const { counter, entry } = await changeTicket(input, ctx.now, ['called', 'serving'], async (e, c) => {
        e.status = 'done'
        const at = ctx.now.getTime()
        e.finishedAt = at
        // The service time counts from the start (else the call): the resident is served and leaves.
        const minutes = Math.max(0.5, (at - (e.startedAt ?? e.calledAt ?? at)) / 60_000)
        c.recentMinutes = [...c.recentMinutes, Math.round(minutes * 10) / 10].slice(
          -settingsOf(st).recentServed
        )
        return { finishedAt: ctx.now, finishedBy: ctx.staff._id }
      })
      return boardTicket(counter, entry)
    }
  },

  skip: {
    access: 'staff',
    roles: ['officer', 'leader', 'supervisor'],
    station: 'own',
    async handler(input, ctx) {
      const { counter, entry } = await changeTicket(input, ctx.now, ['called'], async (e) => {
        if (e.calls < CALLS_BEFORE_SKIP)
          throw new AppError(
            'QUEUE_SKIP_TOO_EARLY',
            `这个号码已叫${e.calls}次，叫满${CALLS_BEFORE_SKIP}次仍未到窗口才能过号`
          )
        e.status = 'no_show'
        e.finishedAt = ctx.now.getTime()
        return { noShowAt: ctx.now, finishedBy: ctx.staff._id }
      })
      return boardTicket(counter, entry)
    }
  },

  transfer: {
    access: 'staff',
    roles: ['officer', 'leader', 'supervisor'],
    station: 'own',
    async handler(input, ctx) {
      const parsed = parseTicketId(input.ticketId)
      if (!parsed || parsed.stationId !== input.stationId) throw new AppError('NOT_FOUND', '没有找到这个号码')
      const settings = settingsOf(await stationOf(input.stationId))
      lineOf(settings, input.line)
      if (input.line === parsed.line) throw new AppError('QUEUE_WRONG_STATUS', '这个号码已经在这个队列中')
      const old = await repo('queueTickets').byId(input.ticketId)
      if (!old) throw new AppError('NOT_FOUND', '没有找到这个号码')
      const to = { stationId: parsed.stationId, date: parsed.date, line: input.line }
      const { target, entry } = await onCounters([parsed, to], ctx.now, async (tx, [a, b]) => {
        const from = a as QueueCounterDoc
        const into = b as QueueCounterDoc
        const e = from.entries.find((x) => x.seq === parsed.seq)
        if (!e) throw new AppError('NOT_FOUND', '没有找到这个号码')
        if (e.status !== 'waiting' && e.status !== 'called')
          throw new AppError('QUEUE_WRONG_STATUS', `这个号码${TICKET_STATUS_LABELS[e.status]}，不能转队列`)
        const { entry: moved } = await appendNumber(tx, into, {
          stationId: parsed.stationId,
          line: input.line,
          kind: e.kind,
          openid: old.openid,
          now: ctx.now,
          transferredFrom: input.ticketId,
          ...optional({ appointmentId: old.appointmentId })
        })
        e.status = 'transferred'
        e.transferredTo = { line: input.line, seq: moved.seq }
        e.finishedAt = ctx.now.getTime()
        await saveCounter(tx, from, ctx.now)
        await saveCounter(tx, into, ctx.now)
        await tx
          .collection('queueTickets')
          .doc(input.ticketId)
          .update({
            data: {
              status: 'transferred',
              transferredTo: ticketId(parsed.stationId, parsed.date, input.line, moved.seq),
              updatedAt: ctx.now
            }
          })
        return { target: into, entry: moved }
      })
      return boardTicket(target, entry)
    }
  }
})
