/**
 * 取号与叫号, a morning in the H5 build: two walk-ins take numbers in line B before nine; a
 * resident opens the hall's take-a-number page, allows the reminder and takes B003; an appointment
 * of 09:00 is checked in and joins the line. The officer opens the calling panel from the workbench:
 * 叫下一位 calls the appointment first (its slot has begun), then B001; B001 does not come, is
 * recalled twice and skipped as a no-show; B002 is called. The hall's screen shows the numbers called
 * at each window and the next ones, numbers only; the resident's page follows its place by itself
 * and, when called, shows the window. The pages are looked at at 320 and 375 px, normal and elder
 * mode (nothing past the right edge), with screenshots when QUEUE_SCREENSHOTS names a folder.
 */
import type { Browser, Page } from 'playwright-core'
import type { QueueOutputs } from '../../types/queue'
import type { Result } from '../../types/result'
import { appointment, APPLICANT, ok, requestId } from '../helpers/appointments'
import { byTestId, fitsScreen, launch, pageAs, phoneAs } from '../helpers/browser'
import { callFunction, freshCloud } from '../helpers/cloud'

jest.setTimeout(180_000)

const STATION = 'st-yunxi-chengguan'
const RESIDENT = 'e2e-queue-resident'
let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser

const at = (shanghai: string) => cloud.clock.set(Date.parse(`${shanghai}+08:00`))
const q = <A extends keyof QueueOutputs>(action: A, payload: unknown, openid: string) =>
  callFunction<Result<QueueOutputs[A]>>(cloud, 'queue', { action, payload }, openid).then((r) => ok(r.body))

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

const as = (openid: string, width = 375, elder = false) =>
  phoneAs(browser, openid, { width, elder, now: cloud.clock.now() })

const looks = (page: Page, name: string, width: number, elder: boolean) =>
  fitsScreen(page, name, width, elder, 'QUEUE_SCREENSHOTS')

