/** Messages between the local cloud and a function instance (a child process). */
export interface WxIdentity {
  OPENID: string
  APPID: string
  UNIONID?: string
  ENV: string
  /**
   * The invocation's source as getWXContext() reports it: 'wx_client' for a call from the app,
   * 'wx_trigger' for a timer trigger (the cloud joins a call chain with commas, e.g. 'wx_client,scf').
   */
  SOURCE: string
  /** Timer triggers only: the runtime's TRIGGER_SRC environment variable ('timer'); unset otherwise. */
  TRIGGER_SRC?: 'timer'
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
