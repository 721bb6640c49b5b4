/**
 * 候补 in the browser (H5 build on the local cloud, clock fixed at Friday 2026-11-27 09:59 in
 * Shanghai): a resident finds a slot full, chooses it for its waitlist, fills the form, allows the
 * messages and joins; 我的预约 shows the entry waiting with a leave button; when the holder cancels
 * the resident's entry reads 候补成功 and opens the booking made for them; leaving another entry
 * asks first and then shows it left. The booking page with a full slot chosen and 我的预约 fit 320
 * and 375 px in normal and elder mode (WAITLIST_SCREENSHOTS=<folder> keeps screenshots).
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { appointment, APPLICANT, ok, requestId } from '../helpers/appointments'
import { byTestId, launch, pageAs } from '../helpers/browser'
import { freshCloud } from '../helpers/cloud'

jest.setTimeout(180_000)

const STATION = 'st-yunxi-chengguan'
const ID_CARD = 'svc-idcard-renew' // the capture room: one person a slot
const capture = (date: string, hhmm: string) => `${STATION}_${date}_${hhmm}_capture`
const RESIDENT = 'e2e-waiter'

let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser
const held: Record<string, string> = {}

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.clock.set(Date.parse('2026-11-27T01:59:00Z'))
  browser = await launch()
  // Monday's 09:00 and 09:30 in the capture room are taken by someone else.
  for (const hhmm of ['0900', '0930'])
    held[hhmm] = ok(
      await appointment(
        cloud,
        'book',
        {
          requestId: requestId(),
          serviceId: ID_CARD,
          slotId: capture('2026-11-30', hhmm),
          applicant: { ...APPLICANT, name: `持约${hhmm}` },
          consent: true
        },
        'e2e-holder'
      )
    )._id
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

async function fill(locator: Locator, value: string): Promise<void> {
  await locator.locator('input').fill(value)
}

async function chooseFull(page: Page, time: string): Promise<void> {
  await page.goto(`${cloud.url}/#/pages/book/index?serviceId=${ID_CARD}`)
  await byTestId(page, 'date-option').filter({ hasText: '11月30日' }).click()
  const slot = byTestId(page, 'slot-option').filter({ hasText: `${time}–` })
  await slot.getByText('约满·可候补').waitFor()
  await slot.click()
  await slot.getByText('✓ 候补').waitFor()
  await byTestId(page, 'waitlist-note').waitFor()
}

async function join(page: Page, time: string, name: string): Promise<void> {
  await chooseFull(page, time)
  expect((await byTestId(page, 'confirm').innerText()).trim()).toBe('加入候补')
  await fill(byTestId(page, 'input-name'), name)
  await fill(byTestId(page, 'input-mobile'), '13912345678')
  await byTestId(page, 'consent').click()
  await byTestId(page, 'confirm').click()
  // The same subscription sheet as a booking: 候补成功 comes as a booking confirmation.
  const sheet = byTestId(page, 'subscribe-sheet')
  await sheet.waitFor()
  await sheet.getByTestId('subscribe-allow').click()
  await byTestId(page, 'my-bookings').waitFor()
}

test('join a full slot, see it waiting, get the place when the holder cancels; leave another', async () => {
  const page = await pageAs(browser, RESIDENT)
  await join(page, '09:00', '王小明')
  const waiting = byTestId(page, 'waitlist-item').filter({ hasText: '09:00–' })
  await waiting.getByText('候补中').waitFor()
  await waiting.getByText('办事人 王小明').waitFor()
  await waiting.getByTestId('leave-waitlist').waitFor()
  expect(cloud.store.docs('waitlist').filter((e) => e.openid === RESIDENT)).toHaveLength(1)

  // The holder cancels: the place goes to the resident, who finds it booked.
  ok(await appointment(cloud, 'cancel', { appointmentId: held['0900'] }, 'e2e-holder'))
  await page.reload()
  const promoted = byTestId(page, 'waitlist-item').filter({ hasText: '09:00–' })
  await promoted.getByText('候补成功').waitFor()
  expect(await promoted.getByTestId('leave-waitlist').count()).toBe(0)
  await byTestId(page, 'booking-item').filter({ hasText: '11月30日' }).waitFor()
  await promoted.getByTestId('open-promoted').click()
  await byTestId(page, 'booking-time').getByText('11月30日 周一 09:00', { exact: false }).waitFor()
  const booking = cloud.store.docs('appointments').find((a) => a.openid === RESIDENT)
  expect(booking).toMatchObject({ status: 'booked', slotId: capture('2026-11-30', '0900') })
  expect((await byTestId(page, 'booking-code').innerText()).replace(/\s/g, '')).toBe(booking?.code)

  // Another full slot, for another person; then leaving it, asked first.
  await join(page, '09:30', '王小红')
  const second = byTestId(page, 'waitlist-item').filter({ hasText: '09:30–' })
  await second.getByText('候补中').waitFor()
  page.once('dialog', (d) => void d.accept())
  await second.getByTestId('leave-waitlist').click()
  const modalConfirm = page.getByText('确定退出', { exact: true })
  if (await modalConfirm.isVisible().catch(() => false)) await modalConfirm.click()
  await second.getByText('已退出候补').waitFor()
  expect(cloud.store.docs('waitlist').find((e) => e.start === '09:30')).toMatchObject({ status: 'left' })
})

/** What runs past the right edge, and in elder mode text under 18 px or tap targets under 44 px. */
async function problems(page: Page, width: number, elder: boolean): Promise<string[]> {
  return page.evaluate(
    ({ width, elder }) => {
      const found: string[] = []
      const current = [...document.querySelectorAll('.taro_page')].find(
        (p) => getComputedStyle(p).display !== 'none'
      )
      if (!current) return ['no page shown']
      const shown = (el: Element) => {
        const r = el.getBoundingClientRect()
        return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'
      }
      const name = (el: Element) =>
        `${el.getAttribute('data-testid') ?? el.className.toString().split(' ')[0]} "${(el.textContent ?? '').trim().slice(0, 16)}"`
      for (const el of current.querySelectorAll('*')) {
        if (!shown(el)) continue
        if (el.getBoundingClientRect().right > width + 1) found.push(`past the right edge: ${name(el)}`)
        if (!elder) continue
        const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim())
        const size = parseFloat(getComputedStyle(el).fontSize)
        if (own && size < 18) found.push(`text under 18 px: ${name(el)} (${size} px)`)
      }
      if (elder)
        for (const tap of current.querySelectorAll('[class*="button-"], .chip, [data-testid$="-option"]'))
          if (shown(tap) && tap.getBoundingClientRect().height < 44)
            found.push(`tap target under 44 px: ${name(tap)}`)
      return [...new Set(found)]
    },
    { width, elder }
  )
}

