/**
 * Every resident page on a small (320 px) and a common (375 px) phone, in normal and elder mode
 * (长辈模式), with real data behind it (a booking, a finished case, a request, messages): nothing
 * runs past the right edge; in elder mode body text is at least 18 px, the booking's code and time
 * at least 24 px, and every tap target at least 44 px tall. Set RESIDENT_SCREENSHOTS to a folder to
 * keep a screenshot of each (docs/testing.md).
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { AppointmentView } from '../../types/appointment'
import type { Result } from '../../types/result'
import { appointment, APPLICANT, ok, requestId } from '../helpers/appointments'
import { byTestId, launch, pageAs } from '../helpers/browser'
import { callFunction, freshCloud } from '../helpers/cloud'

jest.setTimeout(240_000)

const CERT = 'svc-cert-hukou'
const STATION = 'st-yunxi-chengguan'
const RESIDENT = 'e2e-pages'
const slot = (date: string, hhmm: string) => `${STATION}_${date}_${hhmm}_window`

let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser
let booked: AppointmentView
let finished: AppointmentView

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  // Friday 27 November 2026, 09:59 in Shanghai: a working day with the window open.
  cloud.clock.set(Date.parse('2026-11-27T01:59:00Z'))
  browser = await launch()
  const book = async (slotId: string) =>
    ok(
      await appointment(
        cloud,
        'book',
        { requestId: requestId(), serviceId: CERT, slotId, applicant: APPLICANT, consent: true },
        RESIDENT
      )
    )
  booked = await book(slot('2026-12-01', '0930'))
  // A case finished today with the officer's note, to be rated.
  const today = await book(slot('2026-11-27', '1100'))
  const staff = async (action: string, payload: object) =>
    ok((await callFunction<Result<unknown>>(cloud, 'staff', { action, payload }, 'demo-officer-li')).body)
  cloud.clock.set(Date.parse('2026-11-27T02:45:00Z')) // 10:45: check-in opens half an hour before
  await staff('checkIn', { code: today.code })
  await staff('start', { appointmentId: today._id })
  await staff('finish', { appointmentId: today._id, note: '身份证约20个工作日制好，到所后短信通知领取' })
  finished = today
  const request = await callFunction<Result<unknown>>(
    cloud,
    'requests',
    {
      action: 'submit',
      payload: {
        requestId: requestId(),
        kind: 'emergency',
        category: 'temp_id_travel',
        description: '明早出差急需临时身份证',
        contactName: '王芳',
        mobile: '13812345678',
        stationId: STATION
      }
    },
    RESIDENT
  )
  ok(request.body)
  // 制证进度: a walk-in ID card the resident follows, ready at the station (its pickup code shown).
  const card = (action: string, payload: object, openid = 'demo-officer-li') =>
    callFunction<Result<unknown>>(cloud, 'cards', { action, payload }, openid).then((r) => ok(r.body))
  const receipt = 'SZ20261127001'
  await card('accept', {
    stationId: STATION,
    receipt,
    holder: { name: '王芳', idNumber: '11010519491231002X' }
  })
  await card('follow', { receipt, idNumber: '11010519491231002X' }, RESIDENT)
  await card('batch', { stationId: STATION, stage: 'making', receipts: [receipt] })
  await card('batch', { stationId: STATION, stage: 'ready', receipts: [receipt] })
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

/** Each resident page, the address that opens it with data, and what shows once it has loaded. */
const PAGES: { name: string; url: () => string; ready: string }[] = [
  { name: 'home', url: () => 'pages/index/index', ready: 'station-card' },
  { name: 'guide', url: () => 'pages/guide/index', ready: 'service-item' },
  { name: 'me', url: () => 'pages/me/index', ready: 'me-page' },
  { name: 'service', url: () => `pages/service/index?id=${CERT}`, ready: 'service-detail' },
  { name: 'book', url: () => `pages/book/index?serviceId=${CERT}`, ready: 'slot-option' },
  { name: 'my-bookings', url: () => 'pages/my-bookings/index', ready: 'my-bookings' },
  { name: 'booking-detail', url: () => `pages/booking-detail/index?id=${booked._id}`, ready: 'qr-code' },
  {
    name: 'booking-done',
    url: () => `pages/booking-detail/index?id=${finished._id}`,
    ready: 'done-card'
  },
  { name: 'messages', url: () => 'pages/messages/index', ready: 'message' },
  { name: 'help', url: () => 'pages/help/index', ready: 'help' },
  { name: 'my-requests', url: () => 'pages/my-requests/index', ready: 'request-item' },
  { name: 'rating', url: () => `pages/rating/index?appointmentId=${finished._id}`, ready: 'rating-page' },
  { name: 'my-voice', url: () => 'pages/my-voice/index', ready: 'my-voice' },
  { name: 'feedback', url: () => 'pages/feedback/index', ready: 'feedback-page' },
  { name: 'cards', url: () => 'pages/cards/index', ready: 'card-pickup' }
]

