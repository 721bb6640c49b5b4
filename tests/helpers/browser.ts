/**
 * Headless Debian Chromium driven by playwright-core. Never downloads a browser: the project
 * installs Debian's chromium (.ci/run does) and points at /usr/bin/chromium.
 */
import fs from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export async function launch(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`)
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
  })
}

/** A phone-sized page that fails the test on any uncaught page error. */
export async function phonePage(browser: Browser): Promise<Page & { errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = (await context.newPage()) as Page & { errors: string[] }
  page.errors = []
  page.on('pageerror', (err) => page.errors.push(err.message))
  return page
}
