/**
 * cards — 制证进度. An officer records an ID-card application accepted at the window by its
 * receipt number (受理编号), then moves it through its stages — one card, or a batch of receipt
 * numbers at once as a box of cards arrives; the resident follows their cards, is told when one
 * is ready or posted, and chooses pickup or post. The contract is types/cards.ts; the rules
 * (stage order, receipt format, the follow check, retention) are docs/materials-and-cards.md.
 *
 * Every stage change is conditional on the stage the card is in, so of two officers (or an
 * officer and a batch) moving one card at once exactly one wins; a batch is a bounded handful of
 * database requests whatever its size: one read, one conditional update, at most one re-read, and
 * one outbox record per followed card made ready (and, for followed cards it finds already ready,
 * one read of their messages and a record for any missing — so a batch retried after a crash still
 * tells them). Posting writes the card and its message in one transaction.
 */
import {
  BATCH_OUTCOME_LABELS,
  CARD_STAGE_LABELS,
  normaliseReceipt,
  normaliseTracking,
  type BatchItem,
  type BatchOutcome,
  type CardChange,
  type CardStage,
  type CardView,
  type StaffCardView
} from '../../types/cards'
import { cardsInputs } from '../../types/cards'
import { formatOfficeHours } from '../../types/guide'
import {
  ID_PROBLEM_MESSAGES,
  idNumberProblem,
  maskIdNumber,
  maskMobile,
  maskName
} from '../../types/identity'
import { pageUrl } from '../../types/routes'
import { clipThing } from '../../types/templates'
import { localDate, localDateTime } from '../../types/time'
import { discloseOne, disclose, personal } from '../_shared/audit'
import { cachedByKey } from '../_shared/cache'
import { getCloud } from '../_shared/cloud'
import {
  collection,
  db,
  digestId,
  insertOrGetRaced,
  isDuplicateKey,
  repo,
  txGet,
  withTransaction
} from '../_shared/db'
import type { IdCardDoc, StationDoc } from '../_shared/documents'
import {
  checkStep,
  dedupeReceipts,
  isEnded,
  maskStreet,
  PREVIOUS,
  reachedStages
} from '../_shared/domain/cards'
import { optional } from '../_shared/fields'
import { AppError, defineFunction, type StaffContext } from '../_shared/handler'
import { enqueueInTransaction, enqueueWithId, sendNow, type NewMessage } from '../_shared/outbox'
import { personKey, protect, unprotect } from '../_shared/protect'

/** Follow attempts (receipt number + ID number) one account may make a day, right or wrong. */
export const FOLLOW_ATTEMPTS_PER_DAY = 10

const OPEN_STAGES: CardStage[] = ['accepted', 'making', 'ready']
const STAFF_ROLES = ['officer', 'leader', 'supervisor'] as const

const stationCached = cachedByKey(60_000, async (id) => repo('stations').byId(id))

async function stationOf(id: string): Promise<StationDoc> {
  const st = await stationCached(id)
  if (!st) throw new AppError('NOT_FOUND', '没有找到这个派出所窗口')
  return st
}

/** A card's id: one per station and receipt number, so a second acceptance of it is a duplicate key. */
export const cardId = (stationId: string, receipt: string) => digestId('card', `${stationId}|${receipt}`)

function receiptOf(text: string): string {
  const r = normaliseReceipt(text)
  if (!r) throw new AppError('CARD_RECEIPT_INVALID')
  return r
}

/** The key a follow matches: a keyed digest of the ID number (the same from any account). */
const holderKeyOf = (idNumber: string) => personKey('', { name: '', idNumber: idNumber.toUpperCase() })

function stageMarks(doc: IdCardDoc) {
  return reachedStages(doc.stages).map(({ stage, mark }) => ({
    stage,
    label: CARD_STAGE_LABELS[stage],
    at: new Date(mark.at).toISOString(),
    by: mark.by
  }))
}

