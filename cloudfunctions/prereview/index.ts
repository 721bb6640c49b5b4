/**
 * prereview — 材料预审. A resident starts a pre-review of a service (before or after booking it),
 * uploads a photo or more of each listed material into the folder this function issues
 * (`prereview/<id>/`), attaches each, and submits; an officer of the station opens it (the photos
 * as short-lived links, each opening audited), and gives each item 合格 or 需补正 with a reason; the
 * resident is told, replaces what was sent back and submits again. A linked booking whose
 * pre-review passed shows 材料已预审 at the window. The contract is types/prereview.ts, the pure
 * rules `_shared/domain/prereview.ts`, and the rules in words docs/materials-and-cards.md.
 *
 * Every change is a transaction on the pre-review's document (two officers reviewing at once, or a
 * resident changing photos during a review: one wins, the other is told it changed). A photo is
 * checked here, never trusted from the page: in this pre-review's folder, present, a real JPEG or
 * PNG by its first bytes, at most PHOTO_MAX_BYTES; a refused file is deleted. What was checked is
 * what is kept: the checked bytes are copied to a file only this function writes (`keptFolder`,
 * belonging to nobody, so the resident cannot overwrite it later) and the upload is deleted. A
 * file whose deletion fails is recorded on the document (`strayFiles`) for the retention purge.
 * Photos are personal data: no file id or path is ever logged.
 */
import { randomBytes } from 'node:crypto'
import type { Transaction } from 'wx-server-sdk'
import {
  ITEM_VERDICT_LABELS,
  OWN_URL_SECONDS,
  PHOTO_MAX_BYTES,
  PHOTOS_PER_ITEM,
  PREREVIEW_STATUS_LABELS,
  prereviewInputs,
  STAFF_URL_SECONDS,
  type PrereviewItemView,
  type PrereviewStaffView,
  type PrereviewView
} from '../../types/prereview'
import { pageUrl } from '../../types/routes'
import { clipThing } from '../../types/templates'
import { localDateTime } from '../../types/time'
import type { Staff } from '../../types/staff'
import { requireStation } from '../_shared/access'
import { discloseOne, personal } from '../_shared/audit'
import { cachedByKey } from '../_shared/cache'
import { getCloud } from '../_shared/cloud'
import { collection, db, isDuplicateKey, repo, txGet, withTransaction } from '../_shared/db'
import type { AppointmentDoc } from '../_shared/documents'
import {
  bookingCaseEnd,
  caseEnd,
  endedKey,
  isOwnPhotoPath,
  itemEditable,
  keptFolder,
  itemsFrom,
  itemsOnSubmit,
  applyReview,
  needsReview,
  openKeyOf,
  submitBlocker,
  uploadFolder,
  type PrereviewDoc,
  type PrereviewItemDoc,
  type PrereviewPhotoDoc
} from '../_shared/domain/prereview'
import { iso, optional } from '../_shared/fields'
import { cloudPathOf, readFile, removeFiles, saveFile, sniffImage, tempUrls } from '../_shared/files'
import { AppError, defineFunction } from '../_shared/handler'
import { enqueueInTransaction, sendNow, type NewMessage } from '../_shared/outbox'
import { protect, unprotect } from '../_shared/protect'

const NOT_FOUND = '没有找到这次材料预审'

const stationName = cachedByKey(60_000, async (id) => (await repo('stations').byId(id))?.shortName ?? '')

/** The caller's own pre-review; someone else's is as unknown as one that does not exist. */
async function own(id: string, openid: string): Promise<PrereviewDoc> {
  const doc = await repo('prereviews').byId(id)
  if (!doc || doc.openid !== openid) throw new AppError('NOT_FOUND', NOT_FOUND)
  return doc
}

/** A pre-review of the caller's station (a supervisor: any); another station's is FORBIDDEN. */
async function ofStation(staff: Staff, id: string): Promise<PrereviewDoc> {
  const doc = await repo('prereviews').byId(id)
  if (!doc) throw new AppError('NOT_FOUND', NOT_FOUND)
  requireStation(staff, doc.stationId)
  return doc
}

/** A photo's file id (stored protected: docs/materials-and-cards.md). */
const fileOf = (p: PrereviewPhotoDoc) => unprotect(p.file)
/** The upload a photo was copied from (a photo stored before copies were made: its own file). */
const uploadOf = (p: PrereviewPhotoDoc) => (p.upload ? unprotect(p.upload) : fileOf(p))
/** Is this the photo named by `fileID`: its kept file, or the upload it was copied from? */
const isPhoto = (p: PrereviewPhotoDoc, fileID: string) => fileOf(p) === fileID || uploadOf(p) === fileID

