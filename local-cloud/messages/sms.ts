/**
 * The cloud's own text messages and URL Links, answered as the platform answers them, over the
 * same open-API wire as subscription messages (wire.ts):
 *   urllink.generate     {path, query, env_version, expire_type, expire_time | expire_interval}
 *                        → {errcode, errmsg, url_link}. path must be a page of the mini-program
 *                        (no query in it: 40165), query at most 1024 characters (40212), the
 *                        link lives at most 30 days (85401).
 *   cloudbase.sendSmsV2  {env, url_link, template_id, template_param_list, phone_number_list,
 *                        use_short_name} → {errcode, errmsg, send_status_list}. The env must be
 *                        this one, the link one this cloud made and not expired, the template
 *                        known (types/sms.ts), the parameters within the text limits, the numbers
 *                        +86… and at most 1,000. A refusal is 47003 with the reason in errmsg.
 * Every text, delivered or refused, is kept (sms_sent) and listed newest first by
 * GET /api/local/sms and on /inbox. Links are kept in sms_links until they expire.
 */
import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import { findSmsTemplate, smsProblem, smsText, URL_LINK_MAX_DAYS } from '../../types/sms'
import { openSideDatabase } from './ledger'

export const URL_LINK_GENERATE = 'urllink.generate'
export const SEND_SMS = 'cloudbase.sendSmsV2'

const MAX_KEPT = 20_000
const DAY_MS = 86_400_000

export interface SentSms {
  id: string
  at: Date
  /** The function that sent it. */
  fn: string | undefined
  numbers: string[]
  templateId: string
  params: string[]
  /** The text as the phone shows it (signature and filled template), when the template is known. */
  text: string
  urlLink: string
  /** The page and query the link opens, when it is a link of this cloud. */
  linkPage?: string
  errCode: number
  errMsg: string
}

interface SmsRow {
  id: string
  at: number
  fn: string | null
  numbers: string
  template_id: string
  params: string
  text: string
  url_link: string
  link_page: string | null
  errcode: number
  errmsg: string
}

export type WxReply = { errcode: number; errmsg: string } & Record<string, unknown>

export class SmsService {
  private readonly db: Database.Database

