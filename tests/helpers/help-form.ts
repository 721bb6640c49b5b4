/**
 * A resident asks the green channel for a death registration, from the home page's entry through
 * the form, up to WeChat's consent sheet for the progress message (returned, for the test to
 * answer).
 */
import type { Locator, Page } from 'playwright-core'
import { byTestId } from './browser'

export async function askForDeathRegistration(
  page: Page,
  url: string,
  description: string
): Promise<Locator> {
  await page.goto(`${url}/`)
  await byTestId(page, 'entry-emergency').click()
  await byTestId(page, 'kind-emergency').waitFor()
  await byTestId(page, 'category-death_cremation').click()
  await byTestId(page, 'input-description').locator('textarea').fill(description)
  await byTestId(page, 'input-name').locator('input').fill('王芳')
  await byTestId(page, 'input-mobile').locator('input').fill('13812345678')
  await byTestId(page, 'confirm').click()
  const sheet = byTestId(page, 'subscribe-sheet')
  await sheet.waitFor()
  return sheet
}
