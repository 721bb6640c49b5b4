/**
 * Headless Debian Chromium driven by playwright-core. Never downloads a browser: the project
 * installs Debian's chromium (.ci/run does) and points at /usr/bin/chromium.
 */
import fs from 'node:fs'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export async function launch(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`
    )
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run'
    ]
  })
}

/** A phone-sized page that fails the test on any uncaught page error. */
export async function phonePage(browser: Browser): Promise<Page & { errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai'
  })
  const page = (await context.newPage()) as Page & { errors: string[] }
  page.errors = []
  page.on('pageerror', (err) => page.errors.push(err.message))
  return page
}

/** A phone-sized page speaking as this demo identity (the H5 build's local identity picker). */
export async function pageAs(browser: Browser, openid: string): Promise<Page & { errors: string[] }> {
  const page = await phonePage(browser)
  await page.addInitScript((id) => window.localStorage.setItem('hukou.localOpenId', id), openid)
  return page
}

/** Taro's H5 router keeps earlier pages of the stack in the DOM, hidden: look at the visible one. */
export function byTestId(page: Page, id: string): Locator {
  return page.locator(`[data-testid="${id}"]:visible`)
}
