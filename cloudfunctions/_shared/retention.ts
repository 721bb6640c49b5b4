/**
 * Retention (docs/privacy-and-access.md): residents' personal data is kept as long as the service
 * needs it, then erased in place. The records themselves stay — for the window's statistics,
 * ratings and the audit log, which hold ids only — with `purgedAt` set so each is erased once.
 *
 * After RETENTION_DAYS (counted from the appointment's day, or from when a request, a feedback
 * entry or a review was made; requests and follow-ups only once closed):
 *   appointments  the applicant's name, mobile and ID number (protected and masked), and the keys
 *                 standing for the person served (`personKey` removed, `dayKey` made `purged|<id>`)
 *   requests      the contact's name and mobile, the home address and the description
 *   feedback      the contact's name and mobile
 *   followUps     the resident's name and masked mobile (the call back is long over)
 *   applicants    a common applicant (常用办事人) not saved again for RETENTION_DAYS is deleted
 *   waitlist      a waitlist entry (候补) whose slot is RETENTION_DAYS past is deleted
 *                 whole: it holds nothing but the personal data the resident chose to keep
 *   prereviews    on a shorter clock: the photos of a pre-review (材料预审) — the files in
 *                 storage and their ids on the record — and the officer's reasons, 30 days after
 *                 its case ended (`purgePrereviews`, below; docs/materials-and-cards.md)
 * 180 days outlasts every use: a follow-up's 15 working days, the no-show suspension's three
 * months, a resident's own "my appointments" and "my requests" history of recent months.
 * Each collection is erased with one conditional update per purge; appointments one document at a
 * time, since each needs a day key of its own (it is unique).
 *
 * When: once a day, by the first notify timer run at or after 03:15 Shanghai time — not only in
 * the minute 03:15, so a trigger that missed that minute (a cold start, a timeout, a deploy)
 * purges on its next run. The run claims the day by creating a marker in `dailyRuns`
 * (`_id` purge-YYYY-MM-DD, Shanghai date) with `add`: a duplicate key means another run has the
 * day, so two overlapping timer runs never both purge. A claim left `running` for longer than
 * STALE_CLAIM_MS (its run died mid-way) may be taken over by a later run; the purge itself only
 * touches records without `purgedAt`, so finishing a half-done day is harmless.
 */
import { IDLE_DAYS, PHOTO_RETENTION_DAYS } from '../../types/prereview'
import { addDays, localDate, localDateTime, localTime } from '../../types/time'
import { purgeEndedCards } from './cards-retention'
import { collection, db, isDuplicateKey } from './db'
import { bookingCaseEnd, caseEnd, endedKey, openKeyOf, type PrereviewDoc } from './domain/prereview'
import { removeFiles } from './files'
import { unprotect } from './protect'

export const RETENTION_DAYS = 180
/** What an erased name reads as. */
export const ERASED = '（已清除）'

export interface PurgeReport {
  appointments: number
  requests: number
  feedback: number
  followUps: number
  applicants: number
  /** Pre-reviews whose photos were erased. */
  prereviews: number
  /** ID cards (制证进度) whose holder and address were erased (cards-retention.ts). */
  cards: number
}

/** The purge runs on the first timer run at or after this Shanghai time, once a day. */
export const PURGE_FROM = '03:15'
/** A claim older than this whose run never finished may be taken over (notify's timeout is 20 s). */
export const STALE_CLAIM_MS = 10 * 60_000

export const NOTHING_PURGED: PurgeReport = {
  appointments: 0,
  requests: 0,
  feedback: 0,
  followUps: 0,
  applicants: 0,
  prereviews: 0,
  cards: 0
}

/** One day's claim on a once-a-day job (collection `dailyRuns`). */
export interface DailyRunDoc {
  _id: string
  job: 'purge'
  /** The Shanghai date the run is for. */
  date: string
  status: 'running' | 'done'
  startedAt: Date
  startedAtLocal: string
  finishedAt?: Date
  finishedAtLocal?: string
  /** Counts only. */
  report?: PurgeReport
  /** How many times a stale claim was taken over. */
  takeovers?: number
}

export const purgeRunId = (date: string) => `purge-${date}`

export type DailyPurgeOutcome =
  { ran: true; report: PurgeReport } | { ran: false; reason: 'too early' | 'done today' }

