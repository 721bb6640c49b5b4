/**
 * 材料预审 — the pure rules of a pre-review (docs/materials-and-cards.md): its items as a snapshot
 * of the service's materials, which photo path belongs to it, which item may change now, when it
 * can be submitted, how a review's verdicts apply, and when its case has ended (the start of the
 * 30 days after which its photos are erased). No database here: unit-tested on their own.
 */
import type { AppointmentStatus } from '../../../types/appointment'
import type { Material } from '../../../types/guide'
import {
  IDLE_DAYS,
  PHOTO_RETENTION_DAYS,
  REASON_MIN,
  type ItemVerdict,
  type PrereviewStatus
} from '../../../types/prereview'

const DAY_MS = 86_400_000

export interface PrereviewPhotoDoc {
  /**
   * The file id of the function's own copy of the checked bytes (`keptFolder`), protected
   * (`protect`, AES-GCM under the data key): a file id leads to a resident's document, so it is
   * not readable in the database console or an export. Written by the function, the copy belongs
   * to nobody: the resident can neither read nor overwrite it (docs/materials-and-cards.md).
   */
  file: string
  /**
   * The resident's upload the copy was made from (protected), deleted once copied; kept to know a
   * retried attach of the same upload. Absent on photos stored before copies were made.
   */
  upload?: string
  bytes: number
  kind: 'jpeg' | 'png'
  /** Epoch ms. */
  addedAt: number
}

export interface PrereviewItemDoc {
  key: string
  name: string
  note?: string
  required: boolean
  photos: PrereviewPhotoDoc[]
  verdict: ItemVerdict
  reason?: string
  /** Epoch ms of the last verdict. */
  reviewedAt?: number
  reviewedBy?: string
}

/** A pre-review as stored (collection `prereviews`). */
export interface PrereviewDoc {
  _id: string
  openid: string
  stationId: string
  serviceId: string
  serviceName: string
  appointmentId?: string
  /**
   * `open|<openid>|<service>|<booking or ->` while the case is open; `ended|<id>` after. A unique
   * index keeps one open pre-review per resident, service and booking (start is idempotent).
   */
  openKey: string
  status: PrereviewStatus
  /** How many times it was submitted. */
  round: number
  /** Bumped by every change: each change is conditional on the revision it read. */
  rev: number
  items: PrereviewItemDoc[]
  createdAt: Date
  updatedAt: Date
  /** The resident's last change (start, photo, submit, link), or the officer's last review: the idle clock. */
  lastActivityAt: Date
  submittedAt?: Date
  firstSubmittedAt?: Date
  reviewedAt?: Date
  reviewedBy?: string
  /** The outcome of the first review, for the pass rate at first review. */
  firstOutcome?: 'passed' | 'returned'
  /** How many reviews sent something back. */
  returnedCount: number
  passedAt?: Date
  withdrawnAt?: Date
  /** When the case ended (docs/materials-and-cards.md); photos are erased 30 days later. */
  endedAt?: Date
  /** Why the case ended. */
  endReason?: 'withdrawn' | 'booking' | 'idle'
  /** The purge last looked at the linked booking (to go round them fairly). */
  endCheckedAt?: Date
  /** The photos and reasons were erased. */
  purgedAt?: Date
  /** How many photos it had when purged (kept for the figures). */
  purgedPhotos?: number
  /** Files taken off the record whose deletion failed (protected): the purge deletes them with the rest. */
  strayFiles?: string[]
}

/** The folder a pre-review's photos are uploaded to (the function issues it). */
export const uploadFolder = (id: string) => `prereview/${id}/`

/**
 * Where the function keeps its copies of checked photos: a folder inside the upload folder, so
 * the pre-review's files stay together, but nested, so nothing in it can be attached as an upload
 * (`isOwnPhotoPath` takes only files directly in the upload folder).
 */
export const keptFolder = (id: string) => `${uploadFolder(id)}kept/`

/** A photo's name inside the folder: letters, digits, - and _, then .jpg / .jpeg / .png. */
const NAME = /^[A-Za-z0-9_-]{1,80}\.(jpe?g|png)$/i

/**
 * Whether a file's cloud path (as the storage reads it from the file id) is a photo of THIS
 * pre-review: directly in `prereview/<id>/`, with a plain name. `..`, another folder, a nested
 * folder, an encoded character or another pre-review's folder all answer false.
 */
