/**
 * How a call reaches a cloud function. One implementation per build, chosen by Taro's
 * platform suffix at build time (transport.weapp.ts: wx.cloud; transport.h5.ts: the local
 * cloud's HTTP endpoint), so neither build contains the other's code.
 *
 * Resolves to what the function returned; rejects with a TransportError when the call could not
 * be made (network) or the platform reported the function failing.
 */
import type { FunctionEvent } from '../../types/contract'

export declare function send(name: string, event: FunctionEvent): Promise<unknown>
