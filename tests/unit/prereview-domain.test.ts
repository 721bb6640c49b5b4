/**
 * 材料预审's pure rules (docs/materials-and-cards.md): a photo belongs to a pre-review only by a
 * plain name directly in its own folder; which items a resident may change; what blocks a submit;
 * how an officer's verdicts apply (合格 stays 合格, 需补正 needs a reason); when a case ends.
 */
import {
  applyReview,
  bookingCaseEnd,
  caseEnd,
  isOwnPhotoPath,
  itemEditable,
  itemsFrom,
  itemsOnSubmit,
  keptFolder,
  photosExpired,
  submitBlocker,
  tripSaved,
  type PrereviewItemDoc
} from '../../cloudfunctions/_shared/domain/prereview'

const ID = 'pr-0123456789abcdef01234567'
const DAY = 86_400_000
const T0 = Date.parse('2026-12-01T02:00:00Z')

const materials = [
  { name: '居民户口簿', required: true },
  { name: '近期免冠照片', note: '白底', required: true },
  { name: '结婚证', required: false }
]

function photo(at = T0) {
  return { file: 'v1:sealed', bytes: 1000, kind: 'jpeg' as const, addedAt: at }
}

describe('photo paths', () => {
  test.each([
    [`prereview/${ID}/m0-1a2b.jpg`, true],
    [`prereview/${ID}/photo_2.PNG`, true],
    [`prereview/${ID}/x.jpeg`, true],
    [`prereview/${ID}/../pr-other/x.jpg`, false],
    [`prereview/${ID}/sub/x.jpg`, false],
    [`prereview/${ID}/%2e%2e.jpg`, false],
    [`prereview/${ID}/x.gif`, false],
    [`prereview/${ID}/`, false],
    [`prereview/pr-other/x.jpg`, false],
    [`prereview/${ID}x/a.jpg`, false],
    [`avatars/x.jpg`, false],
    [`/prereview/${ID}/x.jpg`, false]
  ])('%s → %s', (p, expected) => {
    expect(isOwnPhotoPath(p, ID)).toBe(expected)
  })
  test('a file id the storage could not read is not a photo of it', () => {
    expect(isOwnPhotoPath(null, ID)).toBe(false)
  })
  test("the function's kept copies are in the pre-review's folder, and none of them counts as an upload", () => {
    expect(keptFolder(ID)).toBe(`prereview/${ID}/kept/`)
    expect(isOwnPhotoPath(`${keptFolder(ID)}0123456789abcdef01234567.jpg`, ID)).toBe(false)
  })
})

describe('items and editing', () => {
  test('items are the service materials in order, each waiting and without photos', () => {
    const items = itemsFrom(materials)
    expect(items.map((i) => [i.key, i.name, i.required, i.verdict, i.photos.length])).toEqual([
      ['m0', '居民户口簿', true, 'pending', 0],
      ['m1', '近期免冠照片', true, 'pending', 0],
      ['m2', '结婚证', false, 'pending', 0]
    ])
    expect(items[1]?.note).toBe('白底')
  })

  test('a draft is editable; after a return the items not 合格; never while submitted or passed', () => {
    const [a, b] = itemsFrom(materials) as [PrereviewItemDoc, PrereviewItemDoc]
    const fix = { ...a, verdict: 'fix' as const }
    const ok = { ...b, verdict: 'ok' as const }
    expect(itemEditable('draft', a)).toBe(true)
    expect(itemEditable('returned', fix)).toBe(true)
    expect(itemEditable('returned', ok)).toBe(false)
    // An optional item without a photo was never reviewed: after a return it may be added.
    const [, , optional] = itemsFrom(materials) as [PrereviewItemDoc, PrereviewItemDoc, PrereviewItemDoc]
    expect(itemEditable('returned', optional)).toBe(true)
    expect(itemEditable('submitted', optional)).toBe(false)
    expect(itemEditable('submitted', a)).toBe(false)
    expect(itemEditable('passed', a)).toBe(false)
    expect(itemEditable('withdrawn', a)).toBe(false)
  })
})

