/**
 * station — what leaders and supervisors keep: the holiday table (a new year is loaded, then
 * confirmed before it opens for booking) and closures (a training day, a system outage). A
 * closure first marks each slot it covers closed (so no booking racing it can take a place
 * there), then cancels the bookings it covers, releases their places and tells each resident
 * why, through the outbox (docs/booking-rules.md).
 */
import type { Closure } from '../../types/appointment'
import { stationInputs } from '../../types/station-admin'
import { addDays, instantAt, isoWeekday, minutesOf } from '../../types/time'
import { stationCancelMessage } from '../_shared/booking-messages'
import { inactiveDayKey } from '../_shared/appointment-doc'
import { collection, db, digestId, repo, txGet, withTransaction } from '../_shared/db'
import { Calendar } from '../_shared/domain/calendar'
import { daySlots } from '../_shared/domain/slots'
import { AppError, defineFunction } from '../_shared/handler'
import { enqueueInTransaction } from '../_shared/outbox'

const calendars = () => collection('calendars')

/** The longest closure set at once (a date range on the calendar page). */
const MAX_CLOSURE_DAYS = 31

/** Whether a closure (whole day, or start–end) covers a slot or booking from `start` to `end` that day. */
function covers(closure: Pick<Closure, 'start' | 'end'>, start: string, end: string): boolean {
  return (
    !closure.start ||
    !closure.end ||
    (minutesOf(start) < minutesOf(closure.end) && minutesOf(closure.start) < minutesOf(end))
  )
}

/**
 * Marks closed every slot of the day the closure covers, each in a transaction of its own: it
 * conflicts with any booking holding a place in that slot at the same moment, so a booking either
 * committed before the mark (and the sweep after it cancels that booking) or sees the mark and is
 * refused. A slot nobody has booked yet gets its document now, already closed.
 */
async function markSlotsClosed(closure: Closure, now: Date): Promise<number> {
  const st = await repo('stations').byId(closure.stationId)
  if (!st) return 0
  const year = await repo('calendars').byId(`cal-${closure.date.slice(0, 4)}`)
  // The day's slots as the station's settings define them, closures not applied: those are the
  // places a booking could still try to take.
  const defs = daySlots(st, new Calendar(year ? [year] : []).day(closure.date)).filter((d) =>
    covers(closure, d.start, d.end)
  )
  const marks = defs.map((def) =>
    withTransaction(async (tx) => {
      const slot = await txGet(tx, 'slots', def._id)
      if (slot?.closed) return
      const mark = { closed: true, closureId: closure._id, updatedAt: now }
      if (slot) await tx.collection('slots').doc(def._id).update({ data: mark })
      else {
        const { _id, ...fields } = def
        void _id
        await tx
          .collection('slots')
          .doc(def._id)
          .set({ data: { ...fields, booked: 0, ...mark } })
      }
    }, 30)
  )
  await Promise.all(marks)
  return defs.length
}

/**
 * Saves one day's closure (unless a retry already did), marks the slots it covers closed, then
 * cancels the bookings it covers and tells their residents; returns how many it cancelled.
 */
async function closeDay(closure: Closure, staffId: string, now: Date): Promise<number> {
  const { _id: id, stationId, date, reason } = closure
  const existing = await repo('closures').byId(id)
  if (!existing)
    await collection('closures')
      .doc(id)
      .set({ data: { ...fieldsOf(closure), createdBy: staffId, createdAt: now } })
  // Then the marks, then the sweep: once every covered slot is marked, no booking can join
  // the ones the sweep finds. A retry (same request id) marks and sweeps again, harmlessly.
  await markSlotsClosed(closure, now)

  // Cancel what it covers, one booking per transaction: a retry picks up where it stopped.
  const affected = (
    await collection('appointments').where({ stationId, date, status: 'booked' }).limit(1000).get()
  ).data.filter((a) => covers(closure, a.start, a.end))
  let cancelled = 0
  for (const a of affected) {
    const done = await withTransaction(async (tx) => {
      const current = await txGet(tx, 'appointments', a._id)
      // Moved out of the closed time meanwhile (a reschedule that committed before the mark): keep it.
      if (
        !current ||
        current.status !== 'booked' ||
        current.date !== date ||
        !covers(closure, current.start, current.end)
      )
        return false
      await tx
        .collection('appointments')
        .doc(a._id)
        .update({
          data: {
            status: 'cancelled',
            cancelledBy: 'station',
            cancelledAt: now,
            cancelReason: reason,
            dayKey: inactiveDayKey(a),
            updatedAt: now
          }
        })
      const slot = await txGet(tx, 'slots', current.slotId)
      if (slot && slot.booked > 0)
        await tx
          .collection('slots')
          .doc(current.slotId)
          .update({ data: { booked: db().command.inc(-1), updatedAt: now } })
      await enqueueInTransaction(tx, stationCancelMessage(current, reason), now)
      return true
    })
    if (done) cancelled++
  }
  await closeWaitlists(closure, now)
  return cancelled
}

/**
 * The waitlists of the slots a closure covers end with it: a place a closure frees is never
 * promoted (the slot is marked closed first, and a promotion refuses a closed slot), so each entry
 * still waiting there is marked skipped with the closure's reason, one conditional update each
 * (an entry promoted or left meanwhile is left as it is) (docs/booking-rules.md, "Waitlist").
 */