const allFiles = (doc: PrereviewDoc) => doc.items.flatMap((i) => i.photos.map(fileOf))

async function links(doc: PrereviewDoc, seconds: number): Promise<Record<string, string>> {
  const ids = allFiles(doc)
  if (ids.length === 0) return {}
  try {
    return await tempUrls(ids, seconds)
  } catch {
    console.warn('[prereview] temporary links not available')
    return {}
  }
}

function itemViews(
  doc: PrereviewDoc,
  urls: Record<string, string>,
  editable: (i: PrereviewItemDoc) => boolean
): PrereviewItemView[] {
  return doc.items.map((i) => ({
    key: i.key,
    name: i.name,
    ...optional({ note: i.note, reason: i.verdict === 'fix' ? i.reason : undefined }),
    required: i.required,
    photos: i.photos.map((p) => {
      const fileID = fileOf(p)
      return { fileID, bytes: p.bytes, ...optional({ url: urls[fileID] }) }
    }),
    verdict: i.verdict,
    verdictLabel: ITEM_VERDICT_LABELS[i.verdict],
    editable: editable(i)
  }))
}

async function residentView(doc: PrereviewDoc): Promise<PrereviewView> {
  const [urls, name] = await Promise.all([links(doc, OWN_URL_SECONDS), stationName(doc.stationId)])
  return {
    _id: doc._id,
    serviceId: doc.serviceId,
    serviceName: doc.serviceName,
    stationId: doc.stationId,
    stationName: name ?? '',
    ...optional({
      appointmentId: doc.appointmentId,
      submittedAt: iso(doc.submittedAt),
      reviewedAt: iso(doc.reviewedAt)
    }),
    status: doc.status,
    statusLabel: PREREVIEW_STATUS_LABELS[doc.status],
    round: doc.round,
    items: itemViews(doc, urls, (i) => !doc.endedAt && itemEditable(doc.status, i)),
    uploadFolder: uploadFolder(doc._id),
    canSubmit: !doc.endedAt && submitBlocker(doc.status, doc.items) === null,
    ...optional({ endedAt: iso(doc.endedAt) }),
    updatedAt: new Date(doc.updatedAt).toISOString()
  }
}

/**
 * One change to a pre-review, in a transaction: `change` sees the document as it stands and
 * answers the fields to set (or throws a refusal). Returns the document as changed.
 */
async function mutate(
  id: string,
  change: (doc: PrereviewDoc, tx: Transaction) => Promise<Partial<PrereviewDoc>> | Partial<PrereviewDoc>
): Promise<PrereviewDoc> {
  return withTransaction(async (tx) => {
    const doc = await txGet(tx, 'prereviews', id)
    if (!doc) throw new AppError('NOT_FOUND', NOT_FOUND)
    // A case that ended (its booking done, cancelled or missed; idle) changes no more.
    if (doc.endedAt && doc.status !== 'withdrawn') throw new AppError('PREREVIEW_CHANGED', '这次预审已经结束')
    const patch = await change(doc, tx)
    // Nothing to change (a retry that finds its work done): the document stays as it is.
    if (Object.keys(patch).length === 0) return doc
    const data = { ...patch, rev: doc.rev + 1 }
    await tx.collection('prereviews').doc(id).update({ data })
    return { ...doc, ...data }
  })
}

/** The booking's window flag follows the pre-review: 材料已预审 while it is linked and passed. */
async function markBooking(tx: Transaction, appointmentId: string, doc: PrereviewDoc | null): Promise<void> {
  const _ = db().command
  await tx
    .collection('appointments')
    .doc(appointmentId)
    .update({
      data: doc
        ? { prereviewId: doc._id, prereviewPassed: doc.status === 'passed' }
        : { prereviewId: _.remove(), prereviewPassed: _.remove() }
    })
}