describe('submitting', () => {
  test('every required item needs a photo (optional ones may stay empty), named in the refusal', () => {
    const items = itemsFrom(materials)
    expect(submitBlocker('draft', items)).toBe('请先为「居民户口簿、近期免冠照片」拍照上传')
    items[0]?.photos.push(photo())
    items[1]?.photos.push(photo())
    expect(submitBlocker('draft', items)).toBeNull()
    expect(submitBlocker('submitted', items)).toBe('status')
  })

  test('an item sent back needs a new photo after its review; on submit it waits again, 合格 stays', () => {
    const items = itemsFrom(materials).map((i) => ({ ...i, photos: [photo()] }))
    items[0] = { ...items[0]!, verdict: 'fix', reason: '照片模糊', reviewedAt: T0 + 1000 }
    items[1] = { ...items[1]!, verdict: 'ok', reviewedAt: T0 + 1000 }
    expect(submitBlocker('returned', items)).toBe('「居民户口簿」需补正，请重新上传照片后再提交')
    items[0].photos = [photo(T0 + 5000)]
    expect(submitBlocker('returned', items)).toBeNull()
    expect(itemsOnSubmit(items).map((i) => i.verdict)).toEqual(['pending', 'ok', 'pending'])
  })
})

describe('reviewing', () => {
  const items = itemsFrom(materials)

  test('all 合格 passes; one 需补正 with a reason returns it', () => {
    const all = applyReview(
      items,
      items.map((i) => ({ itemKey: i.key, verdict: 'ok' as const })),
      'staff-1',
      T0
    )
    expect(all.ok && all.status).toBe('passed')
    const one = applyReview(
      items,
      [
        { itemKey: 'm0', verdict: 'fix', reason: '  缺少本人页  ' },
        { itemKey: 'm1', verdict: 'ok' },
        { itemKey: 'm2', verdict: 'ok' }
      ],
      'staff-1',
      T0
    )
    expect(one.ok && one.status).toBe('returned')
    expect(one.ok && one.items[0]).toMatchObject({
      verdict: 'fix',
      reason: '缺少本人页',
      reviewedBy: 'staff-1'
    })
  })

  test('需补正 without a reason, an item left out, an unknown or repeated item are refused', () => {
    const noReason = applyReview(
      items,
      [
        { itemKey: 'm0', verdict: 'fix', reason: ' ' },
        { itemKey: 'm1', verdict: 'ok' },
        { itemKey: 'm2', verdict: 'ok' }
      ],
      's',
      T0
    )
    expect(!noReason.ok && noReason.code).toBe('REASON_REQUIRED')
    const leftOut = applyReview(items, [{ itemKey: 'm0', verdict: 'ok' }], 's', T0)
    expect(!leftOut.ok && leftOut.message).toBe('「近期免冠照片」还没有审核')
    const unknown = applyReview(items, [{ itemKey: 'm9', verdict: 'ok' }], 's', T0)
    expect(!unknown.ok && unknown.code).toBe('INVALID_INPUT')
    const twice = applyReview(
      items,
      [
        { itemKey: 'm0', verdict: 'ok' },
        { itemKey: 'm0', verdict: 'fix', reason: '看不清' }
      ],
      's',
      T0
    )
    expect(!twice.ok && twice.code).toBe('INVALID_INPUT')
  })

  test('an optional item without a photo needs no verdict and stays unreviewed; with a photo it needs one', () => {
    const r = applyReview(
      items,
      [
        { itemKey: 'm0', verdict: 'ok' },
        { itemKey: 'm1', verdict: 'ok' }
      ],
      's',
      T0
    )
    expect(r.ok && r.status).toBe('passed')
    expect(r.ok && r.items[2]?.verdict).toBe('pending')
    const withPhoto = items.map((i, n) => (n === 2 ? { ...i, photos: [photo()] } : i))
    const missing = applyReview(
      withPhoto,
      [
        { itemKey: 'm0', verdict: 'ok' },
        { itemKey: 'm1', verdict: 'ok' }
      ],
      's',
      T0
    )
    expect(!missing.ok && missing.message).toBe('「结婚证」还没有审核')
  })

  test('an item already 合格 stays 合格 whatever a second review sends for it', () => {
    const second = items.map((i, n) => (n === 0 ? i : { ...i, verdict: 'ok' as const, reviewedAt: T0 }))
    const r = applyReview(
      second,
      [
        { itemKey: 'm0', verdict: 'ok' },
        { itemKey: 'm1', verdict: 'fix', reason: '再看看' }
      ],
      's2',
      T0 + DAY
    )
    expect(r.ok && r.status).toBe('passed')
    expect(r.ok && r.items[1]).toMatchObject({ verdict: 'ok', reviewedAt: T0 })
  })
})

