import Taro from '@tarojs/taro'
import type { FunctionEvent } from '../../types/contract'
import { TransportError } from './transport-error'

let initialised = false

export async function send(name: string, event: FunctionEvent): Promise<unknown> {
  if (!initialised) {
    Taro.cloud.init({ env: CLOUD_ENV || undefined, traceUser: true })
    initialised = true
  }
  try {
    const res = await Taro.cloud.callFunction({ name, data: event })
    return res.result
  } catch (err) {
    const e = err as { errCode?: number; errMsg?: string }
    // -504002/-504003: the function itself failed or timed out; anything else: no answer.
    const kind = e.errCode !== undefined && String(e.errCode).startsWith('-504') ? 'function' : 'network'
    throw new TransportError(kind, e.errMsg ?? String(err))
  }
}
