/**
 * Booking for a family, in the browser (H5 build on the local cloud, clock at Friday 2026-11-27
 * 09:59 in Shanghai): each date tells its places and the first with a place is chosen; fields
 * say what is wrong as they are typed; a daughter books for her father on the day of her own
 * booking, and the same person twice on one day is refused before the consent sheet, with a link
 * to the booking that blocks it; a common applicant saved with consent is picked in one tap; the
 * QR code stays inside a 320 px screen; a reschedule shows the booking it moves and says 已改约.
 */
import fs from 'node:fs'
import type { Browser, Locator, Page } from 'playwright-core'
import { dateAvailabilityText } from '../../types/appointment'
import { idCheckCharacter } from '../../types/identity'
import { formatLocalDate } from '../../types/time'
import { appointment, APPLICANT, ok, requestId } from '../helpers/appointments'
import { byTestId, launch, pageAs } from '../helpers/browser'
import { callFunction, freshCloud } from '../helpers/cloud'
import type { Result } from '../../types/result'

jest.setTimeout(90_000)

const CERT = 'svc-cert-hukou'
const slot = (date: string, hhmm: string, resource: string) =>
  `st-yunxi-chengguan_${date}_${hhmm}_${resource}`

let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.clock.set(Date.parse('2026-11-27T01:59:00Z'))
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

const FATHER_ID = (() => {
  const first17 = '11010519491231002'
  return first17 + idCheckCharacter(first17)
})()

async function fill(locator: Locator, value: string): Promise<void> {
  await locator.locator('input').fill(value)
}

async function openBooking(page: Page): Promise<void> {
  await page.goto(`${cloud.url}/#/pages/book/index?serviceId=${CERT}`)
  await byTestId(page, 'date-option').first().waitFor()
}

async function pickDate(page: Page, label: string): Promise<void> {
  await byTestId(page, 'date-option').filter({ hasText: label }).click()
  await byTestId(page, 'date-option').filter({ hasText: label }).filter({ hasText: '✓ 已选' }).waitFor()
}

async function pickSlot(page: Page, nth: number): Promise<void> {
  const s = byTestId(page, 'slot-option').filter({ hasNotText: '已约满' }).nth(nth)
  await s.click()
  await byTestId(page, 'slot-option').filter({ hasText: '✓ 已选' }).waitFor()
}

async function allow(page: Page): Promise<void> {
  const sheet = byTestId(page, 'subscribe-sheet')
  await sheet.waitFor()
  await sheet.getByTestId('subscribe-allow').click()
}

test('each date shows its places, the first date with a place is chosen, slots fill the width', async () => {
  // Friday's places all taken: the page must not open on a full day.
  const first = ok(await appointment(cloud, 'options', { serviceId: CERT }, 'e2e-avail'))
  const today = first.dates[0]
  expect(today?.date).toBe('2026-11-27')
  const { slots } = ok(
    await appointment(cloud, 'slots', { serviceId: CERT, date: '2026-11-27' }, 'e2e-avail')
  )
  let n = 0
  for (const s of slots)
    for (let i = 0; i < s.left; i++)
      ok(
        await appointment(
          cloud,
          'book',
          { requestId: requestId(), serviceId: CERT, slotId: s.slotId, applicant: APPLICANT, consent: true },
          `e2e-fill-${n++}`
        )
      )
  const options = ok(await appointment(cloud, 'options', { serviceId: CERT }, 'e2e-avail'))
  expect(options.dates[0]?.left).toBe(0)
  expect(options.firstAvailable).not.toBe('2026-11-27')

  const page = await pageAs(browser, 'e2e-avail')
  await openBooking(page)
  const chips = byTestId(page, 'date-option')
  await chips.filter({ hasText: '✓ 已选' }).waitFor()
  const shown = await chips.evaluateAll((els) =>
    els.map((el) => ({
      left: el.querySelector('[data-testid="date-left"]')?.textContent ?? '',
      chosen: (el.textContent ?? '').includes('✓ 已选')
    }))
  )
  expect(shown).toHaveLength(options.dates.length)
  options.dates.forEach((d, i) => {
    expect(shown[i]?.left).toContain(dateAvailabilityText(d))
    expect(shown[i]?.chosen).toBe(d.date === options.firstAvailable)
  })
  expect(shown[0]?.left).toBe('约满')
  expect(shown.some((s) => s.left.startsWith('余 '))).toBe(true)

  // The slots: an even grid, every row but the last full, all columns the same width.
  await byTestId(page, 'slot-option').first().waitFor()
  const boxes = await byTestId(page, 'slot-option').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect()
      return { x: Math.round(r.x), w: Math.round(r.width), right: r.right }
    })
  )
  const columns = new Set(boxes.map((b) => b.x)).size
  expect(columns).toBeGreaterThanOrEqual(2)
  expect(new Set(boxes.map((b) => b.w)).size).toBe(1)
  const width = page.viewportSize()?.width ?? 0
  for (const b of boxes) expect(b.right).toBeLessThanOrEqual(width)
  // The row is filled: the right edge of the last column is near the page's right padding.
  expect(Math.max(...boxes.map((b) => b.right))).toBeGreaterThan(width - 40)
})

