/**
 * 材料预审 in the H5 build, a booking's journey: the resident opens the pre-review from the
 * booking's detail, photographs each required material (the file chooser; the photo is shrunk in
 * the browser, uploaded to the local cloud's storage and attached), and submits; the officer opens
 * it from the workbench, sends one item back with a reason and passes the other; the resident sees
 * 需补正 and the reason, replaces that photo and submits again; the officer passes it; at check-in
 * the booking shows 材料已预审. The pages are looked at at 320 and 375 px, normal and elder mode
 * (nothing past the right edge), with screenshots when PREREVIEW_SCREENSHOTS names a folder.
 */
import { deflateSync } from 'node:zlib'
import type { Browser, Page } from 'playwright-core'
import { appointment, APPLICANT, ok, requestId } from '../helpers/appointments'
import { byTestId, fitsScreen, launch, phoneAs } from '../helpers/browser'
import { freshCloud } from '../helpers/cloud'

jest.setTimeout(240_000)

const STATION = 'st-yunxi-chengguan'
const RESIDENT = 'e2e-prereview-resident'
const OFFICER = 'demo-officer-li'
let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser

const at = (shanghai: string) => cloud.clock.set(Date.parse(`${shanghai}+08:00`))

/** A real PNG the browser can decode: `width` × `height`, bands of colour (a "document"). */
function photo(width: number, height: number, seed: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (buf: Buffer) => {
    let c = 0xffffffff
    for (const b of buf) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const sum = Buffer.alloc(4)
    sum.writeUInt32BE(crc(body))
    return Buffer.concat([len, body, sum])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB
  const rows: Buffer[] = []
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3)
    for (let x = 0; x < width; x++) {
      const band = Math.floor((x + y + seed * 37) / 40) % 3
      row.set(band === 0 ? [230, 230, 220] : band === 1 ? [40, 60, 120] : [200, 80, 60], 1 + x * 3)
    }
    rows.push(row)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0))
  ])
}

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

const as = (openid: string, width = 375, elder = false) => phoneAs(browser, openid, { width, elder })

const looks = (page: Page, name: string, width: number, elder: boolean) =>
  fitsScreen(page, name, width, elder, 'PREREVIEW_SCREENSHOTS')

/** Picks a photo for an item through the page's file chooser, and waits until it is attached. */
async function choosePhoto(page: Page, itemKey: string, seed: number, before: number): Promise<void> {
  const chooser = page.waitForEvent('filechooser')
  await byTestId(page, `pr-album-${itemKey}`).click()
  await (
    await chooser
  ).setFiles({ name: `doc-${seed}.png`, mimeType: 'image/png', buffer: photo(900, 640, seed) })
  await page.waitForFunction(
    ([key, n]) =>
      document.querySelectorAll(`[data-testid="pr-item-${key}"] [data-testid="pr-photo"]`).length > n,
    [itemKey, before] as const
  )
}

