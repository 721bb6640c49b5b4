/**
 * appointment — 预约服务 for residents: the dates and slots on offer, booking, "my appointments",
 * cancel and reschedule. Capacity is held and the booking saved in one transaction, so neither
 * concurrency nor a crash can overbook or leave a phantom hold; a retried call with the same
 * request id returns the same booking. Which rule is enforced where, and why no race slips past
 * it (the resident's limits, closures, double taps), is in docs/booking-rules.md.
 */
import type { Transaction } from 'wx-server-sdk'
import {
  appointmentInputs,
  CHECKS_PER_MINUTE,
  MAX_SAVED_APPLICANTS,
  MAX_WAITLIST_ENTRIES,
  slotDate,
  type AppointmentView,
  type SavedApplicantView
} from '../../types/appointment'
import type { ServiceItem, Station } from '../../types/guide'
import { ID_PROBLEM_MESSAGES, idNumberProblem, maskIdNumber, maskMobile } from '../../types/identity'
import { addDays, localDate, localTime } from '../../types/time'
import { bookingCalendar, stationCalendar } from '../_shared/calendars'
import {
  collection,
  db,
  digestId,
  idempotentId,
  isDuplicateKey,
  repo,
  txGet,
  withTransaction
} from '../_shared/db'
import { newBookingCode } from '../_shared/domain/booking-code'
import type { Calendar, DayInfo } from '../_shared/domain/calendar'
import {
  bookableDates,
  checkChange,
  checkNewBooking,
  isActive,
  suspendedUntil,
  type Refusal
} from '../_shared/domain/policy'
import { daySlots, type SlotDef } from '../_shared/domain/slots'
import type { ApplicantDoc, AppointmentDoc, WaitlistDoc } from '../_shared/documents'
import { iso, optional } from '../_shared/fields'
import { AppError, defineFunction } from '../_shared/handler'
import { personKey, protect } from '../_shared/protect'
import { bookingAlertMessage, confirmationMessage, residentCancelMessage } from '../_shared/booking-messages'
import { firstRecipients } from '../_shared/escalation'
import { enqueueInTransaction } from '../_shared/outbox'
import { freePlace, waitlistView } from './waitlist'
import {
  dayHolder,
  guardId,
  inactiveDayKey,
  mine,
  releaseFinishedDay,
  service,
  station,
  withoutId
} from './bookings'

/** Thrown inside a booking's transaction when its request id already booked: rolls it back. */
class AlreadyBooked extends Error {
  constructor(readonly booking: AppointmentDoc) {
    super('already booked')
  }
}

function refuse(r: Refusal): never {
  throw new AppError(r.code, r.message, optional({ blockingAppointmentId: r.blockingAppointmentId }))
}

/**
 * Why the booking holding the day refuses another one that day. Its id goes back only to the
 * account that made it: another account's booking is not disclosed beyond "this person has one
 * that day". Only a booking still booked may be moved (可改约): one checked in is being served, and
 * a no-show keeps its day, which is over for online booking.
 */
function dayRefusal(found: AppointmentDoc, openid: string): Refusal {
  const own = found.openid === openid
  const message = !own
    ? '这位办事人当天已有其他微信号为其办理的预约，同一人一天只能预约一次'
    : found.status === 'booked'
      ? '这位办事人当天已有预约，同一人一天只能预约一次，可改约已有的预约'
      : found.status === 'no_show'
        ? '这位办事人当天的预约已标记为未到场，当天不能再在线预约，如需办理请到窗口取号'
        : found.status === 'checked_in'
          ? '这位办事人当天的预约已签到，正在办理，同一人一天只能预约一次'
          : '这位办事人当天已有预约，同一人一天只能预约一次'
  return { code: 'ONE_PER_DAY', message, ...optional({ blockingAppointmentId: own && found._id }) }
}

/** The refusal for this person on this date from the booking holding their day, or null (a finished case holds none). */
async function bookingOfPerson(key: string, date: string, openid: string): Promise<Refusal | null> {
  const found = await dayHolder(key, date)
  return found && found.status !== 'done' ? dayRefusal(found, openid) : null
}

/**
 * Counts one check of this resident in the current Shanghai minute; false once CHECKS_PER_MINUTE
 * are used. The booking page asks about 0.4 s after the date, the name or the ID number last
 * changed, so a resident filling the form in makes a handful; a script probing whether a person has
 * a booking that day makes many more. The count is the resident's document in `requestQuotas`
 * under its own id (a digest of the OPENID; `day` holds the minute): one conditional increment as a
 * rule; the first check of a minute reads and resets it. Two first checks of a minute at once may
 * count as one: a limit against abuse, not a quota to the unit (docs/booking-rules.md).
 */
