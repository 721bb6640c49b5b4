/**
 * 材料预审 through the local cloud, with real files in its storage (docs/materials-and-cards.md):
 * a resident starts a pre-review (twice: the same one), uploads photos into the folder it was
 * given and attaches them; submits once every required item has one; an officer sees it waiting,
 * opens it (audited, photo links that serve the bytes) and passes it. One item sent back with a
 * reason, replaced and resubmitted, then passed: the linked booking shows 材料已预审 at the window.
 * Every bad input — wrong type, too big, too many, path tricks, a missing file, someone else's file
 * or pre-review, an item not editable — has its code and changes nothing (a refused upload of its
 * own folder is deleted, anyone else's file is left alone). Staff of another station are refused;
 * two reviewers at once: one wins. The daily purge deletes the files 30 days after the case ended,
 * not before.
 */
import type { AppointmentOutputs } from '../../types/appointment'
import type { PrereviewOutputs, PrereviewView } from '../../types/prereview'
import { OUT_OF_STATION_MESSAGE } from '../../types/errors'
import type { Result } from '../../types/result'
import type { StaffOutputs } from '../../types/staff-admin'
import { appointment, APPLICANT, ok, requestId } from '../helpers/appointments'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

jest.setTimeout(60_000)

const STATION = 'st-yunxi-chengguan'
const RES = 'r-pr-wang'
const OTHER = 'r-pr-zhao'
const LI = 'demo-officer-li'
const LEADER = 'demo-leader-zhou'
const SUPERVISOR = 'demo-supervisor-chen'
const ELSEWHERE = 'officer-pr-elsewhere'
/** Two required materials. */
const TEMP_ID = 'svc-idcard-temporary'
/** Two required materials and two optional ones; bookable at the window. */
const HUKOU = 'svc-cert-hukou'

const at = (shanghai: string) => cloud.clock.set(Date.parse(`${shanghai}+08:00`))
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code)

function pr<A extends keyof PrereviewOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<PrereviewOutputs[A]>>(cloud, 'prereview', { action, payload }, openid).then(
    (r) => r.body
  )
}
function staff<A extends keyof StaffOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<StaffOutputs[A]>>(cloud, 'staff', { action, payload }, openid).then(
    (r) => r.body
  )
}

/** A JPEG (by its first bytes) of `size` bytes. */
function jpeg(size = 40_000): Buffer {
  const b = Buffer.alloc(size, 0x5a)
  b.set([0xff, 0xd8, 0xff, 0xe0], 0)
  return b
}
function png(size = 30_000): Buffer {
  const b = Buffer.alloc(size, 0x11)
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0)
  return b
}
const gif = () => Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(2000, 1)])

let uploads = 0
/** Uploads as the app does (wx.cloud.uploadFile: the caller's own file). Returns the file id. */
async function upload(openid: string, folder: string, bytes: Buffer, name?: string): Promise<string> {
  const cloudPath = `${folder}${name ?? `m-${Date.now().toString(36)}-${uploads++}.jpg`}`
  const res = await fetch(`${cloud.url}/api/storage/upload?cloudPath=${encodeURIComponent(cloudPath)}`, {
    method: 'POST',
    headers: { 'x-local-openid': openid, 'content-type': 'application/octet-stream' },
    body: bytes
  })
  const body = (await res.json()) as { fileID: string }
  if (!res.ok) throw new Error(`upload: HTTP ${res.status} ${JSON.stringify(body)}`)
  return body.fileID
}
/** Is the file still in the storage? Asked of the storage itself, not of any record. */
const exists = (fileID: string) => {
  const p = cloud.storage.pathOf(fileID)
  return p !== null && cloud.storage.stat(p) !== undefined
}

/** Starts a pre-review and attaches one photo to each required item; returns it. */
async function ready(openid: string, serviceId: string, appointmentId?: string): Promise<PrereviewView> {
  let v = ok(await pr('start', { serviceId, ...(appointmentId ? { appointmentId } : {}) }, openid))
  for (const item of v.items.filter((i) => i.required))
    v = ok(
      await pr(
        'attach',
        { id: v._id, itemKey: item.key, fileID: await upload(openid, v.uploadFolder, jpeg()) },
        openid
      )
    )
  return v
}

const allOk = (v: { items: { key: string; verdict: string }[] }) =>
  v.items.filter((i) => i.verdict !== 'ok').map((i) => ({ itemKey: i.key, verdict: 'ok' }))

/** A refusal: its code, and not a document of any collection changed. */
async function refused(call: () => Promise<Result<unknown>>, expected: string) {
  const before = snapshot(cloud)
  const res = await call()
  expect(code(res)).toBe(expected)
  expect(snapshot(cloud)).toEqual(before)
  return res
}

async function book(openid: string, date: string, hhmm: string) {
  return ok(
    await appointment(
      cloud,
      'book',
      {
        requestId: requestId(),
        serviceId: HUKOU,
        slotId: `${STATION}_${date}_${hhmm}_window`,
        applicant: APPLICANT,
        consent: true
      },
      openid
    )
  )
}

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.store.commit([
    {
      coll: 'staff',
      id: 'staff-pr-elsewhere',
      doc: {
        _id: 'staff-pr-elsewhere',
        openid: ELSEWHERE,
        name: '外所民警',
        role: 'officer',
        stationId: 'st-other',
        active: true
      }
    }
  ])
  at('2026-12-28T10:00:00') // a Monday
})

afterAll(async () => {
  await cloud.close()
})