test('a bad ID number is flagged while typing, and the booking is refused', async () => {
  const page = await pageAs(browser, 'e2e-typo')
  await openBooking(page)
  await pickDate(page, '12月1日')
  await pickSlot(page, 0)
  await fill(byTestId(page, 'input-name'), '王建国')
  await fill(byTestId(page, 'input-mobile'), '13812345678')
  const wrong = FATHER_ID.slice(0, 17) + (FATHER_ID.endsWith('1') ? '2' : '1')
  // While it is still being typed nothing is said; a letter in the middle is wrong at once.
  await fill(byTestId(page, 'input-id'), FATHER_ID.slice(0, 10))
  await byTestId(page, 'field-id').waitFor()
  expect(await byTestId(page, 'field-id').locator('.form-error').count()).toBe(0)
  await fill(byTestId(page, 'input-id'), wrong)
  await byTestId(page, 'field-id').locator('.form-error').getByText('校验位不符').waitFor()
  // A mobile that cannot be one is flagged too, at its own field.
  await fill(byTestId(page, 'input-mobile'), '12812345678')
  await byTestId(page, 'field-mobile').locator('.form-error').getByText('手机号码应为11位').waitFor()
  await fill(byTestId(page, 'input-mobile'), '13812345678')
  expect(await byTestId(page, 'field-mobile').locator('.form-error').count()).toBe(0)

  await byTestId(page, 'consent').click()
  await byTestId(page, 'confirm').click()
  await byTestId(page, 'form-problem').getByText('校验位不符').waitFor()
  expect(await byTestId(page, 'subscribe-sheet').count()).toBe(0)
  expect(cloud.store.docs('appointments').filter((a) => a.openid === 'e2e-typo')).toHaveLength(0)

  await fill(byTestId(page, 'input-id'), FATHER_ID)
  expect(await byTestId(page, 'field-id').locator('.form-error').count()).toBe(0)
})

test("a daughter books for her father on her own booking's day; his second booking is refused before the sheet", async () => {
  const openid = 'e2e-daughter'
  ok(
    await appointment(
      cloud,
      'book',
      {
        requestId: requestId(),
        serviceId: CERT,
        slotId: slot('2026-12-03', '0900', 'window'),
        applicant: { ...APPLICANT, name: '王芳' },
        consent: true
      },
      openid
    )
  )
  const page = await pageAs(browser, openid)
  await openBooking(page)
  await pickDate(page, '12月3日')
  await pickSlot(page, 2)
  await fill(byTestId(page, 'input-name'), '王建国')
  await fill(byTestId(page, 'input-mobile'), '13812345678')
  await fill(byTestId(page, 'input-id'), FATHER_ID)
  await byTestId(page, 'consent').click()
  await byTestId(page, 'confirm').click()
  await allow(page)
  await byTestId(page, 'booked-banner').waitFor()
  const fathers = cloud.store.docs('appointments').filter((a) => a.openid === openid && a.status === 'booked')
  expect(fathers).toHaveLength(2)
  const his = (await byTestId(page, 'booking-code').innerText()).replace(/\s/g, '')

  // The same father on the same day again: refused while the form is filled, no sheet.
  await openBooking(page)
  await pickDate(page, '12月3日')
  await fill(byTestId(page, 'input-name'), '王建国')
  await fill(byTestId(page, 'input-id'), FATHER_ID)
  const refusal = byTestId(page, 'booking-refusal')
  await refusal.getByText('同一人一天只能预约一次', { exact: false }).waitFor()
  await pickSlot(page, 3)
  await fill(byTestId(page, 'input-mobile'), '13812345678')
  await byTestId(page, 'consent').click()
  await byTestId(page, 'confirm').click()
  await byTestId(page, 'form-problem').getByText('同一人一天只能预约一次', { exact: false }).waitFor()
  expect(await byTestId(page, 'subscribe-sheet').count()).toBe(0)
  expect(cloud.store.docs('appointments').filter((a) => a.openid === openid)).toHaveLength(2)

  // The link opens the booking that blocks it.
  await byTestId(page, 'blocking-booking').click()
  await page.waitForURL(/booking-detail/)
  await byTestId(page, 'booking-code').waitFor()
  expect((await byTestId(page, 'booking-code').innerText()).replace(/\s/g, '')).toBe(his)
})

