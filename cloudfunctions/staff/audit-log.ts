/**
 * `staff.audit`: the log of staff reads of residents' personal data, as leaders (their station)
 * and supervisors (any station, or all) read it (docs/privacy-and-access.md). Staff are named in
 * full: the log is for the people who answer for them. Filtered by Shanghai days and, optionally,
 * by one member of staff; the people it can be filtered by come with it.
 */
import type { ParsedInput, ActionOutput } from '../../types/contract'
import type { Staff } from '../../types/staff'
import { AUDIT_LIST_LIMIT, type AuditEntry, type AuditPerson } from '../../types/staff-admin'
import { addDays, instantAt } from '../../types/time'
import type { AuditDoc } from '../_shared/audit'
import { collection, db } from '../_shared/db'
import { AppError } from '../_shared/handler'

type Input = ParsedInput<'staff', 'audit'>
type Output = ActionOutput<'staff', 'audit'>

/** Most staff a station (or every station) has: the picker lists them all. */
const PEOPLE_LIMIT = 200

const ROLE_ORDER: Record<Staff['role'], number> = { leader: 0, officer: 1, supervisor: 2 }

export async function readAuditLog(caller: Staff, input: Input): Promise<Output> {
  const { from, to, staffId } = input
  // A leader reads their own station's log; a supervisor any station's, or all of them.
  const stationId = caller.role === 'leader' ? caller.stationId : input.stationId
  if (caller.role === 'leader' && !stationId) throw new AppError('FORBIDDEN')
  if (from > to || to > addDays(from, 62)) throw new AppError('INVALID_INPUT', '请选择不超过两个月的日期范围')
  const _ = db().command
  const at = _.and(_.gte(instantAt(from, '00:00')), _.lt(instantAt(addDays(to, 1), '00:00')))
  const who = staffId ? { staffId } : {}
  const [docs, people] = await Promise.all([
    collection('audit')
      // A station's log: entries for it, and reads spanning several stations that include it.
      .where(
        stationId
          ? (_.or([
              { stationId, at, ...who },
              { stationIds: stationId, at, ...who }
            ]) as unknown as Record<string, unknown>)
          : { at, ...who }
      )
      .orderBy('at', 'desc')
      .limit(AUDIT_LIST_LIMIT + 1)
      .get()
      .then((r) => r.data),
    peopleOf(stationId)
  ])
  const names = new Map(people.map((p) => [p.staffId, p.name]))
  // Readers no longer listed (moved to another station) are named from their own record.
  const missing = [...new Set(docs.map((d) => d.staffId))].filter((id) => !names.has(id))
  if (missing.length)
    for (const s of (
      await collection('staff')
        .where({ _id: _.in(missing) })
        .field({ _id: true, name: true })
        .get()
    ).data)
      names.set(s._id, s.name)
  return {
    entries: docs.slice(0, AUDIT_LIST_LIMIT).map((d) => entryOf(d, names)),
    truncated: docs.length > AUDIT_LIST_LIMIT,
    people
  }
}

function entryOf(d: AuditDoc & { _id: string }, names: ReadonlyMap<string, string>): AuditEntry {
  const { staffNameMasked, staffName, at, ...rest } = d
  return {
    ...rest,
    staffName: staffName ?? names.get(d.staffId) ?? staffNameMasked ?? '',
    at: new Date(at).toISOString()
  }
}

/** Whose reads a log can show: the station's staff and the supervisors (they read every station). */
async function peopleOf(stationId: string | undefined): Promise<AuditPerson[]> {
  const _ = db().command
  const all = collection('staff')
  const staff = (
    await (
      stationId
        ? all.where(_.or([{ stationId }, { role: 'supervisor' }]) as unknown as Record<string, unknown>)
        : all
    )
      .limit(PEOPLE_LIMIT)
      .get()
  ).data
  return staff
    .map((s) => ({ staffId: s._id, name: s.name, role: s.role, active: s.active }))
    .sort(
      (a, b) =>
        Number(b.active) - Number(a.active) ||
        ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
        a.name.localeCompare(b.name, 'zh-Hans-CN')
    )
}