function residentView(doc: IdCardDoc, st: StationDoc): CardView {
  return {
    cardId: doc._id,
    receipt: doc.receipt,
    status: doc.status,
    statusLabel: CARD_STAGE_LABELS[doc.status],
    holderMasked: doc.holder.nameMasked,
    stages: stageMarks(doc).map(({ by: _by, ...mark }) => mark),
    delivery: doc.delivery,
    changeable: !isEnded(doc.status) && !doc.addressLockedAt,
    station: {
      id: st._id,
      name: st.name,
      address: st.address,
      hours: formatOfficeHours(st),
      phone: st.consultPhone
    },
    acceptedAt: new Date(doc.createdAt).toISOString(),
    ...optional({
      idMasked: doc.holder.idMasked,
      addressMasked: doc.delivery === 'post' ? doc.addressMasked : undefined,
      tracking: doc.tracking,
      carrier: doc.carrier,
      addressLocked: doc.addressLockedAt && !isEnded(doc.status) ? true : undefined
    })
  }
}

function change(doc: IdCardDoc): CardChange {
  return {
    cardId: doc._id,
    receipt: doc.receipt,
    status: doc.status,
    statusLabel: CARD_STAGE_LABELS[doc.status],
    delivery: doc.delivery,
    followed: Boolean(doc.openid)
  }
}

function staffView(doc: IdCardDoc) {
  const view: StaffCardView = {
    ...change(doc),
    holderMasked: doc.holder.nameMasked,
    fromBooking: Boolean(doc.appointmentId),
    stages: stageMarks(doc),
    updatedAt: new Date(doc.updatedAt).toISOString(),
    ...optional({ idMasked: doc.holder.idMasked, tracking: doc.tracking })
  }
  return personal('idCards', doc, view)
}

/** The resident's message when the card reaches the station or is posted. */
function progressMessage(doc: IdCardDoc, st: StationDoc, now: Date): NewMessage | null {
  if (!doc.openid || (doc.status !== 'ready' && doc.status !== 'posted')) return null
  const posted = doc.status === 'posted'
  const tracking = doc.tracking ?? ''
  return {
    dedupeKey: `card:${doc._id}:${doc.status}`,
    template: 'cardProgress',
    touser: doc.openid,
    page: pageUrl('pages/cards/index', { id: doc._id }),
    values: {
      service: '居民身份证',
      status: posted ? '已寄出' : '可领取',
      number: doc.receipt,
      time: localDateTime(now),
      note: posted
        ? tracking.length <= 18
          ? `单号${tracking}`
          : tracking
        : doc.delivery === 'post'
          ? '证件已到所，将按您填写的地址寄出'
          : clipThing(`请带受理回执到${st.shortName}领取`)
    },
    ref: { kind: 'idCard', id: doc._id }
  }
}

/**
 * Queues the ready message of each followed card this batch moved, and of each followed card it
 * found already ready whose message is missing (one read of the outbox for those; the dedupe key
 * makes a twin insert harmless).
 */
async function tellReady(found: IdCardDoc[], moved: Set<string>, stationId: string, now: Date) {
  const followed = found.filter((d) => d.openid && (moved.has(d.receipt) || d.status === 'ready'))
  if (!followed.length) return
  const st = await stationOf(stationId)
  const messages = followed.flatMap((d) => {
    const msg = progressMessage({ ...d, status: 'ready' }, st, now)
    return msg ? [{ msg, recheck: !moved.has(d.receipt) }] : []
  })
  const recheck = messages.filter((m) => m.recheck).map((m) => m.msg.dedupeKey)
  let queued = new Set<string>()
  if (recheck.length) {
    const _ = db().command
    const existing = await collection('outbox')
      .where({ dedupeKey: _.in(recheck) })
      .field({ dedupeKey: true })
      .limit(recheck.length)
      .get()
    queued = new Set(existing.data.map((m) => m.dedupeKey))
  }
  await Promise.all(
    messages.filter((m) => !queued.has(m.msg.dedupeKey)).map((m) => enqueueWithId(m.msg, now))
  )
}