/** The caller's booking of this service that has not ended yet. */
async function ownBooking(
  openid: string,
  appointmentId: string,
  serviceId: string,
  now: Date
): Promise<AppointmentDoc> {
  const a = await repo('appointments').byId(appointmentId)
  if (!a || a.openid !== openid) throw new AppError('NOT_FOUND', '没有找到这个预约')
  if (a.serviceId !== serviceId)
    throw new AppError('INVALID_INPUT', '这个预约办理的是其他事项，不能关联这次预审')
  // Finished, cancelled, missed, or a day past its time while nobody closed it: over either way.
  if (bookingCaseEnd(a, now)) throw new AppError('NOT_CHANGEABLE', '这个预约已经结束，不能再关联材料预审')
  return a
}

const openOne = async (key: string) => (await repo('prereviews').find({ openKey: key }, { limit: 1 }))[0]

/** Links an open, unlinked pre-review to a booking (its key moves to the booking's). */
async function linkTo(doc: PrereviewDoc, a: AppointmentDoc, now: Date): Promise<PrereviewDoc> {
  try {
    return await mutate(doc._id, async (d, tx) => {
      if (d.appointmentId === a._id) return {}
      if (d.appointmentId || d.status === 'withdrawn')
        throw new AppError('PREREVIEW_CHANGED', '这次预审已关联其他预约')
      const linked = { ...d, appointmentId: a._id }
      await markBooking(tx, a._id, linked)
      return {
        appointmentId: a._id,
        openKey: openKeyOf(d.openid, d.serviceId, a._id),
        lastActivityAt: now,
        updatedAt: now
      }
    })
  } catch (err) {
    // The booking has an open pre-review of its own already: that one is the answer.
    if (!isDuplicateKey(err)) throw err
    const other = await openOne(openKeyOf(doc.openid, doc.serviceId, a._id))
    if (!other) throw err
    return other
  }
}

/**
 * A passed pre-review of this service whose booking was cancelled (the daily purge has not yet
 * unlinked it), moved to the new booking: the resident who books again need not redo it
 * (docs/materials-and-cards.md). Null when there is none.
 */
async function passedOfCancelled(
  openid: string,
  serviceId: string,
  booking: AppointmentDoc,
  now: Date
): Promise<PrereviewDoc | null> {
  const _ = db().command
  const candidates = await repo('prereviews').find(
    { openid, serviceId, status: 'passed', endedAt: _.exists(false), appointmentId: _.exists(true) },
    { orderBy: [['updatedAt', 'desc']], limit: 5 }
  )
  for (const c of candidates) {
    const old = await repo('appointments').byId(c.appointmentId as string)
    if (old?.status !== 'cancelled') continue
    try {
      return await mutate(c._id, async (d, tx) => {
        if (d.appointmentId !== old._id || d.status !== 'passed')
          throw new AppError('PREREVIEW_CHANGED', '这次预审刚刚有变化，请刷新后再试')
        const moved = { ...d, appointmentId: booking._id }
        await markBooking(tx, old._id, null)
        await markBooking(tx, booking._id, moved)
        return {
          appointmentId: booking._id,
          openKey: openKeyOf(d.openid, d.serviceId, booking._id),
          lastActivityAt: now,
          updatedAt: now
        }
      })
    } catch (err) {
      // A twin call moved another one to this booking first: that one is the answer.
      if (!isDuplicateKey(err)) throw err
      return (await openOne(openKeyOf(openid, serviceId, booking._id))) ?? null
    }
  }
  return null
}

/** Ends an unlinked pre-review left idle (its key freed, so a new one can start). */
async function endIdle(doc: PrereviewDoc, now: Date): Promise<void> {
  const end = caseEnd(doc, null, now)
  if (!end) return
  await collection('prereviews')
    .where({ _id: doc._id, rev: doc.rev })
    .update({
      data: { openKey: endedKey(doc._id), endedAt: end.at, endReason: end.reason, rev: doc.rev + 1 }
    })
}

async function create(
  openid: string,
  serviceId: string,
  a: AppointmentDoc | null,
  now: Date
): Promise<PrereviewDoc> {
  const service = await repo('services').byId(serviceId)
  if (!service) throw new AppError('NOT_FOUND', '没有找到这个办事事项')
  if (service.materials.length === 0)
    throw new AppError('INVALID_INPUT', '这个事项没有需要预审的材料，可直接办理')
  const doc: PrereviewDoc = {
    _id: `pr-${randomBytes(12).toString('hex')}`,
    openid,
    stationId: service.stationId,
    serviceId,
    serviceName: service.name,
    ...optional({ appointmentId: a?._id }),
    openKey: openKeyOf(openid, serviceId, a?._id),
    status: 'draft',
    round: 0,
    rev: 0,
    items: itemsFrom(service.materials),
    createdAt: now,
    updatedAt: now,
    lastActivityAt: now,
    returnedCount: 0
  }
  try {
    await withTransaction(async (tx) => {
      await tx.collection('prereviews').add({ data: { ...doc } })
      if (a) await markBooking(tx, a._id, doc)
    })
    return doc
  } catch (err) {
    // A twin call (a double tap) opened it first: it is the answer.
    if (!isDuplicateKey(err)) throw err
    const twin = await openOne(doc.openKey)
    if (!twin) throw err
    return twin
  }
}

