/**
 * The local cloud's web console in a real browser, as a developer or a supervisor uses it: from
 * the overview to the services collection, a filter by category, and the matching documents —
 * no script on the page, so it works the same with JavaScript off.
 */
import type { Browser } from 'playwright-core'
import { services } from '../../database/seed/services'
import { allowPageErrors, launch } from '../helpers/browser'
import { freshCloud } from '../helpers/cloud'

jest.setTimeout(60_000)

let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser

beforeAll(async () => {
  cloud = await freshCloud()
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

test('opens the console, goes to the services collection and filters it by category', async () => {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    javaScriptEnabled: false
  })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))

  await page.goto(`${cloud.url}/console`)
  await page.getByRole('heading', { name: '概览 Overview' }).waitFor()
  const servicesRow = page.locator('tr[data-collection="services"]')
  await servicesRow.getByText(String(services.length), { exact: true }).waitFor()

  await servicesRow.getByRole('link', { name: 'services' }).click()
  await page.waitForURL(/\/console\/collections\/services$/)
  await page
    .getByTestId('result-count')
    .getByText(`${services.length} of ${services.length} documents match`, { exact: false })
    .waitFor()

  await page.getByTestId('filter-form').locator('textarea[name="filter"]').fill('{"category":"certificate"}')
  await page.getByRole('button', { name: '查询 Query' }).click()
  await page.waitForURL(/filter=/)

  const certificates = services.filter((s) => s.category === 'certificate')
  expect(certificates.length).toBeGreaterThan(0)
  const ids = await page.getByTestId('doc').locator('.doc-id').allInnerTexts()
  expect(ids.sort()).toEqual(certificates.map((s) => s._id).sort())
  for (const s of certificates)
    await page.getByTestId('doc').getByText(s.name, { exact: false }).first().waitFor()
  await page
    .getByTestId('result-count')
    .getByText(`${certificates.length} of ${services.length} documents match`, { exact: false })
    .waitFor()

  // The same filter as field=value, sorted by order descending, through the form's own fields.
  await page.getByTestId('filter-form').locator('textarea[name="filter"]').fill('category=id_card')
  await page.getByTestId('filter-form').locator('input[name="sort"]').fill('order')
  await page.getByTestId('filter-form').locator('select[name="order"]').selectOption('desc')
  await page.getByRole('button', { name: '查询 Query' }).click()
  await page.waitForURL(/order=desc/)
  const idCards = services.filter((s) => s.category === 'id_card').sort((a, b) => b.order - a.order)
  expect(await page.getByTestId('doc').locator('.doc-id').allInnerTexts()).toEqual(idCards.map((s) => s._id))

  // A typo in the filter: a message on the page (answered 400, which the browser logs), the filter
  // kept for fixing.
  allowPageErrors('status of 400 (Bad Request)')
  await page.getByTestId('filter-form').locator('textarea[name="filter"]').fill('{"category":')
  await page.getByRole('button', { name: '查询 Query' }).click()
  await page.getByRole('alert').getByText('筛选条件不是合法的 JSON', { exact: false }).waitFor()
  expect(await page.getByTestId('filter-form').locator('textarea[name="filter"]').inputValue()).toBe(
    '{"category":'
  )

  expect(errors).toEqual([])
  await context.close()
})
