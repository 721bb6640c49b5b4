/**
 * Subscription messages in Chromium, end to end on the local cloud: the H5 subscription sheet
 * (src/api/subscribe.h5.ts, bundled here on its own and driven from a button, since no page of
 * the app needs to be built for it), a send from a function through the real SDK, and the local
 * inbox showing the delivered message and opening the H5 app at its page.
 * The booking page calls the same module; its own journey belongs to the booking e2e test.
 */
import { build } from 'esbuild'
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { ROOT } from '../../local-cloud/paths'
import { templateIdOf } from '../../types/templates'
import { allowPageErrors, launch, phonePage } from '../helpers/browser'
import { callFunction, freshCloud } from '../helpers/cloud'
import { FIXTURE_FUNCTIONS_SRC, TEST_DATA } from '../helpers/paths'

jest.setTimeout(60_000)

const WORK = path.join(TEST_DATA, `e2e-subscribe-${process.pid}`)
const FUNCTIONS = path.join(WORK, 'functions')
let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser
let subscribeBundle = ''

const CONFIRMED = templateIdOf('bookingConfirmed', 'local')
const REMINDER = templateIdOf('bookingReminder', 'local')

async function buildFixtureFunction(): Promise<void> {
  const dest = path.join(FUNCTIONS, 'notify-fixture')
  fs.mkdirSync(dest, { recursive: true })
  await build({
    entryPoints: [path.join(FIXTURE_FUNCTIONS_SRC, 'notify-fixture', 'index.ts')],
    outfile: path.join(dest, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node16',
    format: 'cjs',
    external: ['wx-server-sdk'],
    logLevel: 'warning'
  })
  for (const f of ['config.json', 'package.json'])
    fs.copyFileSync(path.join(FIXTURE_FUNCTIONS_SRC, 'notify-fixture', f), path.join(dest, f))
}

/** subscribe.h5.ts for the browser; @tarojs/taro (read for elder mode only) stubbed over localStorage. */
async function buildSubscribeBundle(): Promise<string> {
  const stub = path.join(WORK, 'taro-stub.js')
  fs.writeFileSync(
    stub,
    `module.exports = { __esModule: true, default: { getStorageSync: (k) => localStorage.getItem(k) || '', getAppBaseInfo: () => ({ fontSizeScaleFactor: 1 }) } }\n`
  )
  const out = await build({
    stdin: {
      contents:
        "import { requestSubscribe } from './src/api/subscribe.h5'\nObject.assign(window, { requestSubscribe })\n",
      resolveDir: ROOT,
      loader: 'ts'
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome100',
    define: { CLOUD_ENV: '""', 'process.env.NODE_ENV': '"production"' },
    alias: { '@tarojs/taro': stub },
    logLevel: 'warning'
  })
  return out.outputFiles[0]?.text ?? ''
}

beforeAll(async () => {
  fs.rmSync(WORK, { recursive: true, force: true })
  await buildFixtureFunction()
  subscribeBundle = await buildSubscribeBundle()
  cloud = await freshCloud({ functionsDir: FUNCTIONS, seed: false })
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
  fs.rmSync(WORK, { recursive: true, force: true })
})

/** A page of the local cloud with the subscribe module and a button whose tap asks for `keys`. */
async function pageAs(openid: string, elder = false): Promise<Page & { errors: string[] }> {
  const page = await phonePage(browser)
  await page.goto(`${cloud.url}/inbox`)
  await page.evaluate(
    ([id, on]) => {
      localStorage.setItem('hukou.localOpenId', id)
      localStorage.setItem('hukou.elderMode', on ? 'on' : 'off')
    },
    [openid, elder] as const
  )
  await page.addScriptTag({ content: subscribeBundle })
  await page.evaluate(() => {
    const w = window as unknown as {
      requestSubscribe: (k: string[]) => Promise<unknown>
      keys: string[]
      outcome?: unknown
      afterAwait?: boolean
    }
    const button = document.createElement('button')
    button.textContent = '预约'
    button.dataset.testid = 'ask'
    button.style.cssText = 'position:fixed;top:0;left:0;width:200px;height:60px;z-index:1'
    const onClick = async (): Promise<void> => {
      w.outcome = undefined
      if (w.afterAwait) await new Promise((r) => setTimeout(r, 10))
      // In the handler, before any await: as the booking page does.
      w.requestSubscribe(w.keys).then(
        (ok) => (w.outcome = { ok }),
        (err) => (w.outcome = { err })
      )
    }
    button.addEventListener('click', () => void onClick())
    document.body.append(button)
  })
  return page
}

async function tapAsk(page: Page, keys: string[], afterAwait = false): Promise<void> {
  await page.evaluate(([k, a]) => Object.assign(window, { keys: k, afterAwait: a }), [
    keys,
    afterAwait
  ] as const)
  await page.getByTestId('ask').click()
}

async function outcome(
  page: Page
): Promise<{ ok?: Record<string, string>; err?: { errCode: number; errMsg: string } }> {
  await page.waitForFunction(() => (window as unknown as { outcome?: unknown }).outcome !== undefined)
  return page.evaluate(
    () =>
      (
        window as unknown as {
          outcome: { ok?: Record<string, string>; err?: { errCode: number; errMsg: string } }
        }
      ).outcome
  )
}

test('the sheet asks per template; the accepted one can be sent once and shows in the inbox, opening the app', async () => {
  const user = 'demo-resident-wang'
  const page = await pageAs(user)
  await tapAsk(page, ['bookingConfirmed', 'bookingReminder'])

  const sheet = page.getByRole('dialog')
  await sheet.getByText('“户政便民”想给您发送以下通知').waitFor()
  await sheet.getByText('预约成功通知').waitFor()
  await sheet.getByText('预约提醒').waitFor()
  // Large tap targets: every row and button at least 44 px tall (two rows, allow and cancel).
  const targets = await sheet.locator('label, button').all()
  expect(targets.length).toBeGreaterThanOrEqual(4)
  for (const target of targets) expect((await target.boundingBox())!.height).toBeGreaterThanOrEqual(44)

  await sheet.locator(`[data-tmpl-id="${REMINDER}"]`).uncheck()
  await sheet.getByTestId('subscribe-allow').click()
  expect(await outcome(page)).toEqual({
    ok: { errMsg: 'requestSubscribeMessage:ok', [CONFIRMED]: 'accept', [REMINDER]: 'reject' }
  })
  await expect(sheet.count()).resolves.toBe(0)

  const values = {
    service: '补领居民身份证',
    time: '2026年12月1日 09:30',
    place: '城关派出所户政窗口',
    code: 'A1234',
    tip: '请带好户口簿'
  }
  const sent = await callFunction<{ answers: { errCode: number }[] }>(
    cloud,
    'notify-fixture',
    {
      key: 'bookingConfirmed',
      values,
      message: { page: 'pages/service/index?id=svc-idcard-replace' },
      times: 2
    },
    user
  )
  expect(sent.body.answers.map((a) => a.errCode)).toEqual([0, 43101])
  const reminder = await callFunction<{ answers: { errCode: number }[] }>(
    cloud,
    'notify-fixture',
    { key: 'bookingReminder', values },
    user
  )
  expect(reminder.body.answers[0]?.errCode).toBe(43101)

  await page.goto(`${cloud.url}/inbox`)
  await page.getByTestId('inbox-user').filter({ hasText: '居民 王阿姨' }).click()
  const message = page.getByTestId('inbox-message')
  await expect(message.count()).resolves.toBe(1)
  await message.getByText('预约成功通知').waitFor()
  await message.getByText('城关派出所户政窗口').waitFor()
  await page.getByTestId('inbox-refused').first().waitFor()
  // This cloud runs the fixture function only: the app's page, once open, finds no guide function.
  allowPageErrors('status of 404 (Not Found)')
  const notFound = page.waitForEvent('console', (m) => m.type() === 'error' && m.text().includes('404'))
  await message.getByTestId('open-app').click()
  await page.waitForURL(/#\/pages\/service\/index\?id=svc-idcard-replace$/)
  await notFound
  expect(page.errors).toEqual([])
})

test('"总是保持以上选择" with 取消: later requests are refused without the sheet', async () => {
  const page = await pageAs('demo-resident-zhao')
  await tapAsk(page, ['bookingConfirmed'])
  const sheet = page.getByRole('dialog')
  await sheet.getByTestId('subscribe-keep').check()
  await sheet.getByTestId('subscribe-cancel').click()
  expect(await outcome(page)).toEqual({ ok: { errMsg: 'requestSubscribeMessage:ok', [CONFIRMED]: 'reject' } })

  await tapAsk(page, ['bookingConfirmed'])
  expect(await outcome(page)).toEqual({ ok: { errMsg: 'requestSubscribeMessage:ok', [CONFIRMED]: 'reject' } })
  expect(await page.getByRole('dialog').count()).toBe(0)
})

test('outside a tap, after an await, or with mixed kinds: refused as WeChat does, no sheet', async () => {
  allowPageErrors('status of 400 (Bad Request)') // the local cloud refuses the mixed kinds with a 400
  const page = await pageAs('demo-officer-li', true)
  const direct = await page.evaluate(() =>
    (window as unknown as { requestSubscribe: (k: string[]) => Promise<unknown> })
      .requestSubscribe(['officerAlert'])
      .catch((e: unknown) => e)
  )
  expect(direct).toEqual({
    errCode: 10005,
    errMsg: 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.'
  })

  await tapAsk(page, ['officerAlert'], true)
  expect((await outcome(page)).err?.errMsg).toBe(
    'requestSubscribeMessage:fail can only be invoked by user TAP gesture.'
  )

  await tapAsk(page, ['officerAlert', 'bookingConfirmed'])
  expect((await outcome(page)).err).toEqual({
    errCode: 20002,
    errMsg: 'requestSubscribeMessage:fail Templates type must be same'
  })
  expect(await page.getByRole('dialog').count()).toBe(0)

  // Elder mode: the long-term sheet with tap targets of at least 60 px.
  await tapAsk(page, ['officerAlert'])
  const sheet = page.getByRole('dialog')
  await sheet.getByText('新的服务申请提醒').waitFor()
  const targets = await sheet.locator('label, button').all()
  expect(targets.length).toBeGreaterThanOrEqual(3) // the one row, allow and cancel
  for (const target of targets) expect((await target.boundingBox())!.height).toBeGreaterThanOrEqual(60)
  await sheet.getByTestId('subscribe-allow').click()
  expect((await outcome(page)).ok).toEqual({
    errMsg: 'requestSubscribeMessage:ok',
    [templateIdOf('officerAlert', 'local')]: 'accept'
  })
})
