/**
 * The pre-review page when `attach` does not answer (src/pages/prereview/attach.ts): it sends the
 * attach again (the function recognises a retried attach), stops at the function's answer (the
 * photo attached, or refused with its message), and after no answer at all reads the pre-review
 * again to tell the resident whether the photo was saved.
 */
import type { PrereviewView } from '../../types/prereview'
import type { Result } from '../../types/result'
import { afterLostAttach, attachWithRetry } from '../../src/pages/prereview/attach'

function view(photos: number): PrereviewView {
  return {
    _id: 'pr-1',
    serviceId: 'svc-1',
    serviceName: '临时居民身份证',
    stationId: 'st-1',
    stationName: '城关派出所',
    status: 'draft',
    statusLabel: '待提交',
    round: 0,
    items: [
      {
        key: 'm0',
        name: '居民户口簿',
        required: true,
        photos: Array.from({ length: photos }, (_, i) => ({ fileID: `kept-${i}`, bytes: 1000 })),
        verdict: 'pending',
        verdictLabel: '待审',
        editable: true
      }
    ],
    uploadFolder: 'prereview/pr-1/',
    canSubmit: photos > 0,
    updatedAt: '2026-12-28T02:00:00.000Z'
  }
}
const network: Result<PrereviewView> = { ok: false, error: { code: 'NETWORK', message: '网络连接失败' } }
const internal: Result<PrereviewView> = { ok: false, error: { code: 'INTERNAL', message: '系统繁忙' } }

/** A send that answers the given results in turn, counting its calls. */
function sender(...answers: Result<PrereviewView>[]) {
  const send = jest.fn(async () => answers.shift() ?? network)
  return send
}

describe('attachWithRetry', () => {
  test('an answer lost once: sent again, and the second answer is the outcome', async () => {
    const send = sender(network, { ok: true, data: view(1) })
    expect(await attachWithRetry(send)).toEqual({ kind: 'attached', view: view(1) })
    expect(send).toHaveBeenCalledTimes(2)
  })

  test("the function's refusal is the outcome at once, with its message (not sent again)", async () => {
    const send = sender({
      ok: false,
      error: { code: 'PHOTO_TYPE', message: '只能上传 JPG 或 PNG 格式的照片' }
    })
    expect(await attachWithRetry(send)).toEqual({
      kind: 'refused',
      message: '只能上传 JPG 或 PNG 格式的照片'
    })
    expect(send).toHaveBeenCalledTimes(1)
  })

  test('a function that failed on the way may have attached: sent again like a lost answer', async () => {
    const send = sender(internal, { ok: true, data: view(1) })
    expect((await attachWithRetry(send)).kind).toBe('attached')
  })

  test('no answer however often: unknown, after `tries` sends (a throwing send counts as none)', async () => {
    const send = jest.fn(async (): Promise<Result<PrereviewView>> => {
      throw new Error('offline')
    })
    expect(await attachWithRetry(send, 3)).toEqual({ kind: 'unknown' })
    expect(send).toHaveBeenCalledTimes(3)
  })
})

describe('afterLostAttach', () => {
  test('the item gained a photo: saved, and the fresh pre-review is shown', () => {
    expect(afterLostAttach(view(1), { ok: true, data: view(2) }, 'm0')).toEqual({
      view: view(2),
      saved: true,
      deleteUpload: true
    })
  })

  test('no new photo: not saved; the upload is deleted rather than left in storage for good', () => {
    expect(afterLostAttach(view(1), { ok: true, data: view(1) }, 'm0')).toEqual({
      view: view(1),
      saved: false,
      deleteUpload: true
    })
  })

  test('the pre-review could not be read either: not saved, nothing to show', () => {
    expect(afterLostAttach(view(0), network, 'm0')).toEqual({ saved: false, deleteUpload: true })
  })
})