describe('a pre-review from start to passed', () => {
  let view: PrereviewView

  test('start opens one and answers the same one again; its items are the service materials', async () => {
    view = ok(await pr('start', { serviceId: TEMP_ID }, RES))
    const again = ok(await pr('start', { serviceId: TEMP_ID }, RES))
    expect(again._id).toBe(view._id)
    expect(view.status).toBe('draft')
    expect(view.uploadFolder).toBe(`prereview/${view._id}/`)
    expect(view.items.map((i) => [i.key, i.name, i.required, i.verdict, i.editable])).toEqual([
      ['m0', '居民身份证受理回执', true, 'pending', true],
      ['m1', '居民户口簿', true, 'pending', true]
    ])
    expect(view.canSubmit).toBe(false)
  })

  test('photos are attached per item; submit waits for every required item', async () => {
    const first = await upload(RES, view.uploadFolder, jpeg())
    view = ok(await pr('attach', { id: view._id, itemKey: 'm0', fileID: first }, RES))
    // What is kept is the function's copy of the checked bytes; the upload itself is deleted.
    expect(view.items[0]?.photos).toEqual([
      { fileID: expect.stringMatching(/\/kept\/[0-9a-f]{24}\.jpg$/), bytes: 40_000, url: expect.any(String) }
    ])
    expect(view.items[0]?.photos[0]?.fileID.startsWith(cloud.storage.fileId(view.uploadFolder))).toBe(true)
    expect(exists(first)).toBe(false)
    // The resident's own link serves the photo.
    const served = await fetch(view.items[0]?.photos[0]?.url as string)
    expect(Buffer.from(await served.arrayBuffer()).equals(jpeg())).toBe(true)
    // A retried attach of the same file changes nothing.
    expect(
      ok(await pr('attach', { id: view._id, itemKey: 'm0', fileID: first }, RES)).items[0]?.photos
    ).toHaveLength(1)
    const early = await refused(() => pr('submit', { id: view._id }, RES), 'PREREVIEW_INCOMPLETE')
    expect(!early.ok && early.error.message).toBe('请先为「居民户口簿」拍照上传')
    const second = await upload(RES, view.uploadFolder, png())
    view = ok(await pr('attach', { id: view._id, itemKey: 'm1', fileID: second }, RES))
    expect(view.canSubmit).toBe(true)
    view = ok(await pr('submit', { id: view._id }, RES))
    expect([view.status, view.round, view.statusLabel]).toEqual(['submitted', 1, '待审核'])
    expect(view.items.every((i) => !i.editable)).toBe(true)
  })

  test('the file ids are kept protected: no path or file id in the database', () => {
    const stored = JSON.stringify(cloud.store.docs('prereviews'))
    expect(stored).not.toMatch(/cloud:\/\/|prereview\//)
  })

  test('the station sees it waiting, oldest first, with no personal data; opening it is audited', async () => {
    at('2026-12-28T10:30:30')
    const queue = ok(await pr('queue', { stationId: STATION }, LI))
    expect(queue.items.map((i) => [i._id, i.serviceName, i.itemCount, i.photoCount, i.waitMinutes])).toEqual([
      [view._id, '临时居民身份证', 2, 2, 30]
    ])
    // The workbench counts it.
    expect(ok(await staff('workbench', { stationId: STATION }, LI)).prereviews).toEqual({ waiting: 1 })
    const auditBefore = cloud.store.docs('audit').length
    expect(cloud.store.docs('audit').filter((a) => a.action === 'prereview.open')).toHaveLength(0)
    const opened = ok(await pr('open', { stationId: STATION, id: view._id }, LI))
    expect(opened.items.map((i) => i.photos.length)).toEqual([1, 1])
    const url = opened.items[1]?.photos[0]?.url as string
    const photo = await fetch(url)
    expect(photo.status).toBe(200)
    expect(Buffer.from(await photo.arrayBuffer()).equals(png())).toBe(true)
    const entries = cloud.store.docs('audit').slice(auditBefore)
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'prereview.open',
        recordKind: 'prereviews',
        recordIds: [view._id],
        stationId: STATION,
        staffName: '李警官'
      })
    ])
    // The entry names the record by id: no file id, no link.
    expect(JSON.stringify(entries)).not.toMatch(/cloud:\/\/|http|prereview\//)
  })

  test('the photo links expire', async () => {
    const opened = ok(await pr('open', { stationId: STATION, id: view._id }, LI))
    at('2026-12-28T10:40:00')
    const late = await fetch(opened.items[0]?.photos[0]?.url as string)
    expect(late.status).toBe(403)
  })

  test('all 合格: passed, and the resident is told with a link to the pre-review', async () => {
    const res = ok(
      await pr('review', { stationId: STATION, id: view._id, round: 1, verdicts: allOk(view) }, LI)
    )
    expect([res.status, res.statusLabel]).toEqual(['passed', '已通过'])
    const msg = cloud.store.docs('outbox').find((m) => m.template === 'prereviewResult' && m.touser === RES)
    expect(msg).toMatchObject({
      page: `pages/prereview/index?id=${view._id}`,
      values: { service: '临时居民身份证', status: '已通过' }
    })
    expect(ok(await pr('queue', { stationId: STATION }, LI)).items).toEqual([])
  })
})

