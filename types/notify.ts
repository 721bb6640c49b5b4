/** The in-app inbox (消息): every message the cloud meant for the caller, delivered by WeChat or not. */
import './zod'
import * as z from 'zod/mini'
import type { TemplateKey } from './templates'

export const notifyInputs = {
  inbox: z.strictObject({})
}

export interface InboxItem {
  _id: string
  template: TemplateKey
  title: string
  /** Keyword label → value, in the template's order. */
  lines: { label: string; value: string }[]
  page: string
  /** ISO instant */
  createdAt: string
  /** Whether WeChat delivered it as a service notification; the inbox shows it either way. */
  delivery: 'pending' | 'sent' | 'failed'
  /** Plain words when WeChat did not deliver it (e.g. the one-time permission was used up). */
  deliveryNote?: string
}

export interface NotifyOutputs {
  inbox: InboxItem[]
}