describe('the end of a case', () => {
  const now = new Date(T0 + 40 * DAY)
  const base = { lastActivityAt: new Date(T0) }

  test('withdrawn: when withdrawn; linked: when the booking ended, open before; unlinked: 30 idle days', () => {
    expect(caseEnd({ ...base, status: 'withdrawn', withdrawnAt: new Date(T0 + DAY) }, null, now)).toEqual({
      at: new Date(T0 + DAY),
      reason: 'withdrawn'
    })
    expect(caseEnd({ ...base, status: 'passed', appointmentId: 'a1' }, null, now)).toBeNull()
    expect(caseEnd({ ...base, status: 'passed', appointmentId: 'a1' }, new Date(T0 + 2 * DAY), now)).toEqual({
      at: new Date(T0 + 2 * DAY),
      reason: 'booking'
    })
    expect(caseEnd({ ...base, status: 'draft' }, null, new Date(T0 + 29 * DAY))).toBeNull()
    expect(caseEnd({ ...base, status: 'draft' }, null, now)).toEqual({
      at: new Date(T0 + 30 * DAY),
      reason: 'idle'
    })
  })

  test('idle from the later of the last change and the last review; never while waiting for the officer', () => {
    const answered = { ...base, reviewedAt: new Date(T0 + 29 * DAY) }
    expect(caseEnd({ ...answered, status: 'returned' }, null, new Date(T0 + 58 * DAY))).toBeNull()
    expect(caseEnd({ ...answered, status: 'returned' }, null, new Date(T0 + 59 * DAY))).toEqual({
      at: new Date(T0 + 59 * DAY),
      reason: 'idle'
    })
    expect(caseEnd({ ...base, status: 'submitted' }, null, new Date(T0 + 365 * DAY))).toBeNull()
  })

  test('a linked booking ends the case when closed, or a day past its time if nobody closed it', () => {
    const startsAt = new Date(T0 + 3 * DAY)
    const open = { status: 'booked', startsAt, updatedAt: new Date(T0) }
    expect(bookingCaseEnd(open, new Date(T0 + 4 * DAY - 60_000))).toBeNull()
    expect(bookingCaseEnd(open, new Date(T0 + 4 * DAY))).toEqual(new Date(T0 + 4 * DAY))
    expect(bookingCaseEnd({ ...open, status: 'checked_in' }, new Date(T0 + 5 * DAY))).toEqual(
      new Date(T0 + 4 * DAY)
    )
    expect(
      bookingCaseEnd({ ...open, status: 'cancelled', cancelledAt: new Date(T0 + DAY) }, new Date(T0 + DAY))
    ).toEqual(new Date(T0 + DAY))
    expect(
      bookingCaseEnd({ ...open, status: 'done', finishedAt: new Date(T0 + 3 * DAY) }, new Date(T0 + 3 * DAY))
    ).toEqual(new Date(T0 + 3 * DAY))
  })

  test('photos are due 30 days after the end, not a minute before', () => {
    const end = new Date(T0)
    expect(photosExpired(end, new Date(T0 + 30 * DAY - 60_000))).toBe(false)
    expect(photosExpired(end, new Date(T0 + 30 * DAY))).toBe(true)
  })

  test('a trip is saved when something was sent back and the pre-review then passed', () => {
    expect(tripSaved({ status: 'passed', returnedCount: 1, passedAt: new Date(T0) })).toBe(true)
    expect(tripSaved({ status: 'passed', returnedCount: 0, passedAt: new Date(T0) })).toBe(false)
    expect(tripSaved({ status: 'returned', returnedCount: 1 })).toBe(false)
  })
})
