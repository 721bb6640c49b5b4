/**
 * notify — the outbox worker and the in-app inbox.
 * Timer (every minute, declared through defineFunction; only the platform's trigger runs it):
 * enqueue the booking reminders that are due (the evening before, from 20:00 Shanghai time, and
 * one hour before), escalate residents' requests nobody has taken in time
 * (cloudfunctions/_shared/escalation.ts), send what the outbox has due, and once a day, on the
 * first run at or after 03:15, erase personal data past its retention period
 * (cloudfunctions/_shared/retention.ts).
 * Action `inbox`: the caller's messages, delivered by WeChat or not.
 * Actions `recordSubscribe` / `grants`: the caller's own count of sends left per template (WeChat
 * has no API to read it): answers recorded right after requestSubscribe, one taken per delivered
 * send and zero after 43101 (cloudfunctions/_shared/outbox.ts).
 */
import { notifyInputs, type GrantItem, type InboxItem } from '../../types/notify'
import { TEMPLATE_KEYS, TEMPLATES, type TemplateKey } from '../../types/templates'
import { addDays, localDate, localTime } from '../../types/time'
import { disclose, notPersonal, personal } from '../_shared/audit'
import { activeStaff } from '../_shared/access'
import { collection, db, insertOrGetRaced } from '../_shared/db'
import { optional } from '../_shared/fields'
import { AppError, defineFunction, type CallerContext, type TimerContext } from '../_shared/handler'
import { grantCountId, sendDue, type OutboxRecord } from '../_shared/outbox'
import type { ReminderKind } from '../_shared/booking-messages'
import { remindOnce } from '../_shared/booking-reminders'
import type { AppointmentDoc } from '../_shared/documents'
import { escalateDue } from '../_shared/escalation'
import { NOTHING_PURGED, purgeOncePerDay } from '../_shared/retention'

const EVENING_FROM = '20:00'

/** Enqueues the reminders due now; each appointment is flagged so it is considered once. */
export async function enqueueReminders(now: Date): Promise<number> {
  const _ = db().command
  const appointments = collection('appointments')
  const due: { doc: AppointmentDoc; kind: ReminderKind }[] = []
  const hour = await appointments
    .where({
      status: 'booked',
      remindedHour: _.exists(false),
      startsAt: _.and(_.gt(now), _.lte(new Date(now.getTime() + 65 * 60_000)))
    })
    .limit(200)
    .get()
  for (const doc of hour.data) due.push({ doc, kind: 'hour' })
  if (localTime(now) >= EVENING_FROM) {
    const tomorrow = addDays(localDate(now), 1)
    const evening = await appointments
      .where({ status: 'booked', remindedEvening: _.exists(false), date: tomorrow })
      .limit(500)
      .get()
    for (const doc of evening.data) due.push({ doc, kind: 'evening' })
  }
  // Each claimed on the booking before it is queued: one moved or cancelled since the read gets none.
  let queued = 0
  for (const { doc, kind } of due) if (await remindOnce(doc, kind, now)) queued++
  return queued
}

/** The templates a caller is asked about: officers' for staff, residents' for everyone else. */
async function relevantTemplates(openid: string): Promise<TemplateKey[]> {
  const staff = await activeStaff(openid)
  const audience = staff ? 'officer' : 'resident'
  return TEMPLATE_KEYS.filter((k) => TEMPLATES[k].audience === audience)
}

async function grantItems(openid: string, keys: readonly TemplateKey[]): Promise<GrantItem[]> {
  const _ = db().command
  const docs = (
    await collection('grantCounts')
      .where({ _id: _.in(keys.map((k) => grantCountId(openid, k))) })
      .limit(keys.length)
      .get()
  ).data
  const byKey = new Map(docs.map((d) => [d.template, d]))
  return keys.map((key) => {
    const spec = TEMPLATES[key]
    const doc = byKey.get(key)
    const unlimited = spec.kind === 'long-term' && doc?.longTerm === true
    return {
      template: key,
      title: spec.title,
      kind: spec.kind,
      unlimited,
      left: unlimited ? 0 : Math.max(0, doc?.count ?? 0)
    }
  })
}

/** One answer: a one-time accept adds one send; a long-term accept allows any number, a refusal none. */
async function recordOne(openid: string, key: TemplateKey, decision: string, now: Date): Promise<void> {
  const spec = TEMPLATES[key]
  if (decision === 'filter') return
  if (spec.kind === 'one-time' && decision !== 'accept') return // a refusal this time leaves earlier grants
  const _ = db().command
  const grants = collection('grantCounts')
  const id = grantCountId(openid, key)
  const patch =
    spec.kind === 'one-time'
      ? { count: _.inc(1), updatedAt: now }
      : { longTerm: decision === 'accept', updatedAt: now }
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await grants.where({ _id: id }).update({ data: patch })
    if (res.stats.updated === 1) return
    const first = {
      _id: id,
      openid,
      template: key,
      count: spec.kind === 'one-time' ? 1 : 0,
      longTerm: spec.kind === 'long-term' && decision === 'accept',
      updatedAt: now
    }
    // A concurrent first answer wins the insert: then update it instead.
    if ((await insertOrGetRaced('grantCounts', first)).inserted) return
  }
  throw new AppError('BUSY')
}

