import type { FunctionEvent } from '../../types/contract'
import { currentOpenId } from './identity.h5'
import { TransportError } from './transport-error'

export async function send(name: string, event: FunctionEvent): Promise<unknown> {
  let res: Response
  try {
    res = await fetch(`/api/functions/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-local-openid': currentOpenId() },
      body: JSON.stringify(event)
    })
  } catch (err) {
    throw new TransportError('network', (err as Error).message)
  }
  const body = (await res.json().catch(() => null)) as { errMsg?: string; requestId?: string } | null
  if (!res.ok)
    throw new TransportError(
      res.status >= 500 ? 'function' : 'network',
      body?.errMsg ?? `HTTP ${res.status}`,
      body?.requestId
    )
  return body
}