async function countCheck(openid: string, now: Date): Promise<boolean> {
  const _ = db().command
  const quotas = collection('requestQuotas')
  const id = idempotentId('quota', openid, 'booking-check')
  const minute = `${localDate(now)} ${localTime(now)}`
  const counted = await quotas
    .where({ _id: id, day: minute, count: _.lt(CHECKS_PER_MINUTE) })
    .update({ data: { count: _.inc(1), updatedAt: now } })
  if (counted.stats.updated === 1) return true
  const current = await repo('requestQuotas').byId(id)
  if (current?.day === minute) return current.count < CHECKS_PER_MINUTE
  await quotas.doc(id).set({ data: { day: minute, count: 1, updatedAt: now } })
  return true
}

/** Booking ids derive from the caller and the client request id: a retry finds its booking. */
function bookingId(openid: string, requestId: string): string {
  return idempotentId('ap', openid, requestId)
}

/** The slot a slot id names, as the station's settings and calendar define it today. */
/**
 * The person a booking or a waitlist entry serves: the typed ID number, or — a common applicant
 * picked in one tap — their stored (protected) one. One read, only on that path; someone else's
 * saved applicant is not found. Their `personKey` carries the once-a-day rule.
 */
async function whoIsServed(
  openid: string,
  applicant: { name: string; idNumber?: string },
  savedApplicantId: string | undefined
) {
  const idNumber = applicant.idNumber ? applicant.idNumber.toUpperCase() : undefined
  const saved =
    savedApplicantId && !idNumber
      ? await repo('applicants')
          .byId(savedApplicantId)
          .then((a) => (a && a.openid === openid && a.name === applicant.name ? a : null))
      : null
  if (savedApplicantId && !idNumber && !saved) throw new AppError('NOT_FOUND', '没有找到这位常用办事人')
  const person = saved?.personKey ?? personKey(openid, { name: applicant.name, ...optional({ idNumber }) })
  return { idNumber, saved, person }
}

function resolveSlot(st: Station, svc: ServiceItem, calendar: Calendar, slotId: string): SlotDef {
  const date = slotDate(slotId)
  if (date && calendar.day(date).status === 'unpublished') throw new AppError('CALENDAR_UNPUBLISHED')
  const def = date ? daySlots(st, calendar.day(date)).find((s) => s._id === slotId) : undefined
  if (!def) throw new AppError('SLOT_CLOSED', '这个时段不开放预约，请重新选择')
  if (def.resource !== svc.resource && def.resource !== 'duty')
    throw new AppError('SLOT_CLOSED', '这个时段不办理该事项，请重新选择')
  return def
}

function view(doc: AppointmentDoc, st: Station, now: Date): AppointmentView {
  const deadline = new Date(doc.startsAt.getTime() - st.booking.policy.cancelBeforeMinutes * 60_000)
  const changeable = doc.status === 'booked' && deadline.getTime() > now.getTime()
  return {
    _id: doc._id,
    code: doc.code,
    status: doc.status,
    serviceId: doc.serviceId,
    serviceName: doc.serviceName,
    stationName: st.name,
    address: st.address,
    date: doc.date,
    start: doc.start,
    end: doc.end,
    startsAt: new Date(doc.startsAt).toISOString(),
    kind: doc.kind,
    applicant: {
      name: doc.applicant.name,
      mobileMasked: maskMobile(doc.applicant.mobile),
      relation: doc.applicant.relation,
      ...optional({ idMasked: doc.applicant.idMasked })
    },
    materials: doc.materials,
    ...optional({
      label: doc.label,
      changeableUntil: changeable && deadline.toISOString(),
      rescheduledFrom: doc.rescheduledFrom && {
        date: doc.rescheduledFrom.date,
        start: doc.rescheduledFrom.start
      },
      officerNote: doc.status === 'done' && doc.note,
      startedAt: doc.status === 'checked_in' && iso(doc.startedAt),
      location: st.location,
      prereview: doc.prereviewId && { id: doc.prereviewId, passed: doc.prereviewPassed === true }
    })
  }
}

/**
 * After a reschedule or a cancel: the resident's messages about the old time (its confirmation and
 * reminders) are marked superseded, so 我的消息 shows them as no longer valid, and any reminder
 * still waiting is withdrawn, so it is never sent. One sent already cannot be recalled. A few
 * requests: the booking's messages (a handful, by the ref index), one update per waiting reminder
 * (at most two), then one update.
 */
async function withdrawReminders(
  doc: Pick<AppointmentDoc, '_id' | 'slotId'>,
  why: 'rescheduled' | 'cancelled'
): Promise<void> {
  const _ = db().command
  const outbox = collection('outbox')
  const about = (
    await outbox
      .where({ 'ref.id': doc._id, template: _.in(['bookingConfirmed', 'bookingReminder']) })
      .limit(100)
      .get()
  ).data.filter((m) => m.dedupeKey.includes(`:${doc.slotId}`) && !m.superseded)
  if (about.length === 0) return
  const ids = about.map((m) => m._id)
  // A withdrawn reminder gives up its key, so a booking moved back to this time is reminded again.
  for (const m of about.filter((r) => r.status === 'pending'))
    await outbox.where({ _id: m._id, status: 'pending' }).update({
      data: { status: 'withdrawn', superseded: why, dedupeKey: `${m.dedupeKey}|withdrawn|${m._id}` }
    })
  await outbox.where({ _id: _.in(ids), status: _.neq('withdrawn') }).update({ data: { superseded: why } })
}