describe('one item sent back, replaced, then passed — and the window sees 材料已预审', () => {
  let booking: AppointmentOutputs['book']
  let view: PrereviewView
  let oldPhoto: string

  test('a pre-review started from a booking is linked to it', async () => {
    at('2026-12-28T11:00:00')
    booking = await book(RES, '2026-12-30', '0900')
    view = await ready(RES, HUKOU, booking._id)
    expect(view.appointmentId).toBe(booking._id)
    oldPhoto = view.items[0]?.photos[0]?.fileID as string
    view = ok(await pr('submit', { id: view._id }, RES))
    const detail = ok(await appointment(cloud, 'get', { appointmentId: booking._id }, RES))
    expect(detail.prereview).toEqual({ id: view._id, passed: false })
  })

  test('需补正 needs a reason; with one the pre-review is returned and the resident told', async () => {
    const verdicts = [
      { itemKey: 'm0', verdict: 'fix' },
      { itemKey: 'm1', verdict: 'ok' },
      { itemKey: 'm2', verdict: 'ok' },
      { itemKey: 'm3', verdict: 'ok' }
    ]
    await refused(
      () => pr('review', { stationId: STATION, id: view._id, round: 1, verdicts }, LI),
      'REASON_REQUIRED'
    )
    await refused(
      () => pr('review', { stationId: STATION, id: view._id, round: 1, verdicts: verdicts.slice(1) }, LI),
      'REVIEW_INCOMPLETE'
    )
    verdicts[0] = {
      itemKey: 'm0',
      verdict: 'fix',
      reason: '照片反光，看不清证件号码'
    } as (typeof verdicts)[0]
    const res = ok(await pr('review', { stationId: STATION, id: view._id, round: 1, verdicts }, LI))
    expect(res.status).toBe('returned')
    const msg = cloud.store
      .docs('outbox')
      .find((m) => m.template === 'prereviewResult' && (m.ref as { id: string }).id === view._id)
    expect(msg).toMatchObject({ touser: RES, values: { status: '需补正' } })
    expect(
      cloud.messages.list({ touser: RES }).some((m) => m.page === `pages/prereview/index?id=${view._id}`)
    ).toBe(true)
  })

  test('the resident sees the reason; what is 合格 cannot change; the item sent back must be replaced before resubmitting', async () => {
    view = ok(await pr('get', { id: view._id }, RES))
    expect(view.status).toBe('returned')
    // The two optional items had no photo: not reviewed (what was sent for them is ignored); the
    // resident may still add one now, should the reason ask for it.
    expect(view.items.map((i) => [i.verdictLabel, i.editable, i.reason])).toEqual([
      ['需补正', true, '照片反光，看不清证件号码'],
      ['合格', false, undefined],
      ['待审', true, undefined],
      ['待审', true, undefined]
    ])
    // An item already 合格 cannot change: refused, the upload deleted.
    const extra = await upload(RES, view.uploadFolder, jpeg())
    await refused(
      () => pr('attach', { id: view._id, itemKey: 'm1', fileID: extra }, RES),
      'PREREVIEW_NOT_EDITABLE'
    )
    expect(exists(extra)).toBe(false)
    await refused(() => pr('submit', { id: view._id }, RES), 'PREREVIEW_INCOMPLETE')
    // Replaced: the old photo removed (its file deleted), a new one attached.
    view = ok(await pr('removePhoto', { id: view._id, itemKey: 'm0', fileID: oldPhoto }, RES))
    expect(exists(oldPhoto)).toBe(false)
    const fresh = await upload(RES, view.uploadFolder, jpeg(50_000))
    view = ok(await pr('attach', { id: view._id, itemKey: 'm0', fileID: fresh }, RES))
    view = ok(await pr('submit', { id: view._id }, RES))
    expect([view.status, view.round]).toEqual(['submitted', 2])
    expect(view.items.map((i) => i.verdict)).toEqual(['pending', 'ok', 'pending', 'pending'])
  })

  test('the second review needs only the item sent back; passed, the booking shows 材料已预审', async () => {
    // A stale review of round 1 is refused.
    await refused(
      () => pr('review', { stationId: STATION, id: view._id, round: 1, verdicts: allOk(view) }, LEADER),
      'PREREVIEW_CHANGED'
    )
    const res = ok(
      await pr(
        'review',
        { stationId: STATION, id: view._id, round: 2, verdicts: [{ itemKey: 'm0', verdict: 'ok' }] },
        LEADER
      )
    )
    expect(res.status).toBe('passed')
    expect(ok(await appointment(cloud, 'get', { appointmentId: booking._id }, RES)).prereview).toEqual({
      id: view._id,
      passed: true
    })
    at('2026-12-30T08:50:00')
    const today = ok(await staff('today', { stationId: STATION }, LI))
    const item = today.slots.flatMap((s) => s.items).find((i) => i._id === booking._id)
    expect(item?.prereviewed).toBe(true)
    const checkedIn = ok(await staff('checkIn', { code: booking.code }, LI))
    expect(checkedIn.prereviewed).toBe(true)
    // The figures remember that it was sent back first.
    expect(cloud.store.get('prereviews', view._id)).toMatchObject({
      firstOutcome: 'returned',
      returnedCount: 1
    })
  })
})

describe('bad input: a clear code, nothing changed', () => {
  let view: PrereviewView
  let theirs: PrereviewView

  beforeAll(async () => {
    at('2026-12-28T14:00:00')
    view = ok(await pr('start', { serviceId: HUKOU }, OTHER))
    theirs = await ready(RES, 'svc-reg-move-out')
  })

  test('not a JPEG or PNG, however it is named: refused and deleted', async () => {
    const fileID = await upload(OTHER, view.uploadFolder, gif(), 'looks-like.jpg')
    const res = await refused(
      () => pr('attach', { id: view._id, itemKey: 'm0', fileID }, OTHER),
      'PHOTO_TYPE'
    )
    expect(!res.ok && res.error.message).toMatch(/JPG 或 PNG/)
    expect(exists(fileID)).toBe(false)
  })

  test('over 2 MB: refused and deleted', async () => {
    const fileID = await upload(OTHER, view.uploadFolder, jpeg(2 * 1024 * 1024 + 1))
    await refused(() => pr('attach', { id: view._id, itemKey: 'm0', fileID }, OTHER), 'PHOTO_TOO_BIG')
    expect(exists(fileID)).toBe(false)
  })

  test('a fourth photo of one item: refused and deleted', async () => {
    for (let i = 0; i < 3; i++)
      view = ok(
        await pr(
          'attach',
          { id: view._id, itemKey: 'm2', fileID: await upload(OTHER, view.uploadFolder, jpeg()) },
          OTHER
        )
      )
    const fourth = await upload(OTHER, view.uploadFolder, jpeg())
    await refused(
      () => pr('attach', { id: view._id, itemKey: 'm2', fileID: fourth }, OTHER),
      'PHOTO_TOO_MANY'
    )
    expect(exists(fourth)).toBe(false)
  })

  test('a file that was never uploaded', async () => {
    const fileID = cloud.storage.fileId(`${view.uploadFolder}never-there.jpg`)
    await refused(() => pr('attach', { id: view._id, itemKey: 'm0', fileID }, OTHER), 'PHOTO_MISSING')
  })

  test("path tricks, another folder, another resident's file: refused, and their file left alone", async () => {
    const mine = theirs.items[0]?.photos[0]?.fileID as string
    const folder = view.uploadFolder
    const tricks = [
      cloud.storage.fileId(`${folder}../${theirs._id}/x.jpg`),
      cloud.storage.fileId(`${folder}sub/x.jpg`),
      cloud.storage.fileId(`prereview/${view._id}x/a.jpg`),
      cloud.storage.fileId(`avatars/${view._id}.jpg`),
      `cloud://another-env.bucket/${folder}a.jpg`,
      `${folder}a.jpg`,
      // Another resident's photo, in their pre-review's folder.
      mine
    ]
    for (const fileID of tricks)
      await refused(() => pr('attach', { id: view._id, itemKey: 'm0', fileID }, OTHER), 'PHOTO_NOT_YOURS')
    expect(exists(mine)).toBe(true)
  })

  test("someone else's pre-review is as unknown as one that does not exist", async () => {
    const fileID = theirs.items[0]?.photos[0]?.fileID as string
    for (const [action, payload] of [
      ['get', { id: theirs._id }],
      ['attach', { id: theirs._id, itemKey: 'm0', fileID: await upload(OTHER, view.uploadFolder, jpeg()) }],
      ['removePhoto', { id: theirs._id, itemKey: 'm0', fileID }],
      ['submit', { id: theirs._id }],
      ['withdraw', { id: theirs._id }],
      ['link', { id: theirs._id, appointmentId: 'nope' }]
    ] as const)
      await refused(() => pr(action, payload, OTHER), 'NOT_FOUND')
    expect(exists(fileID)).toBe(true)
  })

  test('an item not editable: while submitted nothing changes', async () => {
    const submitted = ok(await pr('submit', { id: theirs._id }, RES))
    const fileID = await upload(RES, submitted.uploadFolder, jpeg())
    await refused(
      () => pr('attach', { id: theirs._id, itemKey: 'm0', fileID }, RES),
      'PREREVIEW_NOT_EDITABLE'
    )
    expect(exists(fileID)).toBe(false)
    const kept = submitted.items[0]?.photos[0]?.fileID as string
    await refused(
      () => pr('removePhoto', { id: theirs._id, itemKey: 'm0', fileID: kept }, RES),
      'PREREVIEW_NOT_EDITABLE'
    )
    expect(exists(kept)).toBe(true)
  })
})

