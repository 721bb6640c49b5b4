/**
 * Subscription grants and sent messages, kept in the local cloud's SQLite file through a second
 * better-sqlite3 handle (WAL allows it; the document store owns its own tables). Tables:
 *   msg_grants  one row per (user, template): one-time sends left, long-term on/off, and the
 *               choice kept with "总是保持以上选择，不再询问"
 *   msg_sent    every send the cloud was asked for, delivered (errcode 0) or refused
 */
import Database from 'better-sqlite3'
import type { SentMessage } from '../context'

const MAX_SENT = 20_000

export type KeptChoice = 'accept' | 'reject'

export interface Recipient {
  touser: string
  delivered: number
  refused: number
  last: Date
}

export interface Grant {
  openid: string
  templateId: string
  /** One-time sends left (each accept adds one, each delivered send uses one). */
  oneTime: number
  /** A long-term subscription is on: any number of sends. */
  longTerm: boolean
  /** The choice kept with "always keep this choice", if any. */
  kept?: KeptChoice
  updatedAt: Date
}

interface GrantRow {
  openid: string
  template_id: string
  one_time: number
  long_term: number
  kept: string | null
  updated_at: number
}

interface SentRow {
  id: string
  at: number
  fn: string | null
  touser: string
  template_id: string
  template_title: string | null
  page: string | null
  data: string
  errcode: number
  errmsg: string
}

/** A second handle on the local cloud's SQLite file, for tables of its own (WAL allows it). */
export function openSideDatabase(file: string): Database.Database {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('busy_timeout = 2000')
  return db
}

export class MessageLedger {
  private readonly db: Database.Database

  constructor(file: string) {
    this.db = openSideDatabase(file)
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS msg_grants (
        openid TEXT NOT NULL,
        template_id TEXT NOT NULL,
        one_time INTEGER NOT NULL DEFAULT 0,
        long_term INTEGER NOT NULL DEFAULT 0,
        kept TEXT,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (openid, template_id)
      );
      CREATE TABLE IF NOT EXISTS msg_sent (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        at INTEGER NOT NULL,
        fn TEXT,
        touser TEXT NOT NULL,
        template_id TEXT NOT NULL,
        template_title TEXT,
        page TEXT,
        data TEXT NOT NULL,
        errcode INTEGER NOT NULL,
        errmsg TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS msg_sent_touser ON msg_sent (touser, seq);
    `)
  }

  grant(openid: string, templateId: string): Grant | undefined {
    const row = this.db
      .prepare('SELECT * FROM msg_grants WHERE openid = ? AND template_id = ?')
      .get(openid, templateId) as GrantRow | undefined
    return row && toGrant(row)
  }

  grantsOf(openid: string): Grant[] {
    return (
      this.db
        .prepare('SELECT * FROM msg_grants WHERE openid = ? ORDER BY template_id')
        .all(openid) as GrantRow[]
    ).map(toGrant)
  }

  /**
   * Records one answer of a consent request: a one-time accept adds one send; a long-term accept
   * turns the subscription on and a long-term reject turns it off (a one-time reject leaves the
   * sends already granted). `keep` stores the choice so later requests are answered silently.
   */
  recordDecision(
    openid: string,
    templateId: string,
    longTerm: boolean,
    decision: KeptChoice,
    keep: boolean,
    at: number
  ): void {
    const accept = decision === 'accept' ? 1 : 0
    this.db
      .prepare(
        `INSERT INTO msg_grants (openid, template_id, one_time, long_term, kept, updated_at)
         VALUES (@openid, @templateId, @oneTime, @longTerm, @kept, @at)
         ON CONFLICT (openid, template_id) DO UPDATE SET
           one_time = one_time + excluded.one_time,
           long_term = CASE WHEN @isLongTerm = 1 THEN excluded.long_term ELSE long_term END,
           kept = COALESCE(excluded.kept, kept),
           updated_at = excluded.updated_at`
      )
      .run({
        openid,
        templateId,
        oneTime: longTerm ? 0 : accept,
        longTerm: longTerm ? accept : 0,
        isLongTerm: longTerm ? 1 : 0,
        kept: keep ? decision : null,
        at
      })
  }

  /** Forgets every choice the user kept (grants already given stay). */
  resetKept(openid: string): void {
    this.db.prepare('UPDATE msg_grants SET kept = NULL WHERE openid = ?').run(openid)
  }

  /** Uses one send of the user's grant: true when allowed (long-term on, or a one-time send left). */
  consume(openid: string, templateId: string, at: number): boolean {
    const run = this.db.transaction((): boolean => {
      const row = this.db
        .prepare('SELECT long_term, one_time FROM msg_grants WHERE openid = ? AND template_id = ?')
        .get(openid, templateId) as Pick<GrantRow, 'long_term' | 'one_time'> | undefined
      if (!row) return false
      if (row.long_term === 1) return true
      if (row.one_time <= 0) return false
      this.db
        .prepare(
          'UPDATE msg_grants SET one_time = one_time - 1, updated_at = ? WHERE openid = ? AND template_id = ?'
        )
        .run(at, openid, templateId)
      return true
    })
    return run.immediate()
  }

  /** Keeps the newest MAX_SENT sends (a local log, not the product's outbox). */
  recordSent(message: SentMessage): void {
    const info = this.db
      .prepare(
        `INSERT INTO msg_sent (id, at, fn, touser, template_id, template_title, page, data, errcode, errmsg)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        message.id,
        message.at.getTime(),
        message.fn ?? null,
        message.touser,
        message.templateId,
        message.templateTitle ?? null,
        message.page ?? null,
        JSON.stringify(message.data),
        message.errCode,
        message.errMsg
      )
    this.db.prepare('DELETE FROM msg_sent WHERE seq <= ?').run(Number(info.lastInsertRowid) - MAX_SENT)
  }

