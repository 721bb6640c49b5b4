/**
 * The in-app inbox (消息): every message the cloud meant for the caller, delivered by WeChat or not.
 * Grant counts (订阅次数): WeChat gives the server no way to read how many one-time sends a user has
 * left, so the app keeps its own count: the caller records their own answers right after
 * requestSubscribe (`recordSubscribe`); each delivered send of a template takes one; WeChat's 43101
 * (refused / used up) sets it to zero. A long-term template, once accepted, is unlimited.
 */
import './zod'
import * as z from 'zod/mini'
import { TEMPLATE_KEYS, type TemplateKey, type TemplateKind } from './templates'

export const SUBSCRIBE_DECISIONS = ['accept', 'reject', 'ban', 'filter'] as const

export const notifyInputs = {
  inbox: z.strictObject({}),
  /** The caller's own answers to requestSubscribe, by template key (at most 5 templates). */
  recordSubscribe: z.strictObject({
    results: z.record(z.string(), z.enum(SUBSCRIBE_DECISIONS)).check(
      z.refine((r) => {
        const keys = Object.keys(r)
        return (
          keys.length >= 1 && keys.length <= 5 && keys.every((k) => (TEMPLATE_KEYS as string[]).includes(k))
        )
      }, 'INVALID_INPUT')
    )
  }),
  /** How many sends each template relevant to the caller has left. */
  grants: z.strictObject({})
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
  /**
   * Whether WeChat delivered it as a service notification; the inbox shows it either way.
   * 'withdrawn': taken back before it was sent (its booking changed).
   */
  delivery: 'pending' | 'sent' | 'failed' | 'withdrawn'
  /** Plain words when WeChat did not deliver it (e.g. the one-time permission was used up). */
  deliveryNote?: string
  /** Set when what it says no longer holds (the booking moved or was cancelled): in plain words. */
  superseded?: string
}

export interface GrantItem {
  template: TemplateKey
  title: string
  kind: TemplateKind
  /** Long-term template accepted: sends are not counted. */
  unlimited: boolean
  /** One-time sends left (0 when none; 0 when unlimited). */
  left: number
}

export interface NotifyOutputs {
  inbox: InboxItem[]
  recordSubscribe: GrantItem[]
  grants: GrantItem[]
}
