/**
 * H5 build (local runs): wx.requestSubscribeMessage as WeChat's client does it — the request is
 * checked (count, kinds, known ids), choices the user kept are answered without asking, the
 * sheet asks about the rest, and the answers are recorded by the local cloud as grants.
 */
/* eslint-disable @typescript-eslint/only-throw-error, @typescript-eslint/prefer-promise-reject-errors --
   WeChat's wx.requestSubscribeMessage rejects with a plain {errCode, errMsg} object, not an Error;
   this H5 stand-in must fail the same way so the pages handle one shape. */
import type { SubscribeFailure, SubscribeResult, TemplateKey } from '../../types/templates'
import { isTapGesture, type SheetItem } from '../components/consent-sheet/logic'
import { showSubscribeSheet } from '../components/consent-sheet/sheet.h5'
import { elderModeDefault } from '../components/elder'
import { currentOpenId } from './identity.h5'
import { subscribeTemplateId } from './subscribe.common'

export { decisionFor, subscribeTemplateId } from './subscribe.common'

const APP_NAME = '户政便民'
const ENDPOINT = '/api/local/subscriptions'

const failure = (errCode: number, reason: string): SubscribeFailure => ({
  errCode,
  errMsg: `requestSubscribeMessage:fail ${reason}`
})

function inTap(): boolean {
  const current = 'event' in window ? (window.event ?? null) : undefined
  const activation = (navigator as Navigator & { userActivation?: { isActive: boolean } }).userActivation
    ?.isActive
  return isTapGesture(current, activation)
}

export function requestSubscribe(keys: readonly TemplateKey[]): Promise<SubscribeResult> {
  // Checked now, synchronously: after an await the tap is over, on WeChat as here.
  if (!inTap()) return Promise.reject(failure(10005, 'can only be invoked by user TAP gesture.'))
  return ask(keys.map(subscribeTemplateId))
}

interface CheckReply {
  items: (SheetItem & { filtered: boolean; kept?: 'accept' | 'reject' })[]
}

async function request(
  method: 'GET' | 'POST',
  url: string,
  body?: unknown
): Promise<{ ok: boolean; body: unknown }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', 'x-local-openid': currentOpenId() },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  return { ok: res.ok, body: (await res.json().catch(() => null)) as unknown }
}

function isFailure(value: unknown): value is SubscribeFailure {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as SubscribeFailure).errCode === 'number' &&
    typeof (value as SubscribeFailure).errMsg === 'string'
  )
}

async function ask(tmplIds: string[]): Promise<SubscribeResult> {
  let checked: { ok: boolean; body: unknown }
  try {
    checked = await request('GET', `${ENDPOINT}?tmplIds=${encodeURIComponent(tmplIds.join(','))}`)
  } catch {
    throw failure(10002, 'Request list fail')
  }
  if (!checked.ok) throw isFailure(checked.body) ? checked.body : failure(10002, 'Request list fail')
  const items = (checked.body as CheckReply).items
  const toAsk = items.filter((i) => !i.filtered && !i.kept)
  const answer = toAsk.length
    ? await showSubscribeSheet(APP_NAME, toAsk, elderModeDefault())
    : { answers: {}, keep: false }
  let saved: { ok: boolean; body: unknown }
  try {
    saved = await request('POST', ENDPOINT, { tmplIds, ...answer })
  } catch {
    throw failure(10003, 'Request subscribe fail')
  }
  if (!saved.ok) throw isFailure(saved.body) ? saved.body : failure(10003, 'Request subscribe fail')
  return saved.body as SubscribeResult
}
