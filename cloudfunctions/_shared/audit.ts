/**
 * Audit of staff access to residents' personal data (PIPL; docs/privacy-and-access.md): every
 * staff reply that carries a resident's name, mobile, ID number, address or text they wrote
 * records one flat entry in the `audit` collection — who (staff id, role, name), what (the
 * action, the records by id only), when (the instant and Shanghai local time), and where (the
 * station). Never the personal data itself.
 *
 * It cannot be forgotten: a view that shows a resident's data is built sealed (`personal(...)`),
 * and a sealed view is not the reply type any handler returns. The only way to open it is
 * `disclose` / `discloseOne`, which write the entry first. So a new staff action that returns
 * residents' data either goes through here or does not compile.
 *
 * One entry per view, not per page shown: the same member of staff seeing the same records by the
 * same action again within AUDIT_REPEAT_MINUTES adds none (`record`, below). At most one
 * disclosure per call (a second is a programming error). It runs before the data is returned: when
 * the entry cannot be written the call fails (INTERNAL) rather than going unaudited.
 */
import {
  AUDIT_REPEAT_MINUTES,
  AUDITED_ACTION_LABELS,
  type AuditEntry,
  type AuditedAction,
  type AuditRecordKind
} from '../../types/staff-admin'
import type { Staff } from '../../types/staff'
import { localDateTime } from '../../types/time'
import { db, digestId, isDuplicateKey } from './db'
import type { CallContext } from './handler'

/**
 * The stored entry: as the audit action returns it, with the instant as a date. Entries written
 * before names were kept in full hold only `staffNameMasked`; the audit action names them from
 * the staff collection.
 */
export type AuditDoc = Omit<AuditEntry, '_id' | 'at' | 'staffName'> & {
  at: Date
  staffName?: string
  staffNameMasked?: string
}

export function auditDoc(
  staff: Staff,
  action: AuditedAction,
  recordKind: AuditRecordKind,
  recordIds: readonly string[],
  stationId: string,
  ctx: CallContext,
  stationIds: readonly string[] = stationId ? [stationId] : []
): AuditDoc {
  return {
    staffId: staff._id,
    staffName: staff.name,
    role: staff.role,
    action,
    actionLabel: AUDITED_ACTION_LABELS[action],
    recordKind,
    recordIds: [...recordIds],
    recordCount: recordIds.length,
    stationId,
    stationIds: [...stationIds],
    at: ctx.now,
    atLocal: localDateTime(ctx.now),
    requestId: ctx.requestId
  }
}

/* ---------- sealed views ---------- */

declare const sealedBrand: unique symbol

/**
 * A view as a handler built it, not yet released: a resident's data inside (`personal`) or
 * nothing personal (`notPersonal`, e.g. an anonymous feedback entry). Not assignable to any
 * reply: open it with `disclose` / `discloseOne`.
 */
export interface Sealed<T> {
  readonly [sealedBrand]: T
}

interface Contents {
  value: unknown
  record: { kind: AuditRecordKind; id: string; stationId: string } | null
}

const contents = new WeakMap<object, Contents>()

function seal<T>(c: Contents): Sealed<T> {
  const box = Object.freeze({}) as Sealed<T>
  contents.set(box, c)
  return box
}

/** A view that shows the personal data of the resident behind this record. */
export function personal<T>(
  kind: AuditRecordKind,
  record: { _id: string; stationId: string },
  view: T
): Sealed<T> {
  return seal<T>({ value: view, record: { kind, id: record._id, stationId: record.stationId } })
}

/** A view of the same kind that shows nobody's personal data (recorded by no id). */
export function notPersonal<T>(view: T): Sealed<T> {
  return seal<T>({ value: view, record: null })
}

/** Who reads, by which action; `stationId`: the station the read was scoped to (left out: from the records). */
export interface Reader {
  staff: Staff
  action: AuditedAction
  ctx: CallContext
  stationId?: string
}

/** The calls that already disclosed: one entry per call, never two. */
const disclosed = new WeakSet<CallContext>()

function open<T>(box: Sealed<T>): Contents {
  const c = contents.get(box)
  if (!c) throw new Error('audit: not a sealed view')
  return c
}

/**
 * Opens the views of a reply. `list` (a list read: the station's queue, open requests…) records
 * one entry even when it holds no record, because the access itself is what is audited;
 * `ifAny` (one record, or a mixed list like an inbox) records one only when a view shows
 * someone's personal data. Record ids only; the kind is that of the records shown.
 */