test('a pre-review sent back once, then passed; the booking shows 材料已预审 at check-in', async () => {
  at('2026-12-28T10:00:00') // Monday
  const booking = ok(
    await appointment(
      cloud,
      'book',
      {
        requestId: requestId(),
        serviceId: 'svc-cert-hukou',
        slotId: `${STATION}_2026-12-30_0900_window`,
        applicant: APPLICANT,
        consent: true
      },
      RESIDENT
    )
  )

  // The resident opens it from the booking's detail.
  const resident = await as(RESIDENT)
  await resident.goto(`${cloud.url}/#/pages/booking-detail/index?id=${booking._id}`)
  await byTestId(resident, 'open-prereview').click()
  await byTestId(resident, 'pr-item-m0').waitFor()
  await byTestId(resident, 'pr-privacy').getByText('30天后').waitFor()
  await choosePhoto(resident, 'm0', 1, 0)
  await choosePhoto(resident, 'm1', 2, 0)
  // Shrunk in the browser: a JPEG no wider than 1600 px, in the pre-review's own folder.
  const doc = cloud.store.docs('prereviews')[0] as { _id: string }
  const usage = cloud.storage.usage(`prereview/${doc._id}/`)
  expect(usage.files).toBe(2)
  await byTestId(resident, 'pr-submit').click()
  await byTestId(resident, 'pr-status').getByText('待审核').waitFor()

  // The officer: from the workbench to the review.
  at('2026-12-28T11:00:00')
  const officer = await as(OFFICER)
  await officer.goto(`${cloud.url}/#/officer/workbench/index`)
  await byTestId(officer, 'workbench-prereviews').getByText('材料预审待审核').waitFor()
  await byTestId(officer, 'workbench-prereviews').click()
  await byTestId(officer, 'prq-row').getByText('户籍证明开具').waitFor()
  await looks(officer, 'prereview-officer-list', 375, false)
  await byTestId(officer, 'prq-row').click()
  await byTestId(officer, 'prr-photo').first().waitFor()
  expect(await byTestId(officer, 'prr-photo').count()).toBe(2)
  await byTestId(officer, 'prr-fix-m0').click()
  await byTestId(officer, 'prr-ok-m1').click()
  // 需补正 without a reason is caught on the page.
  await byTestId(officer, 'prr-submit').click()
  await byTestId(officer, 'prr-error').getByText('需补正的原因').waitFor()
  await byTestId(officer, 'prr-reason-m0').locator('textarea').fill('照片反光，看不清证件号码')
  await looks(officer, 'prereview-officer-review', 375, false)
  await byTestId(officer, 'prr-submit').click()
  await officer.getByText('确定提交', { exact: true }).click()
  await byTestId(officer, 'prq-done').getByText('已退回补正').waitFor()

  // The resident sees it, replaces the photo and submits again.
  await resident.reload()
  await byTestId(resident, 'pr-status').getByText('需补正').waitFor()
  await byTestId(resident, 'pr-reason-m0').getByText('照片反光，看不清证件号码').waitFor()
  expect(await byTestId(resident, 'pr-verdict-m1').innerText()).toBe('合格')
  for (const [width, elder] of [
    [320, false],
    [375, false],
    [320, true],
    [375, true]
  ] as const) {
    const p = await as(RESIDENT, width, elder)
    await p.goto(`${cloud.url}/#/pages/prereview/index?id=${doc._id}`)
    await byTestId(p, 'pr-reason-m0').waitFor()
    await looks(p, 'prereview-returned', width, elder)
    await p.close()
  }
  await byTestId(resident, 'pr-item-m0').getByTestId('pr-photo-remove').click()
  await resident.waitForFunction(
    () => document.querySelectorAll('[data-testid="pr-item-m0"] [data-testid="pr-photo"]').length === 0
  )
  await choosePhoto(resident, 'm0', 3, 0)
  await byTestId(resident, 'pr-submit').click()
  await byTestId(resident, 'pr-status').getByText('待审核').waitFor()
  // The replaced photo's file is gone from the storage.
  expect(cloud.storage.usage(`prereview/${doc._id}/`).files).toBe(2)

  // The officer's list and review screens at 320 and 375 px, normal and elder mode.
  for (const [width, elder] of [
    [320, false],
    [375, false],
    [320, true],
    [375, true]
  ] as const) {
    const p = await as(OFFICER, width, elder)
    await p.goto(`${cloud.url}/#/officer/prereviews/index`)
    await byTestId(p, 'prq-row').waitFor()
    await looks(p, 'prereview-officer-list', width, elder)
    await byTestId(p, 'prq-row').click()
    await byTestId(p, 'prr-ok-m0').waitFor()
    await looks(p, 'prereview-officer-review', width, elder)
    await p.close()
  }

  // The officer passes the replaced item: the others stay as they were.
  await officer.reload()
  await byTestId(officer, 'prq-row').click()
  await byTestId(officer, 'prr-ok-m0').click()
  expect(await byTestId(officer, 'prr-ok-m1').count()).toBe(0)
  await byTestId(officer, 'prr-submit').click()
  await officer.getByText('确定提交', { exact: true }).click()
  await byTestId(officer, 'prq-done').getByText('预审已通过').waitFor()

  // The resident's booking says so; at the window on Wednesday, so does the check-in.
  await resident.goto(`${cloud.url}/#/pages/booking-detail/index?id=${booking._id}`)
  await byTestId(resident, 'prereview-passed').waitFor()
  at('2026-12-30T08:50:00')
  await officer.goto(`${cloud.url}/#/officer/queue/index`)
  await byTestId(officer, `prereviewed-${booking.code}`).getByText('材料已预审').waitFor()
  await byTestId(officer, 'checkin-code').locator('input').fill(booking.code)
  await byTestId(officer, 'checkin-submit').click()
  await byTestId(officer, 'queue-message').getByText('材料已预审').waitFor()
  await looks(officer, 'prereview-officer-queue', 375, false)
  const screens: [string, number, boolean][] = [
    ['prereview-passed', 320, false],
    ['prereview-passed', 375, true]
  ]
  for (const [name, width, elder] of screens) {
    const p = await as(RESIDENT, width, elder)
    await p.goto(`${cloud.url}/#/pages/prereview/index?id=${doc._id}`)
    await byTestId(p, 'pr-status').getByText('已通过').waitFor()
    await looks(p, name, width, elder)
    await p.close()
  }
})