test('a common applicant saved with consent is picked in one tap next time', async () => {
  const openid = 'e2e-saver'
  const page = await pageAs(browser, openid)
  await openBooking(page)
  // Nothing saved yet: no chips; the save box starts unticked.
  await byTestId(page, 'input-name').waitFor()
  expect(await byTestId(page, 'saved-applicants').count()).toBe(0)
  expect(await byTestId(page, 'save-applicant').getAttribute('aria-checked')).toBe('false')
  await pickDate(page, '12月2日')
  await pickSlot(page, 0)
  await fill(byTestId(page, 'input-name'), '王建国')
  await fill(byTestId(page, 'input-mobile'), '13900002222')
  await fill(byTestId(page, 'input-id'), FATHER_ID)
  await byTestId(page, 'save-applicant').click()
  await byTestId(page, 'consent').click()
  await byTestId(page, 'confirm').click()
  await allow(page)
  await byTestId(page, 'booked-banner').waitFor()
  const saved = ok(await appointment(cloud, 'applicants', {}, openid))
  expect(saved).toEqual([expect.objectContaining({ name: '王建国', mobile: '13900002222' })])
  expect(JSON.stringify(cloud.store.docs('applicants'))).not.toContain(FATHER_ID)

  // Next time: one tap fills the form; the ID number comes from the saved one.
  await openBooking(page)
  await pickDate(page, '12月4日')
  await pickSlot(page, 0)
  await byTestId(page, 'saved-applicant').filter({ hasText: '王建国' }).click()
  expect(await byTestId(page, 'input-name').locator('input').inputValue()).toBe('王建国')
  expect(await byTestId(page, 'input-mobile').locator('input').inputValue()).toBe('13900002222')
  expect(await byTestId(page, 'save-applicant').count()).toBe(0)
  await byTestId(page, 'consent').click()
  await byTestId(page, 'confirm').click()
  await allow(page)
  await byTestId(page, 'booked-banner').waitFor()
  await page
    .getByText(saved[0]?.idMasked ?? '(none)', { exact: false })
    .first()
    .waitFor()
})

test('the QR code is inside a 320 px screen and centred; a reschedule shows the booking and says 已改约', async () => {
  const openid = 'e2e-narrow'
  const booked = ok(
    await appointment(
      cloud,
      'book',
      {
        requestId: requestId(),
        serviceId: CERT,
        slotId: slot('2026-12-02', '1000', 'window'),
        applicant: APPLICANT,
        consent: true
      },
      openid
    )
  )
  const page = await pageAs(browser, openid)
  await page.setViewportSize({ width: 320, height: 640 })
  await page.goto(`${cloud.url}/#/pages/booking-detail/index?id=${booked._id}`)
  const qr = byTestId(page, 'qr-code')
  await qr.waitFor()
  // The image itself, not only its box: the picture a phone shows.
  const box = await qr.locator('img').boundingBox()
  expect(box).not.toBeNull()
  const { x, width } = box ?? { x: 0, width: 0 }
  expect(x).toBeGreaterThanOrEqual(0)
  expect(x + width).toBeLessThanOrEqual(320)
  expect(width).toBeGreaterThan(150)
  expect(Math.abs(x + width / 2 - 160)).toBeLessThanOrEqual(4)
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)

  // The details copied for the family: date, time, place and code (the clipboard, read back).
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: cloud.url })
  await byTestId(page, 'copy-booking').click()
  const wanted = `预约码：${booked.code.slice(0, 3)} ${booked.code.slice(3)}`
  await page.waitForFunction(
    async (text) => (await navigator.clipboard.readText().catch(() => '')).includes(text),
    wanted
  )
  const copied = await page.evaluate(() => navigator.clipboard.readText())
  expect(copied).toContain('12月2日 周三 10:00–10:30')
  expect(copied).not.toContain(APPLICANT.mobile)
  // The station can be opened on the map from the booking (its position comes with the booking).
  await byTestId(page, 'open-map').waitFor()
  // 加入手机日历: in the H5 build the calendar event arrives as an .ics file, at the booking's
  // instant (10:00 Shanghai is 02:00 UTC), reminded an hour before.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    byTestId(page, 'add-calendar').click()
  ])
  const ics = fs.readFileSync((await download.path()) ?? '', 'utf8')
  expect(ics).toContain('DTSTART:20261202T020000Z')
  expect(ics).toContain('DTEND:20261202T023000Z')
  expect(ics).toMatch(/TRIGGER:-PT(1H|3600S)/)
  expect(ics).not.toContain(APPLICANT.mobile)

  await byTestId(page, 'reschedule').click()
  const current = byTestId(page, 'current-booking')
  await current.getByText('12月2日', { exact: false }).waitFor()
  await current.getByText('10:00', { exact: false }).waitFor()
  const options = ok(await appointment(cloud, 'options', { serviceId: CERT }, openid))
  const chosen = byTestId(page, 'date-option').filter({ hasText: '✓ 已选' })
  // It opens on the first date with a place, not on the booking's own date or on today.
  await chosen.filter({ hasText: formatLocalDate(options.firstAvailable ?? '').split(' ')[0] }).waitFor()
  await pickDate(page, '12月7日')
  await pickSlot(page, 1)
  await byTestId(page, 'confirm').click()
  await allow(page)
  const banner = byTestId(page, 'booked-banner')
  await banner.getByText('✓ 已改约', { exact: false }).waitFor()
  await banner.getByText('12月7日', { exact: false }).waitFor()
  expect(await banner.innerText()).not.toContain('预约成功')
})

