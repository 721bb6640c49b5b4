/**
 * station — what leaders and supervisors keep: the holiday table (a new year is loaded, then
 * confirmed before it opens for booking) and closures (a training day, a system outage). A
 * closure cancels the bookings it covers, releases their places and tells each resident why,
 * through the outbox.
 */
import { stationInputs } from '../../types/station-admin'
import { createHash } from 'node:crypto'
import type { CalendarYear, Closure } from '../../types/appointment'
import { instantAt, isoWeekday, minutesOf } from '../../types/time'
import type { AppointmentDoc } from '../_shared/appointment-doc'
import { requireStaff } from '../_shared/auth'
import { stationCancelMessage } from '../_shared/booking-messages'
import { db, repo, txGet, withTransaction } from '../_shared/db'
import { AppError, defineFunction } from '../_shared/handler'
import { enqueueInTransaction } from '../_shared/outbox'

const calendars = () => db().collection<CalendarYear>('calendars')

export const main = defineFunction('station', stationInputs, {
  async calendars(_input, ctx) {
    await requireStaff(ctx, ['officer', 'leader', 'supervisor'])
    const years = (await calendars().where({}).orderBy('year', 'asc').limit(200).get()).data
    return years.map((y) => ({ year: y.year, confirmed: y.confirmed, source: y.source, days: y.days, updatedAt: new Date(y.updatedAt).toISOString() }))
  },

  async saveCalendarYear({ year, days, source }, ctx) {
    await requireStaff(ctx, ['supervisor'])
    if (days.some((d) => !d.date.startsWith(`${year}-`))) throw new AppError('INVALID_INPUT', `所有日期都应在 ${year} 年内`)
    if (new Set(days.map((d) => d.date)).size !== days.length) throw new AppError('INVALID_INPUT', '同一日期不能出现两次')
    // A make-up working day (调休上班) is a weekend day; a holiday on a weekend is allowed (it names it).
    const wrong = days.find((d) => d.kind === 'workday' && isoWeekday(d.date) <= 5)
    if (wrong) throw new AppError('INVALID_INPUT', `${wrong.date} 是工作日，不能标为调休上班`)
    const sorted = [...days].sort((a, b) => a.date.localeCompare(b.date))
    await calendars().doc(`cal-${year}`).set({ data: { year, days: sorted, source, confirmed: false, updatedAt: ctx.now } })
    return { year, confirmed: false, days: sorted.length }
  },

  async confirmCalendarYear({ year }, ctx) {
    await requireStaff(ctx, ['supervisor'])
    const res = await calendars().doc(`cal-${year}`).update({ data: { confirmed: true, updatedAt: ctx.now } })
    if (res.stats.updated === 0) {
      const exists = await repo<CalendarYear>('calendars').byId(`cal-${year}`)
      if (!exists) throw new AppError('NOT_FOUND', `${year} 年的节假日安排还没有录入`)
    }
    return { year, confirmed: true as const }
  },

  async closures({ stationId, from, to }, ctx) {
    await requireStaff(ctx, ['officer', 'leader', 'supervisor'], stationId)
    const _ = db().command
    return (await db().collection<Closure>('closures').where({ stationId, date: _.and(_.gte(from), _.lte(to)) }).orderBy('date', 'asc').limit(500).get()).data
  },

  async addClosure({ requestId, stationId, date, start, end, reason }, ctx) {
    const staff = await requireStaff(ctx, ['leader', 'supervisor'], stationId)
    if ((start === undefined) !== (end === undefined)) throw new AppError('INVALID_INPUT', '请同时填写开始和结束时间，或都不填（全天）')
    if (start && end && minutesOf(start) >= minutesOf(end)) throw new AppError('INVALID_INPUT', '结束时间应晚于开始时间')
    if (instantAt(date, end ?? '23:59').getTime() <= ctx.now.getTime()) throw new AppError('INVALID_INPUT', '不能为已经过去的时间设置停办')
    const id = `cl-${createHash('sha256').update(`${staff.openid}:${requestId}`).digest('hex').slice(0, 20)}`
    const closure: Closure = { _id: id, stationId, date, reason, ...(start && end ? { start, end } : {}) }
    const existing = await repo<Closure>('closures').byId(id)
    const { _id: _closureId, ...fields } = closure
    if (!existing) await db().collection('closures').doc(id).set({ data: { ...fields, createdBy: staff._id, createdAt: ctx.now } })

    // Cancel what it covers, one booking per transaction: a retry picks up where it stopped.
    const affected = (await db().collection<AppointmentDoc>('appointments').where({ stationId, date, status: 'booked' }).limit(1000).get()).data.filter(
      (a) => !start || !end || (minutesOf(a.start) < minutesOf(end) && minutesOf(start) < minutesOf(a.end))
    )
    let cancelled = 0
    for (const a of affected) {
      const done = await withTransaction(async (tx) => {
        const current = await txGet<AppointmentDoc>(tx, 'appointments', a._id)
        if (!current || current.status !== 'booked') return false
        await tx.collection('appointments').doc(a._id).update({
          data: { status: 'cancelled', cancelledBy: 'station', cancelledAt: ctx.now, cancelReason: reason, dayKey: `${a.openid}|${a.date}|closed|${a._id}`, updatedAt: ctx.now }
        })
        const slot = await txGet<{ booked: number }>(tx, 'slots', a.slotId)
        if (slot && slot.booked > 0) await tx.collection('slots').doc(a.slotId).update({ data: { booked: db().command.inc(-1), updatedAt: ctx.now } })
        await enqueueInTransaction(tx, stationCancelMessage(a, reason), ctx.now)
        return true
      })
      if (done) cancelled++
    }
    return { closure, cancelled }
  }
})
