/**
 * staff — the station's people and the window's day:
 * - who the caller is (`me`; the first supervisor comes from the environment variable
 *   HUKOU_FIRST_SUPERVISOR_OPENID while no active supervisor exists);
 * - one-time invite codes (72 h) that bind a WeChat account to a role at a station;
 * - the duty roster and who is on duty now (Asia/Shanghai);
 * - the officer's day queue: check-in by booking code within the station's check-in window,
 *   start, finish (queues the rating invitation through the outbox), no-show.
 * Every action checks the caller's role on the server; officers only see their own station.
 * State changes are conditional updates: two officers tapping at once change an appointment once.
 */

import type { AppointmentStatus } from '../../types/appointment'
import { APPOINTMENT_STATUSES, DEFAULT_POLICY } from '../../types/appointment'
import { CODE_ALPHABET } from '../../types/booking-code'
import {
  dutyGaps,
  onDutyAt,
  sameShifts,
  weekDates,
  weekGaps,
  type DutyGap,
  type RosterDay,
  type Shift
} from '../../types/duty'
import type { Station } from '../../types/guide'
import { maskMobile } from '../../types/identity'
import type { Staff, StaffRole } from '../../types/staff'
import { smsNumber } from '../../types/sms'
import {
  staffInputs,
  INVITE_CODE_LENGTH,
  INVITE_TTL_HOURS,
  normaliseInviteCode,
  type QueueItem,
  type QueueSlot,
  type RosterPerson,
  type RosterWeekResult,
  type StaffView
} from '../../types/staff-admin'
import { addDays, localDate, localDateTime, localTime, minutesOf, type LocalDate } from '../../types/time'
import { requireStation } from '../_shared/access'
import { disclose, discloseOne, personal, type Sealed } from '../_shared/audit'
import { readAuditLog } from './audit-log'
import {
  collection,
  db,
  digestId,
  insertOrGetRaced,
  isDuplicateKey,
  repo,
  txGet,
  updateIfStatus,
  withTransaction
} from '../_shared/db'
import type { AppointmentDoc, InviteDoc } from '../_shared/documents'
import { normaliseBookingCode } from '../_shared/domain/booking-code'
import { iso, optional } from '../_shared/fields'
import { AppError, defineFunction, type CallContext } from '../_shared/handler'
import { enqueue, grantCountId } from '../_shared/outbox'
import { ratingInviteMessage } from '../_shared/booking-messages'
import { checkInWindow, queueActions, statusLabel } from './queue'
import { queueCheckedIn } from '../_shared/queue'
import { workbench } from './workbench'

const ALL_ROLES: readonly StaffRole[] = ['officer', 'leader', 'supervisor']
/** The roster's coverage warning looks this many days ahead. */
const COVERAGE_DAYS = 7

type QueueDoc = AppointmentDoc

const staffColl = () => collection('staff')
const appointments = () => collection('appointments')

function staffIdOf(openid: string): string {
  return digestId('staff', openid, 20)
}

async function stationOf(id: string): Promise<Station | null> {
  return id ? repo('stations').byId(id) : null
}

async function view(s: Staff): Promise<StaffView> {
  const st = await stationOf(s.stationId)
  return {
    staffId: s._id,
    name: s.name,
    role: s.role,
    stationId: s.stationId,
    ...optional({ stationName: st?.name, mobileMasked: s.mobile && maskMobile(s.mobile) })
  }
}

function newInviteCode(): string {
  let code = ''
  for (let i = 0; i < INVITE_CODE_LENGTH; i++)
    code += CODE_ALPHABET[Math.floor(Math.random() * CODE_ALPHABET.length)]
  return code
}

/** The first supervisor (from configuration) gets a record while no active supervisor exists. */
async function firstSupervisor(openid: string, now: Date): Promise<Staff | null> {
  const configured = (process.env.HUKOU_FIRST_SUPERVISOR_OPENID ?? '').trim()
  if (!configured || configured !== openid) return null
  const anySupervisor = (await staffColl().where({ role: 'supervisor', active: true }).limit(1).get()).data[0]
  if (anySupervisor) return null
  const existing = (await staffColl().where({ openid }).limit(1).get()).data[0]
  const record: Omit<Staff, '_id'> = { openid, name: '督察', role: 'supervisor', stationId: '', active: true }
  if (existing) {
    await staffColl()
      .doc(existing._id)
      .update({ data: { role: 'supervisor', stationId: '', active: true, updatedAt: now } })
    return { ...existing, role: 'supervisor', stationId: '', active: true }
  }
  const _id = staffIdOf(openid)
  // A concurrent first call may have created it: then that one stands.
  await insertOrGetRaced('staff', { _id, ...record, fromConfiguration: true, createdAt: now })
  return { _id, ...record }
}