/** Claims today's purge; false when another run has it (finished, or running and not stale). */
async function claimToday(now: Date): Promise<boolean> {
  const runs = collection('dailyRuns')
  const date = localDate(now)
  const id = purgeRunId(date)
  try {
    await runs.add({
      data: {
        _id: id,
        job: 'purge',
        date,
        status: 'running',
        startedAt: now,
        startedAtLocal: localDateTime(now)
      }
    })
    return true
  } catch (err) {
    if (!isDuplicateKey(err)) throw err
  }
  const _ = db().command
  const res = await runs
    .where({ _id: id, status: 'running', startedAt: _.lt(new Date(now.getTime() - STALE_CLAIM_MS)) })
    .update({ data: { startedAt: now, startedAtLocal: localDateTime(now), takeovers: _.inc(1) } })
  return res.stats.updated === 1
}

/**
 * The daily purge, called by every notify timer run: erases on the first run at or after
 * 03:15 (Shanghai) that claims the day, and reports why it did not otherwise.
 */
export async function purgeOncePerDay(now: Date): Promise<DailyPurgeOutcome> {
  if (localTime(now) < PURGE_FROM) return { ran: false, reason: 'too early' }
  if (!(await claimToday(now))) return { ran: false, reason: 'done today' }
  const report = await purgeExpired(now)
  const finished = new Date()
  await db()
    .collection<DailyRunDoc>('dailyRuns')
    .doc(purgeRunId(localDate(now)))
    .update({
      data: { status: 'done', finishedAt: finished, finishedAtLocal: localDateTime(finished), report }
    })
  return { ran: true, report }
}

export async function purgeExpired(now: Date): Promise<PurgeReport> {
  const _ = db().command
  const cutoff = new Date(now.getTime() - RETENTION_DAYS * 86_400_000)
  const notYet = _.exists(false)
  const [appointments, requests, feedback, followUps, applicants, , prereviews, cards] = await Promise.all([
    purgeAppointments(now),
    db()
      .collection('requests')
      .where({ createdAt: _.lt(cutoff), status: _.in(['done', 'declined']), purgedAt: notYet })
      .update({
        data: { contactName: ERASED, mobile: '', description: ERASED, address: _.remove(), purgedAt: now }
      }),
    db()
      .collection('feedback')
      .where({ createdAt: _.lt(cutoff), purgedAt: notYet })
      .update({ data: { contactName: _.remove(), mobile: _.remove(), purgedAt: now } }),
    db()
      .collection('followUps')
      .where({ ratedAt: _.lt(cutoff), status: _.in(['closed', 'excluded']), purgedAt: notYet })
      .update({ data: { contactName: _.remove(), mobileMasked: _.remove(), purgedAt: now } }),
    collection('applicants')
      .where({ updatedAt: _.lt(cutoff) })
      .remove(),
    // Waitlist entries (候补) hold the applicant's details as a booking does: deleted whole once
    // their slot is RETENTION_DAYS past (docs/booking-rules.md, "Waitlist").
    collection('waitlist')
      .where({ startsAt: _.lt(cutoff) })
      .remove(),
    purgePrereviews(now),
    purgeEndedCards(now)
  ])
  return {
    appointments,
    requests: requests.stats.updated,
    feedback: feedback.stats.updated,
    followUps: followUps.stats.updated,
    applicants: applicants.stats.removed,
    prereviews,
    cards
  }
}

/** What a purged booking's day key becomes: unique (the booking's id), naming no one. */
export const purgedDayKey = (id: string) => `purged|${id}`

/** At most this many bookings rewritten per purge (well within the timer's 20 s); the rest on the next day's. */
export const PURGE_APPOINTMENTS_PER_RUN = 400

/**
 * Erases the applicant of each booking past retention, one document at a time: besides the name,
 * the mobile and the ID number, the keys that stand for the person served go too — `personKey`
 * (a keyed digest of their ID number, the same from any account) is removed, and `dayKey` (unique,
 * `personKey|date` or `openid|date|…`) becomes `purged|<id>`, which a bulk update could not give
 * each document. Bookings purged before the keys were erased still carry `personKey`, and are
 * rewritten the same way (their `purgedAt` kept). Returns how many were newly purged.
 */