/** What breaks the rules on the page shown (the H5 router keeps earlier pages hidden in the DOM). */
async function problems(page: Page, width: number, elder: boolean): Promise<string[]> {
  return page.evaluate(
    ({ width, elder }) => {
      const found: string[] = []
      const current = [...document.querySelectorAll('.taro_page')].find(
        (p) => getComputedStyle(p).display !== 'none'
      )
      if (!current) return ['no page shown']
      const visible = (el: Element) => {
        const r = el.getBoundingClientRect()
        const s = getComputedStyle(el)
        return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
      }
      const name = (el: Element) =>
        `${el.getAttribute('data-testid') ?? el.className.toString().split(' ')[0] ?? el.tagName} "${(el.textContent ?? '').trim().slice(0, 16)}"`
      for (const el of current.querySelectorAll('*')) {
        if (!visible(el)) continue
        const r = el.getBoundingClientRect()
        if (r.right > width + 1) found.push(`past the right edge: ${name(el)} (${Math.round(r.right)} px)`)
      }
      if (!elder) return found
      // Text: every element that holds text of its own.
      for (const el of current.querySelectorAll('*')) {
        if (!visible(el)) continue
        const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim())
        if (!own) continue
        const size = parseFloat(getComputedStyle(el).fontSize)
        if (size < 18) found.push(`text under 18 px: ${name(el)} (${size} px)`)
      }
      // Tap targets: buttons, switches, chips, options, and anything marked as a button or link.
      const taps = current.querySelectorAll(
        '[class*="button-"], [role="button"], [role="switch"], [role="link"], .chip, [data-testid$="-option"], input, textarea'
      )
      for (const tap of taps) {
        if (!visible(tap)) continue
        // A checkbox is tapped through the row that holds it (the whole consent card toggles it).
        const el = /^(checkbox|radio)$/.test(tap.getAttribute('type') ?? '')
          ? (tap.closest('[data-testid]') ?? tap)
          : tap
        const h = el.getBoundingClientRect().height
        if (h < 44) found.push(`tap target under 44 px: ${name(el)} (${Math.round(h)} px)`)
      }
      for (const id of ['booking-code', 'booking-time']) {
        const el = current.querySelector(`[data-testid="${id}"]`)
        if (!el) continue
        const texts = [el, ...el.querySelectorAll('*')].filter((e) =>
          [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim())
        )
        const size = Math.max(...texts.map((e) => parseFloat(getComputedStyle(e).fontSize)))
        if (size < 24) found.push(`key figure under 24 px: ${id} (${size} px)`)
      }
      return [...new Set(found)]
    },
    { width, elder }
  )
}

describe.each([320, 375])('at %d px', (width) => {
  describe.each([false, true])('elder mode %s', (elder) => {
    test.each(PAGES.map((p) => [p.name, p] as const))('%s fits and reads', async (name, p) => {
      const page = await pageAs(browser, RESIDENT)
      await page.addInitScript(
        (on) => window.localStorage.setItem('hukou.elderMode', JSON.stringify({ data: on ? 'on' : 'off' })),
        elder
      )
      await page.setViewportSize({ width, height: 720 })
      await page.goto(`${cloud.url}/#/${p.url()}`)
      await byTestId(page, p.ready).first().waitFor()
      if (elder) await page.locator('.elder:visible').first().waitFor()
      const shots = process.env.RESIDENT_SCREENSHOTS
      if (shots) {
        fs.mkdirSync(shots, { recursive: true })
        await page.screenshot({
          path: path.join(shots, `${name}-${width}-${elder ? 'elder' : 'normal'}.png`),
          fullPage: true
        })
      }
      expect(await problems(page, width, elder)).toEqual([])
    })
  })
})