export async function disclose<T>(
  reader: Reader,
  views: readonly Sealed<T>[],
  mode: 'list' | 'ifAny' = 'list'
): Promise<T[]> {
  const opened = views.map(open)
  const records = opened.flatMap((c) => (c.record ? [c.record] : []))
  if (disclosed.has(reader.ctx)) throw new Error(`audit: ${reader.action} disclosed twice in one call`)
  disclosed.add(reader.ctx)
  if (records.length > 0 || mode === 'list') {
    const kind = records[0]?.kind ?? DEFAULT_KIND[reader.action]
    if (records.some((r) => r.kind !== kind)) throw new Error(`audit: ${reader.action} mixes record kinds`)
    const stationIds = [...new Set(records.map((r) => r.stationId))].sort()
    const stationId =
      reader.stationId ??
      (stationIds.length === 1
        ? (stationIds[0] ?? '')
        : stationIds.length === 0
          ? reader.staff.stationId
          : '')
    const ids = [...new Set(records.map((r) => r.id))]
    const doc = auditDoc(
      reader.staff,
      reader.action,
      kind,
      ids,
      stationId,
      reader.ctx,
      stationIds.length ? stationIds : stationId ? [stationId] : []
    )
    await record(doc)
  }
  return opened.map((c) => c.value as T)
}

const REPEAT_MS = AUDIT_REPEAT_MINUTES * 60_000

/**
 * Writes the entry unless the same view was recorded less than AUDIT_REPEAT_MINUTES ago. "The
 * same view": the same member of staff, action, kind of record, station and set of record ids —
 * a list that gained a record is a new view. Atomic without a transaction: time is cut into
 * windows of AUDIT_REPEAT_MINUTES, and an entry's id is derived from the view and its window, so
 * two calls racing in one window write one entry (the second `add` is a duplicate key). A view is
 * recorded unless this window's entry, or the previous window's written less than
 * AUDIT_REPEAT_MINUTES ago, exists; so two entries of one view are always at least that far apart,
 * and a view seen again after that is always recorded again. One read (both ids at once) when the
 * view is a repeat, one read and one add when it is recorded.
 */
async function record(doc: AuditDoc): Promise<void> {
  const view = JSON.stringify([
    doc.staffId,
    doc.action,
    doc.recordKind,
    doc.stationId,
    [...doc.recordIds].sort()
  ])
  const now = doc.at.getTime()
  const windowOf = (w: number) => digestId('au', `${view}:${w}`)
  const current = Math.floor(now / REPEAT_MS)
  const audit = db().collection('audit')
  const _ = db().command
  const recent = (
    await audit
      .where({ _id: _.in([windowOf(current - 1), windowOf(current)]) })
      .field({ at: true })
      .get()
  ).data as { at: Date | string }[]
  if (recent.some((e) => now - new Date(e.at).getTime() < REPEAT_MS)) return
  try {
    await audit.add({ data: { _id: windowOf(current), ...doc } })
  } catch (err) {
    if (!isDuplicateKey(err)) throw err // a twin call in this window recorded it first
  }
}

/** Opens one view; records one entry when it shows a resident's personal data. */
export async function discloseOne<T>(reader: Reader, view: Sealed<T>): Promise<T> {
  const [value] = await disclose(reader, [view], 'ifAny')
  return value as T
}

/** The kind an empty list read is recorded under. */
const DEFAULT_KIND: Record<AuditedAction, AuditRecordKind> = {
  'staff.today': 'appointments',
  'staff.checkIn': 'appointments',
  'staff.start': 'appointments',
  'staff.finish': 'appointments',
  'staff.noShow': 'appointments',
  'requests.open': 'requests',
  'requests.accept': 'requests',
  'requests.decline': 'requests',
  'requests.done': 'requests',
  'requests.assign': 'requests',
  'rating.list': 'ratings',
  'rating.exclude': 'ratings',
  'rating.export': 'ratings',
  'rating.followUps': 'followUps',
  'rating.callBack': 'followUps',
  'rating.reply': 'followUps',
  'rating.dashboard': 'followUps',
  'feedback.list': 'feedback',
  'feedback.reply': 'feedback',
  'notify.inbox': 'messages',
  'prereview.open': 'prereviews',
  'cards.list': 'idCards',
  'cards.address': 'idCards',
  'cards.unfollow': 'idCards'
}