/**
 * Deletes files of this pre-review's folder (never a file it does not own). What could not be
 * deleted now is recorded in `strayFiles`, protected, and the retention purge deletes it with the
 * rest (docs/materials-and-cards.md). Recording a file there that is also still attached is
 * harmless: the purge deletes both at the same time.
 */
async function dropFiles(id: string, fileIDs: string[]): Promise<void> {
  if (fileIDs.length === 0) return
  const { failed } = await removeFiles(fileIDs).catch(() => ({ removed: [], failed: fileIDs }))
  await recordStray(id, failed)
}

/** Records files for the retention purge to delete (`strayFiles`). Counts only in the log. */
async function recordStray(id: string, fileIDs: string[]): Promise<void> {
  if (fileIDs.length === 0) return
  const _ = db().command
  try {
    await collection('prereviews')
      .doc(id)
      // With a new revision: a purge that read the record before this push does not take it off
      // (its update is conditional on the revision it read) without deleting the file.
      .update({ data: { strayFiles: _.push(fileIDs.map((f) => protect(f))), rev: _.inc(1) } })
    console.warn(`[prereview] ${fileIDs.length} file(s) left for the retention purge`)
  } catch {
    console.warn(`[prereview] ${fileIDs.length} file(s) neither deleted nor recorded for the purge`)
  }
}

/** The photos of the items still to be reviewed whose file is gone from the storage. */
async function missingPhotos(doc: PrereviewDoc): Promise<PrereviewItemDoc[]> {
  const items = doc.items.filter((i) => i.verdict !== 'ok' && i.photos.length > 0)
  const ids = items.flatMap((i) => i.photos.map(fileOf))
  if (ids.length === 0) return []
  let present: Record<string, string>
  try {
    present = await tempUrls(ids, 60)
  } catch {
    // The storage cannot say now: the submission is not held up by it (the officer's page shows
    // a photo it cannot link as missing).
    console.warn('[prereview] photos not checked at submit: storage not available')
    return []
  }
  return items.filter((i) => i.photos.some((p) => present[fileOf(p)] === undefined))
}

function resultMessage(doc: PrereviewDoc, now: Date): NewMessage {
  const fix = doc.items.filter((i) => i.verdict === 'fix').length
  return {
    dedupeKey: `prereview:${doc._id}:${doc.round}`,
    template: 'prereviewResult',
    touser: doc.openid,
    page: pageUrl('pages/prereview/index', { id: doc._id }),
    values: {
      service: clipThing(doc.serviceName),
      status: doc.status === 'passed' ? '已通过' : '需补正',
      time: localDateTime(now),
      note:
        doc.status === 'passed'
          ? doc.appointmentId
            ? '窗口会看到材料已预审，办理时请带齐原件'
            : '请预约后在预约详情中关联本次预审'
          : clipThing(`${fix}项材料需补正，请查看原因后重新上传`)
    },
    ref: { kind: 'prereview', id: doc._id }
  }
}