/* ---------- the roster ---------- */

/** The station's active staff as the roster shows them, with how an alert can reach each. */
async function rosterPeople(people: Staff[], fullMobiles: boolean): Promise<RosterPerson[]> {
  const _ = db().command
  const grants = people.length
    ? (
        await collection('grantCounts')
          .where({ _id: _.in(people.map((s) => grantCountId(s.openid, 'officerAlert'))) })
          .limit(500)
          .get()
      ).data
    : []
  const wechat = new Set(grants.filter((g) => g.longTerm || g.count > 0).map((g) => g.openid))
  return people.map((s): RosterPerson => {
    const texts = Boolean(s.mobile && smsNumber(s.mobile))
    return {
      staffId: s._id,
      name: s.name,
      role: s.role,
      wechat: wechat.has(s.openid),
      ...optional({ mobile: s.mobile && (fullMobiles ? s.mobile : maskMobile(s.mobile)) }),
      reachable: wechat.has(s.openid) || texts
    }
  })
}

/** Who counts for the on-call rule: reachable, and not a supervisor (they oversee, not stand by). */
function reachableSet(staff: RosterPerson[]): Set<string> {
  return new Set(staff.filter((s) => s.reachable && s.role !== 'supervisor').map((s) => s.staffId))
}

const cleanShifts = (shifts: Shift[]): Shift[] =>
  shifts.map((s) => ({
    start: s.start,
    end: s.end,
    staffIds: [...new Set(s.staffIds)],
    ...(s.onCall ? { onCall: true } : {})
  }))

/**
 * Writes the seven days of the week starting `week` in one transaction (all or nothing), and says
 * which days held other shifts before. Days already as asked are left alone: writing the same week
 * again changes nothing.
 */
async function writeWeek(
  stationId: string,
  week: LocalDate,
  shifts: Shift[][],
  now: Date
): Promise<Pick<RosterWeekResult, 'days' | 'overwritten'>> {
  const dates = weekDates(week)
  return withTransaction(async (tx) => {
    const overwritten: RosterWeekResult['overwritten'] = []
    const days: RosterDay[] = []
    for (const [i, date] of dates.entries()) {
      const _id = `${stationId}_${date}`
      const next = cleanShifts(shifts[i] ?? [])
      const before = await txGet(tx, 'rosters', _id)
      days.push({ _id, stationId, date, shifts: next })
      // Unchanged (or still empty): nothing to write, so a repeat leaves the store as it was.
      if (sameShifts(before?.shifts ?? [], next)) continue
      if (before && before.shifts.length > 0) overwritten.push({ date, shifts: before.shifts })
      await tx
        .collection('rosters')
        .doc(_id)
        .set({ data: { stationId, date, shifts: next, updatedAt: now } })
    }
    return { days, overwritten }
  })
}

/** The week's gaps, reading the Sunday before (its night shift runs into Monday). */
async function weekCoverage(stationId: string, week: LocalDate, days: RosterDay[]): Promise<DutyGap[]> {
  const [sundayBefore, people] = await Promise.all([
    repo('rosters').byId(`${stationId}_${addDays(week, -1)}`),
    staffColl().where({ stationId, active: true }).limit(500).get()
  ])
  const reachable = reachableSet(await rosterPeople(people.data, false))
  return weekGaps(sundayBefore ? [sundayBefore, ...days] : days, stationId, week, (id) => reachable.has(id))
}

/** The staff ids among `ids` that are active at the station. */
async function activeAt(stationId: string, ids: string[]): Promise<Staff[]> {
  if (!ids.length) return []
  const _ = db().command
  return (
    await staffColl()
      .where({ _id: _.in(ids), stationId, active: true })
      .limit(500)
      .get()
  ).data
}

