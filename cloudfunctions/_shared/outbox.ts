/**
 * No message lost (docs/architecture.md, "The outbox"): a message is first an outbox record, then a send.
 * The record is written with the change that causes it (in the same transaction where there is
 * one); the notify function's timer sends what is due, retries with backoff, and stops after a
 * limit leaving a visible failure. A record is claimed before it is sent, so it is never sent
 * twice: a send interrupted after its claim is marked failed ("interrupted"), not resent.
 * The outbox doubles as the in-app inbox: every message stays readable whether or not WeChat
 * delivered it.
 *
 * Staff alerts carry a second channel (`sms`): the first time WeChat cannot deliver one (no grant,
 * 43101, any failure) the member of staff gets a text message with a link into the mini-program,
 * sent once per record and claimed like the WeChat send (docs/alerts.md).
 */
import type { Transaction } from 'wx-server-sdk'
import type { PagePath } from '../../types/routes'
import { smsNumber, smsTemplateId, type SmsTemplateKey } from '../../types/sms'
import { messageData, resolveTemplate, validateMessageData, type TemplateKey } from '../../types/templates'
import { getCloud } from './cloud'
import { collection, db, isDuplicateKey, repo } from './db'
import { optional } from './fields'

/** 'withdrawn': taken back before it was sent (its booking moved or was cancelled); never sent. */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'withdrawn'

export interface OutboxRecord {
  _id: string
  /** One message per purpose: a unique index refuses a second record for the same key. */
  dedupeKey: string
  template: TemplateKey
  touser: string
  /** The page the message opens, with its query: built with `pageUrl` (types/routes.ts), so a renamed page fails the typecheck. */
  page: string
  /** Keyword values by keyword name (resolved to the environment's keyword keys at send time). */
  values: Record<string, string>
  status: OutboxStatus
  attempts: number
  nextAttemptAt: Date
  createdAt: Date
  updatedAt: Date
  sentAt?: Date
  lastError?: { errCode: number; errMsg: string }
  /** What it is about, for the inbox and the console. */
  ref: { kind: string; id: string }
  /**
   * The booking it speaks of has since moved (`rescheduled`) or been cancelled: 我的消息 shows it
   * as no longer valid. A pending one is withdrawn as well; one sent already cannot be recalled.
   */
  superseded?: 'rescheduled' | 'cancelled'
  /** The text message to send to a member of staff when WeChat cannot deliver this one. */
  sms?: SmsFallback
  /** The text message's fate: claimed (sending), delivered, failed, or skipped (no usable mobile). */
  smsStatus?: 'sending' | 'sent' | 'failed' | 'skipped'
  smsAt?: Date
  smsError?: { errCode: number; errMsg: string }
}

export interface SmsFallback {
  /** Looked up when the text is sent: their mobile then, and only while their account is active. */
  staffId: string
  template: SmsTemplateKey
  params: string[]
  /** The mini-program page the text's link opens, and its query. */
  path: PagePath
  query: string
}

export type NewMessage = Pick<
  OutboxRecord,
  'dedupeKey' | 'template' | 'touser' | 'page' | 'values' | 'ref'
> & { sms?: SmsFallback }

/** Retry delays after each failed attempt (minutes); after the last, the record stays failed. */
export const BACKOFF_MINUTES = [1, 5, 15, 60]
export const MAX_ATTEMPTS = BACKOFF_MINUTES.length + 1
/** WeChat errors that no retry can fix. 43101: the user's one-time grant is used up or refused. */
const PERMANENT = new Set([43101, 47003, 40003, 40037, 41030, -604101])

function record(msg: NewMessage, now: Date): Omit<OutboxRecord, '_id'> {
  return { ...msg, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now }
}

/** Inside a transaction: the message commits (or not) with the change that causes it. */
export async function enqueueInTransaction(tx: Transaction, msg: NewMessage, now: Date): Promise<void> {
  await tx.collection('outbox').add({ data: record(msg, now) })
}

/** Outside a transaction; enqueueing the same dedupeKey twice is harmless. Returns false if it existed. */
export async function enqueue(msg: NewMessage, now: Date): Promise<boolean> {
  try {
    await db()
      .collection('outbox')
      .add({ data: record(msg, now) })
    return true
  } catch (err) {
    if (isDuplicateKey(err, 'dedupe_unique')) return false
    throw err
  }
}

/** As `enqueue`, returning the new record's id (null when the dedupeKey already had one). */
export async function enqueueWithId(msg: NewMessage, now: Date): Promise<string | null> {
  try {
    const res = await db()
      .collection('outbox')
      .add({ data: record(msg, now) })
    return res._id
  } catch (err) {
    if (isDuplicateKey(err, 'dedupe_unique')) return null
    throw err
  }
}