test('a morning: walk-ins and an appointment in one line, called, shown on the screen, a no-show skipped', async () => {
  // The appointment was booked on Thursday for Monday 09:00.
  at('2026-12-24T10:00:00')
  const booked = ok(
    await appointment(
      cloud,
      'book',
      {
        requestId: requestId(),
        serviceId: 'svc-cert-hukou',
        slotId: `${STATION}_2026-12-28_0900_window`,
        applicant: APPLICANT,
        consent: true
      },
      'e2e-queue-appt'
    )
  )

  // Monday 08:40: two walk-ins take numbers.
  at('2026-12-28T08:40:00')
  const b1 = await q('take', { requestId: requestId(), stationId: STATION, line: 'B' }, 'e2e-queue-w1')
  const b2 = await q('take', { requestId: requestId(), stationId: STATION, line: 'B' }, 'e2e-queue-w2')
  expect([b1.number, b2.number]).toEqual(['B001', 'B002'])

  // The resident scans the hall's code: the page opens with line B first.
  const resident = await as(RESIDENT)
  await resident.goto(`${cloud.url}/#/pages/queue/index?stationId=${STATION}&hall=1&line=B`)
  await byTestId(resident, 'line-B').getByText('前面 2 人').waitFor()
  await looks(resident, 'queue-lines', 375, false)
  await byTestId(resident, 'take-B').click()
  const sheet = byTestId(resident, 'subscribe-sheet')
  await sheet.waitFor()
  await sheet.getByTestId('subscribe-allow').click()
  await byTestId(resident, 'ticket-number').getByText('B003').waitFor()
  await byTestId(resident, 'ticket-ahead').getByText('前面还有 2 人').waitFor()
  expect(cloud.store.docs('queueTickets').find((t) => t.number === 'B003')?.onSite).toBe(true)

  // 08:55: the appointment is checked in and joins line B as B004.
  at('2026-12-28T08:55:00')
  ok(
    (
      await callFunction<Result<unknown>>(
        cloud,
        'staff',
        { action: 'checkIn', payload: { code: booked.code } },
        'demo-officer-li'
      )
    ).body
  )

  // 09:00, the officer opens the calling panel from the workbench.
  at('2026-12-28T09:00:00')
  const officer = await as('demo-officer-li')
  await officer.goto(`${cloud.url}/#/officer/workbench/index`)
  await byTestId(officer, 'workbench-calling').click()
  await byTestId(officer, 'calling').waitFor()
  await byTestId(officer, 'line-B').click()
  await byTestId(officer, 'waiting-ticket').first().getByText('B004').waitFor()
  await expect(byTestId(officer, 'waiting-ticket').allInnerTexts()).resolves.toEqual([
    expect.stringContaining('B004'),
    expect.stringContaining('B001'),
    expect.stringContaining('B002'),
    expect.stringContaining('B003')
  ])
  // The appointment's slot has begun: it is called first.
  await byTestId(officer, 'call-next').click()
  await byTestId(officer, 'active-ticket').getByText('B004').waitFor()
  await byTestId(officer, 'finish').click()
  await byTestId(officer, 'active-ticket').waitFor({ state: 'detached' })
  // B001 is called, does not come: recalled twice, then skipped.
  await byTestId(officer, 'call-next').click()
  await byTestId(officer, 'active-ticket').getByText('B001').waitFor()
  for (const n of [2, 3]) {
    await byTestId(officer, 'recall').click()
    await byTestId(officer, 'active-ticket').getByText(`已叫${n}次`).waitFor()
  }
  await byTestId(officer, 'skip').click()
  await byTestId(officer, 'active-ticket').waitFor({ state: 'detached' })
  // Window 2 calls B002.
  await byTestId(officer, 'window-2').click()
  await byTestId(officer, 'call-next').click()
  await byTestId(officer, 'active-ticket').getByText('B002').waitFor()
  await looks(officer, 'calling', 375, false)
  expect(cloud.store.docs('queueTickets').find((t) => t.number === 'B001')?.status).toBe('no_show')

  // The hall's screen: numbers at each window, the next one; no names anywhere.
  const tv = await pageAs(browser, 'e2e-queue-tv')
  await tv.setViewportSize({ width: 1280, height: 720 })
  await tv.goto(`${cloud.url}/#/pages/screen/index?stationId=${STATION}`)
  const lineB = byTestId(tv, 'screen-line-B')
  await lineB.getByText('B002').waitFor()
  expect(await lineB.innerText()).toMatch(/请到 2 号窗口/)
  expect(await lineB.locator('[data-testid="screen-next"]').innerText()).toBe('下一位：B003')
  expect(await tv.locator('body').innerText()).not.toMatch(new RegExp(APPLICANT.name))
  await looks(tv, 'screen', 1280, false)

  // The resident's page followed by itself: next in line, then called to window 1.
  await byTestId(resident, 'ticket-ahead').getByText('下一位就是您').waitFor({ timeout: 15_000 })
  await byTestId(officer, 'window-1').click()
  await byTestId(officer, 'call-next').click()
  await byTestId(resident, 'ticket-window').getByText('请到 1 号窗口办理').waitFor({ timeout: 15_000 })
  // Allowed, the resident was also told by WeChat.
  expect(
    cloud.messages
      .list({ touser: RESIDENT, limit: 10 })
      .filter((m) => m.errCode === 0)
      .map((m) => m.data.thing5?.value)
  ).toEqual(['请到1号窗口办理'])
})

describe.each([320, 375])('at %d px', (width) => {
  test.each([false, true])('elder mode %s: the number, the lines and the screen fit', async (elder) => {
    const page = await as(RESIDENT, width, elder)
    await page.goto(`${cloud.url}/#/pages/queue/index?stationId=${STATION}`)
    await byTestId(page, 'ticket-number').waitFor()
    if (elder) await page.locator('.elder:visible').first().waitFor()
    await looks(page, 'queue-ticket', width, elder)
    const other = await as(`e2e-queue-new-${width}-${elder}`, width, elder)
    await other.goto(`${cloud.url}/#/pages/queue/index?stationId=${STATION}`)
    await byTestId(other, 'line-A').waitFor()
    await looks(other, 'queue-lines', width, elder)
    const panel = await as('demo-officer-li', width, elder)
    await panel.goto(`${cloud.url}/#/officer/calling/index`)
    await byTestId(panel, 'call-next').waitFor()
    await looks(panel, 'calling', width, elder)
    const tv = await as('e2e-queue-tv', width, elder)
    await tv.goto(`${cloud.url}/#/pages/screen/index?stationId=${STATION}`)
    await byTestId(tv, 'screen-line-A').waitFor()
    await looks(tv, 'screen', width, elder)
  })
})
