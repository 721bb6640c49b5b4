/**
 * DevTools journey (see jest.config.js here): book a slot, find it in "my appointments",
 * cancel — the same journey as tests/e2e/booking.test.ts, inside WeChat DevTools against a real
 * cloud environment with the functions deployed and the demo data imported (README).
 * WeChat's own subscription sheet is answered by mocking wx.requestSubscribeMessage.
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

test('book a slot, see the code, find it in my appointments, cancel it', async () => {
  const book = await mp.reLaunch('/pages/book/index?serviceId=svc-cert-hukou')
  if (!book) throw new Error('booking page did not open')
  await book.waitFor(async () => (await book.$$('.chip')).length > 1)
  const dates = await book.$$('.chip')
  await dates[1].tap()
  await book.waitFor(async () => (await book.$$('.slot')).length > 0)
  const slots = await book.$$('.slot')
  await slots[0].tap()
  const inputs = (await book.$$('.form-input')) as unknown as InputLike[]
  await inputs[0]?.input('王芳')
  await inputs[1]?.input('13812345678')
  await (await book.$('.consent'))?.tap()
  await (await book.$('.button-primary'))?.tap()

  await book.waitFor(2000)
  const detail = await mp.currentPage()
  if (!detail) throw new Error('no page after booking')
  expect(detail.path).toBe('pages/booking-detail/index')
  const code = await (await detail.$('.booking-code'))?.text()
  expect(code?.replace(/\s/g, '')).toMatch(/^[2-9A-HJKMNP-TW-Z]{6}$/)

  const mine = await mp.navigateTo('/pages/my-bookings/index')
  if (!mine) throw new Error('my appointments did not open')
  await mine.waitFor(async () => (await mine.$$('.booking-item')).length > 0)
})
