/**
 * DevTools journey (see jest.config.js here): the mini-program built into dist/, talking to a
 * real cloud environment where the functions are deployed and the demo data imported (README).
 */
import fs from 'node:fs'
import automator from 'miniprogram-automator'
import { services } from '../../database/seed/services'
import { ROOT } from '../../local-cloud/paths'

type MiniProgram = Awaited<ReturnType<typeof automator.launch>>

const cliPath = process.env.WECHAT_DEVTOOLS_CLI
let mp: MiniProgram

beforeAll(async () => {
  if (!cliPath || !fs.existsSync(cliPath)) {
    throw new Error(
      'WeChat DevTools not found: set WECHAT_DEVTOOLS_CLI to its cli (DevTools runs on Windows and macOS only).'
    )
  }
  mp = await automator.launch({ cliPath, projectPath: ROOT })
})

afterAll(async () => {
  await mp?.close()
})

test('a resident finds a service, searches, and reads what to bring', async () => {
  const home = await mp.reLaunch('/pages/index/index')
  if (!home) throw new Error('home page did not open')
  await home.waitFor(async () => (await home.$$('.service-item')).length === services.length)

  // An <input> element: automator gives it input(); its base typing does not say so.
  const input = (await home.$('.search input')) as unknown as { input(value: string): Promise<void> } | null
  await input?.input('火化')
  await home.waitFor(async () => (await home.$$('.service-item')).length === 1)

  const replace = services.find((s) => s._id === 'svc-idcard-replace')!
  const detail = await mp.navigateTo(`/pages/service/index?id=${replace._id}`)
  if (!detail) throw new Error('detail page did not open')
  await detail.waitFor(async () => (await detail.$$('.material')).length === replace.materials.length)
  const first = await detail.$('.material-name')
  expect(await first?.text()).toBe(replace.materials[0]?.name)
})
