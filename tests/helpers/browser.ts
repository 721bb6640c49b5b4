/**
 * Headless Debian Chromium driven by playwright-core. Never downloads a browser: the project
 * installs Debian's chromium (.ci/run does) and points at /usr/bin/chromium.
 *
 * Every page opened through a browser from `launch()` is watched: an uncaught exception, a
 * `console.error`, or a same-origin request that fails (not one the page aborted by navigating
 * away) is recorded, and an `afterEach` registered by importing this module fails the test that
 * produced it. A test that provokes an error on purpose names it with `allowPageErrors()`; an
 * allowed error that does not happen fails the test too, so allowances cannot go stale.
 */
import fs from 'node:fs'
import path from 'node:path'
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
  type Request
} from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

interface PageProblem {
  kind: 'uncaught exception' | 'console.error' | 'failed request'
  text: string
  url: string
}

const problems: PageProblem[] = []
const watched = new WeakSet<Page>()
let allowed: (string | RegExp)[] = []
/** Browser contexts opened by the running test: closed after it, so nothing of it reaches the next. */
const openedByTest = new Set<BrowserContext>()

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin
  } catch {
    return false
  }
}

function watch(page: Page): void {
  if (watched.has(page)) return
  watched.add(page)
  page.on('pageerror', (err) =>
    problems.push({ kind: 'uncaught exception', text: err.message, url: page.url() })
  )
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push({ kind: 'console.error', text: msg.text(), url: page.url() })
  })
  page.on('requestfailed', (req: Request) => {
    const failure = req.failure()?.errorText ?? 'failed'
    // Leaving a page aborts what it still had in flight: not an error of the app.
    if (failure.includes('ERR_ABORTED')) return
    if (!sameOrigin(req.url(), page.url())) return
    problems.push({
      kind: 'failed request',
      text: `${req.method()} ${req.url()}: ${failure}`,
      url: page.url()
    })
  })
}

function watchContext(context: BrowserContext): BrowserContext {
  context.on('page', watch)
  for (const page of context.pages()) watch(page)
  if (expect.getState().currentTestName !== undefined) openedByTest.add(context)
  return context
}

/**
 * Errors this test expects its pages to report (a substring or a pattern of the message), e.g. a
 * test that makes a send fail on purpose. Each one must happen, and only for the current test.
 */
export function allowPageErrors(...expected: (string | RegExp)[]): void {
  allowed.push(...expected)
}

const matches = (pattern: string | RegExp, text: string): boolean =>
  typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)

/** The errors recorded since the last check, minus the allowed ones; throws when any is left. */
export function checkPageErrors(): void {
  const found = problems.splice(0)
  const allow = allowed
  allowed = []
  const unexpected = found.filter((p) => !allow.some((a) => matches(a, p.text)))
  const unseen = allow.filter((a) => !found.some((p) => matches(a, p.text)))
  const lines = [
    ...unexpected.map((p) => `  ${p.kind} on ${p.url}: ${p.text}`),
    ...unseen.map((a) => `  allowed but never reported: ${String(a)}`)
  ]
  if (lines.length > 0)
    throw new Error(
      `The pages of this test reported errors (name an expected one with allowPageErrors()):\n${lines.join('\n')}`
    )
}

// Every test file that opens pages imports this module: each of its tests is checked, once the
// pages it opened are closed (an error they report while closing still counts for this test).
afterEach(async () => {
  const contexts = [...openedByTest]
  openedByTest.clear()
  await Promise.all(contexts.map((c) => c.close().catch(() => undefined)))
  checkPageErrors()
})

export async function launch(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`
    )
  const browser = await chromium.launch({
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
  // browser.newPage() goes through newContext() too: every page of this browser is watched.
  const newContext = browser.newContext.bind(browser)
  browser.newContext = async (options) => watchContext(await newContext(options))
  return browser
}

/** A phone-sized page; `errors` lists its uncaught exceptions (all pages are checked anyway). */
export async function phonePage(browser: Browser): Promise<Page & { errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai'
  })
  const page = (await context.newPage()) as Page & { errors: string[] }
  watch(page)
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

/**
 * A page as `openid` at `width` CSS px (720 tall), in elder mode (长辈模式) or not, its clock fixed
 * at `now` when given (the local cloud's moved clock, so the page's times agree with the cloud's).
 */
export async function phoneAs(
  browser: Browser,
  openid: string,
  { width = 375, elder = false, now }: { width?: number; elder?: boolean; now?: number } = {}
): Promise<Page & { errors: string[] }> {
  const page = await pageAs(browser, openid)
  await page.addInitScript(
    (on) => window.localStorage.setItem('hukou.elderMode', JSON.stringify({ data: on ? 'on' : 'off' })),
    elder
  )
  await page.setViewportSize({ width, height: 720 })
  if (now !== undefined) await page.clock.setFixedTime(new Date(now))
  return page
}

/**
 * Asserts nothing on the page is wider than the screen, naming the view, width and mode when it
 * fails; takes a full-page screenshot into the folder the environment variable `shotsEnv` names,
 * when it is set, so a person can look at it.
 */
export async function fitsScreen(
  page: Page,
  name: string,
  width: number,
  elder: boolean,
  shotsEnv: string
): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  const mode = `${name} at ${width} px${elder ? ', elder' : ''}`
  expect(`${mode}: ${overflow > 1 ? `${overflow} px too wide` : 'fits'}`).toBe(`${mode}: fits`)
  const shots = process.env[shotsEnv]
  if (shots) {
    fs.mkdirSync(shots, { recursive: true })
    await page.screenshot({
      path: path.join(shots, `${name}-${width}-${elder ? 'elder' : 'normal'}.png`),
      fullPage: true
    })
  }
}

/** Taro's H5 router keeps earlier pages of the stack in the DOM, hidden: look at the visible one. */
export function byTestId(page: Page, id: string): Locator {
  return page.locator(`[data-testid="${id}"]:visible`)
}
