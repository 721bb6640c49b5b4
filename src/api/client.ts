/**
 * The typed cloud client every page uses: call('guide', 'getService', {serviceId}) is checked
 * against the contract in types/, and always resolves to a Result — never throws — so a page
 * has one place to show an error a resident understands.
 */
import type { ActionInput, ActionName, ActionOutput, FunctionName } from '../../types/contract'
import { fail, type Result } from '../../types/result'
import { isErrorCode } from '../../types/errors'
import { send } from './transport'
import { TransportError } from './transport-error'

function isResult(value: unknown): value is Result<unknown> {
  if (value === null || typeof value !== 'object') return false
  const v = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } }
  if (v.ok === true) return 'data' in v
  return v.ok === false && isErrorCode(v.error?.code) && typeof v.error?.message === 'string'
}

export async function call<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  payload: ActionInput<F, A>
): Promise<Result<ActionOutput<F, A>>> {
  try {
    const reply = await send(fn, { action, payload })
    return isResult(reply) ? (reply as Result<ActionOutput<F, A>>) : fail('INTERNAL')
  } catch (err) {
    if (err instanceof TransportError && err.kind === 'function')
      return fail('INTERNAL', undefined, err.requestId)
    return fail('NETWORK')
  }
}