async function purgeAppointments(now: Date): Promise<number> {
  const _ = db().command
  const appointments = collection('appointments')
  const expired = { date: _.lt(addDays(localDate(now), -RETENTION_DAYS)) }
  const passes = [
    {
      where: { ...expired, purgedAt: _.exists(false) },
      data: {
        'applicant.name': ERASED,
        'applicant.mobile': '',
        'applicant.idNumberProtected': _.remove(),
        'applicant.idMasked': _.remove(),
        purgedAt: now
      }
    },
    { where: { ...expired, purgedAt: _.exists(true), personKey: _.exists(true) }, data: {} }
  ]
  let purged = 0
  let budget = PURGE_APPOINTMENTS_PER_RUN
  for (const [pass, { where, data }] of passes.entries()) {
    while (budget > 0) {
      const ids = (
        await appointments.where(where).field({ _id: true }).limit(Math.min(budget, 50)).get()
      ).data.map((d) => d._id)
      if (ids.length === 0) break
      budget -= ids.length
      const updated = await Promise.all(
        ids.map((id) =>
          appointments
            .where({ ...where, _id: id })
            .update({ data: { ...data, personKey: _.remove(), dayKey: purgedDayKey(id) } })
            .then((res) => res.stats.updated)
        )
      )
      const done = updated.reduce((a, b) => a + b, 0)
      if (pass === 0) purged += done
      if (done === 0) break // changed meanwhile by someone else: leave the rest to the next run
    }
  }
  return purged
}

/* ---------- 材料预审: the photos, 30 days after the case ended ---------- */

/** At most this many pre-reviews erased per purge (their files deleted in one call); the rest next day. */
export const PURGE_PREREVIEWS_PER_RUN = 100
/** At most this many open cases looked at per purge to see whether they have ended. */
export const PREREVIEW_END_CHECKS_PER_RUN = 200

const DAY_MS = 86_400_000

/**
 * Ends the cases that ended since (a linked booking finished, cancelled or no-show, or left open a
 * day past its time; an unlinked pre-review idle IDLE_DAYS), then erases what is PHOTO_RETENTION_DAYS past its end: the files
 * first, then — only for a pre-review whose every file is gone — the ids and reasons on its record
 * (`purgedAt` set; the statuses, rounds and times stay for the figures). A file that could not be
 * deleted keeps its record for the next run, which tries again (a file already missing counts as
 * deleted). Every step is bounded and conditional, so a run cut short is finished by the next.
 */
export async function purgePrereviews(now: Date): Promise<number> {
  await endCases(now)
  const _ = db().command
  const coll = collection('prereviews')
  const cutoff = new Date(now.getTime() - PHOTO_RETENTION_DAYS * DAY_MS)
  await purgeLateStrays(cutoff)
  const due = (
    await coll
      .where({ endedAt: _.lte(cutoff), purgedAt: _.exists(false) })
      .limit(PURGE_PREREVIEWS_PER_RUN)
      .get()
  ).data
  if (due.length === 0) return 0
  // The file ids are stored protected (docs/materials-and-cards.md). With each kept copy, the
  // upload it was made from, in case its deletion at attach never happened (already gone: fine).
  const filesOf = (d: PrereviewDoc) => [
    ...new Set(
      [
        ...d.items.flatMap((i) => i.photos.flatMap((p) => (p.upload ? [p.file, p.upload] : [p.file]))),
        ...(d.strayFiles ?? [])
      ].map(unprotect)
    )
  ]
  const all = due.flatMap(filesOf)
  let failed = new Set<string>()
  if (all.length) {
    try {
      failed = new Set((await removeFiles(all)).failed)
    } catch {
      console.warn('[retention] pre-review photos not deleted this run')
      return 0
    }
  }
  let purged = 0
  for (const d of due) {
    const files = filesOf(d)
    if (files.some((f) => failed.has(f))) continue
    const items = d.items.map(({ reason: _reason, ...item }) => ({ ...item, photos: [] }))
    const res = await coll.where({ _id: d._id, rev: d.rev, purgedAt: _.exists(false) }).update({
      data: {
        items,
        strayFiles: _.remove(),
        purgedAt: now,
        purgedPhotos: d.items.reduce((n, i) => n + i.photos.length, 0),
        rev: d.rev + 1
      }
    })
    purged += res.stats.updated
  }
  // Counts only: no file id or path in the log.
  if (failed.size) console.warn(`[retention] ${failed.size} pre-review photos left for the next run`)
  return purged
}

/**
 * Files recorded on a pre-review after it was purged (an upload refused on the erased case whose
 * deletion failed): deleted at the next run, then taken off the record — on the revision read, so
 * a file recorded meanwhile (`strayFiles` pushes bump `rev`) stays for the run after.
 */
