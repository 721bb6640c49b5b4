/**
 * The resident's home page in the H5 build: whether the window is open now (by the holiday table,
 * in Shanghai time), the coming holiday's notice, navigation and the call button, the icon grid's
 * entries, the tab bar, and elder mode enlarging the home page's text.
 */
import type { Browser, Page } from 'playwright-core'
import { calendarYears } from '../../database/seed/calendar'
import { stations } from '../../database/seed/stations'
import { launch, pageAs, byTestId } from '../helpers/browser'
import { freshCloud } from '../helpers/cloud'

jest.setTimeout(120_000)

let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

const station = stations[0]!

function holidayName(date: string): string {
  const day = calendarYears.flatMap((y) => y.days).find((d) => d.date === date && d.kind === 'holiday')
  if (!day) throw new Error(`the seed has no holiday on ${date}`)
  return day.name
}

/**
 * The home page at this Shanghai time (the cloud's clock and the page's), with WeChat's
 * openLocation stubbed as the H5 build calls it (window.wx) and its calls recorded.
 */
async function homeAt(shanghai: string): Promise<Page & { errors: string[] }> {
  cloud.clock.set(Date.parse(`${shanghai}+08:00`))
  const page = await pageAs(browser, 'demo-resident-wang')
  await page.clock.setFixedTime(new Date(cloud.clock.now()))
  await page.addInitScript(() => {
    const w = window as unknown as { wx: unknown; openedLocations: unknown[] }
    w.openedLocations = []
    w.wx = {
      openLocation: (o: {
        latitude: number
        longitude: number
        name: string
        success?: (r: unknown) => void
      }) => {
        w.openedLocations.push({ latitude: o.latitude, longitude: o.longitude, name: o.name })
        o.success?.({ errMsg: 'openLocation:ok' })
      }
    }
  })
  await page.goto(`${cloud.url}/`)
  await byTestId(page, 'station-card').waitFor()
  return page
}

test('on a working morning the window is open, the coming National Day is announced, 导航 opens the map', async () => {
  const page = await homeAt('2026-09-28T10:00:00') // a Monday
  await byTestId(page, 'open-status').getByText('办公中', { exact: false }).waitFor()
  const notice = byTestId(page, 'home-notice')
  await notice.getByText(holidayName('2026-10-01'), { exact: false }).waitFor()
  await notice.getByText('10月1日', { exact: false }).waitFor()

  await byTestId(page, 'station-navigate').click()
  await page.waitForFunction(
    () => (window as unknown as { openedLocations: unknown[] }).openedLocations.length > 0
  )
  // (Taro's H5 layer hands the call to window.wx once per callback it wires: count is not ours.)
  const opened = await page.evaluate(
    () => (window as unknown as { openedLocations: unknown[] }).openedLocations
  )
  expect(opened.length).toBeGreaterThan(0)
  for (const call of opened) expect(call).toEqual({ ...station.location, name: station.name })
})

test('on a weekday that is a public holiday the window is closed, by the holiday table', async () => {
  const page = await homeAt('2026-09-25T09:00:00') // a Friday of 中秋
  const name = holidayName('2026-09-25')
  await byTestId(page, 'open-status').getByText(`今日${name}休息`).waitFor()
  await byTestId(page, 'home-notice').getByText('恢复办公', { exact: false }).waitFor()
})

test('at lunch and after hours the card says when the window opens again, or that it has closed', async () => {
  const lunch = await homeAt('2026-09-29T12:30:00')
  await byTestId(lunch, 'open-status').getByText('休息中 · 14:30 开始办公').waitFor()
  const evening = await homeAt('2026-09-29T18:00:00')
  await byTestId(evening, 'open-status').getByText('今日已下班').waitFor()
})

test('拨打 dials the consultation phone', async () => {
  const page = await homeAt('2026-09-28T10:00:00')
  // The H5 build dials by navigating to a tel: link; the browser reports the navigation it was asked for.
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Page.enable')
  const dialled = new Promise<string>((resolve) =>
    cdp.on('Page.frameRequestedNavigation', (e: { url: string }) => resolve(e.url))
  )
  await byTestId(page, 'station-call').click()
  expect(await dialled).toBe(`tel:${station.consultPhone.replace(/[^0-9+]/g, '')}`)
  await cdp.detach()
})