/** One follow attempt spent; CARD_FOLLOW_LIMIT (and nothing written) once today's are used up. */
async function spendFollowAttempt(openid: string, now: Date): Promise<void> {
  const _ = db().command
  const quotas = collection('cardFollowQuotas')
  const id = digestId('cfq', openid)
  const day = localDate(now)
  const take = async () =>
    (
      await quotas
        .where({ _id: id, day, count: _.lt(FOLLOW_ATTEMPTS_PER_DAY) })
        .update({ data: { count: _.inc(1), updatedAt: now } })
    ).stats.updated === 1
  if (await take()) return
  // No attempt today yet: another day's count starts again, or the first one ever is created.
  const reset = await quotas
    .where({ _id: id, day: _.neq(day) })
    .update({ data: { day, count: 1, updatedAt: now } })
  if (reset.stats.updated === 1) return
  try {
    await quotas.add({ data: { _id: id, day, count: 1, updatedAt: now } })
    return
  } catch (err) {
    if (!isDuplicateKey(err)) throw err
  }
  if (await take()) return // a twin attempt created today's count first
  throw new AppError('CARD_FOLLOW_LIMIT')
}

async function cardAt(stationId: string, receipt: string): Promise<IdCardDoc> {
  const doc = await repo('idCards').byId(cardId(stationId, receipt))
  if (!doc) throw new AppError('CARD_UNKNOWN')
  return doc
}

function outOfOrder(doc: IdCardDoc): AppError {
  return new AppError('CARD_STAGE_ORDER', `这张证件现在是“${CARD_STAGE_LABELS[doc.status]}”，不能办理这一步`)
}

/**
 * Moves one card to `target` if it is still where it was read: the update names the stage it
 * must be in (and `also`), so a racing change wins or this one does, never both. `extra` is
 * written with it; the fields in `drop` are removed. Returns the card as it now is.
 */
async function moveOne(
  doc: IdCardDoc,
  target: 'picked_up',
  ctx: StaffContext,
  extra: Partial<Pick<IdCardDoc, 'tracking' | 'carrier' | 'delivery'>>,
  drop: readonly ('addressProtected' | 'addressMasked' | 'addressLockedAt')[] = []
): Promise<IdCardDoc> {
  const check = checkStep(doc.status, target, doc.delivery)
  if (check === 'not_postal') throw new AppError('CARD_NOT_POSTAL')
  if (check !== 'ok') throw outOfOrder(doc)
  const _ = db().command
  const mark = { at: ctx.now, by: ctx.staff._id }
  const res = await collection('idCards')
    .where({ _id: doc._id, status: PREVIOUS[target] })
    .update({
      data: {
        status: target,
        [`stages.${target}`]: mark,
        endedAt: ctx.now,
        updatedAt: ctx.now,
        ...extra,
        ...Object.fromEntries(drop.map((f) => [f, _.remove()]))
      }
    })
  if (res.stats.updated !== 1) throw outOfOrder((await repo('idCards').byId(doc._id)) ?? doc)
  const moved: IdCardDoc = {
    ...doc,
    ...extra,
    status: target,
    stages: { ...doc.stages, [target]: mark },
    endedAt: ctx.now,
    updatedAt: ctx.now
  }
  for (const f of drop) delete moved[f]
  return moved
}