async function closeWaitlists(closure: Closure, now: Date): Promise<void> {
  const waiting = (
    await collection('waitlist')
      .where({ stationId: closure.stationId, date: closure.date, status: 'waiting' })
      .limit(1000)
      .get()
  ).data.filter((e) => covers(closure, e.start, e.end))
  for (const e of waiting)
    await collection('waitlist')
      .where({ _id: e._id, status: 'waiting' })
      .update({
        data: {
          status: 'skipped',
          reasonCode: 'SLOT_CLOSED',
          reason: `窗口暂停服务：${closure.reason}`,
          updatedAt: now
        }
      })
}

function fieldsOf(closure: Closure): Omit<Closure, '_id'> {
  const { _id, ...fields } = closure
  void _id
  return fields
}

export const main = defineFunction('station', stationInputs, {
  calendars: {
    access: 'staff',
    roles: ['officer', 'leader', 'supervisor'],
    station: 'any',
    async handler() {
      const years = (await calendars().where({}).orderBy('year', 'asc').limit(200).get()).data
      return years.map((y) => ({
        year: y.year,
        confirmed: y.confirmed,
        source: y.source,
        days: y.days,
        updatedAt: new Date(y.updatedAt).toISOString()
      }))
    }
  },

  saveCalendarYear: {
    access: 'staff',
    roles: ['supervisor'],
    station: 'any',
    async handler({ year, days, source }, ctx) {
      if (days.some((d) => !d.date.startsWith(`${year}-`)))
        throw new AppError('INVALID_INPUT', `所有日期都应在 ${year} 年内`)
      if (new Set(days.map((d) => d.date)).size !== days.length)
        throw new AppError('INVALID_INPUT', '同一日期不能出现两次')
      // A make-up working day (调休上班) is a weekend day; a holiday on a weekend is allowed (it names it).
      const wrong = days.find((d) => d.kind === 'workday' && isoWeekday(d.date) <= 5)
      if (wrong) throw new AppError('INVALID_INPUT', `${wrong.date} 是工作日，不能标为调休上班`)
      const sorted = [...days].sort((a, b) => a.date.localeCompare(b.date))
      await calendars()
        .doc(`cal-${year}`)
        .set({ data: { year, days: sorted, source, confirmed: false, updatedAt: ctx.now } })
      return { year, confirmed: false, days: sorted.length }
    }
  },

  confirmCalendarYear: {
    access: 'staff',
    roles: ['supervisor'],
    station: 'any',
    async handler({ year }, ctx) {
      const res = await calendars()
        .doc(`cal-${year}`)
        .update({ data: { confirmed: true, updatedAt: ctx.now } })
      if (res.stats.updated === 0) {
        const exists = await repo('calendars').byId(`cal-${year}`)
        if (!exists) throw new AppError('NOT_FOUND', `${year} 年的节假日安排还没有录入`)
      }
      return { year, confirmed: true as const }
    }
  },

  closures: {
    access: 'staff',
    roles: ['officer', 'leader', 'supervisor'],
    station: 'own',
    async handler({ stationId, from, to }) {
      const _ = db().command
      return (
        await collection('closures')
          .where({ stationId, date: _.and(_.gte(from), _.lte(to)) })
          .orderBy('date', 'asc')
          .limit(500)
          .get()
      ).data
    }
  },

  addClosure: {
    access: 'staff',
    roles: ['leader', 'supervisor'],
    station: 'own',
    async handler({ requestId, stationId, date, to, start, end, reason }, ctx) {
      const { staff } = ctx
      if ((start === undefined) !== (end === undefined))
        throw new AppError('INVALID_INPUT', '请同时填写开始和结束时间，或都不填（全天）')
      if (start && end && minutesOf(start) >= minutesOf(end))
        throw new AppError('INVALID_INPUT', '结束时间应晚于开始时间')
      const last = to ?? date
      if (last < date) throw new AppError('INVALID_INPUT', '结束日期应不早于开始日期')
      if (last > addDays(date, MAX_CLOSURE_DAYS - 1))
        throw new AppError('INVALID_INPUT', `一次最多设置 ${MAX_CLOSURE_DAYS} 天的停办`)
      if (instantAt(date, end ?? '23:59').getTime() <= ctx.now.getTime())
        throw new AppError('INVALID_INPUT', '不能为已经过去的时间设置停办')
      const closures: Closure[] = []
      let cancelled = 0
      // One day after another, each with its own id from the request: a retry finds them all.
      for (let day = date; day <= last; day = addDays(day, 1)) {
        const id = digestId(
          'cl',
          day === date ? `${staff.openid}:${requestId}` : `${staff.openid}:${requestId}:${day}`,
          20
        )
        const closure: Closure = {
          _id: id,
          stationId,
          date: day,
          reason,
          ...(start && end ? { start, end } : {})
        }
        cancelled += await closeDay(closure, staff._id, ctx.now)
        closures.push(closure)
      }
      return { closure: closures[0] as Closure, closures, cancelled }
    }
  }
})
