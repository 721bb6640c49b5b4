/**
 * 材料预审 — materials pre-review: before (or after) booking, a resident photographs each material
 * a service lists and submits; an officer of the station reviews item by item (合格, or 需补正 with
 * a reason); the resident replaces what was sent back and submits again; a booking whose
 * pre-review passed shows 材料已预审 at the window. The `prereview` function's contract; the rules
 * (who sees the photos, when they are erased) are in docs/materials-and-cards.md.
 */
import './zod'
import * as z from 'zod/mini'
import { DocId } from './guide'

/** The largest photo accepted, after the phone's compression (bytes). */
export const PHOTO_MAX_BYTES = 2 * 1024 * 1024
/** Photos per item. */
export const PHOTOS_PER_ITEM = 3
/** The longest reason an officer may give for 需补正. */
export const REASON_MAX = 100
/** The shortest (a bare "不行" tells the resident nothing). */
export const REASON_MIN = 2
/** How long a staff member's photo links stay valid (seconds). */
export const STAFF_URL_SECONDS = 300
/** How long the resident's own photo links stay valid (seconds). */
export const OWN_URL_SECONDS = 600
/** An unlinked pre-review with no activity for this many days has ended (its case is over). */
export const IDLE_DAYS = 30
/** Photos are erased this many days after the case ends. */
export const PHOTO_RETENTION_DAYS = 30

export const PREREVIEW_STATUSES = ['draft', 'submitted', 'returned', 'passed', 'withdrawn'] as const
export type PrereviewStatus = (typeof PREREVIEW_STATUSES)[number]

export const PREREVIEW_STATUS_LABELS: Record<PrereviewStatus, string> = {
  draft: '待提交',
  submitted: '待审核',
  returned: '需补正',
  passed: '已通过',
  withdrawn: '已撤回'
}

/** An item's verdict: not reviewed yet (待审), 合格, 需补正. */
export type ItemVerdict = 'pending' | 'ok' | 'fix'

export const ITEM_VERDICT_LABELS: Record<ItemVerdict, string> = {
  pending: '待审',
  ok: '合格',
  fix: '需补正'
}

/** An item's key: its position in the service's list when the pre-review started (m0, m1, …). */
export const ItemKey = z.string().check(z.regex(/^m\d{1,2}$/))
/**
 * A file id as the storage answers it (cloud://…). Checked loosely here; the function checks that
 * it names a file in the pre-review's own folder (`prereview/<id>/<name>`).
 */
export const FileId = z.string().check(z.minLength(1), z.maxLength(512))

const Verdict = z.strictObject({
  itemKey: ItemKey,
  verdict: z.enum(['ok', 'fix']),
  reason: z.optional(z.string().check(z.maxLength(REASON_MAX)))
})

export const prereviewInputs = {
  /**
   * Starts a pre-review of a service, or answers the open one (the same service, and the same
   * booking when one is named): calling it twice never makes two.
   */
  start: z.strictObject({ serviceId: DocId, appointmentId: z.optional(DocId) }),
  get: z.strictObject({ id: DocId }),
  /** The caller's pre-reviews, newest first; `appointmentId`: the one linked to that booking. */
  mine: z.strictObject({ appointmentId: z.optional(DocId) }),
  /** Links a pre-review to one of the caller's bookings of the same service (done once). */
  link: z.strictObject({ id: DocId, appointmentId: DocId }),
  /** Attaches an uploaded photo (in the pre-review's `uploadFolder`) to an item. */
  attach: z.strictObject({ id: DocId, itemKey: ItemKey, fileID: FileId }),
  /** Removes a photo from an item; the file is deleted. */
  removePhoto: z.strictObject({ id: DocId, itemKey: ItemKey, fileID: FileId }),
  submit: z.strictObject({ id: DocId }),
  withdraw: z.strictObject({ id: DocId }),
  /** Staff: the station's pre-reviews waiting for review, oldest first. No personal data. */
  queue: z.strictObject({ stationId: DocId }),
  /** Staff: one pre-review with its photos (short-lived links); each opening is audited. */
  open: z.strictObject({ stationId: DocId, id: DocId }),
  /**
   * Staff: the verdict on every item not yet 合格 of the submission `round` the officer opened
   * (a resubmission meanwhile makes it stale: refused).
   */
  review: z.strictObject({
    stationId: DocId,
    id: DocId,
    round: z.number().check(z.int(), z.gte(1), z.lte(100)),
    verdicts: z.array(Verdict).check(z.minLength(1), z.maxLength(30))
  })
}

export interface PrereviewPhoto {
  fileID: string
  bytes: number
  /** A short-lived link to show it (absent when the storage could not give one). */
  url?: string
}

export interface PrereviewItemView {
  key: string
  name: string
  note?: string
  required: boolean
  photos: PrereviewPhoto[]
  verdict: ItemVerdict
  verdictLabel: string
  /** Why it was sent back (需补正). */
  reason?: string
  /** Photos may be added or removed now (the resident's view); the officer's verdict is wanted (staff's). */
  editable: boolean
}

/** A pre-review as its resident sees it. */
export interface PrereviewView {
  _id: string
  serviceId: string
  serviceName: string
  stationId: string
  stationName: string
  appointmentId?: string
  status: PrereviewStatus
  statusLabel: string
  /** How many times it was submitted. */
  round: number
  items: PrereviewItemView[]
  /** Where the page uploads this pre-review's photos (`prereview/<id>/`). */
  uploadFolder: string
  /** Every required item has a photo and nothing sent back is left unchanged: it can be submitted. */
  canSubmit: boolean
  submittedAt?: string
  reviewedAt?: string
  /**
   * The case has ended (its booking over, withdrawn, or left idle): nothing can change any more,
   * and the photos are erased 30 days after this time.
   */
  endedAt?: string
  updatedAt: string
}

export interface PrereviewSummary {
  _id: string
  serviceId: string
  serviceName: string
  appointmentId?: string
  status: PrereviewStatus
  statusLabel: string
  updatedAt: string
}

/** One waiting pre-review as the officer's list shows it: no name, no photo. */
export interface PrereviewQueueItem {
  _id: string
  serviceName: string
  round: number
  itemCount: number
  photoCount: number
  submittedAt: string
  /** Minutes since it was submitted (by the server's clock). */
  waitMinutes: number
  /** The linked booking's day and time, if any. */
  booking?: { date: string; start: string }
}

export interface PrereviewQueueView {
  stationId: string
  items: PrereviewQueueItem[]
  asOf: string
}

/** What staff see of one pre-review: the photos as short-lived links (audited). */
export interface PrereviewStaffView {
  _id: string
  stationId: string
  serviceName: string
  status: PrereviewStatus
  statusLabel: string
  round: number
  submittedAt?: string
  booking?: { date: string; start: string; code: string }
  items: PrereviewItemView[]
  /** The case has ended: no review any more (none of its items is `editable`). */
  endedAt?: string
  /** Seconds the photo links stay valid. */
  urlSeconds: number
}

/** The answer of a review: the verdicts as recorded (no photo). */
export interface PrereviewReviewResult {
  _id: string
  status: PrereviewStatus
  statusLabel: string
  items: { key: string; name: string; verdict: ItemVerdict; reason?: string }[]
}

export interface PrereviewOutputs {
  start: PrereviewView
  get: PrereviewView
  mine: PrereviewSummary[]
  link: PrereviewView
  attach: PrereviewView
  removePhoto: PrereviewView
  submit: PrereviewView
  withdraw: PrereviewView
  queue: PrereviewQueueView
  open: PrereviewStaffView
  review: PrereviewReviewResult
}
