/**
 * DevTools journey (see jest.config.js here): a resident writes an anonymous complaint in the
 * feedback box and finds it in 我的评价与留言 — the resident's half of tests/e2e/rating.test.ts,
 * inside WeChat DevTools against a real cloud environment with the functions deployed and the
 * demo data imported (README). The subscription sheet is answered by mocking
 * wx.requestSubscribeMessage. (Rating a case needs a finished appointment, which needs an
 * officer: that journey is proven in Chromium against the H5 build.)
 */
import fs from 'node:fs'
import automator from 'miniprogram-automator'
import { ROOT } from '../../local-cloud/paths'

type MiniProgram = Awaited<ReturnType<typeof automator.launch>>
type InputLike = { input(value: string): Promise<void> }

const cliPath = process.env.WECHAT_DEVTOOLS_CLI
let mp: MiniProgram

beforeAll(async () => {
  if (!cliPath || !fs.existsSync(cliPath)) {
    throw new Error(
      'WeChat DevTools not found: set WECHAT_DEVTOOLS_CLI to its cli (DevTools runs on Windows and macOS only).'
    )
  }
  mp = await automator.launch({ cliPath, projectPath: ROOT })
  await mp.mockWxMethod('requestSubscribeMessage', { errMsg: 'requestSubscribeMessage:ok' })
})

afterAll(async () => {
  await mp?.restoreWxMethod('requestSubscribeMessage')
  await mp?.close()
})

test('an anonymous complaint, then seen in my feedback', async () => {
  const page = await mp.reLaunch('/pages/feedback/index')
  if (!page) throw new Error('feedback page did not open')
  await page.waitFor(async () => (await page.$$('.voice-chip')).length >= 3)
  const kinds = await page.$$('.voice-chip')
  await kinds[1]?.tap() // 投诉
  await (await page.$('.voice-switch'))?.tap()
  const content = (await page.$('.voice-textarea')) as unknown as InputLike | null
  const text = `叫号屏不亮，老人听不清叫号（${Date.now()}）`
  await content?.input(text)
  await (await page.$('.voice-submit'))?.tap()

  await page.waitFor(3000)
  const mine = await mp.currentPage()
  if (!mine) throw new Error('no page after submitting')
  expect(mine.path).toBe('pages/my-voice/index')
  await mine.waitFor(async () => (await mine.$$('.card')).length > 0)
  const cards = (await mine.$$('.card')) as unknown as { text(): Promise<string> }[]
  const texts = await Promise.all(cards.map((el) => el.text()))
  expect(texts.some((t) => t.includes(text.slice(0, 8)))).toBe(true)
})