export interface SendReport {
  sent: number
  failed: number
  retrying: number
}

/** Sends the due records (oldest first), each claimed before its send. */
export async function sendDue(now: Date, env: string, limit = 50): Promise<SendReport> {
  const _ = db().command
  const outbox = collection('outbox')
  const report: SendReport = { sent: 0, failed: 0, retrying: 0 }

  // Claims older than this were interrupted mid-send: we cannot know whether WeChat got them.
  const stale = new Date(now.getTime() - 5 * 60_000)
  await outbox.where({ status: 'sending', updatedAt: _.lt(stale) }).update({
    data: {
      status: 'failed',
      updatedAt: now,
      lastError: { errCode: -1, errMsg: '发送过程中断，为避免重复发送不再重试' }
    }
  })

  const due = (
    await outbox
      .where({ status: 'pending', nextAttemptAt: _.lte(now) })
      .orderBy('nextAttemptAt', 'asc')
      .limit(limit)
      .get()
  ).data
  for (const rec of due) await sendOne(rec, now, env, report)
  return report
}

/**
 * Sends the given records now, if they are still pending (e.g. an officer alert right after the
 * request that causes it, rather than at the next timer tick). Each is claimed as in sendDue, so a
 * record the timer is sending at the same moment is sent once; a failure is kept on the record
 * (retried by the timer, or failed visibly) exactly as sendDue keeps it.
 */
export async function sendRecords(ids: readonly string[], now: Date, env: string): Promise<SendReport> {
  const report: SendReport = { sent: 0, failed: 0, retrying: 0 }
  if (ids.length === 0) return report
  const _ = db().command
  const outbox = collection('outbox')
  const recs = (
    await outbox
      .where({ _id: _.in([...ids]), status: 'pending' })
      .limit(ids.length)
      .get()
  ).data
  for (const rec of recs) await sendOne(rec, now, env, report)
  return report
}

async function sendOne(rec: OutboxRecord, now: Date, env: string, report: SendReport): Promise<void> {
  const _ = db().command
  const outbox = collection('outbox')
  // The claim: only one worker moves this record from pending to sending.
  const claimed = await outbox
    .where({ _id: rec._id, status: 'pending', attempts: rec.attempts })
    .update({ data: { status: 'sending', attempts: rec.attempts + 1, updatedAt: now } })
  if (claimed.stats.updated !== 1) return
  const outcome = await deliver(rec, env)
  if (outcome.errCode === 0) {
    await outbox
      .doc(rec._id)
      .update({ data: { status: 'sent', sentAt: now, updatedAt: now, lastError: _.remove() } })
    report.sent++
    await countGrant(rec, now, 'used')
    return
  }
  if (outcome.errCode === 43101) await countGrant(rec, now, 'refused')
  const attempts = rec.attempts + 1
  const retry = !PERMANENT.has(outcome.errCode) && attempts < MAX_ATTEMPTS
  if (rec.sms) await sendSmsFallback(rec, rec.sms, now, env, retry)
  await outbox.doc(rec._id).update({
    data: {
      status: retry ? 'pending' : 'failed',
      updatedAt: now,
      lastError: outcome,
      nextAttemptAt: new Date(now.getTime() + (BACKOFF_MINUTES[attempts - 1] ?? 60) * 60_000)
    }
  })
  if (retry) report.retrying++
  else report.failed++
}

async function deliver(rec: OutboxRecord, env: string): Promise<{ errCode: number; errMsg: string }> {
  const template = resolveTemplate(rec.template, env)
  const data = messageData(template, rec.values)
  const invalid = validateMessageData(template, data)
  if (invalid) return { errCode: invalid.errcode, errMsg: `${invalid.errmsg}（${invalid.hint}）` }
  try {
    const res = await getCloud().openapi.subscribeMessage.send({
      touser: rec.touser,
      templateId: template.id,
      page: rec.page,
      data,
      miniprogramState: 'formal',
      lang: 'zh_CN'
    })
    return { errCode: res.errCode ?? 0, errMsg: res.errMsg ?? 'ok' }
  } catch (err) {
    const e = err as { errCode?: number; errMsg?: string; message?: string }
    return {
      errCode: typeof e.errCode === 'number' ? e.errCode : -1,
      errMsg: (e.errMsg ?? e.message ?? String(err)).slice(0, 200)
    }
  }
}

/** A URL Link lives this long: an alert's text is acted on within hours. */
const LINK_DAYS = 1

/**
 * The second channel: one text per record, claimed first so that concurrent workers (the timer
 * and an immediate send) send it once. Never throws: the outcome stays on the record. A passing
 * failure (-1, or no answer) is released for the record's next attempt when WeChat will be tried
 * again (`retryLater`); otherwise it is final.
 */
