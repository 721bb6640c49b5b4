/**
 * Timers belong to the platform (cloudfunctions/_shared/handler.ts):
 * - a function's config.json has a timer trigger exactly when its defineFunction declares a
 *   timer (each function's real entry module is loaded and asked);
 * - a declared timer runs only for the platform's trigger invocation — event Type 'Timer',
 *   SOURCE exactly 'wx_trigger', no OPENID — read through wx-server-sdk's own getWXContext()
 *   from the environment variables the runtime sets; anything else is refused with TIMER_ONLY.
 */
import fs from 'node:fs'
import path from 'node:path'
import { guideInputs } from '../../types/guide'
import { defineFunction, isTriggerInvocation } from '../../cloudfunctions/_shared/handler'

const FUNCTIONS = path.join(__dirname, '..', '..', 'cloudfunctions')
const names = fs
  .readdirSync(FUNCTIONS)
  .filter((n) => !n.startsWith('_') && fs.existsSync(path.join(FUNCTIONS, n, 'index.ts')))
  .sort()

function timerTriggers(name: string): { name: string; type: string; config: string }[] {
  const config = JSON.parse(fs.readFileSync(path.join(FUNCTIONS, name, 'config.json'), 'utf8')) as {
    triggers?: { name: string; type: string; config: string }[]
  }
  return (config.triggers ?? []).filter((t) => t.type === 'timer')
}

test('every function is checked, and notify and rating are among those with timers', () => {
  expect(names).toEqual(expect.arrayContaining(['guide', 'notify', 'rating']))
  expect(names.filter((n) => timerTriggers(n).length > 0)).toEqual(
    expect.arrayContaining(['notify', 'rating'])
  )
})

describe.each(names)('%s', (name) => {
  test('config.json has a timer trigger exactly when defineFunction declares a timer', () => {
    const mod = require(path.join(FUNCTIONS, name, 'index.ts')) as { main?: { declaresTimer?: unknown } }
    expect(typeof mod.main).toBe('function')
    // Every entry is made by defineFunction (no hand-written main wrapper hiding timer work).
    expect(typeof mod.main?.declaresTimer).toBe('boolean')
    const triggers = timerTriggers(name)
    expect(triggers.length).toBeLessThanOrEqual(1)
    expect(mod.main?.declaresTimer).toBe(triggers.length === 1)
  })
})

describe('the timer runs for the platform trigger only', () => {
  const saved = { ...process.env }
  beforeEach(() => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined)
  })
  afterEach(() => {
    process.env = { ...saved }
    jest.restoreAllMocks()
  })

  /** The environment the cloud runtime sets for an invocation, as getWXContext() reads it. */
  function invokedAs(source: string, openid: string): void {
    process.env.WX_CONTEXT_KEYS = 'WX_OPENID,WX_APPID,WX_UNIONID,WX_SOURCE'
    process.env.WX_OPENID = openid
    process.env.WX_APPID = 'wx-test'
    process.env.WX_UNIONID = ''
    process.env.WX_SOURCE = source
    process.env.TCB_ENV = 'test-env'
    delete process.env.TCB_SOURCE
  }

  const handlers = {
    listStations: async () => [],
    listServices: async () => ({ station: {}, services: [] }),
    getService: async () => ({})
  } as unknown as Parameters<typeof defineFunction<'guide'>>[2]

  function withTimer() {
    const runs: { env: string; triggerName: string }[] = []
    const main = defineFunction('guide', guideInputs, handlers, {
      timer: async (ctx) => {
        runs.push({ env: ctx.env, triggerName: ctx.triggerName })
        return { done: true }
      }
    })
    return { main, runs }
  }

  const timerEvent = { Type: 'Timer', TriggerName: 'everyMinute', Time: '2026-11-28T19:15:00Z', Message: '' }

  test('a trigger invocation runs the declared timer and answers its report', async () => {
    const { main, runs } = withTimer()
    invokedAs('wx_trigger', '')
    await expect(main(timerEvent)).resolves.toEqual({ done: true })
    expect(runs).toEqual([{ env: 'test-env', triggerName: 'everyMinute' }])
  })

  test.each([
    ['a mini-program call with a caller', 'wx_client', 'o-resident'],
    ['a mini-program call without a caller', 'wx_client', ''],
    ['a call from another function', 'wx_client,scf', ''],
    ['a trigger-fired function calling this one', 'wx_trigger,scf', ''],
    ['a trigger source with a caller', 'wx_trigger', 'o-resident'],
    ['no source at all', '', '']
  ])('%s is refused with TIMER_ONLY and the timer does not run', async (_label, source, openid) => {
    const { main, runs } = withTimer()
    invokedAs(source, openid)
    const res = await main({ ...timerEvent })
    expect(res).toMatchObject({ ok: false, error: { code: 'TIMER_ONLY' } })
    expect(runs).toEqual([])
  })

  test('a function without a declared timer refuses even the real trigger', async () => {
    const main = defineFunction('guide', guideInputs, handlers)
    invokedAs('wx_trigger', '')
    expect(main.declaresTimer).toBe(false)
    await expect(main(timerEvent)).resolves.toMatchObject({ ok: false, error: { code: 'TIMER_ONLY' } })
  })

  test('isTriggerInvocation: SOURCE exactly wx_trigger and no OPENID', () => {
    expect(isTriggerInvocation({ SOURCE: 'wx_trigger', OPENID: '' })).toBe(true)
    expect(isTriggerInvocation({ SOURCE: 'wx_trigger' })).toBe(true)
    expect(isTriggerInvocation({ SOURCE: 'wx_trigger', OPENID: 'o-x' })).toBe(false)
    expect(isTriggerInvocation({ SOURCE: 'wx_client', OPENID: '' })).toBe(false)
    expect(isTriggerInvocation({ SOURCE: ' wx_trigger', OPENID: '' })).toBe(false)
    expect(isTriggerInvocation({ SOURCE: 'WX_TRIGGER', OPENID: '' })).toBe(false)
  })
})