  constructor(
    file: string,
    private readonly envId: string,
    private readonly isPage: (page: string) => boolean
  ) {
    this.db = openSideDatabase(file)
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS sms_links (
        link TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        query TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS sms_sent (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        at INTEGER NOT NULL,
        fn TEXT,
        numbers TEXT NOT NULL,
        template_id TEXT NOT NULL,
        params TEXT NOT NULL,
        text TEXT NOT NULL,
        url_link TEXT NOT NULL,
        link_page TEXT,
        errcode INTEGER NOT NULL,
        errmsg TEXT NOT NULL
      );
    `)
  }

  generateLink(params: Record<string, unknown>, now: number): WxReply {
    const { path, query = '', expire_type: type = 0, expire_time: time, expire_interval: interval } = params
    if (
      typeof path !== 'string' ||
      path === '' ||
      path.includes('?') ||
      !this.isPage(path.replace(/^\/+/, ''))
    )
      return { errcode: 40165, errmsg: 'invalid weapp pagepath' }
    if (typeof query !== 'string' || query.length > 1024) return { errcode: 40212, errmsg: 'invalid query' }
    let expiresAt: number
    if (type === 1) {
      if (
        typeof interval !== 'number' ||
        !Number.isInteger(interval) ||
        interval < 1 ||
        interval > URL_LINK_MAX_DAYS
      )
        return { errcode: 85401, errmsg: `invalid expire_interval: 1 to ${URL_LINK_MAX_DAYS} days` }
      expiresAt = now + interval * DAY_MS
    } else if (type === 0) {
      if (typeof time !== 'number' || time * 1000 <= now || time * 1000 > now + URL_LINK_MAX_DAYS * DAY_MS)
        return { errcode: 85401, errmsg: `invalid expire_time: within ${URL_LINK_MAX_DAYS} days from now` }
      expiresAt = time * 1000
    } else return { errcode: 47003, errmsg: 'argument invalid! expire_type' }
    const link = `https://wxaurl.cn/${randomUUID().replace(/-/g, '').slice(0, 12)}`
    this.db
      .prepare('INSERT INTO sms_links (link, path, query, expires_at) VALUES (?, ?, ?, ?)')
      .run(link, path.replace(/^\/+/, ''), query, expiresAt)
    this.db.prepare('DELETE FROM sms_links WHERE expires_at < ?').run(now - DAY_MS)
    return { errcode: 0, errmsg: 'ok', url_link: link }
  }

  send(fn: string | undefined, params: Record<string, unknown>, now: number): WxReply {
    const {
      env,
      url_link: link,
      template_id: templateId,
      template_param_list: list,
      phone_number_list: numbers
    } = params
    const template = typeof templateId === 'string' ? findSmsTemplate(templateId, this.envId) : undefined
    const linkRow =
      typeof link === 'string'
        ? (this.db.prepare('SELECT path, query, expires_at FROM sms_links WHERE link = ?').get(link) as
            { path: string; query: string; expires_at: number } | undefined)
        : undefined
    let problem: string | null = null
    if (env !== this.envId) problem = 'env invalid'
    else if (!linkRow) problem = 'url_link invalid'
    else if (linkRow.expires_at <= now) problem = 'url_link expired'
    else if (!template) problem = 'template_id invalid'
    else problem = smsProblem(template, list, numbers)
    const reply: WxReply = problem
      ? { errcode: 47003, errmsg: `argument invalid! ${problem}` }
      : {
          errcode: 0,
          errmsg: 'ok',
          send_status_list: (numbers as string[]).map((n) => ({
            serial_no: randomUUID(),
            phone_number: n,
            code: 'Ok',
            message: 'send success',
            iso_code: 'CN'
          }))
        }
    const strings = (v: unknown): string[] =>
      Array.isArray(v) ? v.slice(0, 1000).map((x) => String(x).slice(0, 200)) : []
    const info = this.db
      .prepare(
        `INSERT INTO sms_sent (id, at, fn, numbers, template_id, params, text, url_link, link_page, errcode, errmsg)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        randomUUID(),
        now,
        fn ?? null,
        JSON.stringify(strings(numbers)),
        typeof templateId === 'string' ? templateId.slice(0, 128) : '',
        JSON.stringify(strings(list)),
        template ? smsText(template, strings(list)) : '',
        typeof link === 'string' ? link.slice(0, 256) : '',
        linkRow ? `${linkRow.path}${linkRow.query ? `?${linkRow.query}` : ''}` : null,
        reply.errcode,
        reply.errmsg
      )
    this.db.prepare('DELETE FROM sms_sent WHERE seq <= ?').run(Number(info.lastInsertRowid) - MAX_KEPT)
    return reply
  }

  /** Newest first. */
  list(filter: { number?: string; limit?: number } = {}): SentSms[] {
    const limit = Math.max(1, Math.min(filter.limit ?? 100, 10_000))
    const rows = this.db
      .prepare(`SELECT * FROM sms_sent ORDER BY seq DESC LIMIT ${filter.number ? 10_000 : limit}`)
      .all() as SmsRow[]
    const all = rows.map(toSms)
    return filter.number
      ? all.filter((s) => s.numbers.includes(filter.number as string)).slice(0, limit)
      : all
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}

function toSms(row: SmsRow): SentSms {
  const sms: SentSms = {
    id: row.id,
    at: new Date(row.at),
    fn: row.fn ?? undefined,
    numbers: JSON.parse(row.numbers) as string[],
    templateId: row.template_id,
    params: JSON.parse(row.params) as string[],
    text: row.text,
    urlLink: row.url_link,
    errCode: row.errcode,
    errMsg: row.errmsg
  }
  if (row.link_page !== null) sms.linkPage = row.link_page
  return sms
}