async function sendSmsFallback(
  rec: OutboxRecord,
  sms: SmsFallback,
  now: Date,
  env: string,
  retryLater: boolean
): Promise<void> {
  const _ = db().command
  const outbox = collection('outbox')
  const claimed = await outbox
    .where({ _id: rec._id, smsStatus: _.exists(false) })
    .update({ data: { smsStatus: 'sending', smsAt: now } })
  if (claimed.stats.updated !== 1) return
  const finish = (
    smsStatus: 'sent' | 'failed' | 'skipped',
    smsError?: { errCode: number; errMsg: string }
  ) => {
    const again = smsStatus === 'failed' && retryLater && smsError?.errCode === -1
    return outbox.doc(rec._id).update({
      data: { smsStatus: again ? _.remove() : smsStatus, smsAt: now, ...optional({ smsError }) }
    })
  }
  try {
    const staff = await repo('staff').byId(sms.staffId)
    const number = staff?.active && staff.mobile ? smsNumber(staff.mobile) : null
    if (!number) return void (await finish('skipped', { errCode: 0, errMsg: '没有可用的手机号' }))
    const openapi = getCloud().openapi
    const link = await openapi.urllink.generate({
      path: sms.path,
      query: sms.query,
      envVersion: 'release',
      expireType: 1,
      expireInterval: LINK_DAYS
    })
    if ((link.errCode ?? 0) !== 0 || !link.urlLink)
      return void (await finish('failed', {
        errCode: link.errCode ?? -1,
        errMsg: (link.errMsg ?? 'no url link').slice(0, 200)
      }))
    const sent = await openapi.cloudbase.sendSmsV2({
      env,
      urlLink: link.urlLink,
      templateId: smsTemplateId(sms.template, env),
      templateParamList: sms.params,
      phoneNumberList: [number],
      useShortName: true
    })
    const status = sent.sendStatusList?.[0]
    if ((sent.errCode ?? 0) === 0 && (!status || /^ok$/i.test(status.code ?? 'Ok'))) await finish('sent')
    else
      await finish('failed', {
        errCode: sent.errCode || -1,
        errMsg: (status?.message ?? sent.errMsg ?? 'failed').slice(0, 200)
      })
  } catch (err) {
    const e = err as { errCode?: number; errMsg?: string; message?: string }
    // Codes only in logs: the number and the text stay out.
    console.warn(`[outbox] text message not sent: ${e.errCode ?? 'error'}`)
    await finish('failed', {
      errCode: typeof e.errCode === 'number' ? e.errCode : -1,
      errMsg: (e.errMsg ?? e.message ?? String(err)).slice(0, 200)
    }).catch(() => undefined)
  }
}

/* ---------- grant counts (订阅次数): the app's own count, WeChat gives no way to read it ---------- */

/** One per user and template: `_id` is `${openid}_${templateKey}`. */
export interface GrantCountDoc {
  _id: string
  openid: string
  template: TemplateKey
  /** One-time sends left. */
  count: number
  /** A long-term template the user accepted (sends not counted). */
  longTerm: boolean
  updatedAt: Date
}

export const grantCountId = (openid: string, template: TemplateKey) => `${openid}_${template}`

/**
 * After a send: a delivered message takes one grant; WeChat's 43101 (refused or used up) means
 * none are left. The count is advisory: a failure to update it never touches the send's outcome.
 */
async function countGrant(rec: OutboxRecord, now: Date, what: 'used' | 'refused'): Promise<void> {
  const _ = db().command
  const grants = collection('grantCounts')
  const id = grantCountId(rec.touser, rec.template)
  try {
    if (what === 'used')
      await grants.where({ _id: id, count: _.gt(0) }).update({ data: { count: _.inc(-1), updatedAt: now } })
    else await grants.where({ _id: id }).update({ data: { count: 0, longTerm: false, updatedAt: now } })
  } catch (err) {
    console.warn(`[outbox] grant count not updated: ${(err as { errCode?: number }).errCode ?? 'error'}`)
  }
}

/**
 * Sends just-enqueued records right away (an officer's alert should not wait for the next timer
 * tick). A failure stays on the record: the notify timer retries it, or it fails visibly.
 */
export async function sendNow(
  ids: readonly (string | null)[],
  now: Date,
  env: string,
  label: string
): Promise<void> {
  const list = ids.filter((id): id is string => id !== null)
  if (list.length === 0) return
  try {
    await sendRecords(list, now, env)
  } catch (err) {
    // The records are in the outbox: the notify timer sends them. Codes only, no personal data.
    console.warn(
      `[${label}] immediate send deferred to the timer: ${(err as { errCode?: number }).errCode ?? 'error'}`
    )
  }
}