test('a finished booking offers 去评价 and no longer asks for the materials; a cancelled one says so', async () => {
  const openid = 'e2e-finished'
  const make = async (hhmm: string) =>
    ok(
      await appointment(
        cloud,
        'book',
        {
          requestId: requestId(),
          serviceId: CERT,
          slotId: slot('2026-12-08', hhmm, 'window'),
          applicant: { ...APPLICANT, name: hhmm === '0830' ? '王芳' : '王建国' },
          consent: true
        },
        openid
      )
    )
  const done = await make('0830')
  const stored = cloud.store.get('appointments', done._id)
  cloud.store.commit([
    {
      coll: 'appointments',
      id: done._id,
      doc: {
        ...stored,
        _id: done._id,
        status: 'done',
        note: '新证约20个工作日制好，短信通知后凭回执到窗口领取'
      }
    }
  ])
  const cancelled = await make('0900')
  ok(await appointment(cloud, 'cancel', { appointmentId: cancelled._id }, openid))

  const page = await pageAs(browser, openid)
  await page.goto(`${cloud.url}/#/pages/booking-detail/index?id=${cancelled._id}`)
  await byTestId(page, 'cancelled-banner').getByText('此预约已取消', { exact: false }).waitFor()
  expect(await byTestId(page, 'qr-code').count()).toBe(0)

  await page.goto(`${cloud.url}/#/pages/booking-detail/index?id=${done._id}`)
  await byTestId(page, 'booking-status').getByText('已办结').waitFor()
  expect(await page.getByText('请带齐材料').filter({ visible: true }).count()).toBe(0)
  // What the officer wrote on finishing it: when and how to collect the card.
  await byTestId(page, 'officer-note').getByText('短信通知后凭回执到窗口领取', { exact: false }).waitFor()
  expect(await byTestId(page, 'open-map').count()).toBe(0)
  await byTestId(page, 'rate').click()
  await page.waitForURL(/pages\/rating\/index\?appointmentId=/)
  expect(page.url()).toContain(done._id)
})