test('each entry of the grid opens its page; the tab bar switches between 首页, 办事指南 and 我的', async () => {
  const page = await homeAt('2026-09-28T10:00:00')
  const entries: [testId: string, label: string, url: string][] = [
    ['entry-emergency', '绿色通道·急事求助', '#/pages/help/index?kind=emergency'],
    ['entry-after-hours', '延时服务', '#/pages/help/index?kind=after_hours'],
    ['entry-home-visit', '上门服务', '#/pages/help/index?kind=home_visit'],
    ['entry-queue', '取号排队', '#/pages/queue/index'],
    ['entry-my-bookings', '我的预约', '#/pages/my-bookings/index'],
    ['entry-voice', '评价与意见', '#/pages/my-voice/index'],
    // The guide is a tab: these switch to it, and the tab bar brings the resident home.
    ['entry-book', '预约办理', '#/pages/guide/index'],
    ['entry-guide', '办事指南', '#/pages/guide/index']
  ]
  const tab = (text: string) => page.locator('.taro-tabbar__tabbar').getByText(text, { exact: true })
  for (const [testId, label, url] of entries) {
    const entry = byTestId(page, testId)
    if (testId === 'entry-emergency') {
      // The emergency request goes by the same name on its own page.
      await entry.click()
      await page.getByText('绿色通道·急事求助 · 延时服务 · 上门服务').waitFor()
      await page.goto(`${cloud.url}/`)
    }
    expect((await entry.innerText()).replace(/\s/g, '')).toBe(label)
    await entry.click()
    await page.waitForURL((u) => u.hash === url.slice(url.indexOf('#')))
    if (url.includes('guide')) {
      await byTestId(page, 'guide-page').getByTestId('service-item').first().waitFor()
      await tab('首页').click()
    } else await page.goto(`${cloud.url}/`)
    await page.waitForURL((u) => u.hash === '' || u.hash === '#/pages/index/index')
    await byTestId(page, 'home-entries').waitFor()
  }
  await tab('我的').click()
  await byTestId(page, 'me-page').waitFor()
  await tab('办事指南').click()
  await byTestId(page, 'guide-page').waitFor()
  await tab('首页').click()
  await byTestId(page, 'station-card').waitFor()
})

test('elder mode enlarges the home page: the entries, the station, the switch itself', async () => {
  const page = await homeAt('2026-09-28T10:00:00')
  const px = (testId: string, selector: string) =>
    byTestId(page, testId)
      .locator(selector)
      .first()
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
  const before = {
    label: await px('home-entries', '.home-entry-label'),
    name: await px('station-card', '.station-name')
  }
  // The switch is at least 18 px in normal mode, so those who need it can read it.
  expect(
    await byTestId(page, 'elder-switch').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
  ).toBeGreaterThanOrEqual(18)

  await byTestId(page, 'elder-switch').click()
  await byTestId(page, 'home').and(page.locator('.elder')).waitFor()
  const after = {
    label: await px('home-entries', '.home-entry-label'),
    name: await px('station-card', '.station-name')
  }
  expect(after.label).toBeGreaterThanOrEqual(18)
  expect(after.label).toBeGreaterThan(before.label * 1.3)
  expect(after.name).toBeGreaterThan(before.name * 1.3)
  // Three entries to a row in elder mode, and none runs past the right edge.
  const boxes = await byTestId(page, 'home-entries')
    .locator('.home-entry')
    .evaluateAll((els) =>
      els.map((el) => el.getBoundingClientRect()).map((r) => ({ top: Math.round(r.top), right: r.right }))
    )
  expect(boxes.filter((b) => b.top === boxes[0]!.top)).toHaveLength(3)
  const width = await page.evaluate(() => document.documentElement.clientWidth)
  for (const b of boxes) expect(b.right).toBeLessThanOrEqual(width)
})

test('elder mode enlarges a service of the guide too', async () => {
  const page = await homeAt('2026-09-28T10:00:00')
  await byTestId(page, 'service-item').first().click()
  const detail = byTestId(page, 'service-detail')
  await detail.waitFor()
  const size = () =>
    detail
      .locator('.muted')
      .first()
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
  const before = await size()
  await byTestId(page, 'service-page').getByTestId('elder-switch').click()
  await byTestId(page, 'service-page').and(page.locator('.elder')).waitFor()
  // Body text (the summary) grows to at least 18 px.
  expect(await size()).toBeGreaterThanOrEqual(18)
  expect(await size()).toBeGreaterThan(before)
})