describe('who may see and review', () => {
  let view: PrereviewView

  beforeAll(async () => {
    at('2026-12-28T15:00:00')
    view = await ready(OTHER, TEMP_ID)
    view = ok(await pr('submit', { id: view._id }, OTHER))
  })

  test('an officer of another station is refused by the station-scope rule and writes nothing', async () => {
    for (const [action, payload] of [
      ['queue', { stationId: STATION }],
      ['open', { stationId: STATION, id: view._id }],
      ['open', { stationId: 'st-other', id: view._id }],
      ['review', { stationId: 'st-other', id: view._id, round: 1, verdicts: allOk(view) }]
    ] as const) {
      const res = await refused(() => pr(action, payload, ELSEWHERE), 'FORBIDDEN')
      expect(!res.ok && res.error.message).toBe(OUT_OF_STATION_MESSAGE)
    }
    expect(ok(await pr('queue', { stationId: 'st-other' }, ELSEWHERE)).items).toEqual([])
  })

  test('residents have no staff action', async () => {
    await refused(() => pr('queue', { stationId: STATION }, OTHER), 'FORBIDDEN')
    await refused(() => pr('open', { stationId: STATION, id: view._id }, OTHER), 'FORBIDDEN')
  })

  test('the leader and a supervisor may open it, each opening on record', async () => {
    const before = cloud.store.docs('audit').length
    ok(await pr('open', { stationId: STATION, id: view._id }, LEADER))
    ok(await pr('open', { stationId: STATION, id: view._id }, SUPERVISOR))
    const added = cloud.store.docs('audit').slice(before)
    expect(added.map((a) => [a.action, a.role, a.stationId, a.recordIds])).toEqual([
      ['prereview.open', 'leader', STATION, [view._id]],
      ['prereview.open', 'supervisor', STATION, [view._id]]
    ])
  })

  test('two officers reviewing at once: one records it, the other is told it changed', async () => {
    const verdicts = allOk(view)
    const fix = view.items.map((i) => ({ itemKey: i.key, verdict: 'fix', reason: '照片不清晰' }))
    const answers = await Promise.all([
      pr('review', { stationId: STATION, id: view._id, round: 1, verdicts }, LI),
      pr('review', { stationId: STATION, id: view._id, round: 1, verdicts: fix }, LEADER)
    ])
    expect(answers.map(code).sort()).toEqual(['PREREVIEW_CHANGED', 'ok'])
    const doc = cloud.store.get('prereviews', view._id) as unknown as { status: string }
    const winner = answers.find((a) => a.ok) as { data: { status: string } }
    expect(doc.status).toBe(winner.data.status)
    const msgs = cloud.store
      .docs('outbox')
      .filter((m) => m.template === 'prereviewResult' && (m.ref as { id: string }).id === view._id)
    expect(msgs).toHaveLength(1)
  })
})

describe('a resident changing a pre-review under review', () => {
  test('withdrawn while the officer looks at it: the review is refused and changes nothing', async () => {
    at('2026-12-28T16:00:00')
    let v = await ready('r-pr-withdrawer', TEMP_ID)
    v = ok(await pr('submit', { id: v._id }, 'r-pr-withdrawer'))
    const opened = ok(await pr('open', { stationId: STATION, id: v._id }, LI))
    ok(await pr('withdraw', { id: v._id }, 'r-pr-withdrawer'))
    const res = await refused(
      () => pr('review', { stationId: STATION, id: v._id, round: opened.round, verdicts: allOk(opened) }, LI),
      'PREREVIEW_CHANGED'
    )
    expect(!res.ok && res.error.message).toBe('居民已撤回这次预审')
  })
})

describe('the photos are erased 30 days after the case ended, files first', () => {
  const fire = async () =>
    (await (await fetch(`${cloud.url}/api/local/timers/notify`, { method: 'POST' })).json()) as {
      result: { purged: { prereviews: number }; purge: string }
    }
  let withdrawn: PrereviewView
  let cancelled: PrereviewView
  let idle: PrereviewView
  const filesOf = (v: PrereviewView) => v.items.flatMap((i) => i.photos.map((p) => p.fileID))

  beforeAll(async () => {
    at('2026-12-30T10:00:00') // a Wednesday
    withdrawn = await ready('r-pr-purge-1', TEMP_ID)
    withdrawn = ok(await pr('withdraw', { id: withdrawn._id }, 'r-pr-purge-1'))
    const b = await book('r-pr-purge-2', '2026-12-31', '1000')
    cancelled = await ready('r-pr-purge-2', HUKOU, b._id)
    cancelled = ok(await pr('submit', { id: cancelled._id }, 'r-pr-purge-2'))
    ok(await appointment(cloud, 'cancel', { appointmentId: b._id }, 'r-pr-purge-2'))
    idle = await ready('r-pr-purge-3', TEMP_ID)
  })

  test('a purge short of 30 days erases nothing; it marks the cases that ended', async () => {
    at('2027-01-29T03:20:00') // 29 days and 17 hours after the withdrawal and the cancel
    expect((await fire()).result.purge).toBe('ran')
    for (const f of [...filesOf(withdrawn), ...filesOf(cancelled), ...filesOf(idle)])
      expect(exists(f)).toBe(true)
    expect(cloud.store.get('prereviews', cancelled._id)).toMatchObject({ endReason: 'booking' })
    // Idle 29 days only: still open.
    expect((cloud.store.get('prereviews', idle._id) as { endedAt?: unknown }).endedAt).toBeUndefined()
  })

  test('past 30 days the files are gone from the storage and their ids from the records', async () => {
    at('2027-01-30T03:20:00')
    const run = await fire()
    expect(run.result.purged.prereviews).toBe(2)
    for (const f of [...filesOf(withdrawn), ...filesOf(cancelled)]) expect(exists(f)).toBe(false)
    for (const f of filesOf(idle)) expect(exists(f)).toBe(true)
    const doc = cloud.store.get('prereviews', withdrawn._id) as unknown as {
      items: { photos: unknown[] }[]
      purgedAt?: unknown
      purgedPhotos: number
      status: string
    }
    expect(doc.items.every((i) => i.photos.length === 0)).toBe(true)
    expect(doc).toMatchObject({ status: 'withdrawn', purgedPhotos: 2 })
    // The resident's own page still opens, without photos.
    const after = ok(await pr('get', { id: withdrawn._id }, 'r-pr-purge-1'))
    expect(after.items.flatMap((i) => i.photos)).toEqual([])
    // Idle since 2026-12-30 10:00: its case ended 30 days later, its photos still kept.
    expect(cloud.store.get('prereviews', idle._id)).toMatchObject({ endReason: 'idle' })
  })

  test('an unlinked pre-review left idle is erased 30 days after its case ended', async () => {
    at('2027-02-28T03:20:00')
    await fire()
    for (const f of filesOf(idle)) expect(exists(f)).toBe(true)
    at('2027-03-01T03:20:00')
    await fire()
    for (const f of filesOf(idle)) expect(exists(f)).toBe(false)
  })
})