  /** Newest first. */
  list(filter: { touser?: string; limit?: number; delivered?: boolean } = {}): SentMessage[] {
    const where: string[] = []
    const args: (string | number)[] = []
    if (filter.touser !== undefined) {
      where.push('touser = ?')
      args.push(filter.touser)
    }
    if (filter.delivered !== undefined) where.push(filter.delivered ? 'errcode = 0' : 'errcode <> 0')
    const limit = Math.max(1, Math.min(filter.limit ?? 200, 10_000))
    const sql = `SELECT * FROM msg_sent ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${limit}`
    return (this.db.prepare(sql).all(...args) as SentRow[]).map(toSent)
  }

  /** Everyone a send was addressed to: delivered and refused counts, latest first. */
  recipients(): Recipient[] {
    const rows = this.db
      .prepare(
        `SELECT touser, SUM(CASE WHEN errcode = 0 THEN 1 ELSE 0 END) AS delivered, SUM(CASE WHEN errcode = 0 THEN 0 ELSE 1 END) AS refused, MAX(at) AS last
         FROM msg_sent WHERE touser <> '' GROUP BY touser ORDER BY last DESC`
      )
      .all() as { touser: string; delivered: number; refused: number; last: number }[]
    return rows.map((r) => ({
      touser: r.touser,
      delivered: r.delivered,
      refused: r.refused,
      last: new Date(r.last)
    }))
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}

function toGrant(row: GrantRow): Grant {
  const grant: Grant = {
    openid: row.openid,
    templateId: row.template_id,
    oneTime: row.one_time,
    longTerm: row.long_term === 1,
    updatedAt: new Date(row.updated_at)
  }
  if (row.kept === 'accept' || row.kept === 'reject') grant.kept = row.kept
  return grant
}

function toSent(row: SentRow): SentMessage {
  const message: SentMessage = {
    id: row.id,
    at: new Date(row.at),
    fn: row.fn ?? undefined,
    touser: row.touser,
    templateId: row.template_id,
    data: JSON.parse(row.data) as Record<string, { value: string }>,
    errCode: row.errcode,
    errMsg: row.errmsg
  }
  if (row.template_title !== null) message.templateTitle = row.template_title
  if (row.page !== null) message.page = row.page
  return message
}
