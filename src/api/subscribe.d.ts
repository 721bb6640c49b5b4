/**
 * Asking a user to allow subscription messages (订阅消息). One implementation per build, chosen
 * by Taro's platform suffix as for transport: subscribe.weapp.ts calls WeChat's
 * wx.requestSubscribeMessage; subscribe.h5.ts shows a local copy of WeChat's sheet and records
 * the answers in the local cloud, so the functions' sends meet the same grants as on WeChat.
 *
 * Call it synchronously inside a tap handler, before anything is awaited — WeChat refuses
 * otherwise ("can only be invoked by user TAP gesture"), and so does the H5 build. At most 3
 * templates per call, all one-time or all long-term. Pass template keys from types/templates.ts.
 *
 * Resolves WeChat's result `{errMsg: 'requestSubscribeMessage:ok', [tmplId]: 'accept' | 'reject' |
 * 'ban' | 'filter'}`; rejects with `{errMsg, errCode}` as WeChat does (e.g. 20002 mixed kinds).
 */
import type { SubscribeDecision, SubscribeResult, TemplateKey } from '../../types/templates'

export type { SubscribeDecision, SubscribeFailure, SubscribeResult } from '../../types/templates'

export declare function requestSubscribe(keys: readonly TemplateKey[]): Promise<SubscribeResult>

/** The WeChat template id of a key in this build's cloud environment (CLOUD_ENV). */
export declare function subscribeTemplateId(key: TemplateKey): string

/** The user's answer for one template in a result (undefined when it was not asked). */
export declare function decisionFor(result: SubscribeResult, key: TemplateKey): SubscribeDecision | undefined
