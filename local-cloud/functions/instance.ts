/**
 * One function instance, as the cloud runs it: a process that loads the function's bundle once
 * (the cold start), then serves one invocation at a time, its module state kept while warm.
 * The caller's WeChat identity reaches wx-server-sdk's getWXContext() through the environment
 * variables the cloud sets for each invocation.
 */
import path from 'node:path'
import type { InstanceMessage, InvokeMessage } from './protocol'

type Main = (event: unknown, context: Record<string, unknown>) => unknown

// The cloud clock: function code reads time through Date as usual; the local cloud can move it
// (tests of reminders and escalations), and every instance follows.
const RealDate = Date
let clockOffsetMs = 0
class CloudDate extends RealDate {
  constructor(...args: unknown[]) {
    super()
    return Reflect.construct(
      RealDate,
      args.length ? args : [RealDate.now() + clockOffsetMs],
      new.target
    ) as CloudDate
  }

  static override now(): number {
    return RealDate.now() + clockOffsetMs
  }
}
globalThis.Date = CloudDate as DateConstructor

const entry = process.argv[2]
if (!entry) throw new Error('instance: no function entry given')

function send(message: InstanceMessage): void {
  process.send?.(message)
}

let main: Main | undefined

/** An error's message, whatever was thrown (even a value that cannot be turned into a string). */
function describe(err: unknown): string {
  try {
    return err instanceof Error ? String(err.message) : String(err)
  } catch {
    return 'a value that is not an Error was thrown'
  }
}

function failed(id: string, message: string, stack?: string): void {
  try {
    send({
      type: 'result',
      id,
      ok: false,
      error: { message: message.slice(0, 2000), ...(stack ? { stack: stack.slice(0, 4000) } : {}) }
    })
  } catch {
    send({ type: 'result', id, ok: false, error: { message: 'the function failed' } })
  }
}

function load(): Main {
  if (!main) {
    const mod = require(path.resolve(entry as string)) as { main?: Main }
    if (typeof mod.main !== 'function') throw new Error(`${entry} does not export main`)
    main = mod.main
  }
  return main
}

process.on('message', (raw: unknown) => {
  const msg = raw as InvokeMessage
  if (msg.type !== 'invoke') return
  void (async () => {
    process.env.WX_CONTEXT_KEYS = 'WX_OPENID,WX_APPID,WX_UNIONID,WX_SOURCE'
    process.env.WX_OPENID = msg.wx.OPENID
    process.env.WX_APPID = msg.wx.APPID
    process.env.WX_UNIONID = msg.wx.UNIONID ?? ''
    process.env.WX_SOURCE = msg.wx.SOURCE
    process.env.TCB_ENV = msg.wx.ENV
    process.env.SCF_NAMESPACE = msg.wx.ENV
    // Set for a timer trigger's invocation only, as the cloud's runtime does; cleared for others.
    if (msg.wx.TRIGGER_SRC) process.env.TRIGGER_SRC = msg.wx.TRIGGER_SRC
    else delete process.env.TRIGGER_SRC
    clockOffsetMs = msg.clockOffsetMs
    try {
      const value = await load()(msg.event, msg.context)
      try {
        // The channel serialises as JSON: a BigInt, a cycle or a structure too deep to stringify
        // throws here, and fails this call only (as the cloud fails a reply it cannot serialise).
        send({ type: 'result', id: msg.id, ok: true, value: value === undefined ? null : value })
      } catch (err) {
        failed(msg.id, `the function's return value cannot be serialised as JSON (${describe(err)})`)
      }
    } catch (err) {
      failed(msg.id, describe(err), err instanceof Error ? err.stack : undefined)
    }
  })()
})

// An unhandled rejection in function code fails that invocation on the cloud; here it must not
// take the instance down silently either: report and let the pool replace the instance.
process.on('unhandledRejection', (reason) => {
  console.error('[instance] unhandled rejection:', reason instanceof Error ? reason.message : String(reason))
  process.exit(70)
})

// The cold start: load the function's bundle (and wx-server-sdk) before taking invocations, as
// the cloud initialises an instance. A bundle that fails to load fails each invocation instead.
try {
  load()
} catch (err) {
  console.error('[instance] the function failed to load:', err instanceof Error ? err.message : String(err))
}
send({ type: 'ready' })