/**
 * The every-minute trigger's work (config.json `everyMinute`): reminders, escalations, the
 * outbox, and once a day, from 03:15 Shanghai time, the retention purge.
 */
async function everyMinute({ now, env }: TimerContext) {
  const reminders = await enqueueReminders(now)
  const escalation = await escalateDue(now)
  const report = await sendDue(now, env)
  // Once a day, in the quiet of the night: the first run at or after 03:15 that claims the day.
  const purge = await purgeOncePerDay(now)
  const purged = purge.ran ? purge.report : NOTHING_PURGED
  // Counts only: no personal data in logs.
  console.log(
    `notify: ${reminders} reminders queued; ${escalation.escalated} requests escalated; sent ${report.sent}, failed ${report.failed}, retrying ${report.retrying}; ` +
      (purge.ran
        ? `personal data erased past retention: ${purged.appointments} appointments, ${purged.requests} requests, ${purged.feedback} feedback, ${purged.followUps} follow-ups, ${purged.prereviews} pre-reviews (photos)`
        : `retention purge: ${purge.reason}`)
  )
  return {
    reminders,
    escalated: escalation.escalated,
    ...report,
    purged,
    purge: purge.ran ? 'ran' : purge.reason
  }
}

export const main = defineFunction(
  'notify',
  notifyInputs,
  {
    recordSubscribe: {
      access: 'resident',
      async handler({ results }, ctx) {
        const keys = Object.keys(results) as TemplateKey[]
        for (const key of keys) await recordOne(ctx.openid, key, results[key] ?? 'filter', ctx.now)
        const relevant = await relevantTemplates(ctx.openid)
        return grantItems(ctx.openid, [...new Set([...relevant, ...keys])])
      }
    },

    grants: {
      access: 'resident',
      async handler(_input, ctx) {
        return grantItems(ctx.openid, await relevantTemplates(ctx.openid))
      }
    },

    // Anyone signed in reads their own inbox; what staff see of it depends on their record (below).
    inbox: { access: 'resident', handler: inbox }
  },
  { timer: everyMinute }
)

/**
 * Officer alerts quote residents' words: only active staff read them, and the read is audited.
 * Anyone else — a resident, or staff who were stopped — sees the messages addressed to them as
 * a resident, never an old alert (docs/privacy-and-access.md).
 */
async function inbox(_input: unknown, ctx: CallerContext): Promise<InboxItem[]> {
  const staff = await activeStaff(ctx.openid)
  const _ = db().command
  const where = staff
    ? { touser: ctx.openid }
    : {
        touser: ctx.openid,
        template: _.in(TEMPLATE_KEYS.filter((k) => TEMPLATES[k].audience === 'resident'))
      }
  const records = (await collection('outbox').where(where).orderBy('createdAt', 'desc').limit(50).get()).data
  if (!staff) return records.map(inboxItem)
  const views = records.map((r) =>
    TEMPLATES[r.template]?.audience === 'officer'
      ? personal('messages', { _id: r._id, stationId: staff.stationId }, inboxItem(r))
      : notPersonal(inboxItem(r))
  )
  return disclose({ staff, action: 'notify.inbox', ctx, stationId: staff.stationId }, views, 'ifAny')
}

/** What a message whose booking changed says in 我的消息. */
const SUPERSEDED_TEXT: Record<NonNullable<OutboxRecord['superseded']>, string> = {
  rescheduled: '已失效：此预约已改约，请以新的预约时间为准',
  cancelled: '已失效：此预约已取消'
}

function inboxItem(r: OutboxRecord): InboxItem {
  const spec = TEMPLATES[r.template]
  return {
    _id: r._id,
    template: r.template,
    title: spec.title,
    lines: spec.keywords.map((k) => ({ label: k.label, value: r.values[k.name] ?? '' })),
    page: r.page,
    createdAt: new Date(r.createdAt).toISOString(),
    delivery: r.status === 'sent' || r.status === 'failed' || r.status === 'withdrawn' ? r.status : 'pending',
    ...optional({
      deliveryNote:
        r.status === 'failed' &&
        (r.lastError?.errCode === 43101
          ? '未开启微信消息提醒，仅在此处显示'
          : '微信消息未能送达，请以此处为准'),
      superseded: r.superseded && SUPERSEDED_TEXT[r.superseded]
    })
  }
}