test("my requests show each request's steps: 已提交 → 已受理 → 已完成, or 已婉拒", async () => {
  const openid = 'e2e-helpee'
  const submit = async (description: string) =>
    ok(
      await callFunction<Result<{ _id: string }>>(
        cloud,
        'requests',
        {
          action: 'submit',
          payload: {
            requestId: requestId(),
            kind: 'emergency',
            category: 'temp_id_travel',
            description,
            contactName: '王芳',
            mobile: '13812345678',
            stationId: 'st-yunxi-chengguan'
          }
        },
        openid
      ).then((r) => r.body)
    )
  const waiting = await submit('明早出差急需临时身份证')
  const declined = await submit('想今晚办户口迁移')
  ok(
    await callFunction<Result<unknown>>(
      cloud,
      'requests',
      {
        action: 'decline',
        payload: { id: declined._id, reason: '迁移须白天窗口办理', alternative: '请预约工作日办理' }
      },
      'demo-officer-li'
    ).then((r) => r.body)
  )

  const page = await pageAs(browser, openid)
  await page.goto(`${cloud.url}/#/pages/my-requests/index`)
  const item = (text: string) => byTestId(page, 'request-item').filter({ hasText: text })
  await item('明早出差').waitFor()
  // Each step as the bar draws it: a filled dot once reached, an empty one before.
  const steps = async (text: string) =>
    (
      await item(text)
        .getByTestId('request-steps')
        .locator('.step-bar-item')
        .evaluateAll((els) =>
          els.map(
            (e) => `${e.classList.contains('step-bar-done') ? '●' : '○'} ${e.textContent?.trim() ?? ''}`
          )
        )
    ).join(' ')
  expect(await steps('明早出差')).toBe('● 已提交 ○ 已受理 ○ 已完成')
  expect(await steps('户口迁移')).toBe('● 已提交 ● 已婉拒')
  // The reach state still says where the alert stands.
  await item('明早出差').getByTestId('request-reach').waitFor()
  expect(waiting._id).not.toBe(declined._id)
})

describe.each([320, 375])('at %i px wide', (width) => {
  test.each([false, true])(
    'elder mode %s: the booking page and the booking detail fit, text at its size',
    async (elder) => {
      const openid = `e2e-fit-${width}-${elder ? 'elder' : 'normal'}`
      const booked = ok(
        await appointment(
          cloud,
          'book',
          {
            requestId: requestId(),
            serviceId: CERT,
            slotId: slot('2026-12-01', width === 320 ? '1100' : '1130', 'window'),
            applicant: APPLICANT,
            consent: true
          },
          openid
        )
      )
      const page = await pageAs(browser, openid)
      await page.addInitScript(
        (on) => window.localStorage.setItem('hukou.elderMode', JSON.stringify({ data: on ? 'on' : 'off' })),
        elder
      )
      await page.setViewportSize({ width, height: 720 })
      const shots = process.env.BOOKING_SCREENSHOTS
      const name = `${width}-${elder ? 'elder' : 'normal'}`

      /** Nothing wider than the screen, no element past its right edge. */
      async function fits(): Promise<void> {
        const past = await page.evaluate((w) => {
          const shown = [...document.querySelectorAll('.taro_page:not([style*="display: none"]) *')]
          return shown
            .filter((el) => {
              const r = el.getBoundingClientRect()
              return r.width > 0 && r.right > w + 1
            })
            .map(
              (el) =>
                `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().left)}-${Math.round(el.getBoundingClientRect().right)} ${(el.getAttribute('src') ?? '').slice(0, 30)} in ${el.parentElement?.getAttribute('data-testid') ?? el.parentElement?.className}`
            )
            .slice(0, 5)
        }, width)
        expect(past).toEqual([])
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
      }
      const px = (l: Locator) => l.first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize))

      await openBooking(page)
      await byTestId(page, 'slot-option').first().waitFor()
      if (elder) await page.locator('.elder').first().waitFor()
      await fits()
      // Elder mode: body text at least 18 pt (24 CSS px), the consent and labels at least 20 px.
      const minBody = elder ? 24 : 16
      expect(await px(byTestId(page, 'slot-option').locator('.slot-time'))).toBeGreaterThanOrEqual(minBody)
      expect(await px(byTestId(page, 'consent'))).toBeGreaterThanOrEqual(elder ? 20 : 14)
      expect(await px(page.locator('.form-label:visible'))).toBeGreaterThanOrEqual(elder ? 20 : 12)
      if (shots) {
        await page.screenshot({ path: `${shots}/book-${name}.png` })
        await byTestId(page, 'slot-option').first().scrollIntoViewIfNeeded()
        await page.screenshot({ path: `${shots}/book-${name}-slots.png` })
        await byTestId(page, 'consent').scrollIntoViewIfNeeded()
        await page.screenshot({ path: `${shots}/book-${name}-form.png` })
      }

      await page.goto(`${cloud.url}/#/pages/booking-detail/index?id=${booked._id}`)
      await byTestId(page, 'qr-code').waitFor()
      await fits()
      expect(await px(byTestId(page, 'booking-code'))).toBeGreaterThanOrEqual(elder ? 48 : 32)
      if (shots) {
        await page.screenshot({ path: `${shots}/detail-${name}.png` })
        await byTestId(page, 'copy-booking').scrollIntoViewIfNeeded()
        await page.screenshot({ path: `${shots}/detail-${name}-actions.png` })
      }
    }
  )
})