/* ---------- the day queue ---------- */

async function policyOf(stationId: string) {
  return (await stationOf(stationId))?.booking.policy ?? DEFAULT_POLICY
}

/** An appointment as the queue shows it: the applicant's name and masked mobile, sealed until audited. */
function queueItem(a: QueueDoc, now: Date, policy: typeof DEFAULT_POLICY): Sealed<QueueItem> {
  return personal('appointments', a, queueView(a, now, policy))
}

function queueView(a: QueueDoc, now: Date, policy: typeof DEFAULT_POLICY): QueueItem {
  const facts = {
    status: a.status,
    startsAt: new Date(a.startsAt),
    ...optional({ startedAt: a.startedAt && new Date(a.startedAt) })
  }
  return {
    _id: a._id,
    code: a.code,
    status: a.status,
    statusLabel: statusLabel(facts),
    serviceName: a.serviceName,
    start: a.start,
    end: a.end,
    applicantName: a.applicant.name,
    mobileMasked: maskMobile(a.applicant.mobile),
    ...optional({
      checkedInAt: iso(a.checkedInAt),
      startedAt: iso(a.startedAt),
      finishedAt: iso(a.finishedAt),
      note: a.note,
      prereviewed: a.prereviewPassed === true || undefined
    }),
    actions: queueActions(facts, now, policy)
  }
}

/** The appointment an action names, if the caller may act on it (their station; a supervisor any). */
async function ownAppointment(staff: Staff, appointmentId: string): Promise<QueueDoc> {
  const a = await repo('appointments').byId(appointmentId)
  if (!a) throw new AppError('NOT_FOUND', '没有找到这个预约')
  requireStation(staff, a.stationId)
  return a
}

/**
 * One conditional update: the change expects the appointment in `from` (and `also`). Returns
 * whether this call changed it; when it did not, the appointment as it now stands decides
 * (already there: harmless).
 */
async function change(
  a: QueueDoc,
  from: AppointmentStatus,
  patch: Record<string, unknown>,
  target: AppointmentStatus,
  also: Record<string, unknown> = {}
): Promise<{ doc: QueueDoc; changed: boolean }> {
  const changed = await updateIfStatus('appointments', a._id, from, patch, also)
  const doc = (await repo('appointments').byId(a._id)) ?? a
  if (changed) return { doc, changed: true }
  if (doc.status === target && (target !== 'checked_in' || doc.startedAt)) return { doc, changed: false }
  throw new AppError('WRONG_STATUS')
}

/** The reply of a queue step: the appointment as it now stands, its read audited. */
async function stepReply(
  staff: Staff,
  action: 'staff.start' | 'staff.finish' | 'staff.noShow',
  doc: QueueDoc,
  changed: boolean,
  policy: typeof DEFAULT_POLICY,
  ctx: CallContext
): Promise<QueueItem & { changed: boolean }> {
  return { ...(await discloseOne({ staff, action, ctx }, queueItem(doc, ctx.now, policy))), changed }
}

function ratingMessage(a: QueueDoc, now: Date) {
  return ratingInviteMessage('appointment', a._id, a.openid, a.serviceName, now)
}