async function purgeLateStrays(cutoff: Date): Promise<void> {
  const _ = db().command
  const coll = collection('prereviews')
  const late = (
    await coll
      .where({ endedAt: _.lte(cutoff), purgedAt: _.exists(true), strayFiles: _.exists(true) })
      .limit(PURGE_PREREVIEWS_PER_RUN)
      .get()
  ).data
  const files = [...new Set(late.flatMap((d) => (d.strayFiles ?? []).map(unprotect)))]
  if (files.length === 0) return
  let failed: Set<string>
  try {
    failed = new Set((await removeFiles(files)).failed)
  } catch {
    console.warn('[retention] late pre-review files not deleted this run')
    return
  }
  for (const d of late) {
    if ((d.strayFiles ?? []).some((f) => failed.has(unprotect(f)))) continue
    await coll.where({ _id: d._id, rev: d.rev }).update({ data: { strayFiles: _.remove(), rev: d.rev + 1 } })
  }
}

async function endCases(now: Date): Promise<void> {
  const _ = db().command
  const coll = collection('prereviews')
  // Unlinked ones: idle since the later of the resident's last change and the officer's last
  // review (a review moves `lastActivityAt` too, so this query finds only those due); one waiting
  // for the officer never idles out.
  const idle = (
    await coll
      .where({
        endedAt: _.exists(false),
        appointmentId: _.exists(false),
        status: _.neq('submitted'),
        lastActivityAt: _.lt(new Date(now.getTime() - IDLE_DAYS * DAY_MS))
      })
      .limit(PREREVIEW_END_CHECKS_PER_RUN)
      .get()
  ).data
  // Linked ones: the booking decides. Never looked at first, then the least recently looked at,
  // each at most once a run (the window is shorter than the day between runs, so one run late
  // still looks again): with more open cases than one run checks, every case has its turn.
  const linkedOpen = { endedAt: _.exists(false), appointmentId: _.exists(true) }
  const fresh = (
    await coll
      .where({ ...linkedOpen, endCheckedAt: _.exists(false) })
      .limit(PREREVIEW_END_CHECKS_PER_RUN)
      .get()
  ).data
  const rechecked =
    fresh.length < PREREVIEW_END_CHECKS_PER_RUN
      ? (
          await coll
            .where({ ...linkedOpen, endCheckedAt: _.lt(new Date(now.getTime() - DAY_MS / 2)) })
            .orderBy('endCheckedAt', 'asc')
            .limit(PREREVIEW_END_CHECKS_PER_RUN - fresh.length)
            .get()
        ).data
      : []
  const linked = [...fresh, ...rechecked]
  const ids = [...new Set(linked.map((d) => d.appointmentId as string))]
  const bookings = new Map<string, Date | null>()
  const cancelled = new Set<string>()
  for (let i = 0; i < ids.length; i += 100) {
    const found = (
      await collection('appointments')
        .where({ _id: _.in(ids.slice(i, i + 100)) })
        .field({
          _id: true,
          status: true,
          finishedAt: true,
          cancelledAt: true,
          noShowAt: true,
          startsAt: true,
          updatedAt: true
        })
        .limit(100)
        .get()
    ).data
    for (const a of found) {
      bookings.set(a._id, bookingCaseEnd(a, now))
      if (a.status === 'cancelled') cancelled.add(a._id)
    }
  }
  await Promise.all(
    [...idle, ...linked].map((d) => {
      // A booking gone from the database (never in practice) ends its case today.
      const booked = d.appointmentId
        ? bookings.has(d.appointmentId)
          ? bookings.get(d.appointmentId)
          : now
        : null
      const end = caseEnd(d, booked ?? null, now)
      const data = end
        ? { endedAt: end.at, endReason: end.reason, openKey: endedKey(d._id), rev: d.rev + 1 }
        : { endCheckedAt: now }
      // A passed pre-review whose booking was cancelled stays usable for a new booking: it is
      // unlinked, and idles out IDLE_DAYS after the cancellation. Should the resident have
      // another unlinked one open of the service (the unique key says so), it ends as before.
      if (end && booked && d.appointmentId && cancelled.has(d.appointmentId) && d.status === 'passed')
        return coll
          .where({ _id: d._id, rev: d.rev })
          .update({
            data: {
              appointmentId: _.remove(),
              openKey: openKeyOf(d.openid, d.serviceId),
              lastActivityAt: booked,
              endCheckedAt: _.remove(),
              rev: d.rev + 1
            }
          })
          .catch((err: unknown) => {
            if (!isDuplicateKey(err)) throw err
            return coll.where({ _id: d._id, rev: d.rev }).update({ data })
          })
      return coll.where({ _id: d._id, rev: d.rev }).update({ data })
    })
  )
}
