/**
 * Every function's entry: `export const main = defineFunction('guide', guideInputs, actions)`.
 * The function passes its own input schemas (from types/), so its bundle carries only those.
 * It validates the event against the contract (types/), identifies the caller from the platform
 * (getWXContext().OPENID — never the payload), checks the action's declared access, runs the
 * action's handler, and always replies {ok: true, data} or {ok: false, error: {code, message}}.
 * Unexpected errors are logged with a request id and no personal data, and reach the client as
 * INTERNAL with that id. The whole flow is in docs/architecture.md.
 *
 * Each action declares who may call it (access.ts, docs/decisions/access-per-action.md):
 *   listStations: { access: 'public', handler }
 *   book: { access: 'resident', handler }                              // ctx.openid is set
 *   today: { access: 'staff', roles: [...], station: 'own', handler }  // ctx.staff is the caller
 * The access is checked after the input is valid and before the handler runs. Every action must
 * declare it: a bare function is not an action.
 *
 * A function with scheduled work declares it as the fourth argument, `{ timer }`, beside the
 * `timer` trigger in its config.json (tests/unit/timers-declared.test.ts keeps the two in step).
 * The timer runs only for the platform's own trigger invocation: an event `{Type: 'Timer'}`
 * whose WeChat context has SOURCE exactly `wx_trigger` and no OPENID (a call from the app has
 * SOURCE `wx_client`, a call from another function a chain such as `wx_client,scf`). Any other
 * Timer-shaped event — and every one sent to a function without a timer — is refused with
 * TIMER_ONLY and touches nothing. See docs/platform.md.
 */
import type { ActionName, ActionOutput, contract, FunctionName, ParsedInput } from '../../types/contract'
import { isErrorCode } from '../../types/errors'
import { fail, ok, type Result } from '../../types/result'
import type { Staff } from '../../types/staff'
import { checkAccess, type AccessRule, type StaffAccess } from './access'
import { AppError } from './app-error'
import { getCloud } from './cloud'

export { AppError } from './app-error'

export interface CallContext {
  /** The caller's OPENID from the platform; '' when there is none (e.g. a timer). */
  openid: string
  requestId: string
  now: Date
}

/** A resident's call: the platform identified the caller. */
export interface CallerContext extends CallContext {
  openid: string
}

/** A staff action's call: the caller's active staff record, checked against the action's rule. */
export interface StaffContext extends CallerContext {
  staff: Staff
}

type Run<F extends FunctionName, A extends ActionName<F>, C> = (
  input: ParsedInput<F, A>,
  ctx: C
) => Promise<ActionOutput<F, A>>

/**
 * One action: its handler with the access it declares. There is no form without `access`: an
 * action that does not say who may call it does not compile.
 */
export type Action<F extends FunctionName, A extends ActionName<F>> =
  | { access: 'public'; handler: Run<F, A, CallContext> }
  | { access: 'resident'; handler: Run<F, A, CallerContext> }
  | (StaffAccess & { handler: Run<F, A, StaffContext> })

export type Handlers<F extends FunctionName> = {
  [A in ActionName<F>]: Action<F, A>
}

interface CloudContext {
  request_id?: string
}

/** What the platform passes a timer trigger (and what the local cloud passes too). */
export interface TimerEvent {
  Type: 'Timer'
  TriggerName?: string
  /** The scheduled time, ISO 8601 in UTC. */
  Time?: string
  Message?: string
}

export interface TimerContext {
  requestId: string
  now: Date
  /** The cloud environment the trigger fired in (for open-API calls). */
  env: string
  triggerName: string
}

export interface FunctionOptions<R> {
  /** The function's scheduled work; its report is the invocation's result (counts only: it is logged by the platform). */
  timer?: (ctx: TimerContext) => Promise<R>
}

/** The SOURCE of a timer trigger's invocation (a call from the app is `wx_client`). */
export const TRIGGER_SOURCE = 'wx_trigger'

/** Shaped like a timer event: what a function must not act on unless the platform sent it. */
export function isTimerShaped(event: unknown): event is TimerEvent {
  return typeof event === 'object' && event !== null && (event as { Type?: unknown }).Type === 'Timer'
}