describe.each([320, 375])('at %d px', (width) => {
  // Joined again after leaving: 候补中 with its leave button, beside the one promoted.
  beforeAll(async () => {
    ok(
      await appointment(
        cloud,
        'joinWaitlist',
        {
          serviceId: ID_CARD,
          slotId: capture('2026-11-30', '0930'),
          applicant: { name: '王小红', mobile: '13912345678', relation: 'self' },
          consent: true
        },
        RESIDENT
      )
    )
  })

  test.each([false, true])('elder mode %s: the chosen full slot and 我的预约 fit and read', async (elder) => {
    const page = await pageAs(browser, RESIDENT)
    await page.addInitScript(
      (on) => window.localStorage.setItem('hukou.elderMode', JSON.stringify({ data: on ? 'on' : 'off' })),
      elder
    )
    await page.setViewportSize({ width, height: 720 })
    const shots = process.env.WAITLIST_SCREENSHOTS
    const shoot = async (what: string) => {
      if (!shots) return
      fs.mkdirSync(shots, { recursive: true })
      await page.screenshot({
        path: path.join(shots, `${what}-${width}-${elder ? 'elder' : 'normal'}.png`),
        fullPage: true
      })
    }
    // Monday 09:00 is held by the resident now (promoted), 09:30 still by the holder.
    await chooseFull(page, '09:30')
    if (elder) await page.locator('.elder:visible').first().waitFor()
    await shoot('book-waitlist')
    expect(await problems(page, width, elder)).toEqual([])
    // Further down: the note saying how the waitlist works, and the confirm button.
    await byTestId(page, 'confirm').scrollIntoViewIfNeeded()
    await shoot('book-waitlist-confirm')
    expect(await problems(page, width, elder)).toEqual([])
    await page.goto(`${cloud.url}/#/pages/my-bookings/index`)
    await byTestId(page, 'waitlist-item').first().waitFor()
    await shoot('my-bookings-waitlist')
    expect(await problems(page, width, elder)).toEqual([])
  })
})
