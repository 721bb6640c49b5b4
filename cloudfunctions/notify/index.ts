/**
 * notify — the outbox worker and the in-app inbox.
 * Timer (every minute): enqueue the booking reminders that are due (the evening before, from
 * 20:00 Shanghai time, and one hour before), escalate residents' requests nobody has taken in
 * time (cloudfunctions/_shared/escalation.ts), then send what the outbox has due.
 * Action `inbox`: the caller's messages, delivered by WeChat or not.
 */
import type { InboxItem } from '../../types/notify'
import { TEMPLATES } from '../../types/templates'
import { addDays, localDate, localTime } from '../../types/time'
import { getCloud } from '../_shared/cloud'
import { db } from '../_shared/db'
import { AppError, defineFunction } from '../_shared/handler'
import { enqueue, sendDue, type OutboxRecord } from '../_shared/outbox'
import { reminderMessage, type ReminderKind } from '../_shared/booking-messages'
import type { AppointmentDoc } from '../_shared/appointment-doc'
import { escalateDue } from '../_shared/escalation'

const EVENING_FROM = '20:00'

/** Enqueues the reminders due now; each appointment is flagged so it is considered once. */
export async function enqueueReminders(now: Date): Promise<number> {
  const _ = db().command
  const appointments = db().collection<AppointmentDoc>('appointments')
  const due: { doc: AppointmentDoc; kind: ReminderKind }[] = []
  const hour = await appointments
    .where({ status: 'booked', remindedHour: _.exists(false), startsAt: _.and(_.gt(now), _.lte(new Date(now.getTime() + 65 * 60_000))) })
    .limit(200)
    .get()
  for (const doc of hour.data) due.push({ doc, kind: 'hour' })
  if (localTime(now) >= EVENING_FROM) {
    const tomorrow = addDays(localDate(now), 1)
    const evening = await appointments.where({ status: 'booked', remindedEvening: _.exists(false), date: tomorrow }).limit(500).get()
    for (const doc of evening.data) due.push({ doc, kind: 'evening' })
  }
  for (const { doc, kind } of due) {
    await enqueue(reminderMessage(doc, kind, doc.place), now)
    await appointments.doc(doc._id).update({ data: kind === 'hour' ? { remindedHour: now } : { remindedEvening: now } })
  }
  return due.length
}

const dispatch = defineFunction('notify', {
  async inbox(_input, ctx) {
    if (!ctx.openid) throw new AppError('UNAUTHENTICATED')
    const records = (await db().collection<OutboxRecord>('outbox').where({ touser: ctx.openid }).orderBy('createdAt', 'desc').limit(50).get()).data
    return records.map((r): InboxItem => {
      const spec = TEMPLATES[r.template]
      return {
        _id: r._id,
        template: r.template,
        title: spec.title,
        lines: spec.keywords.map((k) => ({ label: k.label, value: r.values[k.name] ?? '' })),
        page: r.page,
        createdAt: new Date(r.createdAt).toISOString(),
        delivery: r.status === 'sent' ? 'sent' : r.status === 'failed' ? 'failed' : 'pending',
        ...(r.status === 'failed' ? { deliveryNote: r.lastError?.errCode === 43101 ? '未开启微信消息提醒，仅在此处显示' : '微信消息未能送达，请以此处为准' } : {})
      }
    })
  }
})

export async function main(event: unknown, context?: { request_id?: string }) {
  if ((event as { Type?: unknown } | null)?.Type === 'Timer') {
    const now = new Date()
    const env = getCloud().getWXContext().ENV
    const reminders = await enqueueReminders(now)
    const escalation = await escalateDue(now)
    const report = await sendDue(now, env)
    // Counts only: no personal data in logs.
    console.log(`notify: ${reminders} reminders queued; ${escalation.escalated} requests escalated; sent ${report.sent}, failed ${report.failed}, retrying ${report.retrying}`)
    return { reminders, escalated: escalation.escalated, ...report }
  }
  return dispatch(event, context)
}
