/**
 * What the pre-review page does when it does not hear back from `attach` (the network dropped the
 * request or its answer). Pure, so it is unit-tested on its own (tests/unit/prereview-attach.test.ts).
 *
 * The function may have attached the photo and only the answer was lost. Two things make that safe
 * to handle (docs/materials-and-cards.md, 材料预审): an attach sent again for the same upload is
 * recognised and answered with the pre-review as it stands, so the page simply sends it once more;
 * and an attached photo is the function's own copy of the checked bytes (the upload is deleted once
 * copied), so deleting the upload never takes a photo away from the pre-review.
 */
import type { PrereviewView } from '../../../types/prereview'
import type { Result } from '../../../types/result'

/** One attach call, as `call` answers it (a transport failure is a result too: NETWORK). */
export type SendAttach = () => Promise<Result<PrereviewView>>

/**
 * Results that are not the function's answer: the request or its answer was lost (NETWORK), or
 * the function failed on the way (INTERNAL, e.g. it ran out of time) — it may have attached.
 */
export const NO_ANSWER: readonly string[] = ['NETWORK', 'INTERNAL']

const answered = (res: Result<PrereviewView> | undefined): res is Result<PrereviewView> =>
  res !== undefined && (res.ok || !NO_ANSWER.includes(res.error.code))

export type AttachOutcome =
  | { kind: 'attached'; view: PrereviewView }
  | { kind: 'refused'; message: string }
  /** No answer however often it was sent: the page reads the pre-review again (`afterLostAttach`). */
  | { kind: 'unknown' }

/** Sends an attach, and sends it again (up to `tries` in all) while no answer comes back. */
export async function attachWithRetry(send: SendAttach, tries = 2): Promise<AttachOutcome> {
  for (let n = 0; n < tries; n++) {
    const res = await send().catch(() => undefined)
    if (!answered(res)) continue
    return res.ok ? { kind: 'attached', view: res.data } : { kind: 'refused', message: res.error.message }
  }
  return { kind: 'unknown' }
}

export interface LostAttach {
  /** The pre-review as read again, to show (absent when that read failed too). */
  view?: PrereviewView
  /** Whether the item gained a photo meanwhile: the attach went through. */
  saved: boolean
  /**
   * Delete the upload: always, since an attached photo is a copy and the upload is then deleted
   * by the function anyway; not deleted, a never-attached upload would stay in storage for good.
   */
  deleteUpload: true
}

/**
 * After no answer to any attach: `before` is the pre-review as the page showed it when the photo
 * was sent, `fresh` the result of reading it again (undefined: no answer to that either).
 */
export function afterLostAttach(
  before: PrereviewView,
  fresh: Result<PrereviewView> | undefined,
  itemKey: string
): LostAttach {
  const count = (v: PrereviewView) => v.items.find((i) => i.key === itemKey)?.photos.length ?? 0
  if (!fresh?.ok) return { saved: false, deleteUpload: true }
  return { view: fresh.data, saved: count(fresh.data) > count(before), deleteUpload: true }
}
