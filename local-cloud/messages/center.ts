/**
 * Subscription messages on the local cloud. PLACEHOLDER until the subscription-message work
 * lands: no message can be sent yet (open-API calls are refused), so the list is empty.
 */
import type { MessageCenter } from '../context'
import type { Store } from '../db/store'
import type { OpenApiHandler } from '../http/admin'

export interface MessageService extends MessageCenter {
  /** Answers wx.openApi calls (subscribeMessage.send); undefined refuses them all. */
  openApi: OpenApiHandler | undefined
}

export function createMessageService(_store: Store): MessageService {
  return { list: () => [], openApi: undefined }
}