/**
 * The platform's own timer trigger, told apart as the cloud tells it: SOURCE exactly
 * `wx_trigger` (not merely containing it: a chain like `wx_client,scf` is a call) and no caller.
 */
export function isTriggerInvocation(wx: { SOURCE?: unknown; OPENID?: unknown }): boolean {
  return wx.SOURCE === TRIGGER_SOURCE && (wx.OPENID === undefined || wx.OPENID === null || wx.OPENID === '')
}

function describeIssue(issue: { path: readonly PropertyKey[]; message: string }): string {
  return issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message
}

export function defineFunction<F extends FunctionName, R = never>(
  name: F,
  inputs: (typeof contract)[F],
  handlers: Handlers<F>,
  options: FunctionOptions<R> = {}
) {
  const schemas = inputs as Record<
    string,
    {
      safeParse(
        v: unknown
      ):
        | { success: true; data: unknown }
        | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }
    }
  >
  const timer = options.timer

  async function main(event: unknown, context?: CloudContext): Promise<Result<unknown> | R> {
    const requestId =
      context?.request_id ?? `req-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
    if (isTimerShaped(event)) {
      const wx = getCloud().getWXContext()
      if (!timer || !isTriggerInvocation(wx)) {
        // Who asked is not logged (no personal data); what the platform said the source was is.
        const source =
          typeof wx.SOURCE === 'string' ? wx.SOURCE.replace(/[^A-Za-z0-9_,]/g, '').slice(0, 60) : 'none'
        console.warn(
          `[${name}] a timer event that is not this function's trigger was refused (${requestId}): source ${source || 'none'}, caller ${wx.OPENID ? 'present' : 'none'}${timer ? '' : ', no timer declared'}`
        )
        return fail('TIMER_ONLY')
      }
      try {
        return await timer({
          requestId,
          now: new Date(),
          env: wx.ENV,
          triggerName: typeof event.TriggerName === 'string' ? event.TriggerName : ''
        })
      } catch (err) {
        // The platform records the trigger's failure; the next run retries.
        const e = err as { errCode?: number; message?: string }
        console.error(
          `[${name}.timer] failed (${requestId}): ${e.errCode ?? ''} ${(e.message ?? String(err)).slice(0, 300)}`
        )
        throw err
      }
    }
    const action = (event as { action?: unknown } | null)?.action
    if (typeof action !== 'string' || !Object.prototype.hasOwnProperty.call(handlers, action)) {
      return fail('UNKNOWN_ACTION')
    }
    const schema = schemas[action]
    const parsed = schema?.safeParse((event as { payload?: unknown }).payload ?? {})
    if (!parsed || !parsed.success) {
      const issues = parsed && !parsed.success ? parsed.error.issues : []
      // Field paths help a developer; the resident sees the plain sentence. A check may name its
      // own error code (e.g. MOBILE_INVALID) as its message: then that code and its message go back.
      console.warn(
        `[${name}.${action}] invalid input (${requestId}):`,
        issues.map((i) => describeIssue(i)).join('; ')
      )
      const named = issues.map((i) => i.message).find(isErrorCode)
      return fail(named ?? 'INVALID_INPUT')
    }
    const { OPENID } = getCloud().getWXContext()
    const ctx: CallContext = { openid: OPENID ?? '', requestId, now: new Date() }
    try {
      const declared = handlers[action as ActionName<F>] as AccessRule & {
        handler: (input: unknown, c: CallContext) => Promise<unknown>
      }
      const staff = await checkAccess(declared, ctx, parsed.data)
      const run: CallContext | StaffContext = staff ? { ...ctx, staff } : ctx
      return ok(await declared.handler(parsed.data, run))
    } catch (err) {
      if (err instanceof AppError) {
        const refused = fail(err.code, err.message)
        if (!refused.ok && err.details) Object.assign(refused.error, err.details)
        return refused
      }
      const e = err as { errCode?: number; message?: string }
      console.error(
        `[${name}.${action}] unexpected error (${requestId}): ${e.errCode ?? ''} ${(e.message ?? String(err)).slice(0, 300)}`
      )
      return fail('INTERNAL', undefined, requestId)
    }
  }

  // Read by tests/unit/timers-declared.test.ts: a timer trigger in config.json exactly when declared here.
  return Object.assign(main, { declaresTimer: timer !== undefined })
}
