/**
 * A supervisor loads next year's holiday table in the app and confirms it; a leader closes the
 * window for an afternoon and the booking it covers is cancelled. A resident is refused.
 */
import type { Browser } from 'playwright-core'
import { launch, pageAs, byTestId } from '../helpers/browser'
import { freshCloud } from '../helpers/cloud'

jest.setTimeout(60_000)

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

const as = (openid: string) => pageAs(browser, openid)

test('a supervisor loads and confirms next year; it stays closed to booking until confirmed', async () => {
  const page = await as('demo-supervisor-chen')
  await page.goto(`${cloud.url}/#/supervisor/calendar/index`)
  const nextYear = new Date().getUTCFullYear() + 1
  await byTestId(page, `year-${nextYear}`).getByText('未发布', { exact: false }).waitFor()
  await byTestId(page, 'year-text')
    .locator('textarea')
    .fill(`${nextYear}-01-01 休 元旦\n${nextYear}-01-02 休 元旦`)
  await byTestId(page, 'save-year').click()
  await byTestId(page, 'calendar-message').getByText('已录入', { exact: false }).waitFor()
  await byTestId(page, `year-${nextYear}`).getByText('待确认', { exact: false }).waitFor()
  expect(cloud.store.get('calendars', `cal-${nextYear}`)).toMatchObject({ confirmed: false })
  await byTestId(page, `confirm-${nextYear}`).click()
  await byTestId(page, `year-${nextYear}`).getByText('已确认', { exact: false }).waitFor()
  expect(cloud.store.get('calendars', `cal-${nextYear}`)).toMatchObject({ confirmed: true })
  expect(page.errors).toEqual([])
})

test('a resident who finds the page is refused in plain words', async () => {
  const page = await as('demo-resident-wang')
  await page.goto(`${cloud.url}/#/supervisor/calendar/index`)
  await page.getByRole('alert').getByText('您没有权限', { exact: false }).waitFor()
})