/**
 * Work after a change committed (tidying the outbox): the change stands whatever happens here, so
 * a failure is not the resident's error. It is logged with the error code only (no personal data)
 * and left to the notify timer's own safeguards (docs/booking-rules.md, "After the commit").
 */
async function afterCommit(label: string, work: () => Promise<void>): Promise<void> {
  try {
    await work()
  } catch (err) {
    const e = err as { errCode?: number; code?: string } | null
    console.warn(
      `[appointment] ${label} failed after the commit: ${String(e?.errCode ?? e?.code ?? 'error')}`
    )
  }
}

/** The slots of a day a service can be booked in (its resource, or duty) that have not closed for booking. */
function offered(st: Station, svc: ServiceItem, day: DayInfo, now: Date): SlotDef[] {
  const cutoff = now.getTime() + st.booking.policy.sameDayCutoffMinutes * 60_000
  return daySlots(st, day).filter(
    (s) => (s.resource === svc.resource || s.resource === 'duty') && s.startsAt.getTime() >= cutoff
  )
}

/**
 * The places taken in each slot, read fresh (slot documents exist only once someone booked or a
 * closure marked them). A slot a closure has just closed counts as full for everyone (its closure
 * may not be cached yet). One request per 1000 slots: a month of dates is one.
 */
async function bookedBySlot(ids: string[], closed?: Set<string>): Promise<Map<string, number>> {
  const _ = db().command
  const out = new Map<string, number>()
  for (let i = 0; i < ids.length; i += 1000) {
    const held = (
      await collection('slots')
        .where({ _id: _.in(ids.slice(i, i + 1000)) })
        .limit(1000)
        .get()
    ).data
    for (const s of held) {
      out.set(s._id, s.closed ? s.capacity : s.booked)
      if (s.closed) closed?.add(s._id)
    }
  }
  return out
}

function applicantView(d: ApplicantDoc): SavedApplicantView {
  return {
    _id: d._id,
    name: d.name,
    mobile: d.mobile,
    relation: d.relation,
    ...optional({ idMasked: d.idMasked })
  }
}

/**
 * Holds one place in the slot inside the transaction; refuses when it is full or a closure has
 * closed it (the mark addClosure writes: our write to this document conflicts with its mark).
 */
async function holdPlace(tx: Transaction, def: SlotDef, now: Date): Promise<void> {
  const _ = db().command
  const slot = await txGet(tx, 'slots', def._id)
  if (slot?.closed) throw new AppError('SLOT_CLOSED', '这个时段窗口暂停服务，请选择其他时段')
  const booked = slot?.booked ?? 0
  if (booked >= def.capacity) throw new AppError('SLOT_FULL')
  if (slot)
    await tx
      .collection('slots')
      .doc(def._id)
      .update({ data: { booked: _.inc(1), capacity: def.capacity, updatedAt: now } })
  else
    await tx
      .collection('slots')
      .doc(def._id)
      .set({ data: { ...withoutId(def), booked: 1, updatedAt: now } })
}

async function findOwn(openid: string, appointmentId: string): Promise<AppointmentDoc> {
  const doc = await repo('appointments').byId(appointmentId)
  // Someone else's booking is "not found" to this caller: its existence is not disclosed.
  if (!doc || doc.openid !== openid) throw new AppError('NOT_FOUND', '没有找到这个预约')
  return doc
}

