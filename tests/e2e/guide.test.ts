/**
 * A resident's first visit, in a real browser against the H5 build served by the local cloud on
 * a fresh database: the home page lists the guide by category, search narrows it, a service
 * opens with its materials, fee and steps.
 */
import type { Browser } from 'playwright-core'
import { services } from '../../database/seed/services'
import { stations } from '../../database/seed/stations'
import { CATEGORY_LABELS, formatFee } from '../../types/guide'
import { launch, phonePage } from '../helpers/browser'
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

test('a resident finds a service, searches, and reads what to bring', async () => {
  const page = await phonePage(browser)
  await page.goto(`${cloud.url}/`)

  // Home: the station card and every service, by category.
  const station = stations[0]!
  await page.getByTestId('station-card').getByText(station.name).waitFor()
  await page.getByText(`监督电话 ${station.supervisionPhone}`).waitFor()
  await expectCount(page.getByTestId('service-item'), services.length)
  const categories = new Set(services.map((s) => s.category))
  for (const c of categories)
    await page.getByTestId(`category-${c}`).getByText(CATEGORY_LABELS[c], { exact: true }).waitFor()

  // Search narrows as the resident types; nonsense gets a helpful empty state.
  const search = page.locator('.search input')
  await search.fill('火化')
  await expectCount(page.getByTestId('service-item'), 1)
  await page.getByTestId('service-item').getByText('死亡注销户口').waitFor()
  await search.fill('驾驶证')
  await page.getByTestId('empty-search').getByText(station.consultPhone, { exact: false }).waitFor()
  await search.fill('')
  await expectCount(page.getByTestId('service-item'), services.length)

  // Open one service: materials, fee and steps as in the guide.
  const replace = services.find((s) => s._id === 'svc-idcard-replace')!
  await page.getByTestId('service-item').filter({ hasText: replace.name }).click()
  const detail = page.getByTestId('service-detail')
  await detail.waitFor()
  await detail.getByTestId('fee').getByText(formatFee(replace.feeFen), { exact: false }).waitFor()
  const materials = await detail.getByTestId('material').allInnerTexts()
  expect(materials).toHaveLength(replace.materials.length)
  replace.materials.forEach((m, i) => expect(materials[i]).toContain(m.name))
  for (const step of replace.steps) await detail.getByText(step).waitFor()

  expect(page.errors).toEqual([])
})

test('a link to a service that does not exist says so plainly and offers a retry', async () => {
  const page = await phonePage(browser)
  await page.goto(`${cloud.url}/#/pages/service/index?id=svc-gone`)
  await page.getByRole('alert').getByText('没有找到这个办事事项', { exact: false }).waitFor()
  await page.getByText('重试').waitFor()
  expect(page.errors).toEqual([])
})

test('the H5 build offers the local identity picker', async () => {
  const page = await phonePage(browser)
  await page.goto(`${cloud.url}/`)
  await page.getByTestId('dev-identity').getByText('居民 王阿姨', { exact: false }).waitFor()
})

async function expectCount(locator: import('playwright-core').Locator, n: number): Promise<void> {
  // Poll: the list renders after the cloud answers.
  const deadline = Date.now() + 10_000
  let count = await locator.count()
  while (count !== n && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100))
    count = await locator.count()
  }
  expect(count).toBe(n)
}
