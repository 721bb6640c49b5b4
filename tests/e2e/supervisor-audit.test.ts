/**
 * 个人信息查阅记录 end to end in the H5 build: staff read residents' data (the same page shown
 * again within minutes leaves one entry); the supervisor opens the log and sees each reader named
 * in full, narrows it to one member of staff with a picker and to one day with the calendar.
 */
import type { Browser, Locator, Page } from 'playwright-core'
import type { Result } from '../../types/result'
import { launch, pageAs, byTestId } from '../helpers/browser'
import { callFunction, freshCloud } from '../helpers/cloud'
import { pickDate } from '../helpers/picker'

jest.setTimeout(120_000)

const STATION = 'st-yunxi-chengguan'
const LI = 'demo-officer-li'
const LEADER = 'demo-leader-zhou'
const SUPERVISOR = 'demo-supervisor-chen'

let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser

const at = (shanghai: string) => cloud.clock.set(Date.parse(`${shanghai}+08:00`))
async function staffCall(fn: string, action: string, payload: unknown, openid: string): Promise<void> {
  const res = await callFunction<Result<unknown>>(cloud, fn, { action, payload }, openid)
  expect(res.body.ok).toBe(true)
}

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  browser = await launch()
  // Monday: the officer opens the day queue three times in a few minutes, the leader the requests.
  at('2026-12-28T09:00:00')
  await staffCall('staff', 'today', { stationId: STATION }, LI)
  at('2026-12-28T09:03:00')
  await staffCall('staff', 'today', { stationId: STATION }, LI)
  at('2026-12-28T09:06:00')
  await staffCall('staff', 'today', { stationId: STATION }, LI)
  await staffCall('requests', 'open', {}, LEADER)
  // Tuesday: the officer's queue again.
  at('2026-12-29T10:00:00')
  await staffCall('staff', 'today', { stationId: STATION }, LI)
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

async function as(openid: string, elder = false, width = 390): Promise<Page & { errors: string[] }> {
  const page = await pageAs(browser, openid)
  await page.setViewportSize({ width, height: 780 })
  if (elder)
    await page.addInitScript(() =>
      window.localStorage.setItem('hukou.elderMode', JSON.stringify({ data: 'on' }))
    )
  await page.clock.setFixedTime(new Date(cloud.clock.now()))
  return page
}

/** Drags a one-column selector picker to the option `label` and confirms (34 px a row). */
async function pickOption(page: Page, opener: Locator, label: string): Promise<void> {
  await opener.click()
  const picker = page.locator('.weui-picker:visible')
  await picker.waitFor()
  const column = picker.locator('.weui-picker__group').first()
  for (let attempt = 0; attempt < 20; attempt++) {
    const texts = await column.locator('.weui-picker__item').allTextContents()
    const y = Number(
      /translate3d\(0px,\s*(-?[\d.]+)px/.exec(
        await column.locator('.weui-picker__content').evaluate((el) => (el as HTMLElement).style.transform)
      )?.[1] ?? 102
    )
    const current = Math.round((102 - y) / 34)
    const target = texts.indexOf(label)
    if (target < 0) throw new Error(`no ${label} among ${texts.join(', ')}`)
    if (target === current) break
    const box = await column.boundingBox()
    if (!box) throw new Error('picker column not on screen')
    const rows = Math.max(-4, Math.min(4, target - current))
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - rows * 34, { steps: 6 })
    await page.mouse.up()
    await page.waitForTimeout(350)
  }
  await picker.getByText('确定', { exact: true }).click()
  await picker.waitFor({ state: 'hidden' })
}

const whoOf = async (page: Page) => byTestId(page, 'audit-who').allTextContents()

test('the supervisor reads who looked at residents’ data, named in full, by member of staff and by day', async () => {
  const page = await as(SUPERVISOR)
  await page.goto(`${cloud.url}/#/supervisor/audit/index`)
  await byTestId(page, 'audit-entry').first().waitFor()
  // Three opens of the same queue within minutes are one entry; each reader is named in full.
  expect(await whoOf(page)).toEqual(['李警官（民警）', '周所长（所领导）', '李警官（民警）'])
  expect(await byTestId(page, 'audit').textContent()).not.toContain('*')

  // One member of staff, picked from the list.
  await pickOption(page, byTestId(page, 'audit-staff'), '周所长（所领导）')
  await byTestId(page, 'audit-staff').getByText('周所长（所领导）').waitFor()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-entry"]').length === 1)
  expect(await whoOf(page)).toEqual(['周所长（所领导）'])
  expect(await byTestId(page, 'audit-action').textContent()).toContain('查看待办申请')

  // Back to everyone, and only Tuesday, picked on the calendar.
  await pickOption(page, byTestId(page, 'audit-staff'), '全部工作人员')
  await pickDate(page, byTestId(page, 'audit-from'), '2026-12-29')
  await byTestId(page, 'audit-from').getByText('12月29日 周二').waitFor()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-entry"]').length === 1)
  expect(await byTestId(page, 'audit-entry').textContent()).toContain('2026-12-29 10:00')
  expect(await whoOf(page)).toEqual(['李警官（民警）'])
  // The quick periods are no longer what is shown.
  expect(await byTestId(page, 'audit-period-7d').getAttribute('aria-checked')).not.toBe('true')
  expect(page.errors).toEqual([])
})

test('a leader reads their station’s log; the page fits a small phone, in elder mode too', async () => {
  for (const [width, elder] of [
    [320, false],
    [375, false],
    [320, true],
    [375, true]
  ] as const) {
    const page = await as(LEADER, elder, width)
    await page.goto(`${cloud.url}/#/supervisor/audit/index`)
    await byTestId(page, 'audit-entry').first().waitFor()
    expect(await whoOf(page)).toContain('周所长（所领导）')
    // Nothing runs past the right edge.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(`${width}${elder ? ' elder' : ''}: ${overflow}`).toBe(`${width}${elder ? ' elder' : ''}: 0`)
    // AUDIT_SCREENSHOTS=<folder> keeps a picture of each for a person to look at.
    const shots = process.env.AUDIT_SCREENSHOTS
    if (shots)
      await page.screenshot({ path: `${shots}/audit-${width}${elder ? '-elder' : ''}.png`, fullPage: true })
    await page.close()
  }
})