export function isOwnPhotoPath(cloudPath: string | null, id: string): boolean {
  if (!cloudPath) return false
  const folder = uploadFolder(id)
  if (!cloudPath.startsWith(folder)) return false
  return NAME.test(cloudPath.slice(folder.length))
}

/** The items of a new pre-review: the service's materials as they stand now. */
export function itemsFrom(materials: readonly Material[]): PrereviewItemDoc[] {
  return materials.map((m, i) => ({
    key: `m${i}`,
    name: m.name,
    ...(m.note ? { note: m.note } : {}),
    required: m.required,
    photos: [],
    verdict: 'pending'
  }))
}

/**
 * May the resident add or remove photos of this item now? While a draft; after a return, every
 * item not 合格: those sent back (需补正), and an optional one they sent no photo of (never
 * reviewed, still 待审) — the officer's reason may ask for it. A photo added to such an item is
 * reviewed with the next submission (`needsReview`).
 */
export function itemEditable(status: PrereviewStatus, item: PrereviewItemDoc): boolean {
  if (status === 'draft') return true
  return status === 'returned' && item.verdict !== 'ok'
}

/** A sent-back item got a new photo after the review. */
const replaced = (item: PrereviewItemDoc) =>
  item.photos.some((p) => item.reviewedAt !== undefined && p.addedAt > item.reviewedAt)

/**
 * Why it cannot be submitted now (null: it can): a required item without a photo, or an item sent
 * back whose photos were not replaced.
 */
export function submitBlocker(status: PrereviewStatus, items: readonly PrereviewItemDoc[]): string | null {
  if (status !== 'draft' && status !== 'returned') return 'status'
  const missing = items.filter((i) => i.required && i.photos.length === 0)
  if (missing.length) return `请先为「${missing.map((i) => i.name).join('、')}」拍照上传`
  const unchanged = items.filter((i) => i.verdict === 'fix' && !replaced(i))
  if (unchanged.length) return `「${unchanged.map((i) => i.name).join('、')}」需补正，请重新上传照片后再提交`
  return null
}

/** The items as submitted: what was sent back is waiting for review again; 合格 stays 合格. */
export function itemsOnSubmit(items: readonly PrereviewItemDoc[]): PrereviewItemDoc[] {
  return items.map((i) => (i.verdict === 'fix' ? { ...i, verdict: 'pending' as const } : { ...i }))
}

export interface VerdictInput {
  itemKey: string
  verdict: 'ok' | 'fix'
  reason?: string
}

export type ReviewOutcome =
  | { ok: true; items: PrereviewItemDoc[]; status: 'passed' | 'returned' }
  | { ok: false; code: 'INVALID_INPUT' | 'REASON_REQUIRED' | 'REVIEW_INCOMPLETE'; message: string }

/**
 * Does this item wait for the officer's verdict? Not when it is 合格 already, nor when it is
 * optional (视情况) and the resident sent no photo of it: it does not apply to them.
 */
export const needsReview = (item: PrereviewItemDoc) =>
  item.verdict !== 'ok' && (item.required || item.photos.length > 0)

/**
 * Applies an officer's verdicts: every item that needs review (`needsReview`) needs one (合格, or
 * 需补正 with a reason of at least REASON_MIN characters); an item already 合格, or optional without a
 * photo, stays as it is whatever is sent for it. No 需补正 → passed; any → returned.
 */
export function applyReview(
  items: readonly PrereviewItemDoc[],
  verdicts: readonly VerdictInput[],
  by: string,
  at: number
): ReviewOutcome {
  const byKey = new Map<string, VerdictInput>()
  for (const v of verdicts) {
    if (!items.some((i) => i.key === v.itemKey) || byKey.has(v.itemKey))
      return { ok: false, code: 'INVALID_INPUT', message: '审核的材料项有误，请刷新后再审' }
    byKey.set(v.itemKey, v)
  }
  const out: PrereviewItemDoc[] = []
  for (const item of items) {
    if (!needsReview(item)) {
      out.push({ ...item })
      continue
    }
    const v = byKey.get(item.key)
    if (!v) return { ok: false, code: 'REVIEW_INCOMPLETE', message: `「${item.name}」还没有审核` }
    if (v.verdict === 'ok') {
      const { reason: _drop, ...rest } = item
      out.push({ ...rest, verdict: 'ok', reviewedAt: at, reviewedBy: by })
      continue
    }
    const reason = (v.reason ?? '').trim()
    if (reason.length < REASON_MIN)
      return { ok: false, code: 'REASON_REQUIRED', message: `请写明「${item.name}」需补正的原因` }
    out.push({ ...item, verdict: 'fix', reason, reviewedAt: at, reviewedBy: by })
  }
  return { ok: true, items: out, status: out.some((i) => i.verdict === 'fix') ? 'returned' : 'passed' }
}