export const main = defineFunction('appointment', appointmentInputs, {
  options: {
    access: 'resident',
    async handler({ serviceId }, ctx) {
      const openid = ctx.openid
      const svc = await service(serviceId)
      if (!svc.bookable) throw new AppError('NOT_BOOKABLE')
      const st = await station(svc.stationId)
      const today = localDate(ctx.now)
      const calendar = await stationCalendar(st._id, today, addDays(today, 31))
      const history = await mine(openid, ctx.now)
      const until = suspendedUntil(history, ctx.now, st.booking.policy)
      const days = bookableDates(ctx.now, calendar, st.booking.policy)
        .map((date) => calendar.day(date))
        .filter((d) => !calendar.closedAllDay(d.date))
        .map((d) => ({ day: d, defs: offered(st, svc, d, ctx.now) }))
        .filter(({ defs }) => defs.length > 0)
      // One read for every date's places (the slots action reads one date's the same way).
      const booked = await bookedBySlot(days.flatMap(({ defs }) => defs.map((s) => s._id)))
      const dates = days.map(({ day, defs }) => ({
        date: day.date,
        status: day.status as 'working' | 'rest',
        ...optional({ name: day.name, makeUp: day.makeUp }),
        left: defs.reduce((sum, s) => sum + Math.max(0, s.capacity - (booked.get(s._id) ?? 0)), 0)
      }))
      return {
        serviceId: svc._id,
        serviceName: svc.name,
        stationName: st.name,
        dates,
        ...optional({ firstAvailable: dates.find((d) => d.left > 0)?.date }),
        policy: st.booking.policy,
        ...optional({ suspendedUntil: iso(until) }),
        activeCount: history.filter((b) => isActive(b) && b.startsAt.getTime() > ctx.now.getTime()).length
      }
    }
  },

  slots: {
    access: 'resident',
    async handler({ serviceId, date }, ctx) {
      const svc = await service(serviceId)
      const st = await station(svc.stationId)
      const calendar = await stationCalendar(st._id, date, date)
      const defs = offered(st, svc, calendar.day(date), ctx.now)
      if (defs.length === 0) return { date, slots: [] }
      const closed = new Set<string>()
      const booked = await bookedBySlot(
        defs.map((d) => d._id),
        closed
      )
      return {
        date,
        slots: defs.map((d) => {
          const left = Math.max(0, d.capacity - (booked.get(d._id) ?? 0))
          // Full and not closed: its waitlist is open (offered slots are all before their cut-off).
          return {
            slotId: d._id,
            start: d.start,
            end: d.end,
            kind: d.kind,
            ...optional({ label: d.label, waitlist: left === 0 && !closed.has(d._id) }),
            left
          }
        })
      }
    }
  },

  book: {
    access: 'resident',
    async handler({ requestId, serviceId, slotId, applicant, consent, savedApplicantId }, ctx) {
      const openid = ctx.openid
      const id = bookingId(openid, requestId)
      const svc = await service(serviceId)
      if (!svc.bookable) throw new AppError('NOT_BOOKABLE')
      if (!consent) throw new AppError('CONSENT_REQUIRED')
      const idProblem = applicant.idNumber ? idNumberProblem(applicant.idNumber, localDate(ctx.now)) : null
      if (idProblem) throw new AppError('ID_NUMBER_INVALID', ID_PROBLEM_MESSAGES[idProblem])
      const st = await station(svc.stationId)
      const calendar = await bookingCalendar(st._id)
      const def = resolveSlot(st, svc, calendar, slotId)

      const { idNumber, saved, person } = await whoIsServed(openid, applicant, savedApplicantId)
      const doc: AppointmentDoc = {
        _id: id,
        openid,
        stationId: st._id,
        place: st.shortName,
        serviceId: svc._id,
        serviceName: svc.name,
        slotId: def._id,
        date: def.date,
        start: def.start,
        end: def.end,
        startsAt: def.startsAt,
        kind: def.kind,
        ...optional({ label: def.label }),
        resource: def.resource,
        code: newBookingCode(),
        status: 'booked',
        dayKey: `${person}|${def.date}`,
        personKey: person,
        applicant: {
          name: applicant.name,
          mobile: applicant.mobile,
          relation: applicant.relation,
          ...(idNumber
            ? { idNumberProtected: protect(idNumber), idMasked: maskIdNumber(idNumber) }
            : optional({ idNumberProtected: saved?.idNumberProtected, idMasked: saved?.idMasked }))
        },
        materials: svc.materials.map((m) => ({
          name: m.name,
          required: m.required,
          ...optional({ note: m.note })
        })),
        consentAt: ctx.now,
        createdAt: ctx.now,
        updatedAt: ctx.now,
        requestId
      }
      // Read before the transaction, and queued in it with the confirmation: the alerts exist exactly
      // when the booking does, and the notify timer sends and retries them like any message.
      const officers = st.booking.alertOfficersOnBooking ? await firstRecipients(st._id, ctx.now) : []
      for (let attempt = 1; ; attempt++) {
        try {
          await withTransaction(async (tx) => {
            // The place first: the sooner our write takes the slot's lock after the transaction
            // began, the fewer bookings of the same slot conflict and start over (and an attempt
            // that does conflict costs no more than it did before the resident's bookings moved in here).
            const full = await holdPlace(tx, def, ctx.now).then(
              () => null,
              (err: unknown) => {
                if (err instanceof AppError) return err
                throw err
              }
            )
            // The resident's bookings as they stand after this transaction began: any booking of
            // theirs that commits later also writes their guard, so our write below conflicts and
            // this runs again, seeing it. The limits are checked on what is, not on what was.
            const history = await mine(openid, ctx.now)
            const again = history.find((b) => b._id === id)
            // A retried request (its own booking may be what fills the slot): rolled back, answered with its booking.
            if (again) throw new AlreadyBooked(again)
            const refusal = checkNewBooking({
              now: ctx.now,
              date: def.date,
              startsAt: def.startsAt,
              calendar,
              policy: st.booking.policy,
              mine: history,
              personKey: person
            })
            if (refusal) refuse(refusal) // the resident's refusal first, as before; anything held is rolled back
            if (full) throw full
            await tx
              .collection('bookingGuards')
              .doc(guardId(openid))
              .set({ data: { lastBookingId: id, updatedAt: ctx.now } })
            await tx.collection('appointments').add({ data: { ...doc } })
            await enqueueInTransaction(tx, confirmationMessage(doc, st.shortName), ctx.now)
            for (const officer of officers)
              await enqueueInTransaction(tx, bookingAlertMessage(doc, officer), ctx.now)
          })
          return view(doc, st, ctx.now)
        } catch (err) {
          if (err instanceof AlreadyBooked)
            return view(err.booking, await station(err.booking.stationId), ctx.now)
          if (err instanceof AppError) throw err
          // This person's booking made from another account (or committed meanwhile): one more read, on
          // refusal only. A finished case gives its day up, and the booking runs again.
          if (isDuplicateKey(err, 'day_unique')) {
            const holder = await dayHolder(person, def.date)
            if (holder && attempt < 3 && (await releaseFinishedDay(holder))) continue
            refuse(
              holder
                ? dayRefusal(holder, openid)
                : { code: 'ONE_PER_DAY', message: '这位办事人当天已有预约，同一人一天只能预约一次' }
            )
          }
          if (isDuplicateKey(err, 'code_unique') && attempt < 3) {
            doc.code = newBookingCode()
            continue
          }
          if (isDuplicateKey(err)) {
            // The same request id committed meanwhile (a double tap racing itself): return that booking.
            const existing = await repo('appointments').byId(id)
            if (existing) return view(existing, st, ctx.now)
          }
          throw err
        }
      }
    }
  },

  check: {
    access: 'resident',
    async handler({ serviceId, date, applicant }, ctx) {
      const openid = ctx.openid
      if (!(await countCheck(openid, ctx.now)))
        throw new AppError('RATE_LIMITED', '查询太频繁了，请稍等一分钟再试')
      const svc = await service(serviceId)
      if (!svc.bookable) throw new AppError('NOT_BOOKABLE')
      const idProblem = applicant.idNumber ? idNumberProblem(applicant.idNumber, localDate(ctx.now)) : null
      if (idProblem) throw new AppError('ID_NUMBER_INVALID', ID_PROBLEM_MESSAGES[idProblem])
      const st = await station(svc.stationId)
      const calendar = await bookingCalendar(st._id)
      const person = personKey(openid, {
        name: applicant.name,
        ...optional({ idNumber: applicant.idNumber?.toUpperCase() })
      })
      const history = await mine(openid, ctx.now)
      // The day's last offered slot stands for the date: the rules that depend on the time are the
      // slot page's, not this check's.
      const defs = offered(st, svc, calendar.day(date), ctx.now)
      const last = defs[defs.length - 1]
      const refusal =
        (last
          ? checkNewBooking({
              now: ctx.now,
              date,
              startsAt: last.startsAt,
              calendar,
              policy: st.booking.policy,
              mine: history,
              personKey: person
            })
          : null) ?? (await bookingOfPerson(person, date, openid))
      if (!refusal) return { allowed: true as const }
      return {
        allowed: false as const,
        code: refusal.code,
        message: refusal.message,
        ...optional({ blockingAppointmentId: refusal.blockingAppointmentId })
      }
    }
  },

  applicants: {
    access: 'resident',
    async handler(_input, ctx) {
      const docs = await repo('applicants').find(
        { openid: ctx.openid },
        { orderBy: [['updatedAt', 'desc']], limit: MAX_SAVED_APPLICANTS }
      )
      return docs.map(applicantView)
    }
  },

  saveApplicant: {
    access: 'resident',
    async handler({ applicant, consent }, ctx) {
      // Kept only with the resident's consent: without it nothing is stored.
      if (!consent) throw new AppError('CONSENT_REQUIRED')
      const idProblem = applicant.idNumber ? idNumberProblem(applicant.idNumber, localDate(ctx.now)) : null
      if (idProblem) throw new AppError('ID_NUMBER_INVALID', ID_PROBLEM_MESSAGES[idProblem])
      const idNumber = applicant.idNumber ? applicant.idNumber.toUpperCase() : undefined
      const person = personKey(ctx.openid, { name: applicant.name, ...optional({ idNumber }) })
      const id = digestId('apl', `${ctx.openid}|${person}`)
      // In a transaction that writes the account's applicant guard: two saves of one account never
      // commit side by side, so the second counts again after the first and the cap holds.
      return withTransaction(async (tx) => {
        const existing = await repo('applicants').byId(id)
        if (!existing) {
          const count = (await collection('applicants').where({ openid: ctx.openid }).count()).total
          if (count >= MAX_SAVED_APPLICANTS) throw new AppError('TOO_MANY_APPLICANTS')
        }
        const doc = applicantDoc(existing)
        await tx
          .collection('bookingGuards')
          .doc(digestId('ag', `applicant-guard:${ctx.openid}`))
          .set({ data: { lastBookingId: '', lastApplicantId: id, updatedAt: ctx.now } })
        await tx
          .collection('applicants')
          .doc(id)
          .set({ data: withoutId(doc) })
        return applicantView(doc)
      })

      function applicantDoc(existing: ApplicantDoc | null): ApplicantDoc {
        return {
          _id: id,
          openid: ctx.openid,
          personKey: person,
          name: applicant.name,
          mobile: applicant.mobile,
          relation: applicant.relation,
          ...(idNumber
            ? { idNumberProtected: protect(idNumber), idMasked: maskIdNumber(idNumber) }
            : optional({ idNumberProtected: existing?.idNumberProtected, idMasked: existing?.idMasked })),
          consentAt: ctx.now,
          createdAt: existing?.createdAt ?? ctx.now,
          updatedAt: ctx.now
        }
      }
    }
  },

  removeApplicant: {
    access: 'resident',
    async handler({ applicantId }, ctx) {
      // Only the caller's own: another account's id removes nothing and is not disclosed.
      const res = await collection('applicants').where({ _id: applicantId, openid: ctx.openid }).remove()
      if (res.stats.removed !== 1) throw new AppError('NOT_FOUND', '没有找到这位常用办事人')
      return { removed: true }
    }
  },

  mine: {
    access: 'resident',
    async handler(_input, ctx) {
      const openid = ctx.openid
      const docs = await mine(openid, ctx.now)
      const stationIds = [...new Set(docs.map((d) => d.stationId))]
      const byId = new Map((await Promise.all(stationIds.map((s) => station(s)))).map((s) => [s._id, s]))
      const views = docs.map((d) => view(d, byId.get(d.stationId) as Station, ctx.now))
      const nowIso = ctx.now.toISOString()
      const upcoming = views
        .filter(
          (v) =>
            (v.status === 'booked' || v.status === 'checked_in') && v.startsAt >= addMinutesIso(nowIso, -120)
        )
        .reverse()
      const past = views.filter((v) => !upcoming.includes(v)).slice(0, 30)
      const policy = byId.values().next().value?.booking.policy
      const until = policy ? suspendedUntil(docs, ctx.now, policy) : null
      return { upcoming, past, ...optional({ suspendedUntil: iso(until) }) }
    }
  },

  get: {
    access: 'resident',
    async handler({ appointmentId }, ctx) {
      const doc = await findOwn(ctx.openid, appointmentId)
      return view(doc, await station(doc.stationId), ctx.now)
    }
  },

  cancel: {
    access: 'resident',
    async handler({ appointmentId }, ctx) {
      const openid = ctx.openid
      const doc = await findOwn(openid, appointmentId)
      const st = await station(doc.stationId)
      if (doc.status === 'cancelled') return view(doc, st, ctx.now) // a retried cancel is harmless
      const refusal = checkChange(ctx.now, doc, st.booking.policy)
      if (refusal) refuse(refusal)
      const patch = {
        status: 'cancelled' as const,
        dayKey: inactiveDayKey(doc),
        cancelledAt: ctx.now,
        cancelledBy: 'resident' as const,
        updatedAt: ctx.now
      }
      // The place goes to the slot's waitlist in the same transaction (waitlist.ts). A promotion that
      // meets a unique key (its person booked that day meanwhile, or a code taken) fails the whole
      // transaction: it runs again, and the next run sees that booking and passes the entry over.
      const done = await retryOnDuplicate(() =>
        withTransaction(async (tx) => {
          const current = await txGet(tx, 'appointments', doc._id)
          // A double tap: the other tap cancelled it after our first read. Same answer, nothing more released.
          if (current?.status === 'cancelled') return current
          if (!current || current.status !== 'booked') throw new AppError('NOT_CHANGEABLE')
          await tx.collection('appointments').doc(doc._id).update({ data: patch })
          await freePlace(tx, current.slotId, ctx.now, st, current._id)
          await enqueueInTransaction(tx, residentCancelMessage(current, st.shortName), ctx.now)
          return { ...current, ...patch }
        })
      )
      // A reminder of the cancelled time still waiting in the outbox is never sent.
      await afterCommit('withdrawing the reminders', () => withdrawReminders(done, 'cancelled'))
      return view(done, st, ctx.now)
    }
  },

  joinWaitlist: {
    access: 'resident',
    async handler({ serviceId, slotId, applicant, savedApplicantId, consent }, ctx) {
      const openid = ctx.openid
      const svc = await service(serviceId)
      if (!svc.bookable) throw new AppError('NOT_BOOKABLE')
      // The entry is booked for the resident later, with what they give now: the same consent as a booking.
      if (!consent) throw new AppError('CONSENT_REQUIRED')
      const idProblem = applicant.idNumber ? idNumberProblem(applicant.idNumber, localDate(ctx.now)) : null
      if (idProblem) throw new AppError('ID_NUMBER_INVALID', ID_PROBLEM_MESSAGES[idProblem])
      const st = await station(svc.stationId)
      const calendar = await bookingCalendar(st._id)
      const def = resolveSlot(st, svc, calendar, slotId)
      // The list closes at the slot's booking cut-off.
      const closesAt = new Date(def.startsAt.getTime() - st.booking.policy.sameDayCutoffMinutes * 60_000)
      if (ctx.now.getTime() >= closesAt.getTime())
        throw new AppError('TOO_LATE', '这个时段的预约和候补都已截止，请选择其他时段')
      const { idNumber, saved, person } = await whoIsServed(openid, applicant, savedApplicantId)
      // Would a booking of this person in this slot be allowed now? The same answer, early; the
      // promotion applies the rules again when a place frees.
      const refusal =
        checkNewBooking({
          now: ctx.now,
          date: def.date,
          startsAt: def.startsAt,
          calendar,
          policy: st.booking.policy,
          mine: await mine(openid, ctx.now),
          personKey: person
        }) ?? (await bookingOfPerson(person, def.date, openid))
      if (refusal) refuse(refusal)
      const id = digestId('wl', `${openid}|${def._id}|${person}`)
      const _ = db().command
      const entry = await withTransaction(async (tx) => {
        // The slot's document, read and written here: a cancel freeing a place writes it too, so a
        // join and a cancel never cross (the cancel either sees this entry, or this join sees the place).
        const slot = await txGet(tx, 'slots', def._id)
        if (slot?.closed) throw new AppError('SLOT_CLOSED', '这个时段窗口暂停服务，请选择其他时段')
        if (!slot || slot.booked < def.capacity) throw new AppError('SLOT_NOT_FULL')
        const existing = await txGet(tx, 'waitlist', id)
        if (existing?.status === 'waiting') return existing // joined already: the same place on the list
        const waiting = (
          await collection('waitlist')
            .where({ openid, status: 'waiting', closesAt: _.gt(ctx.now) })
            .count()
        ).total
        if (waiting >= MAX_WAITLIST_ENTRIES) throw new AppError('TOO_MANY_WAITLIST')
        // The account's waitlist guard: two joins of one account never commit side by side, so the cap holds.
        await tx
          .collection('bookingGuards')
          .doc(digestId('wg', `waitlist-guard:${openid}`))
          .set({ data: { lastBookingId: '', lastApplicantId: id, updatedAt: ctx.now } })
        await tx
          .collection('slots')
          .doc(def._id)
          .update({ data: { waitlistAt: ctx.now } })
        const doc: WaitlistDoc = {
          _id: id,
          openid,
          stationId: st._id,
          serviceId: svc._id,
          serviceName: svc.name,
          slotId: def._id,
          date: def.date,
          start: def.start,
          end: def.end,
          startsAt: def.startsAt,
          closesAt,
          personKey: person,
          applicant: {
            name: applicant.name,
            mobile: applicant.mobile,
            relation: applicant.relation,
            ...(idNumber
              ? { idNumberProtected: protect(idNumber), idMasked: maskIdNumber(idNumber) }
              : optional({ idNumberProtected: saved?.idNumberProtected, idMasked: saved?.idMasked }))
          },
          status: 'waiting',
          consentAt: ctx.now,
          // Joining again (after leaving, or an entry passed over) goes to the end of the list.
          joinedAt: ctx.now,
          createdAt: existing?.createdAt ?? ctx.now,
          updatedAt: ctx.now
        }
        await tx
          .collection('waitlist')
          .doc(id)
          .set({ data: withoutId(doc) })
        return doc
      })
      return waitlistView(entry, ctx.now)
    }
  },

  leaveWaitlist: {
    access: 'resident',
    async handler({ entryId }, ctx) {
      // One conditional update: only the caller's own entry, only while it waits. A promotion in
      // flight holds the entry's lock, so this waits for it, then finds it promoted and leaves it so.
      await collection('waitlist')
        .where({ _id: entryId, openid: ctx.openid, status: 'waiting' })
        .update({ data: { status: 'left', leftAt: ctx.now, updatedAt: ctx.now } })
      const doc = await repo('waitlist').byId(entryId)
      // Someone else's entry is "not found": its existence is not disclosed.
      if (!doc || doc.openid !== ctx.openid) throw new AppError('NOT_FOUND', '没有找到这条候补')
      return waitlistView(doc, ctx.now) // left already: the same answer
    }
  },

  myWaitlist: {
    access: 'resident',
    async handler(_input, ctx) {
      const docs = await repo('waitlist').find(
        { openid: ctx.openid },
        { orderBy: [['createdAt', 'desc']], limit: 30 }
      )
      return docs.map((d) => waitlistView(d, ctx.now))
    }
  },

  reschedule: {
    access: 'resident',
    async handler({ appointmentId, slotId, requestId }, ctx) {
      const openid = ctx.openid
      const doc = await findOwn(openid, appointmentId)
      const st = await station(doc.stationId)
      // A retried reschedule finds the booking already moved to that slot.
      if (doc.slotId === slotId && doc.requestId === requestId) return view(doc, st, ctx.now)
      const changeRefusal = checkChange(ctx.now, doc, st.booking.policy)
      if (changeRefusal) refuse(changeRefusal)
      if (doc.slotId === slotId) throw new AppError('INVALID_INPUT', '新的时段与原预约相同，请选择其他时段')
      const svc = await service(doc.serviceId)
      const date = slotDate(slotId) ?? ''
      const calendar = await stationCalendar(st._id, date, date)
      const def = resolveSlot(st, svc, calendar, slotId)
      const patch = {
        slotId: def._id,
        date: def.date,
        start: def.start,
        end: def.end,
        startsAt: def.startsAt,
        kind: def.kind,
        label: def.label ?? '',
        resource: def.resource,
        dayKey: `${doc.personKey ?? openid}|${def.date}`,
        requestId,
        rescheduledFrom: { date: doc.date, start: doc.start, slotId: doc.slotId },
        updatedAt: ctx.now
      }
      // One step, under the same rules as a new booking and in the same order (the place, the
      // resident's bookings read after the transaction began, the guard): the new place is held
      // and the old one released in the same transaction, so the resident never loses the old slot
      // before holding the new one, and a booking or another move of theirs racing this one
      // conflicts on the guard and is checked again against it (docs/booking-rules.md).
      for (let attempt = 1; ; attempt++) {
        try {
          const moved = await withTransaction(async (tx) => {
            const current = await txGet(tx, 'appointments', doc._id)
            // A double tap: the other tap moved it, with this request, after our first read. Same answer.
            if (current && current.slotId === slotId && current.requestId === requestId) return current
            if (!current || current.status !== 'booked' || current.slotId !== doc.slotId)
              throw new AppError('NOT_CHANGEABLE', '这个预约刚刚有变动，请刷新后再试')
            const full = await holdPlace(tx, def, ctx.now).then(
              () => null,
              (err: unknown) => {
                if (err instanceof AppError) return err
                throw err
              }
            )
            const refusal = checkNewBooking({
              now: ctx.now,
              date: def.date,
              startsAt: def.startsAt,
              calendar,
              policy: st.booking.policy,
              mine: await mine(openid, ctx.now),
              ignoreId: doc._id,
              ...optional({ personKey: doc.personKey })
            })
            if (refusal) refuse(refusal)
            if (full) throw full
            // Leaving the old day needs no write of its own: the limits are counted on the live
            // bookings, and the day key below moves with the booking.
            // The old place goes to its slot's waitlist, in this transaction (waitlist.ts).
            await freePlace(tx, doc.slotId, ctx.now, st, doc._id)
            await tx
              .collection('bookingGuards')
              .doc(guardId(openid))
              .set({ data: { lastBookingId: doc._id, updatedAt: ctx.now } })
            // The new time gets its own reminders: the flags of the old time's are cleared.
            const _ = db().command
            await tx
              .collection('appointments')
              .doc(doc._id)
              .update({ data: { ...patch, remindedEvening: _.remove(), remindedHour: _.remove() } })
            await enqueueInTransaction(tx, confirmationMessage({ ...doc, ...patch }, st.shortName), ctx.now)
            return { ...current, ...patch }
          })
          await afterCommit("withdrawing the old time's reminders", () =>
            withdrawReminders(doc, 'rescheduled')
          )
          return view(moved, st, ctx.now)
        } catch (err) {
          // As for a new booking: a finished case that day gives its day up, and the move runs again.
          // A unique key met by the old place's promotion instead (nobody holds the mover's day): the
          // move runs again, and the promotion passes that entry over.
          if (isDuplicateKey(err, 'day_unique')) {
            const holder = await dayHolder(doc.personKey ?? openid, def.date)
            if (holder && attempt < 3 && (await releaseFinishedDay(holder))) continue
            if (!holder && attempt < 3) continue
            refuse(
              holder
                ? dayRefusal(holder, openid)
                : { code: 'ONE_PER_DAY', message: '那一天这位办事人已有其他预约' }
            )
          }
          if (isDuplicateKey(err) && attempt < 3) continue
          throw err
        }
      }
    }
  }
})

/**
 * Runs a change again when its transaction met a unique index (a promotion from the waitlist
 * adding a booking whose person or code was taken meanwhile): the next run reads the state that
 * caused it and passes the entry over. Twice more at most.
 */
async function retryOnDuplicate<R>(work: () => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (err) {
      if (!isDuplicateKey(err) || attempt >= 3) throw err
    }
  }
}

function addMinutesIso(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString()
}
