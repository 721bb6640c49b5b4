import Taro from '@tarojs/taro'
import type { SubscribeResult, TemplateKey } from '../../types/templates'
import { subscribeTemplateId } from './subscribe.common'

export { decisionFor, subscribeTemplateId } from './subscribe.common'

/** WeChat's own sheet; called at once (no await before it) so the tap still counts. */
export function requestSubscribe(keys: readonly TemplateKey[]): Promise<SubscribeResult> {
  const tmplIds = keys.map(subscribeTemplateId)
  // Taro's option type insists on Alipay's entityIds too; WeChat takes tmplIds alone.
  return Taro.requestSubscribeMessage({
    tmplIds
  } as unknown as Taro.requestSubscribeMessage.Option) as Promise<SubscribeResult>
}