describe('the dashboard figures', () => {
  test('pre-reviews first submitted in the period, passed at the first review, and trips saved', async () => {
    const res = await callFunction<Result<{ prereviews: unknown }>>(
      cloud,
      'rating',
      { action: 'dashboard', payload: { from: '2026-12-28', to: '2026-12-30', stationId: STATION } },
      SUPERVISOR
    )
    // Submitted that week: six (above, one since withdrawn); reviewed: the first (passed), the booking's (sent back,
    // then passed: a trip saved) and the one two officers raced for (passed or sent back).
    const raced = cloud.store
      .docs('prereviews')
      .find((d) => d.openid === OTHER && d.serviceId === TEMP_ID) as unknown as { firstOutcome: string }
    const passedFirst = 1 + (raced.firstOutcome === 'passed' ? 1 : 0)
    expect(ok(res.body).prereviews).toEqual({
      submitted: 6,
      reviewed: 3,
      passedFirst,
      firstPassRate: Math.round((passedFirst / 3) * 1000) / 10,
      tripsSaved: 1
    })
    const before = ok(
      (
        await callFunction<Result<{ prereviews: { submitted: number } }>>(
          cloud,
          'rating',
          { action: 'dashboard', payload: { from: '2026-12-01', to: '2026-12-27', stationId: STATION } },
          SUPERVISOR
        )
      ).body
    )
    expect(before.prereviews.submitted).toBe(0)
  })
})