export const main = defineFunction('cards', cardsInputs, {
  /* ---------- the resident ---------- */

  mine: {
    access: 'resident',
    async handler(_input, ctx) {
      const docs = await repo('idCards').find(
        { openid: ctx.openid },
        { orderBy: [['createdAt', 'desc']], limit: 50 }
      )
      return Promise.all(docs.map(async (d) => residentView(d, await stationOf(d.stationId))))
    }
  },

  follow: {
    access: 'resident',
    async handler({ receipt: text, idNumber }, ctx) {
      const receipt = normaliseReceipt(text)
      if (!receipt) throw new AppError('CARD_RECEIPT_INVALID')
      const problem = idNumberProblem(idNumber, localDate(ctx.now))
      if (problem) throw new AppError('ID_NUMBER_INVALID', ID_PROBLEM_MESSAGES[problem])
      await spendFollowAttempt(ctx.openid, ctx.now)
      // One query on the pair: a wrong pair and an unknown number are the same empty answer.
      const [doc] = await repo('idCards').find({ receipt, holderKey: holderKeyOf(idNumber) }, { limit: 1 })
      if (!doc) throw new AppError('CARD_NOT_MATCHED')
      if (doc.openid && doc.openid !== ctx.openid) throw new AppError('CARD_FOLLOWED_ELSEWHERE')
      if (!doc.openid) {
        const _ = db().command
        const res = await collection('idCards')
          .where({ _id: doc._id, openid: _.exists(false) })
          .update({ data: { openid: ctx.openid, updatedAt: ctx.now } })
        if (res.stats.updated !== 1) {
          const now = await repo('idCards').byId(doc._id)
          if (now?.openid !== ctx.openid) throw new AppError('CARD_FOLLOWED_ELSEWHERE')
        }
      }
      return residentView({ ...doc, openid: ctx.openid }, await stationOf(doc.stationId))
    }
  },

  choose: {
    access: 'resident',
    async handler({ cardId: id, delivery, address }, ctx) {
      const doc = await repo('idCards').byId(id)
      // Someone else's card is as unknown as a card that does not exist.
      if (!doc || doc.openid !== ctx.openid) throw new AppError('NOT_FOUND', '没有找到这张证件')
      const refusal = (d: IdCardDoc) =>
        isEnded(d.status)
          ? new AppError('CARD_DELIVERY_CLOSED')
          : d.addressLockedAt
            ? new AppError('CARD_ADDRESS_LOCKED')
            : null
      const early = refusal(doc)
      if (early) throw early
      const _ = db().command
      let patch: Record<string, unknown>
      // Post keeping the stored address holds only while that address is still stored: the
      // update requires it, so a pickup chosen meanwhile (which drops it) is not undone halfway.
      const keepsAddress = delivery === 'post' && !address
      if (delivery === 'post') {
        if (!address && !doc.addressProtected) throw new AppError('CARD_ADDRESS_REQUIRED')
        patch = address
          ? {
              delivery,
              addressProtected: protect(JSON.stringify(address)),
              addressMasked: `${maskName(address.recipient)} ${maskMobile(address.mobile)} ${maskStreet(address.region, address.street)}`
            }
          : { delivery }
      } else {
        // Pickup needs no address: the one entered for post is not kept.
        patch = { delivery, addressProtected: _.remove(), addressMasked: _.remove() }
      }
      const res = await collection('idCards')
        .where({
          _id: id,
          openid: ctx.openid,
          status: _.in(OPEN_STAGES),
          // Once staff read the address for the label, the choice goes through the station.
          addressLockedAt: _.exists(false),
          ...(keepsAddress ? { addressProtected: _.exists(true) } : {})
        })
        .update({ data: { ...patch, updatedAt: ctx.now } })
      const updated = await repo('idCards').byId(id)
      if (!updated || updated.openid !== ctx.openid) throw new AppError('NOT_FOUND', '没有找到这张证件')
      if (res.stats.updated !== 1)
        throw (
          refusal(updated) ?? new AppError(keepsAddress ? 'CARD_ADDRESS_REQUIRED' : 'CARD_DELIVERY_CLOSED')
        )
      return residentView(updated, await stationOf(updated.stationId))
    }
  },

  /* ---------- staff ---------- */

  accept: {
    access: 'staff',
    roles: STAFF_ROLES,
    station: 'own',
    async handler({ stationId, receipt: text, appointmentId, holder }, ctx) {
      const receipt = receiptOf(text)
      const today = localDate(ctx.now)
      const typedId = holder?.idNumber?.toUpperCase()
      if (typedId) {
        const problem = idNumberProblem(typedId, today)
        if (problem) throw new AppError('ID_NUMBER_INVALID', ID_PROBLEM_MESSAGES[problem])
      }
      let name: string
      let idProtected: string | undefined
      let idMasked: string | undefined
      let openid: string | undefined
      let idPlain = typedId
      if (appointmentId) {
        const a = await repo('appointments').byId(appointmentId)
        const service = a ? await repo('services').byId(a.serviceId) : null
        if (
          !a ||
          a.stationId !== stationId ||
          // Today's booking only: the acceptance is recorded at the visit it came from.
          a.date !== today ||
          !(a.status === 'checked_in' || a.status === 'done') ||
          service?.category !== 'id_card' ||
          a.purgedAt
        )
          throw new AppError('CARD_BOOKING_NOT_ELIGIBLE')
        name = holder?.name ?? a.applicant.name
        openid = a.openid
        if (typedId) {
          idProtected = protect(typedId)
          idMasked = maskIdNumber(typedId)
        } else if (a.applicant.idNumberProtected) {
          idProtected = a.applicant.idNumberProtected
          idMasked = a.applicant.idMasked
          idPlain = unprotect(a.applicant.idNumberProtected).toUpperCase()
        }
      } else {
        if (!holder || !typedId) throw new AppError('CARD_HOLDER_REQUIRED')
        name = holder.name
        idProtected = protect(typedId)
        idMasked = maskIdNumber(typedId)
      }
      const doc: IdCardDoc = {
        _id: cardId(stationId, receipt),
        stationId,
        receipt,
        status: 'accepted',
        stages: { accepted: { at: ctx.now, by: ctx.staff._id } },
        holder: {
          nameProtected: protect(name),
          nameMasked: maskName(name),
          ...optional({ idProtected, idMasked })
        },
        delivery: 'pickup',
        createdAt: ctx.now,
        updatedAt: ctx.now,
        ...optional({ holderKey: idPlain ? holderKeyOf(idPlain) : undefined, openid, appointmentId })
      }
      const { doc: stored, inserted } = await insertOrGetRaced('idCards', doc)
      // The same booking's acceptance again (a retried tap) answers with the card; anything else is a second card.
      if (!inserted && !(appointmentId && stored.appointmentId === appointmentId))
        throw new AppError('CARD_ALREADY_RECORDED')
      return change(stored)
    }
  },

  batch: {
    access: 'staff',
    roles: STAFF_ROLES,
    station: 'own',
    async handler({ stationId, stage, receipts }, ctx) {
      const _ = db().command
      const cards = collection('idCards')
      const typed = dedupeReceipts(receipts, normaliseReceipt)
      const wanted = [...new Set(typed.flatMap((t) => (t.receipt ? [t.receipt] : [])))]
      // 1. One read: this station's cards among the numbers.
      const found = wanted.length
        ? (
            await cards
              .where({ stationId, receipt: _.in(wanted) })
              .limit(wanted.length)
              .get()
          ).data
        : []
      const byReceipt = new Map(found.map((d) => [d.receipt, d]))
      const eligible = found.filter((d) => checkStep(d.status, stage, d.delivery) === 'ok')
      const moved = new Set<string>()
      const now = new Map<string, CardStage>(found.map((d) => [d.receipt, d.status]))
      if (eligible.length) {
        // 2. One conditional update of them all, the stage's mark tagged with this call's batch id.
        const batchId = digestId('batch', `${ctx.requestId}:${ctx.now.getTime()}`, 16)
        const res = await cards
          .where({ stationId, receipt: _.in(eligible.map((d) => d.receipt)), status: PREVIOUS[stage] })
          .update({
            data: {
              status: stage,
              [`stages.${stage}`]: { at: ctx.now, by: ctx.staff._id, batch: batchId },
              updatedAt: ctx.now
            }
          })
        if (res.stats.updated === eligible.length) for (const d of eligible) moved.add(d.receipt)
        else {
          // 3. Some moved meanwhile (another officer, another batch): read back which were ours —
          // by the stage's own mark, which a later step (another batch to the next stage) keeps.
          const after = (
            await cards
              .where({ _id: _.in(eligible.map((d) => d._id)) })
              .field({ receipt: true, status: true, stages: true })
              .limit(eligible.length)
              .get()
          ).data
          for (const d of after) {
            now.set(d.receipt, d.status)
            if (d.stages[stage]?.batch === batchId) moved.add(d.receipt)
          }
        }
      }
      const items: BatchItem[] = typed.map(({ input, receipt }) => {
        if (!receipt) return { input, outcome: 'invalid' }
        const doc = byReceipt.get(receipt)
        if (!doc) return { input, receipt, outcome: 'unknown' }
        const status = moved.has(receipt) ? stage : (now.get(receipt) ?? doc.status)
        const outcome: BatchOutcome = moved.has(receipt)
          ? 'done'
          : status === stage
            ? 'already'
            : 'out_of_order'
        return { input, receipt, outcome, status }
      })
      // A duplicate line is answered as its first: "done" once, then "already".
      const seenDone = new Set<string>()
      for (const item of items)
        if (item.outcome === 'done' && item.receipt) {
          if (seenDone.has(item.receipt)) item.outcome = 'already'
          seenDone.add(item.receipt)
        }
      // 4. The followers of the cards made ready are told (the notify timer sends within a minute).
      // A followed card found already ready is told too unless its message exists: the call that
      // moved it may have died before queueing it, and the officer's retry answers "already".
      if (stage === 'ready') await tellReady(found, moved, stationId, ctx.now)
      const counts = Object.fromEntries(
        (Object.keys(BATCH_OUTCOME_LABELS) as BatchOutcome[]).map((k) => [
          k,
          items.filter((i) => i.outcome === k).length
        ])
      ) as Record<BatchOutcome, number>
      return { stage, items, counts }
    }
  },

  pickUp: {
    access: 'staff',
    roles: STAFF_ROLES,
    station: 'own',
    async handler({ stationId, receipt: text }, ctx) {
      const doc = await cardAt(stationId, receiptOf(text))
      // Picked up at the window: delivery is the window's, and a postal address entered earlier is
      // no longer needed — removed whatever the read saw, as a post chosen meanwhile may have added one.
      return change(
        await moveOne(doc, 'picked_up', ctx, { delivery: 'pickup' }, [
          'addressProtected',
          'addressMasked',
          'addressLockedAt'
        ])
      )
    }
  },

  post: {
    access: 'staff',
    roles: STAFF_ROLES,
    station: 'own',
    async handler({ stationId, receipt: text, tracking: trackingText, carrier }, ctx) {
      const receipt = receiptOf(text)
      const tracking = normaliseTracking(trackingText)
      if (!tracking) throw new AppError('CARD_TRACKING_INVALID')
      const id = cardId(stationId, receipt)
      const st = await stationOf(stationId)
      // The card and its message in one transaction: a crash leaves both or neither, so a card is
      // never 已寄出 with its follower untold.
      const { moved, msg } = await withTransaction(async (tx) => {
        const doc = await txGet(tx, 'idCards', id)
        if (!doc) throw new AppError('CARD_UNKNOWN')
        const check = checkStep(doc.status, 'posted', doc.delivery)
        if (check === 'not_postal') throw new AppError('CARD_NOT_POSTAL')
        if (check !== 'ok') throw outOfOrder(doc)
        // A parcel needs the address its label was written from.
        if (!doc.addressProtected) throw new AppError('CARD_NOT_POSTAL')
        const mark = { at: ctx.now, by: ctx.staff._id }
        const set = { tracking, ...optional({ carrier }), endedAt: ctx.now, updatedAt: ctx.now }
        await tx
          .collection('idCards')
          .doc(id)
          .update({ data: { ...set, status: 'posted', 'stages.posted': mark } })
        const next: IdCardDoc = { ...doc, ...set, status: 'posted', stages: { ...doc.stages, posted: mark } }
        const message = progressMessage(next, st, ctx.now)
        if (message) await enqueueInTransaction(tx, message, ctx.now)
        return { moved: next, msg: message }
      })
      if (msg) {
        const _ = db().command
        const queued = await collection('outbox')
          .where({ dedupeKey: _.eq(msg.dedupeKey) })
          .field({ _id: true })
          .limit(1)
          .get()
        const ids = queued.data.map((m) => m._id)
        if (ids.length) await sendNow(ids, ctx.now, getCloud().getWXContext().ENV, 'cards')
      }
      return change(moved)
    }
  },

  list: {
    access: 'staff',
    roles: STAFF_ROLES,
    station: 'own',
    async handler({ stationId, stage }, ctx) {
      const docs = await repo('idCards').find(
        { stationId, status: stage },
        { orderBy: [['updatedAt', 'desc']], limit: 100 }
      )
      return disclose({ staff: ctx.staff, action: 'cards.list', ctx, stationId }, docs.map(staffView))
    }
  },

  address: {
    access: 'staff',
    roles: STAFF_ROLES,
    station: 'own',
    async handler({ stationId, cardId: id }, ctx) {
      const _ = db().command
      // Reading the address is writing the label: from now on the resident cannot change it online
      // (docs/materials-and-cards.md). Locked first, then read, so the address returned is the one
      // a racing change can no longer replace.
      const locked = await collection('idCards')
        .where({
          _id: id,
          stationId,
          delivery: 'post',
          addressProtected: _.exists(true),
          status: _.in(OPEN_STAGES)
        })
        .update({ data: { addressLockedAt: ctx.now } })
      const doc = await repo('idCards').byId(id)
      if (!doc || doc.stationId !== stationId) throw new AppError('NOT_FOUND', '没有找到这张证件')
      if (isEnded(doc.status)) throw outOfOrder(doc)
      if (locked.stats.updated !== 1 || doc.delivery !== 'post' || !doc.addressProtected)
        throw new AppError('CARD_NOT_POSTAL')
      const a = JSON.parse(unprotect(doc.addressProtected)) as {
        recipient: string
        mobile: string
        region: string
        street: string
      }
      return discloseOne(
        { staff: ctx.staff, action: 'cards.address', ctx },
        personal('idCards', doc, {
          cardId: doc._id,
          receipt: doc.receipt,
          holderMasked: doc.holder.nameMasked,
          recipient: a.recipient,
          mobile: a.mobile,
          region: a.region,
          street: a.street
        })
      )
    }
  },

  unfollow: {
    access: 'staff',
    roles: STAFF_ROLES,
    station: 'own',
    async handler({ stationId, cardId: id }, ctx) {
      const doc = await repo('idCards').byId(id)
      if (!doc || doc.stationId !== stationId) throw new AppError('NOT_FOUND', '没有找到这张证件')
      if (isEnded(doc.status)) throw outOfOrder(doc)
      const { openid: _follower, addressProtected: _a, addressMasked: _m, addressLockedAt: _l, ...rest } = doc
      const cleared: IdCardDoc = { ...rest, delivery: 'pickup', updatedAt: ctx.now }
      // On record before the change: who cleared which card's follower (docs/privacy-and-access.md).
      const view = await discloseOne(
        { staff: ctx.staff, action: 'cards.unfollow', ctx, stationId },
        personal('idCards', doc, change(cleared))
      )
      const _ = db().command
      // The follower goes, with the delivery they chose and the address they entered.
      const res = await collection('idCards')
        .where({ _id: id, status: _.in(OPEN_STAGES) })
        .update({
          data: {
            openid: _.remove(),
            delivery: 'pickup',
            addressProtected: _.remove(),
            addressMasked: _.remove(),
            addressLockedAt: _.remove(),
            updatedAt: ctx.now
          }
        })
      if (res.stats.updated !== 1) throw outOfOrder((await repo('idCards').byId(id)) ?? doc)
      return view
    }
  }
})
