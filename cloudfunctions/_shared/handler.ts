/**
 * Every function's entry: `export const main = defineFunction('guide', guideInputs, handlers)`.
 * The function passes its own input schemas (from types/), so its bundle carries only those.
 * It validates the event against the contract (types/), identifies the caller from the platform
 * (getWXContext().OPENID — never the payload), runs the action's handler, and always replies
 * {ok: true, data} or {ok: false, error: {code, message}}. Unexpected errors are logged with a
 * request id and no personal data, and reach the client as INTERNAL with that id.
 */
import type { ActionName, ActionOutput, contract, FunctionName, ParsedInput } from '../../types/contract'
import { ERROR_MESSAGES, isErrorCode, type ErrorCode } from '../../types/errors'
import { fail, ok, type Result } from '../../types/result'
import { getCloud } from './cloud'

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string
  ) {
    super(message ?? ERROR_MESSAGES[code])
    this.name = 'AppError'
  }
}

export interface CallContext {
  /** The caller's OPENID from the platform; '' when there is none (e.g. a timer). */
  openid: string
  requestId: string
  now: Date
}

export type Handlers<F extends FunctionName> = {
  [A in ActionName<F>]: (input: ParsedInput<F, A>, ctx: CallContext) => Promise<ActionOutput<F, A>>
}

interface CloudContext {
  request_id?: string
}

function describeIssue(issue: { path: readonly PropertyKey[]; message: string }): string {
  return issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message
}

export function defineFunction<F extends FunctionName>(name: F, inputs: (typeof contract)[F], handlers: Handlers<F>) {
  const schemas = inputs as Record<string, { safeParse(v: unknown): { success: true; data: unknown } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }>

  return async function main(event: unknown, context?: CloudContext): Promise<Result<unknown>> {
    const requestId = context?.request_id ?? `req-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
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
      console.warn(`[${name}.${action}] invalid input (${requestId}):`, issues.map((i) => describeIssue(i)).join('; '))
      const named = issues.map((i) => i.message).find(isErrorCode)
      return fail(named ?? 'INVALID_INPUT')
    }
    const { OPENID } = getCloud().getWXContext()
    const ctx: CallContext = { openid: OPENID ?? '', requestId, now: new Date() }
    try {
      const handler = handlers[action as ActionName<F>] as (input: unknown, c: CallContext) => Promise<unknown>
      return ok(await handler(parsed.data, ctx))
    } catch (err) {
      if (err instanceof AppError) return fail(err.code, err.message)
      const e = err as { errCode?: number; message?: string }
      console.error(`[${name}.${action}] unexpected error (${requestId}): ${e.errCode ?? ''} ${(e.message ?? String(err)).slice(0, 300)}`)
      return fail('INTERNAL', undefined, requestId)
    }
  }
}