/** The app's delete (wx.cloud.deleteFile) as `openid`: the per-file status. */
async function appDelete(openid: string, fileID: string): Promise<number | undefined> {
  const res = await fetch(`${cloud.url}/api/storage/delete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-local-openid': openid },
    body: JSON.stringify({ fileList: [fileID] })
  })
  return ((await res.json()) as { fileList: { status: number }[] }).fileList[0]?.status
}

const firePurge = async () =>
  (await (await fetch(`${cloud.url}/api/local/timers/notify`, { method: 'POST' })).json()) as {
    result: { purged: { prereviews: number }; purge: string }
  }

// These run after the figures and the purge above, on days of their own (from 2027-03-02).
describe('what the officer sees is what was checked', () => {
  const R = 'r-pr-swap'
  test('after 已通过 the resident can neither overwrite nor delete the kept photo; a new upload at the old path changes nothing', async () => {
    at('2027-03-02T09:00:00')
    let v = ok(await pr('start', { serviceId: TEMP_ID }, R))
    const path = `${v.uploadFolder}m0-original.jpg`
    const first = await upload(R, v.uploadFolder, jpeg(), 'm0-original.jpg')
    v = ok(await pr('attach', { id: v._id, itemKey: 'm0', fileID: first }, R))
    v = ok(
      await pr('attach', { id: v._id, itemKey: 'm1', fileID: await upload(R, v.uploadFolder, png()) }, R)
    )
    const kept = v.items[0]?.photos[0]?.fileID as string
    expect(kept).not.toBe(first)
    v = ok(await pr('submit', { id: v._id }, R))
    ok(await pr('review', { stationId: STATION, id: v._id, round: 1, verdicts: allOk(v) }, LI))
    // The resident uploads other bytes at the path they attached from: allowed (their folder),
    // and nothing the officer sees.
    const evil = Buffer.concat([
      Buffer.from('<html><script>alert(1)</script>'),
      Buffer.alloc(3 * 1024 * 1024, 0x41)
    ])
    expect(await upload(R, v.uploadFolder, evil, 'm0-original.jpg')).toBe(cloud.storage.fileId(path))
    // The kept copy is nobody's: the app may neither overwrite nor delete it.
    const keptPath = cloud.storage.pathOf(kept) as string
    const over = await fetch(`${cloud.url}/api/storage/upload?cloudPath=${encodeURIComponent(keptPath)}`, {
      method: 'POST',
      headers: { 'x-local-openid': R },
      body: evil
    })
    expect(over.status).toBe(403)
    expect(await appDelete(R, kept)).toBe(-503002)
    const opened = ok(await pr('open', { stationId: STATION, id: v._id }, LI))
    expect(opened.items[0]?.photos[0]).toMatchObject({ fileID: kept, bytes: 40_000 })
    const served = await fetch(opened.items[0]?.photos[0]?.url as string)
    expect(served.headers.get('content-type')).toBe('image/jpeg')
    expect(Buffer.from(await served.arrayBuffer()).equals(jpeg())).toBe(true)
  })

  test('a retried attach of the same upload is recognised; removing the photo deletes the kept file', async () => {
    let v = ok(await pr('start', { serviceId: TEMP_ID }, 'r-pr-retry'))
    const up = await upload('r-pr-retry', v.uploadFolder, jpeg())
    v = ok(await pr('attach', { id: v._id, itemKey: 'm0', fileID: up }, 'r-pr-retry'))
    const kept = v.items[0]?.photos[0]?.fileID as string
    // The answer was lost; the page sends it again: the same photo, nothing new stored.
    const files = cloud.storage.usage(v.uploadFolder).files
    // (Checked like a refusal: answered, and not a document changed.)
    const again = (await refused(
      () => pr('attach', { id: v._id, itemKey: 'm0', fileID: up }, 'r-pr-retry'),
      'ok'
    )) as Result<PrereviewView>
    expect(again.ok && again.data.items[0]?.photos.map((p) => p.fileID)).toEqual([kept])
    expect(cloud.storage.usage(v.uploadFolder).files).toBe(files)
    // Sent for another item: refused.
    await refused(() => pr('attach', { id: v._id, itemKey: 'm1', fileID: up }, 'r-pr-retry'), 'INVALID_INPUT')
    // The kept copy cannot be attached as an upload (it is not directly in the upload folder).
    await refused(
      () => pr('attach', { id: v._id, itemKey: 'm1', fileID: kept }, 'r-pr-retry'),
      'PHOTO_NOT_YOURS'
    )
    v = ok(await pr('removePhoto', { id: v._id, itemKey: 'm0', fileID: kept }, 'r-pr-retry'))
    expect(v.items[0]?.photos).toEqual([])
    expect(exists(kept)).toBe(false)
    expect(cloud.storage.usage(v.uploadFolder).files).toBe(0)
  })
})

describe('a photo whose file is gone is not submitted', () => {
  test('submit names the item; removed and replaced, it goes through', async () => {
    const R = 'r-pr-gone'
    let v = await ready(R, TEMP_ID)
    const lost = v.items[1]?.photos[0]?.fileID as string
    // Gone from the storage (however it happened): here the storage deletes it itself.
    expect(cloud.storage.remove({ admin: true }, lost)).toBe('SUCCESS')
    const res = await refused(() => pr('submit', { id: v._id }, R), 'PHOTO_MISSING')
    expect(!res.ok && res.error.message).toBe('「居民户口簿」的照片已不在了，请删除后重新上传')
    v = ok(await pr('removePhoto', { id: v._id, itemKey: 'm1', fileID: lost }, R))
    v = ok(
      await pr('attach', { id: v._id, itemKey: 'm1', fileID: await upload(R, v.uploadFolder, jpeg()) }, R)
    )
    expect(ok(await pr('submit', { id: v._id }, R)).status).toBe('submitted')
  })
})

describe('a refused upload whose deletion failed is deleted by the purge', () => {
  test('recorded on the pre-review (protected), then deleted 30 days after the case ended', async () => {
    const R = 'r-pr-stray'
    at('2027-03-03T09:00:00')
    const v = ok(await pr('start', { serviceId: TEMP_ID }, R))
    const refusedUpload = await upload(R, v.uploadFolder, gif(), 'm0-gif.jpg')
    cloud.faults.failOn({ fn: 'prereview', action: 'storage.batchDeleteFile' })
    expect(code(await pr('attach', { id: v._id, itemKey: 'm0', fileID: refusedUpload }, R))).toBe(
      'PHOTO_TYPE'
    )
    expect(exists(refusedUpload)).toBe(true)
    const doc = cloud.store.get('prereviews', v._id) as unknown as { strayFiles?: string[] }
    expect(doc.strayFiles).toHaveLength(1)
    expect(JSON.stringify(doc.strayFiles)).not.toMatch(/cloud:\/\/|prereview\//)
    ok(await pr('withdraw', { id: v._id }, R))
    at('2027-04-01T03:20:00') // under 30 days after
    await firePurge()
    expect(exists(refusedUpload)).toBe(true)
    at('2027-04-03T03:20:00')
    await firePurge()
    expect(exists(refusedUpload)).toBe(false)
    expect(cloud.store.get('prereviews', v._id)).toMatchObject({ purgedPhotos: 0 })
    expect((cloud.store.get('prereviews', v._id) as { strayFiles?: unknown }).strayFiles).toBeUndefined()
  })
})

/* ---------- the second review: cases that end, the idle clock, the attach race ---------- */

const queueIds = async () => ok(await pr('queue', { stationId: STATION }, LI)).items.map((i) => i._id)
/** The holiday table of 2027, as a supervisor publishes it (bookings in 2027 open). */
const publish2027 = () =>
  cloud.store.commit([
    {
      coll: 'calendars',
      id: 'cal-2027',
      doc: {
        _id: 'cal-2027',
        year: 2027,
        days: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }],
        source: 'test',
        confirmed: true,
        updatedAt: new Date()
      }
    }
  ])
const waiting = async () => ok(await staff('workbench', { stationId: STATION }, LI)).prereviews?.waiting

describe('a linked booking nobody closed ends its case a day after its time', () => {
  test('out of the queue and the workbench count, shown as ended, and its photos erased 30 days later', async () => {
    const R = 'r-pr-unclosed'
    publish2027()
    at('2027-05-03T09:00:00') // a Monday
    const b = await book(R, '2027-05-04', '1000')
    let v = await ready(R, HUKOU, b._id)
    v = ok(await pr('submit', { id: v._id }, R))
    const files = v.items.flatMap((i) => i.photos.map((p) => p.fileID))
    expect(await queueIds()).toContain(v._id)
    const before = await waiting()
    // The day after, still 已预约 (the window never closed it), within the day's grace: open.
    at('2027-05-05T03:20:00')
    await firePurge()
    expect((cloud.store.get('prereviews', v._id) as { endedAt?: unknown }).endedAt).toBeUndefined()
    // A day past its time: ended, by the booking.
    at('2027-05-06T03:20:00')
    await firePurge()
    expect(cloud.store.get('prereviews', v._id)).toMatchObject({
      endReason: 'booking',
      endedAt: new Date('2027-05-05T02:00:00Z')
    })
    expect(await queueIds()).not.toContain(v._id)
    expect(await waiting()).toBe((before ?? 0) - 1)
    const mine = ok(await pr('get', { id: v._id }, R))
    expect(mine.endedAt).toBe('2027-05-05T02:00:00.000Z')
    expect(mine.canSubmit).toBe(false)
    expect(mine.items.some((i) => i.editable)).toBe(false)
    const seen = ok(await pr('open', { stationId: STATION, id: v._id }, LI))
    expect(seen.endedAt).toBeDefined()
    expect(seen.items.some((i) => i.editable)).toBe(false)
    await refused(
      () => pr('review', { stationId: STATION, id: v._id, round: 1, verdicts: allOk(v) }, LI),
      'PREREVIEW_CHANGED'
    )
    // Nor can another pre-review be linked to the lapsed booking.
    expect(code(await pr('start', { serviceId: HUKOU, appointmentId: b._id }, R))).toBe('NOT_CHANGEABLE')
    at('2027-06-04T03:20:00') // under 30 days after
    await firePurge()
    for (const f of files) expect(exists(f)).toBe(true)
    at('2027-06-05T03:20:00')
    await firePurge()
    for (const f of files) expect(exists(f)).toBe(false)
  })
})

describe('the idle clock counts from the officer’s answer, and never runs while waiting for the officer', () => {
  test('sent back on day 29: the resident still has 30 days to replace it', async () => {
    const R = 'r-pr-late-answer'
    const W = 'r-pr-never-answered'
    at('2027-05-10T09:00:00')
    let v = await ready(R, TEMP_ID)
    v = ok(await pr('submit', { id: v._id }, R))
    let w = await ready(W, TEMP_ID)
    w = ok(await pr('submit', { id: w._id }, W))
    at('2027-06-08T20:00:00') // 29 and a half days later
    const verdicts = [
      { itemKey: 'm0', verdict: 'fix', reason: '照片反光看不清，请重新拍摄' },
      { itemKey: 'm1', verdict: 'ok' }
    ]
    expect(ok(await pr('review', { stationId: STATION, id: v._id, round: 1, verdicts }, LI)).status).toBe(
      'returned'
    )
    at('2027-06-11T03:20:00') // 31 days after the submissions
    await firePurge()
    expect((cloud.store.get('prereviews', v._id) as { endedAt?: unknown }).endedAt).toBeUndefined()
    // Waiting for the officer for 31 days: still waiting, still in the queue.
    expect((cloud.store.get('prereviews', w._id) as { endedAt?: unknown }).endedAt).toBeUndefined()
    expect(await queueIds()).toContain(w._id)
    v = ok(
      await pr('attach', { id: v._id, itemKey: 'm0', fileID: await upload(R, v.uploadFolder, jpeg()) }, R)
    )
    expect(ok(await pr('submit', { id: v._id }, R)).status).toBe('submitted')
    // Answered and then left alone: idle 30 days after the answer.
    at('2027-06-11T10:00:00')
    ok(await pr('review', { stationId: STATION, id: w._id, round: 1, verdicts: allOk(w) }, LI))
    at('2027-07-11T03:20:00')
    await firePurge()
    expect((cloud.store.get('prereviews', w._id) as { endedAt?: unknown }).endedAt).toBeUndefined()
    at('2027-07-12T03:20:00')
    await firePurge()
    // Ended 30 days after the answer (to the second: the clock runs on during a call).
    const ended = cloud.store.get('prereviews', w._id) as unknown as { endReason: string; endedAt: Date }
    expect(ended.endReason).toBe('idle')
    expect(Math.abs(new Date(ended.endedAt).getTime() - Date.parse('2027-07-11T02:00:00Z'))).toBeLessThan(
      1000
    )
  })
})

describe('the same upload attached twice at once', () => {
  test('one photo on the item, and the second copy deleted', async () => {
    const R = 'r-pr-attach-twice'
    at('2027-07-12T09:00:00')
    const v = ok(await pr('start', { serviceId: TEMP_ID }, R))
    const up = await upload(R, v.uploadFolder, jpeg())
    // The first transaction's read answers late: both calls are past the check made before it.
    cloud.faults.delayOn({
      fn: 'prereview',
      action: 'database.getInTransaction',
      collection: 'prereviews',
      times: 1,
      ms: 400
    })
    const both = await Promise.all(
      [0, 1].map(() => pr('attach', { id: v._id, itemKey: 'm0', fileID: up }, R))
    )
    expect(both.map(code)).toEqual(['ok', 'ok'])
    const doc = cloud.store.get('prereviews', v._id) as unknown as { items: { photos: unknown[] }[] }
    expect(doc.items[0]?.photos).toHaveLength(1)
    // Only the recorded copy is left in the kept folder; the upload itself is gone.
    expect(cloud.storage.usage(`${v.uploadFolder}kept/`).files).toBe(1)
    expect(exists(up)).toBe(false)
  })
})

describe('what the resident is told when a pre-review passes', () => {
  test('not linked: told to link it from the booking; linked from the booking, the window sees it', async () => {
    const R = 'r-pr-unlinked-pass'
    publish2027()
    at('2027-07-12T10:00:00') // a Monday
    let v = await ready(R, HUKOU)
    v = ok(await pr('submit', { id: v._id }, R))
    ok(await pr('review', { stationId: STATION, id: v._id, round: 1, verdicts: allOk(v) }, LI))
    const msg = cloud.store
      .docs('outbox')
      .find((m) => m.template === 'prereviewResult' && m.touser === R) as unknown as {
      values: { note: string }
    }
    expect(msg.values.note).not.toMatch(/窗口会看到/)
    expect(msg.values.note).toMatch(/预约详情/)
    // The booking's page opens the same pre-review, linked, and the window sees it passed.
    const b = await book(R, '2027-07-14', '1000')
    const linked = ok(await pr('start', { serviceId: HUKOU, appointmentId: b._id }, R))
    expect(linked._id).toBe(v._id)
    expect(cloud.store.get('appointments', b._id)).toMatchObject({
      prereviewId: v._id,
      prereviewPassed: true
    })
  })
})

describe('with more open linked cases than one purge checks, each is checked in turn', () => {
  test('two runs look at every one of 250', async () => {
    at('2027-07-19T09:00:00')
    const now = new Date(cloud.clock.now())
    const ids = Array.from({ length: 250 }, (_, i) => `pr-many-${String(i).padStart(3, '0')}`)
    cloud.store.commit([
      {
        coll: 'appointments',
        id: 'a-pr-many',
        doc: {
          _id: 'a-pr-many',
          openid: 'r-pr-many',
          stationId: STATION,
          serviceId: HUKOU,
          status: 'booked',
          date: '2027-12-01',
          start: '10:00',
          startsAt: new Date('2027-12-01T02:00:00Z'),
          createdAt: now,
          updatedAt: now
        }
      },
      ...ids.map((id, i) => ({
        coll: 'prereviews',
        id,
        doc: {
          _id: id,
          openid: `r-pr-many-${i}`,
          stationId: STATION,
          serviceId: HUKOU,
          serviceName: '户口簿证明',
          appointmentId: 'a-pr-many',
          openKey: `open|r-pr-many-${i}|${HUKOU}|a-pr-many`,
          status: 'draft',
          round: 0,
          rev: 0,
          items: [],
          createdAt: now,
          updatedAt: now,
          lastActivityAt: now,
          returnedCount: 0
        }
      }))
    ])
    const checked = () =>
      ids.filter((id) => (cloud.store.get('prereviews', id) as { endCheckedAt?: unknown }).endCheckedAt)
        .length
    at('2027-07-20T03:20:00')
    await firePurge()
    expect(checked()).toBeGreaterThan(0)
    at('2027-07-21T03:20:00')
    await firePurge()
    expect(checked()).toBe(250)
  })
})

describe('the dashboard figures follow the service filter; a withdrawn one saved no trip', () => {
  test('trips saved leaves out one withdrawn after passing; filtered by service, only that service counts', async () => {
    const A = 'r-pr-fig-a'
    const B = 'r-pr-fig-b'
    at('2027-08-02T09:00:00') // a Monday
    let a = await ready(A, TEMP_ID)
    a = ok(await pr('submit', { id: a._id }, A))
    const fix = [
      { itemKey: 'm0', verdict: 'fix', reason: '照片反光看不清，请重新拍摄' },
      { itemKey: 'm1', verdict: 'ok' }
    ]
    ok(await pr('review', { stationId: STATION, id: a._id, round: 1, verdicts: fix }, LI))
    a = ok(
      await pr('attach', { id: a._id, itemKey: 'm0', fileID: await upload(A, a.uploadFolder, jpeg()) }, A)
    )
    a = ok(await pr('submit', { id: a._id }, A))
    ok(await pr('review', { stationId: STATION, id: a._id, round: 2, verdicts: allOk(a) }, LI))
    let b = await ready(B, HUKOU)
    b = ok(await pr('submit', { id: b._id }, B))
    ok(await pr('review', { stationId: STATION, id: b._id, round: 1, verdicts: allOk(b) }, LI))
    const figures = async (more: Record<string, string> = {}) =>
      ok(
        (
          await callFunction<Result<{ prereviews: { submitted: number; tripsSaved: number } }>>(
            cloud,
            'rating',
            {
              action: 'dashboard',
              payload: { from: '2027-08-02', to: '2027-08-02', stationId: STATION, ...more }
            },
            SUPERVISOR
          )
        ).body
      ).prereviews
    at('2027-08-03T09:00:00')
    expect(await figures()).toMatchObject({ submitted: 2, tripsSaved: 1 })
    expect(await figures({ serviceName: b.serviceName })).toMatchObject({ submitted: 1, tripsSaved: 0 })
    // Withdrawn after passing: the resident is not coming with it, no trip saved.
    ok(await pr('withdraw', { id: a._id }, A))
    expect(await figures()).toMatchObject({ submitted: 2, tripsSaved: 0 })
  })
})

describe('a file refused on a pre-review already erased is deleted all the same', () => {
  test('recorded after the purge, deleted by the next run', async () => {
    const R = 'r-pr-late-stray'
    at('2027-08-03T10:00:00')
    const v = await ready(R, TEMP_ID)
    ok(await pr('withdraw', { id: v._id }, R))
    at('2027-09-03T03:20:00')
    await firePurge()
    expect(cloud.store.get('prereviews', v._id)).toMatchObject({ purgedPhotos: 2 })
    // The page retries an upload on the old case; it is refused, and its deletion fails.
    const late = await upload(R, v.uploadFolder, jpeg())
    cloud.faults.failOn({ fn: 'prereview', action: 'storage.batchDeleteFile' })
    expect(code(await pr('attach', { id: v._id, itemKey: 'm0', fileID: late }, R))).toBe(
      'PREREVIEW_NOT_EDITABLE'
    )
    expect(exists(late)).toBe(true)
    at('2027-09-04T03:20:00')
    await firePurge()
    expect(exists(late)).toBe(false)
    expect((cloud.store.get('prereviews', v._id) as { strayFiles?: unknown }).strayFiles).toBeUndefined()
  })
})

describe('after 需补正, an optional item without a photo may be added', () => {
  test('its photo is reviewed with the resubmission', async () => {
    const R = 'r-pr-optional-late'
    at('2027-09-06T09:00:00')
    let v = await ready(R, HUKOU)
    v = ok(await pr('submit', { id: v._id }, R))
    const verdicts = [
      { itemKey: 'm0', verdict: 'fix', reason: '请同时上传结婚证照片' },
      { itemKey: 'm1', verdict: 'ok' }
    ]
    ok(await pr('review', { stationId: STATION, id: v._id, round: 1, verdicts }, LI))
    const optional = v.items.find((i) => !i.required) as { key: string }
    v = ok(
      await pr(
        'attach',
        { id: v._id, itemKey: optional.key, fileID: await upload(R, v.uploadFolder, jpeg()) },
        R
      )
    )
    v = ok(
      await pr('attach', { id: v._id, itemKey: 'm0', fileID: await upload(R, v.uploadFolder, jpeg()) }, R)
    )
    v = ok(await pr('submit', { id: v._id }, R))
    const seen = ok(await pr('open', { stationId: STATION, id: v._id }, LI))
    expect(seen.items.filter((i) => i.editable).map((i) => i.key)).toEqual(['m0', optional.key])
  })
})

describe('a passed pre-review outlives its cancelled booking', () => {
  async function passedFor(R: string, date: string) {
    const b = await book(R, date, '1000')
    let v = await ready(R, HUKOU, b._id)
    v = ok(await pr('submit', { id: v._id }, R))
    ok(await pr('review', { stationId: STATION, id: v._id, round: 1, verdicts: allOk(v) }, LI))
    ok(await appointment(cloud, 'cancel', { appointmentId: b._id }, R))
    return { b, v }
  }

  test('booked again the same day, the new booking takes it over and shows 材料已预审', async () => {
    const R = 'r-pr-rebook-now'
    publish2027()
    at('2027-09-13T09:00:00') // a Monday
    const { b, v } = await passedFor(R, '2027-09-14')
    const b2 = await book(R, '2027-09-15', '1000')
    const again = ok(await pr('start', { serviceId: HUKOU, appointmentId: b2._id }, R))
    expect([again._id, again.status, again.appointmentId]).toEqual([v._id, 'passed', b2._id])
    expect(cloud.store.get('appointments', b2._id)).toMatchObject({
      prereviewId: v._id,
      prereviewPassed: true
    })
    expect((cloud.store.get('appointments', b._id) as { prereviewId?: string }).prereviewId).toBeUndefined()
  })

  test('after the daily run it is unlinked, not ended, and links to the next booking', async () => {
    const R = 'r-pr-rebook-later'
    at('2027-09-13T10:00:00')
    const { v } = await passedFor(R, '2027-09-14')
    at('2027-09-14T03:20:00')
    await firePurge()
    const doc = cloud.store.get('prereviews', v._id) as { appointmentId?: string; endedAt?: unknown }
    expect([doc.appointmentId, doc.endedAt]).toEqual([undefined, undefined])
    at('2027-09-14T09:00:00')
    const b2 = await book(R, '2027-09-16', '1000')
    const again = ok(await pr('start', { serviceId: HUKOU, appointmentId: b2._id }, R))
    expect([again._id, again.appointmentId]).toEqual([v._id, b2._id])
    expect(cloud.store.get('appointments', b2._id)).toMatchObject({ prereviewPassed: true })
  })
})