/** A booking in one of these states has ended its case. */
export const BOOKING_ENDED: readonly AppointmentStatus[] = ['done', 'cancelled', 'no_show']

/**
 * A booking nobody closed (left 已预约 / 已签到 after its day) ends its case this long after the
 * time it was booked for: the resident's visit is over either way, and the photos must not be kept
 * for ever because a window forgot to close it (docs/materials-and-cards.md).
 */
export const BOOKING_GRACE_DAYS = 1

/**
 * When a linked booking ended its pre-review's case, or null while it has not: finished,
 * cancelled or no-show → when that happened; still open BOOKING_GRACE_DAYS after the time it was
 * booked for → that moment.
 */
export function bookingCaseEnd(
  a: {
    status: string
    startsAt?: Date
    finishedAt?: Date
    cancelledAt?: Date
    noShowAt?: Date
    updatedAt: Date
  },
  now: Date
): Date | null {
  if ((BOOKING_ENDED as readonly string[]).includes(a.status)) {
    const at = a.status === 'done' ? a.finishedAt : a.status === 'cancelled' ? a.cancelledAt : a.noShowAt
    return new Date(at ?? a.updatedAt)
  }
  if (!a.startsAt) return null
  const lapsed = new Date(new Date(a.startsAt).getTime() + BOOKING_GRACE_DAYS * DAY_MS)
  return lapsed.getTime() <= now.getTime() ? lapsed : null
}

/**
 * When an unlinked pre-review counts as idle from: the later of the resident's last change and
 * the officer's last review (an answer on day 29 gives the resident a full IDLE_DAYS to act on it).
 */
export const idleSince = (doc: Pick<PrereviewDoc, 'lastActivityAt' | 'reviewedAt'>) =>
  new Date(
    Math.max(new Date(doc.lastActivityAt).getTime(), doc.reviewedAt ? new Date(doc.reviewedAt).getTime() : 0)
  )

/**
 * When the case of a pre-review ended, or null while it is open. In this order:
 * withdrawn → when it was withdrawn; linked to a booking → when the booking ended
 * (`bookingEndedAt`, from `bookingCaseEnd`); not linked → IDLE_DAYS after `idleSince`, once that is
 * past — but never while it waits for the officer (submitted): the resident has nothing to do then.
 */
export function caseEnd(
  doc: Pick<PrereviewDoc, 'status' | 'withdrawnAt' | 'appointmentId' | 'lastActivityAt' | 'reviewedAt'>,
  bookingEndedAt: Date | null,
  now: Date
): { at: Date; reason: 'withdrawn' | 'booking' | 'idle' } | null {
  if (doc.status === 'withdrawn')
    return { at: new Date(doc.withdrawnAt ?? doc.lastActivityAt), reason: 'withdrawn' }
  if (doc.appointmentId) return bookingEndedAt ? { at: bookingEndedAt, reason: 'booking' } : null
  if (doc.status === 'submitted') return null
  const idleEnd = new Date(idleSince(doc).getTime() + IDLE_DAYS * DAY_MS)
  return idleEnd.getTime() <= now.getTime() ? { at: idleEnd, reason: 'idle' } : null
}

/** Are the photos of a case that ended at `endedAt` due for erasure? */
export const photosExpired = (endedAt: Date, now: Date) =>
  now.getTime() - new Date(endedAt).getTime() >= PHOTO_RETENTION_DAYS * DAY_MS

/**
 * A trip saved (docs/materials-and-cards.md): a pre-review that was sent back at least once and
 * passed after — without it the resident would have come with the wrong papers.
 */
export const tripSaved = (doc: Pick<PrereviewDoc, 'status' | 'returnedCount' | 'passedAt'>) =>
  doc.returnedCount > 0 && doc.passedAt !== undefined

export const openKeyOf = (openid: string, serviceId: string, appointmentId?: string) =>
  `open|${openid}|${serviceId}|${appointmentId ?? '-'}`
export const endedKey = (id: string) => `ended|${id}`
