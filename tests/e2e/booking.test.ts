/**
 * A resident books an appointment in the browser (H5 build on the local cloud, clock fixed at
 * Friday 2026-11-27 09:59 in Shanghai): picks a service, a day and a slot, allows the messages
 * on the consent sheet, confirms, sees the booking code, finds it in "my appointments",
 * reschedules, cancels. Then the same journey's key steps in elder mode.
 */
import type { Browser, Locator, Page } from 'playwright-core'
import { launch, phonePage, byTestId } from '../helpers/browser'
import { freshCloud } from '../helpers/cloud'

jest.setTimeout(90_000)

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

async function pickSlot(page: Page, nth: number): Promise<string> {
  const slot = byTestId(page, 'slot-option').filter({ hasNotText: '已约满' }).nth(nth)
  await slot.waitFor()
  const time = (await slot.locator('.slot-time').innerText()).trim()
  await slot.click()
  await byTestId(page, 'slot-option').filter({ hasText: '✓ 已选' }).waitFor()
  return time
}

async function fill(locator: Locator, value: string): Promise<void> {
  await locator.locator('input').fill(value)
}

test('book, find, reschedule and cancel an appointment', async () => {
  const page = await phonePage(browser)
  await page.goto(`${cloud.url}/`)
  await byTestId(page, 'service-item').filter({ hasText: '户籍证明开具' }).click()
  await byTestId(page, 'book-button').click()

  // A day (the second on offer: Saturday's duty slots are skipped by picking Monday).
  await byTestId(page, 'date-option').filter({ hasText: '11月30日' }).click()
  const time = await pickSlot(page, 0)
  expect(time).toBe('08:30–09:00')

  // Materials are shown before confirming.
  await byTestId(page, 'book-materials').getByText('居民户口簿', { exact: false }).first().waitFor()

  // Confirming without the form filled says what is missing, and books nothing.
  await byTestId(page, 'confirm').click()
  await byTestId(page, 'form-problem').getByText('请填写办事人的姓名', { exact: false }).waitFor()

  await fill(byTestId(page, 'input-name'), '王芳')
  await fill(byTestId(page, 'input-mobile'), '1381234')
  await byTestId(page, 'consent').click()
  await byTestId(page, 'confirm').click()
  await byTestId(page, 'form-problem').getByText('手机号码应为11位', { exact: false }).waitFor()
  expect(cloud.store.count('appointments')).toBe(0)

  await fill(byTestId(page, 'input-mobile'), '13812345678')
  await byTestId(page, 'confirm').click()
  // The consent sheet asks for the confirmation and reminder messages.
  const sheet = byTestId(page, 'subscribe-sheet')
  await sheet.waitFor()
  await sheet.getByTestId('subscribe-allow').click()

  const code = byTestId(page, 'booking-code')
  await code.waitFor()
  await byTestId(page, 'booked-banner').waitFor()
  await byTestId(page, 'qr-code').waitFor()
  const shown = (await code.innerText()).replace(/\s/g, '')
  const stored = cloud.store.docs('appointments')
  expect(stored).toHaveLength(1)
  expect(stored[0]?.code).toBe(shown)
  await byTestId(page, 'booking-time').getByText('11月30日 周一 08:30–09:00', { exact: false }).waitFor()

  // My appointments lists it.
  await page.getByText('查看我的全部预约').click()
  await byTestId(page, 'booking-item').filter({ hasText: shown }).click()

  // Reschedule to another slot: same code, new time.
  await byTestId(page, 'reschedule').click()
  await byTestId(page, 'date-option').filter({ hasText: '12月1日' }).click()
  const newTime = await pickSlot(page, 2)
  await byTestId(page, 'confirm').click()
  // Asked again: the new time gets its own confirmation message.
  await byTestId(page, 'subscribe-allow').click()
  await byTestId(page, 'booking-time').getByText(`12月1日 周二 ${newTime}`, { exact: false }).waitFor()
  expect((await byTestId(page, 'booking-code').innerText()).replace(/\s/g, '')).toBe(shown)

  // Cancel (confirming the dialog).
  page.once('dialog', (d) => void d.accept())
  await byTestId(page, 'cancel').click()
  const modalConfirm = page.getByText('确定取消', { exact: true })
  if (await modalConfirm.isVisible().catch(() => false)) await modalConfirm.click()
  await byTestId(page, 'booking-status').getByText('已取消').waitFor()
  expect(cloud.store.docs('appointments')[0]?.status).toBe('cancelled')

  // The confirmations are in the resident's messages, whether or not WeChat delivered them.
  await page.goto(`${cloud.url}/#/pages/messages/index`)
  await byTestId(page, 'message')
    .filter({ hasText: '预约成功通知' })
    .filter({ hasText: shown })
    .first()
    .waitFor()
  expect(page.errors).toEqual([])
})

test('elder mode: larger text and tap targets, the same booking steps', async () => {
  const page = await phonePage(browser)
  await page.goto(`${cloud.url}/#/pages/book/index?serviceId=svc-reg-birth`)
  await byTestId(page, 'elder-switch').click()
  await page.locator('.elder').waitFor()

  const body = await byTestId(page, 'date-option')
    .first()
    .evaluate((el) => {
      const style = getComputedStyle(el)
      const rect = el.getBoundingClientRect()
      return { font: parseFloat(style.fontSize), width: rect.width, height: rect.height }
    })
  // 18 pt = 24 CSS px; tap targets at least 60 × 60.
  expect(body.font).toBeGreaterThanOrEqual(24)
  expect(body.height).toBeGreaterThanOrEqual(60)
  expect(body.width).toBeGreaterThanOrEqual(60)
  const title = await page
    .locator('.page-title')
    .first()
    .evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
  expect(title).toBeGreaterThanOrEqual(40) // 30 pt

  await byTestId(page, 'date-option').filter({ hasText: '12月2日' }).click()
  await pickSlot(page, 0)
  await fill(byTestId(page, 'input-name'), '赵大爷')
  await fill(byTestId(page, 'input-mobile'), '13900001111')
  await byTestId(page, 'consent').click()
  await byTestId(page, 'confirm').click()
  const sheet = byTestId(page, 'subscribe-sheet')
  await sheet.waitFor()
  await sheet.getByTestId('subscribe-allow').click()
  await byTestId(page, 'booking-code').waitFor()
  // Elder mode is remembered on the next page.
  await page.locator('.elder').waitFor()
  expect(page.errors).toEqual([])
})
