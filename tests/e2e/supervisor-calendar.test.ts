/**
 * The holiday table as a calendar: a supervisor loads next year, checks it in the month grid, marks
 * a make-up working day by tapping it, and confirms the year; a leader closes the window for two
 * days picked with the date picker and the grid marks them. A resident is refused.
 */
import type { Browser } from 'playwright-core'
import { launch, pageAs, byTestId } from '../helpers/browser'
import { freshCloud } from '../helpers/cloud'
import { pickDate } from '../helpers/picker'
import { addDays, formatLocalDate, localDate } from '../../types/time'

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

test('a supervisor loads next year, checks it in the month grid, marks a day by tapping it, and confirms it', async () => {
  const page = await as('demo-supervisor-chen')
  await page.goto(`${cloud.url}/#/supervisor/calendar/index`)
  const nextYear = new Date().getUTCFullYear() + 1
  await byTestId(page, `year-${nextYear}`).getByText('未发布', { exact: false }).waitFor()
  // This month is shown with its legend.
  await byTestId(page, 'calendar-legend').getByText('调休上班', { exact: false }).waitFor()
  await byTestId(page, 'paste-open').click()
  await byTestId(page, 'year-text')
    .locator('textarea')
    .fill(`${nextYear}-01-01 休 元旦\n${nextYear}-01-02 休 元旦`)
  await byTestId(page, 'save-year').click()
  await byTestId(page, 'calendar-message').getByText('已录入', { exact: false }).waitFor()
  await byTestId(page, `year-${nextYear}`).getByText('待确认', { exact: false }).waitFor()
  expect(cloud.store.get('calendars', `cal-${nextYear}`)).toMatchObject({ confirmed: false })

  // The grid shows next January: the two holidays, a plain weekend, a working day.
  await byTestId(page, 'month-title').getByText(`${nextYear}年1月`).waitFor()
  const kind = (date: string) => byTestId(page, `day-${date}`).getAttribute('data-kind')
  expect(await kind(`${nextYear}-01-01`)).toBe('holiday')
  expect(await kind(`${nextYear}-01-02`)).toBe('holiday')
  const saturday = [...Array(7).keys()]
    .map((i) => `${nextYear}-01-0${i + 3}`)
    .find((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 6) as string
  expect(await kind(saturday)).toBe('rest')

  // A make-up working day, picked on the grid rather than typed.
  await byTestId(page, `day-${saturday}`).click()
  await byTestId(page, 'mark-name').locator('input').fill('元旦')
  await byTestId(page, 'mark-workday').click()
  expect(await kind(saturday)).toBe('makeup')
  await byTestId(page, 'save-marks').click()
  await byTestId(page, 'calendar-message').getByText(`已录入 ${nextYear} 年 3 天`, { exact: false }).waitFor()
  expect(cloud.store.get('calendars', `cal-${nextYear}`)).toMatchObject({
    confirmed: false,
    days: expect.arrayContaining([{ date: saturday, kind: 'workday', name: '元旦' }])
  })

  await byTestId(page, `confirm-${nextYear}`).click()
  await byTestId(page, `year-${nextYear}`).getByText('已确认', { exact: false }).waitFor()
  expect(cloud.store.get('calendars', `cal-${nextYear}`)).toMatchObject({ confirmed: true })
  expect(page.errors).toEqual([])
})

test('a leader closes the window for two days picked with the date picker; the grid marks them', async () => {
  const today = localDate(Date.now())
  const from = addDays(today, 2)
  const to = addDays(today, 3)
  const page = await as('demo-leader-zhou')
  await page.goto(`${cloud.url}/#/supervisor/calendar/index`)
  await pickDate(page, byTestId(page, 'closure-from'), from)
  await pickDate(page, byTestId(page, 'closure-to'), to)
  await byTestId(page, 'closure-to').getByText(formatLocalDate(to)).waitFor()
  await byTestId(page, 'closure-reason').locator('input').fill('全员培训')
  await byTestId(page, 'add-closure').click()
  await byTestId(page, 'closure-message').getByText('已设置停办（2 天）', { exact: false }).waitFor()
  expect(
    cloud.store
      .docs('closures')
      .map((c) => [c.date, c.reason, c.start])
      .sort()
  ).toEqual([
    [from, '全员培训', undefined],
    [to, '全员培训', undefined]
  ])
  // The month grid marks both days closed (one month on, if they fall there).
  for (let i = 0; i < 2 && !(await byTestId(page, `day-${to}`).count()); i++)
    await byTestId(page, 'month-next').click()
  for (const d of [from, to]) {
    if (!(await byTestId(page, `day-${d}`).count())) continue
    expect(await byTestId(page, `day-${d}`).getAttribute('data-closed')).toBe('all')
  }
  await byTestId(page, `day-${to}`).click()
  await byTestId(page, 'day-detail').getByText('全天停办：全员培训').waitFor()
  expect(page.errors).toEqual([])
})

test('a resident who finds the page is refused in plain words', async () => {
  const page = await as('demo-resident-wang')
  await page.goto(`${cloud.url}/#/supervisor/calendar/index`)
  await page.getByRole('alert').getByText('您没有权限', { exact: false }).waitFor()
})
