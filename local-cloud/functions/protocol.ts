/** Messages between the local cloud and a function instance (a child process). */
export interface WxIdentity {
  OPENID: string
  APPID: string
  UNIONID?: string
  ENV: string
  SOURCE: string
}

export interface InvokeMessage {
  type: 'invoke'
  id: string
  event: unknown
  context: Record<string, unknown>
  wx: WxIdentity
  /** The local cloud's clock minus the host's (ms): the instance's Date follows the cloud clock. */
  clockOffsetMs: number
}

export type InstanceMessage =
  | { type: 'ready' }
  | { type: 'result'; id: string; ok: true; value: unknown }
  | { type: 'result'; id: string; ok: false; error: { message: string; stack?: string } }