export const main = defineFunction('prereview', prereviewInputs, {
  start: {
    access: 'resident',
    async handler({ serviceId, appointmentId }, ctx) {
      const { openid, now } = ctx
      const booking = appointmentId ? await ownBooking(openid, appointmentId, serviceId, now) : null
      if (booking) {
        const linked = await openOne(openKeyOf(openid, serviceId, booking._id))
        if (linked) return residentView(linked)
      }
      const unlinked = await openOne(openKeyOf(openid, serviceId))
      if (unlinked && caseEnd(unlinked, null, now)) await endIdle(unlinked, now)
      else if (unlinked) return residentView(booking ? await linkTo(unlinked, booking, now) : unlinked)
      const reused = booking ? await passedOfCancelled(openid, serviceId, booking, now) : null
      if (reused) return residentView(reused)
      return residentView(await create(openid, serviceId, booking, now))
    }
  },

  get: {
    access: 'resident',
    async handler({ id }, ctx) {
      return residentView(await own(id, ctx.openid))
    }
  },

  mine: {
    access: 'resident',
    async handler({ appointmentId }, ctx) {
      const docs = await repo('prereviews').find(
        { openid: ctx.openid, ...(appointmentId ? { appointmentId } : {}) },
        { orderBy: [['updatedAt', 'desc']], limit: 20 }
      )
      return docs.map((d) => ({
        _id: d._id,
        serviceId: d.serviceId,
        serviceName: d.serviceName,
        ...optional({ appointmentId: d.appointmentId }),
        status: d.status,
        statusLabel: PREREVIEW_STATUS_LABELS[d.status],
        updatedAt: new Date(d.updatedAt).toISOString()
      }))
    }
  },

  link: {
    access: 'resident',
    async handler({ id, appointmentId }, ctx) {
      const doc = await own(id, ctx.openid)
      if (doc.appointmentId === appointmentId) return residentView(doc)
      if (doc.appointmentId) throw new AppError('PREREVIEW_CHANGED', '这次预审已关联其他预约')
      if (doc.status === 'withdrawn') throw new AppError('PREREVIEW_CHANGED', '这次预审已撤回')
      const booking = await ownBooking(ctx.openid, appointmentId, doc.serviceId, ctx.now)
      return residentView(await linkTo(doc, booking, ctx.now))
    }
  },

  attach: {
    access: 'resident',
    async handler({ id, itemKey, fileID }, ctx) {
      const doc = await own(id, ctx.openid)
      // Not this pre-review's folder (another one's, another resident's, a path trick, a kept
      // copy): refused, and the file is left alone — it is not ours to delete.
      if (!isOwnPhotoPath(cloudPathOf(fileID), id)) throw new AppError('PHOTO_NOT_YOURS')
      const item = doc.items.find((i) => i.key === itemKey)
      if (!item) throw new AppError('NOT_FOUND', '没有这项材料，请刷新后再看')
      // A retried attach (the page lost the answer): the upload was copied and deleted already.
      const holder = doc.items.find((i) => i.photos.some((p) => isPhoto(p, fileID)))
      if (holder?.key === itemKey) return residentView(doc)
      if (holder) throw new AppError('INVALID_INPUT', '这张照片已用于其他材料')
      const refuse = async (
        code: 'PREREVIEW_NOT_EDITABLE' | 'PHOTO_TOO_MANY' | 'PHOTO_TYPE' | 'PHOTO_TOO_BIG'
      ): Promise<never> => {
        await dropFiles(id, [fileID])
        throw new AppError(code)
      }
      if (!itemEditable(doc.status, item)) await refuse('PREREVIEW_NOT_EDITABLE')
      if (item.photos.length >= PHOTOS_PER_ITEM) await refuse('PHOTO_TOO_MANY')
      const bytes = await readFile(fileID)
      if (!bytes) throw new AppError('PHOTO_MISSING')
      const kind = sniffImage(bytes)
      if (!kind) return refuse('PHOTO_TYPE')
      if (bytes.length > PHOTO_MAX_BYTES) await refuse('PHOTO_TOO_BIG')
      // The bytes just checked, in a file only this function writes: the upload stays the
      // resident's to overwrite, the copy does not (docs/materials-and-cards.md).
      const kept = await saveFile(
        `${keptFolder(id)}${randomBytes(12).toString('hex')}.${kind === 'png' ? 'png' : 'jpg'}`,
        bytes
      )
      let changed: PrereviewDoc
      // Set when a twin call of the same upload recorded it meanwhile (the check above, repeated
      // in the transaction): then nothing changes and this call's copy is not needed.
      let twin = false
      try {
        changed = await mutate(id, (d) => {
          const had = d.items.find((i) => i.photos.some((p) => isPhoto(p, fileID)))
          if (had && had.key !== itemKey) throw new AppError('INVALID_INPUT', '这张照片已用于其他材料')
          if (had) {
            twin = true
            return {}
          }
          const items = d.items.map((i) => ({ ...i, photos: [...i.photos] }))
          const target = items.find((i) => i.key === itemKey) as PrereviewItemDoc
          if (!itemEditable(d.status, target)) throw new AppError('PREREVIEW_NOT_EDITABLE')
          if (target.photos.length >= PHOTOS_PER_ITEM) throw new AppError('PHOTO_TOO_MANY')
          target.photos.push({
            file: protect(kept),
            upload: protect(fileID),
            bytes: bytes.length,
            kind,
            addedAt: ctx.now.getTime()
          })
          return { items, lastActivityAt: ctx.now, updatedAt: ctx.now }
        })
      } catch (err) {
        // Refused: neither file is kept. Any other failure may have been recorded after all
        // (a commit whose answer was lost), so the copy is only left to the purge.
        if (err instanceof AppError) await dropFiles(id, [fileID, kept])
        else await recordStray(id, [kept])
        throw err
      }
      if (twin) {
        // The upload is the twin's to delete; only this call's copy goes.
        await dropFiles(id, [kept])
        return residentView(changed)
      }
      await dropFiles(id, [fileID])
      return residentView(changed)
    }
  },

  removePhoto: {
    access: 'resident',
    async handler({ id, itemKey, fileID }, ctx) {
      await own(id, ctx.openid)
      let gone: PrereviewPhotoDoc | undefined
      const changed = await mutate(id, (d) => {
        const item = d.items.find((i) => i.key === itemKey)
        if (!item) throw new AppError('NOT_FOUND', '没有这项材料，请刷新后再看')
        gone = item.photos.find((p) => isPhoto(p, fileID))
        if (!gone) throw new AppError('NOT_FOUND', '这张照片已经删除了')
        if (!itemEditable(d.status, item)) throw new AppError('PREREVIEW_NOT_EDITABLE')
        const items = d.items.map((i) =>
          i.key === itemKey ? { ...i, photos: i.photos.filter((p) => !isPhoto(p, fileID)) } : i
        )
        return { items, lastActivityAt: ctx.now, updatedAt: ctx.now }
      })
      // The kept copy, and the upload in case its deletion at attach did not happen (a file
      // already gone counts as deleted).
      if (gone) await dropFiles(id, [...new Set([fileOf(gone), uploadOf(gone)])])
      return residentView(changed)
    }
  },

  submit: {
    access: 'resident',
    async handler({ id }, ctx) {
      const doc = await own(id, ctx.openid)
      if (doc.status === 'submitted') return residentView(doc) // a retried submit
      // A photo whose file is gone (never in the normal course) would reach the officer as nothing.
      const missing = submitBlocker(doc.status, doc.items) === null ? await missingPhotos(doc) : []
      if (missing.length)
        throw new AppError(
          'PHOTO_MISSING',
          `「${missing.map((i) => i.name).join('、')}」的照片已不在了，请删除后重新上传`
        )
      const changed = await mutate(id, (d) => {
        const blocker = submitBlocker(d.status, d.items)
        if (blocker === 'status') throw new AppError('PREREVIEW_CHANGED')
        if (blocker) throw new AppError('PREREVIEW_INCOMPLETE', blocker)
        return {
          status: 'submitted',
          round: d.round + 1,
          items: itemsOnSubmit(d.items),
          submittedAt: ctx.now,
          ...(d.firstSubmittedAt ? {} : { firstSubmittedAt: ctx.now }),
          lastActivityAt: ctx.now,
          updatedAt: ctx.now
        }
      })
      return residentView(changed)
    }
  },

  withdraw: {
    access: 'resident',
    async handler({ id }, ctx) {
      const doc = await own(id, ctx.openid)
      if (doc.status === 'withdrawn') return residentView(doc)
      const changed = await mutate(id, async (d, tx) => {
        if (d.status === 'withdrawn') return {}
        if (d.appointmentId) await markBooking(tx, d.appointmentId, null)
        return {
          status: 'withdrawn',
          withdrawnAt: ctx.now,
          endedAt: ctx.now,
          endReason: 'withdrawn',
          openKey: endedKey(d._id),
          lastActivityAt: ctx.now,
          updatedAt: ctx.now
        }
      })
      return residentView(changed)
    }
  },

  queue: {
    access: 'staff',
    roles: ['officer', 'leader', 'supervisor'],
    station: 'own',
    async handler({ stationId }, ctx) {
      const docs = await repo('prereviews').find(
        // A case that ended while waiting (its booking over) is no longer anyone's to review.
        { stationId, status: 'submitted', endedAt: db().command.exists(false) },
        { orderBy: [['submittedAt', 'asc']], limit: 100 }
      )
      const ids = docs.flatMap((d) => (d.appointmentId ? [d.appointmentId] : []))
      const _ = db().command
      const bookings = ids.length
        ? await repo('appointments').find(
            { _id: _.in(ids) },
            { limit: 100, fields: ['_id', 'date', 'start'] }
          )
        : []
      return {
        stationId,
        asOf: ctx.now.toISOString(),
        items: docs.map((d) => {
          const b = bookings.find((x) => x._id === d.appointmentId)
          const submitted = new Date(d.submittedAt ?? d.updatedAt)
          return {
            _id: d._id,
            serviceName: d.serviceName,
            round: d.round,
            itemCount: d.items.length,
            photoCount: d.items.reduce((n, i) => n + i.photos.length, 0),
            submittedAt: submitted.toISOString(),
            waitMinutes: Math.max(0, Math.floor((ctx.now.getTime() - submitted.getTime()) / 60_000)),
            ...optional({ booking: b ? { date: b.date, start: b.start } : undefined })
          }
        })
      }
    }
  },

  open: {
    access: 'staff',
    roles: ['officer', 'leader', 'supervisor'],
    station: 'own',
    async handler({ id }, ctx) {
      const doc = await ofStation(ctx.staff, id)
      const [urls, booking] = await Promise.all([
        links(doc, STAFF_URL_SECONDS),
        doc.appointmentId ? repo('appointments').byId(doc.appointmentId) : null
      ])
      const view: PrereviewStaffView = {
        _id: doc._id,
        stationId: doc.stationId,
        serviceName: doc.serviceName,
        status: doc.status,
        statusLabel: PREREVIEW_STATUS_LABELS[doc.status],
        round: doc.round,
        ...optional({
          submittedAt: iso(doc.submittedAt),
          booking: booking ? { date: booking.date, start: booking.start, code: booking.code } : undefined
        }),
        // For staff, `editable` marks the items waiting for their verdict.
        items: itemViews(doc, urls, (i) => !doc.endedAt && doc.status === 'submitted' && needsReview(i)),
        ...optional({ endedAt: iso(doc.endedAt) }),
        urlSeconds: STAFF_URL_SECONDS
      }
      // The photos are the resident's personal data: the opening is on record before they leave.
      return discloseOne(
        { staff: ctx.staff, action: 'prereview.open', ctx },
        personal('prereviews', doc, view)
      )
    }
  },

  review: {
    access: 'staff',
    roles: ['officer', 'leader', 'supervisor'],
    station: 'own',
    async handler({ id, round, verdicts }, ctx) {
      const { staff, now } = ctx
      await ofStation(staff, id)
      const changed = await mutate(id, async (d, tx) => {
        if (d.status !== 'submitted' || d.round !== round)
          throw new AppError(
            'PREREVIEW_CHANGED',
            d.status === 'withdrawn'
              ? '居民已撤回这次预审'
              : d.status === 'submitted'
                ? '居民已重新提交，请刷新后再审'
                : '这次预审已由其他工作人员审核，请刷新后再看'
          )
        const outcome = applyReview(d.items, verdicts, staff._id, now.getTime())
        if (!outcome.ok) throw new AppError(outcome.code, outcome.message)
        const passed = outcome.status === 'passed'
        const next: PrereviewDoc = { ...d, items: outcome.items, status: outcome.status }
        if (d.appointmentId) await markBooking(tx, d.appointmentId, next)
        await enqueueInTransaction(tx, resultMessage(next, now), now)
        return {
          items: outcome.items,
          status: outcome.status,
          reviewedAt: now,
          reviewedBy: staff._id,
          // The resident has something to act on from now: the idle clock starts again.
          lastActivityAt: now,
          updatedAt: now,
          ...(d.firstOutcome ? {} : { firstOutcome: outcome.status }),
          ...(passed ? { passedAt: now } : { returnedCount: d.returnedCount + 1 })
        }
      })
      const sent = await collection('outbox')
        .where({ dedupeKey: `prereview:${id}:${changed.round}` })
        .field({ _id: true })
        .limit(1)
        .get()
      await sendNow(
        sent.data.map((r) => r._id),
        now,
        getCloud().getWXContext().ENV,
        'prereview'
      )
      return {
        _id: changed._id,
        status: changed.status,
        statusLabel: PREREVIEW_STATUS_LABELS[changed.status],
        items: changed.items.map((i) => ({
          key: i.key,
          name: i.name,
          verdict: i.verdict,
          ...optional({ reason: i.verdict === 'fix' ? i.reason : undefined })
        }))
      }
    }
  }
})