export const main = defineFunction('staff', staffInputs, {
  me: {
    access: 'resident',
    async handler(_input, ctx) {
      const { openid } = ctx
      const found =
        (await staffColl().where({ openid, active: true }).limit(1).get()).data[0] ??
        (await firstSupervisor(openid, ctx.now))
      return found ? view(found) : { role: 'resident' as const }
    }
  },

  createInvite: {
    access: 'staff',
    roles: ['leader', 'supervisor'],
    station: 'own',
    async handler({ role, stationId: wanted }, ctx) {
      const inviter = ctx.staff
      if (inviter.role === 'leader' && role !== 'officer')
        throw new AppError('FORBIDDEN', '所领导只能邀请民警，其他角色请联系督察')
      const stationId = wanted ?? inviter.stationId
      if (!stationId) throw new AppError('INVALID_INPUT', '请选择邀请加入的派出所')

      if (!(await stationOf(stationId))) throw new AppError('NOT_FOUND', '没有找到这个派出所')
      const expiresAt = new Date(ctx.now.getTime() + INVITE_TTL_HOURS * 3_600_000)
      for (let attempt = 1; ; attempt++) {
        const code = newInviteCode()
        const invite: InviteDoc = {
          _id: `inv-${code}`,
          code,
          role,
          stationId,
          createdBy: inviter._id,
          createdAt: ctx.now,
          expiresAt
        }
        try {
          await collection('invites').add({ data: { ...invite } })
          return { code, role, stationId, expiresAt: expiresAt.toISOString() }
        } catch (err) {
          if (isDuplicateKey(err) && attempt < 3) continue
          throw err
        }
      }
    }
  },

  bindInvite: {
    access: 'resident',
    async handler({ code: typed, name, mobile }, ctx) {
      const { openid } = ctx
      const code = normaliseInviteCode(typed, CODE_ALPHABET)
      if (!code) throw new AppError('INVITE_UNKNOWN')
      const inviteId = `inv-${code}`
      const existing = (await staffColl().where({ openid }).limit(1).get()).data[0]
      if (existing?.active && existing.inviteId !== inviteId) throw new AppError('ALREADY_STAFF')
      const staffId = existing?._id ?? staffIdOf(openid)
      try {
        await withTransaction(async (tx) => {
          const invite = await txGet(tx, 'invites', inviteId)
          if (!invite) throw new AppError('INVITE_UNKNOWN')
          const current = await txGet(tx, 'staff', staffId)
          // Stopped staff come back only with an invite created after they were stopped: not their
          // own used one, nor any older one (docs/privacy-and-access.md).
          if (
            current &&
            !current.active &&
            current.deactivatedAt &&
            new Date(invite.createdAt).getTime() <= new Date(current.deactivatedAt).getTime()
          )
            throw new AppError('STAFF_DEACTIVATED')
          if (invite.usedBy) {
            if (invite.usedBy === staffId && current?.active) return // a retry or a double tap: already bound by this very invite
            throw new AppError('INVITE_USED')
          }
          if (new Date(invite.expiresAt).getTime() <= ctx.now.getTime()) throw new AppError('INVITE_EXPIRED')
          if (current?.active) throw new AppError('ALREADY_STAFF')
          await tx
            .collection('invites')
            .doc(inviteId)
            .update({ data: { usedBy: staffId, usedAt: ctx.now } })
          await tx
            .collection('staff')
            .doc(staffId)
            .set({
              data: {
                openid,
                name,
                mobile,
                role: invite.role,
                stationId: invite.stationId,
                active: true,
                inviteId,
                createdAt: ctx.now
              }
            })
        })
      } catch (err) {
        if (isDuplicateKey(err, 'openid_unique')) throw new AppError('ALREADY_STAFF')
        throw err
      }
      const bound = await repo('staff').byId(staffId)
      if (!bound) throw new AppError('INTERNAL')
      return view(bound)
    }
  },

  roster: {
    access: 'staff',
    roles: ALL_ROLES,
    station: 'own',
    async handler({ stationId, from, to }, ctx) {
      const caller = ctx.staff
      if (from > to || to > addDays(from, 62))
        throw new AppError('INVALID_INPUT', '请选择不超过两个月的日期范围')
      const _ = db().command
      const today = localDate(ctx.now)
      // The coverage check looks at yesterday (a night shift runs into today) through 7 days on.
      const coverFrom = addDays(today, -1)
      const coverTo = addDays(today, COVERAGE_DAYS)
      const [days, cover, people] = await Promise.all([
        collection('rosters')
          .where({ stationId, date: _.and(_.gte(from), _.lte(to)) })
          .orderBy('date', 'asc')
          .limit(100)
          .get(),
        from <= coverFrom && to >= coverTo
          ? null
          : collection('rosters')
              .where({ stationId, date: _.and(_.gte(coverFrom), _.lte(coverTo)) })
              .limit(100)
              .get(),
        staffColl().where({ stationId, active: true }).limit(500).get()
      ])
      const staff = await rosterPeople(
        people.data,
        caller.role === 'leader' && caller.stationId === stationId
      )
      const reachable = reachableSet(staff)
      const coverDays = cover ? cover.data : days.data
      const until = new Date(ctx.now.getTime() + COVERAGE_DAYS * 86_400_000)
      return {
        days: days.data.map((d) => ({ _id: d._id, stationId: d.stationId, date: d.date, shifts: d.shifts })),
        staff,
        gaps: dutyGaps(coverDays, stationId, ctx.now, until, (id) => reachable.has(id))
      }
    }
  },

  setMobile: {
    access: 'staff',
    roles: ALL_ROLES,
    station: 'any',
    async handler({ mobile }, ctx) {
      const me = ctx.staff
      await staffColl()
        .doc(me._id)
        .update({ data: { mobile, updatedAt: ctx.now } })
      return { mobileMasked: maskMobile(mobile) }
    }
  },

  setRosterDay: {
    access: 'staff',
    roles: ['leader', 'supervisor'],
    station: 'own',
    async handler({ stationId, date, shifts }, ctx) {
      const ids = [...new Set(shifts.flatMap((s) => s.staffIds))]
      if (ids.length) {
        const _ = db().command
        const known = (
          await staffColl()
            .where({ _id: _.in(ids), stationId, active: true })
            .limit(500)
            .get()
        ).data.map((s) => s._id)
        if (known.length !== ids.length) throw new AppError('INVALID_INPUT', '值班人员须是本所在岗的工作人员')
      }
      const day: RosterDay = {
        _id: `${stationId}_${date}`,
        stationId,
        date,
        shifts: cleanShifts(shifts)
      }
      await collection('rosters')
        .doc(day._id)
        .set({ data: { stationId, date, shifts: day.shifts, updatedAt: ctx.now } })
      return day
    }
  },

  setRosterWeek: {
    access: 'staff',
    roles: ['leader', 'supervisor'],
    station: 'own',
    async handler({ stationId, week, days }, ctx) {
      const ids = [...new Set(days.flat().flatMap((s) => s.staffIds))]
      if ((await activeAt(stationId, ids)).length !== ids.length)
        throw new AppError('INVALID_INPUT', '值班人员须是本所在岗的工作人员')
      const written = await writeWeek(stationId, week, days, ctx.now)
      return { week, ...written, gaps: await weekCoverage(stationId, week, written.days) }
    }
  },

  copyRosterWeek: {
    access: 'staff',
    roles: ['leader', 'supervisor'],
    station: 'own',
    async handler({ stationId, from, week }, ctx) {
      if (from === week) throw new AppError('INVALID_INPUT', '请选择另一周复制')
      const _ = db().command
      const source = (
        await collection('rosters')
          .where({ stationId, date: _.and(_.gte(from), _.lte(addDays(from, 6))) })
          .limit(7)
          .get()
      ).data
      const named = [...new Set(source.flatMap((d) => d.shifts.flatMap((s) => s.staffIds)))]
      const active = new Set((await activeAt(stationId, named)).map((s) => s._id))
      const gone = named.filter((id) => !active.has(id))
      const dropped = gone.length
        ? (
            await staffColl()
              .where({ _id: _.in(gone) })
              .limit(100)
              .get()
          ).data.map((s) => s.name)
        : []
      const shifts = weekDates(from).map((date) =>
        (source.find((d) => d.date === date)?.shifts ?? [])
          .map((s) => ({ ...s, staffIds: s.staffIds.filter((id) => active.has(id)) }))
          .filter((s) => s.staffIds.length > 0)
      )
      const written = await writeWeek(stationId, week, shifts, ctx.now)
      return { week, ...written, gaps: await weekCoverage(stationId, week, written.days), dropped }
    }
  },

  onDuty: {
    access: 'staff',
    roles: ALL_ROLES,
    station: 'own',
    async handler({ stationId }, ctx) {
      const today = localDate(ctx.now)
      const days = (
        await Promise.all([addDays(today, -1), today].map((d) => repo('rosters').byId(`${stationId}_${d}`)))
      ).filter((d): d is RosterDay => d !== null)
      const ids = onDutyAt(days, stationId, ctx.now)
      const _ = db().command
      const people = ids.length
        ? (
            await staffColl()
              .where({ _id: _.in(ids), active: true })
              .limit(100)
              .get()
          ).data
        : []
      return {
        at: ctx.now.toISOString(),
        staff: people.map((s) => ({ staffId: s._id, name: s.name, role: s.role }))
      }
    }
  },

  workbench: {
    access: 'staff',
    roles: ALL_ROLES,
    station: 'own',
    handler: ({ stationId }, ctx) => workbench(ctx.staff, stationId, ctx.now)
  },

  today: {
    access: 'staff',
    roles: ALL_ROLES,
    station: 'own',
    async handler({ stationId, date }, ctx) {
      const caller = ctx.staff
      const day = date ?? localDate(ctx.now)
      const policy = await policyOf(stationId)
      const docs = (
        await appointments().where({ stationId, date: day }).orderBy('startsAt', 'asc').limit(1000).get()
      ).data
      const items = await disclose(
        { staff: caller, action: 'staff.today', ctx, stationId },
        docs.map((a) => queueItem(a, ctx.now, policy))
      )
      const slots: QueueSlot[] = []
      const counts = Object.fromEntries(APPOINTMENT_STATUSES.map((s) => [s, 0])) as Record<
        AppointmentStatus,
        number
      >
      docs.forEach((a, i) => {
        counts[a.status]++
        let slot = slots.find((s) => s.start === a.start && s.end === a.end && s.kind === a.kind)
        if (!slot)
          slots.push(
            (slot = {
              start: a.start,
              end: a.end,
              kind: a.kind,
              ...optional({ label: a.label }),
              items: []
            })
          )
        slot.items.push(items[i] as QueueItem)
      })
      slots.sort((x, y) => minutesOf(x.start) - minutesOf(y.start))
      return { stationId, date: day, slots, counts }
    }
  },

  checkIn: {
    access: 'staff',
    roles: ALL_ROLES,
    station: 'any',
    async handler({ code: typed }, ctx) {
      const { staff } = ctx
      const code = normaliseBookingCode(typed)
      if (!code) throw new AppError('CODE_UNKNOWN')
      // Looked up within the caller's station: another station's code is as unknown as a mistyped
      // one (same answer, same single read), so a code's existence is never disclosed.
      const a = (
        await appointments()
          .where(staff.role === 'supervisor' ? { code } : { code, stationId: staff.stationId })
          .limit(1)
          .get()
      ).data[0]
      if (!a) throw new AppError('CODE_UNKNOWN')
      if (a.status === 'cancelled') throw new AppError('APPOINTMENT_CANCELLED')
      if (a.status === 'checked_in')
        throw new AppError(
          'ALREADY_CHECKED_IN',
          `这个预约已在 ${localTime(new Date(a.checkedInAt ?? a.updatedAt))} 签到`
        )
      if (a.status === 'done') throw new AppError('ALREADY_CHECKED_IN', '这个预约已经办结')
      if (a.status === 'no_show') throw new AppError('CHECK_IN_CLOSED', '这个预约已标记为未到场，不能再签到')
      const policy = await policyOf(a.stationId)
      const window = checkInWindow(new Date(a.startsAt), ctx.now, policy)
      if (window === 'early') {
        const opens = new Date(new Date(a.startsAt).getTime() - policy.checkInEarlyMinutes * 60_000)
        throw new AppError(
          'CHECK_IN_NOT_OPEN',
          `预约时间是 ${a.date} ${a.start}，${localDateTime(opens)} 起可以签到`
        )
      }
      if (window === 'closed')
        throw new AppError(
          'CHECK_IN_CLOSED',
          `预约时间是 ${a.date} ${a.start}，签到已于开始后${policy.checkInLateMinutes}分钟截止`
        )
      const checkedIn = await updateIfStatus('appointments', a._id, 'booked', {
        status: 'checked_in',
        checkedInAt: ctx.now,
        checkedInBy: staff._id,
        startedAt: null,
        updatedAt: ctx.now
      })
      if (!checkedIn) throw new AppError('ALREADY_CHECKED_IN', '这个预约刚刚已被签到')
      // It joins its service's line of the day's queue (docs/queue.md).
      await queueCheckedIn(a, ctx.now)
      const doc = (await repo('appointments').byId(a._id)) ?? a
      return discloseOne({ staff, action: 'staff.checkIn', ctx }, queueItem(doc, ctx.now, policy))
    }
  },

  start: {
    access: 'staff',
    roles: ALL_ROLES,
    station: 'any',
    async handler({ appointmentId }, ctx) {
      const { staff } = ctx
      const a = await ownAppointment(staff, appointmentId)
      const policy = await policyOf(a.stationId)
      if (a.status === 'checked_in' && a.startedAt)
        return stepReply(staff, 'staff.start', a, false, policy, ctx)
      if (a.status !== 'checked_in')
        throw new AppError('WRONG_STATUS', a.status === 'booked' ? '请先为居民签到，再开始办理' : undefined)
      const { doc, changed } = await change(
        a,
        'checked_in',
        { startedAt: ctx.now, startedBy: staff._id, updatedAt: ctx.now },
        'checked_in',
        { startedAt: null }
      )
      return stepReply(staff, 'staff.start', doc, changed, policy, ctx)
    }
  },

  finish: {
    access: 'staff',
    roles: ALL_ROLES,
    station: 'any',
    async handler({ appointmentId, note }, ctx) {
      const { staff } = ctx
      const a = await ownAppointment(staff, appointmentId)
      const policy = await policyOf(a.stationId)
      let result: { doc: QueueDoc; changed: boolean }
      if (a.status === 'done') result = { doc: a, changed: false }
      else if (a.status !== 'checked_in')
        throw new AppError('WRONG_STATUS', a.status === 'booked' ? '请先为居民签到，再办结' : undefined)
      else {
        const patch = {
          status: 'done',
          finishedAt: ctx.now,
          finishedBy: staff._id,
          updatedAt: ctx.now,
          ...(a.startedAt ? {} : { startedAt: ctx.now, startedBy: staff._id }),
          ...optional({ note })
        }
        result = await change(a, 'checked_in', patch, 'done')
      }
      // Queued after the change; a retried finish queues it again harmlessly (one record per appointment).
      await enqueue(ratingMessage(result.doc, new Date(result.doc.finishedAt ?? ctx.now)), ctx.now)
      return stepReply(staff, 'staff.finish', result.doc, result.changed, policy, ctx)
    }
  },

  noShow: {
    access: 'staff',
    roles: ALL_ROLES,
    station: 'any',
    async handler({ appointmentId }, ctx) {
      const { staff } = ctx
      const a = await ownAppointment(staff, appointmentId)
      const policy = await policyOf(a.stationId)
      if (a.status === 'no_show') return stepReply(staff, 'staff.noShow', a, false, policy, ctx)
      if (a.status !== 'booked') throw new AppError('WRONG_STATUS')
      if (checkInWindow(new Date(a.startsAt), ctx.now, policy) !== 'closed')
        throw new AppError('NO_SHOW_TOO_EARLY')
      const { doc, changed } = await change(
        a,
        'booked',
        { status: 'no_show', noShowAt: ctx.now, noShowBy: staff._id, updatedAt: ctx.now },
        'no_show'
      )
      return stepReply(staff, 'staff.noShow', doc, changed, policy, ctx)
    }
  },

  deactivate: {
    access: 'staff',
    roles: ['leader', 'supervisor'],
    station: 'any',
    async handler({ staffId, reason }, ctx) {
      const actor = ctx.staff
      const target = await repo('staff').byId(staffId)
      if (!target) throw new AppError('NOT_FOUND', '没有找到这位工作人员')
      if (target._id === actor._id) throw new AppError('INVALID_INPUT', '不能停用自己的账号，请联系督察')
      requireStation(actor, target.stationId)
      if (actor.role === 'leader' && target.role !== 'officer')
        throw new AppError('FORBIDDEN', '所领导只能停用本所民警，其他人员请联系督察')
      const done = (d: typeof target) => ({
        staffId: d._id,
        name: d.name,
        role: d.role,
        active: false as const,
        deactivatedAtLocal: d.deactivatedAtLocal ?? localDateTime(ctx.now)
      })
      if (!target.active) return done(target) // already (a retry, or a colleague was first)
      const patch = {
        active: false,
        deactivatedAt: ctx.now,
        deactivatedAtLocal: localDateTime(ctx.now),
        deactivatedBy: actor._id,
        deactivationReason: reason
      }
      await staffColl().where({ _id: target._id, active: true }).update({ data: patch })
      return done({ ...target, ...patch })
    }
  },

  audit: {
    access: 'staff',
    roles: ['leader', 'supervisor'],
    station: 'own',
    handler: (input, ctx) => readAuditLog(ctx.staff, input)
  }
})
