/**
 * Subscription messages on the local cloud, answered as WeChat answers them.
 *
 * `cloud.openapi.subscribeMessage.send(...)` from a function reaches `openApi` (see wire.ts for
 * the SDK's format). Checks, in this order, each refused with WeChat's code and message:
 *   -604101  the calling function's config.json does not list the API in permissions.openapi
 *            (the cloud's own refusal: the SDK reports "system error: error code: -604101")
 *   40003    touser is not an openid
 *   40037    template_id is not one of this environment's templates (types/templates.ts)
 *   47003    data does not fit the template's keywords (errmsg names the field; empty values too)
 *   41030    page is not a page of the mini-program (src/app.config.ts, subpackages included)
 *   43101    the user has no grant: never accepted, or a one-time grant already used
 * A delivered send uses one one-time grant (long-term ones allow any number). Every send,
 * delivered or refused, is kept in msg_sent; grants in msg_grants (ledger.ts).
 * Text messages and URL Links (`cloudbase.sendSmsV2`, `urllink.generate`) are answered by sms.ts,
 * after the same permission check.
 */
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import {
  findTemplateById,
  planSubscribeRequest,
  validateMessageData,
  type SubscribeResult
} from '../../types/templates'
import type { Clock } from '../clock'
import type { MessageCenter, SentMessage } from '../context'
import type { Store } from '../db/store'
import type { FunctionConfig } from '../functions/pool'
import type { OpenApiHandler } from '../http/admin'
import { DIST_WEAPP, ROOT } from '../paths'
import { AppPages } from './app-pages'
import { MessageLedger, type Grant, type KeptChoice, type Recipient } from './ledger'
import { SEND_SMS, SmsService, URL_LINK_GENERATE, type SentSms } from './sms'
import { decodeOpenApiCall, encodeCommOpenApiResp } from './wire'

export const SUBSCRIBE_SEND = 'subscribeMessage.send'

/** Openids as the local cloud knows them (the X-Local-OpenId rule): letters, digits, - and _. */
export const OPENID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

const MINIPROGRAM_STATES = ['developer', 'trial', 'formal']
const LANGS = ['zh_CN', 'en_US', 'zh_HK', 'zh_TW']

export interface MessageServiceOptions {
  store: Store
  clock: Clock
  envId: string
  /** The calling function's config.json (permissions.openapi). */
  functionConfig: (fn: string) => FunctionConfig
  /** The app's config (default src/app.config.ts, else dist/app.json). */
  appConfigFile?: string
  /** Tests: a WeChat error code to answer this call with instead (injected failures), or undefined. */
  injectedFailure?: (fn: string | undefined, apiName: string) => number | undefined
}

export interface ConsentAnswer {
  tmplIds: unknown
  /** The sheet's answers for the templates it asked about. */
  answers: Record<string, unknown>
  /** "总是保持以上选择，不再询问" was ticked. */
  keep: boolean
}

export type ConsentOutcome =
  { ok: true; result: SubscribeResult } | { ok: false; errCode: number; errMsg: string }

export interface MessageService extends MessageCenter {
  /** Answers wx.openApi calls (subscribeMessage.send). */
  openApi: OpenApiHandler
  /** The choices a user kept ("always keep"), as wx.getSetting's subscriptionsSetting.itemSettings. */
  keptChoices(openid: string): Record<string, KeptChoice>
  /** Records a consent sheet's answers (and answers kept choices silently), as wx.requestSubscribeMessage resolves. */
  consent(openid: string, answer: ConsentAnswer): ConsentOutcome
  /** Forgets the choices a user kept, as turning them off in the mini-program's settings page does. */
  resetKept(openid: string): void
  grantsOf(openid: string): Grant[]
  recipients(): Recipient[]
  /** Text messages sent (delivered and refused), newest first. */
  texts(filter?: { number?: string; limit?: number }): SentSms[]
  readonly envId: string
  close(): void
}

type WxReply = { errcode: number; errmsg: string }

function rid(): string {
  const hex = randomUUID().replace(/-/g, '')
  return `${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16, 24)}`
}

function asDataRecord(data: unknown): Record<string, { value: string }> {
  const out: Record<string, { value: string }> = {}
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return out
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    const value = v !== null && typeof v === 'object' ? (v as { value?: unknown }).value : undefined
    out[k] = {
      value:
        value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value)
    }
  }
  return out
}

export function createMessageService(options: MessageServiceOptions): MessageService {
  const { clock, envId } = options
  const ledger = new MessageLedger(options.store.file)
  const pages = new AppPages(
    options.appConfigFile ?? path.join(ROOT, 'src', 'app.config.ts'),
    path.join(DIST_WEAPP, 'app.json')
  )
  const sms = new SmsService(options.store.file, envId, (page) => pages.has(page))

  function permitted(fn: string | undefined, apiName: string): boolean {
    if (!fn) return false
    try {
      return options.functionConfig(fn).permissions?.openapi?.includes(apiName) ?? false
    } catch {
      return false
    }
  }

  function record(
    fn: string | undefined,
    params: Record<string, unknown>,
    errCode: number,
    errMsg: string,
    at: number
  ): void {
    const { touser, template_id: templateId, page } = params
    const template = typeof templateId === 'string' ? findTemplateById(templateId, envId) : undefined
    const message: SentMessage = {
      id: randomUUID(),
      at: new Date(at),
      fn,
      touser: typeof touser === 'string' ? touser.slice(0, 128) : '',
      templateId: typeof templateId === 'string' ? templateId.slice(0, 128) : '',
      data: asDataRecord(params.data),
      errCode,
      errMsg
    }
    if (template) message.templateTitle = template.title
    if (typeof page === 'string' && page !== '') message.page = page.slice(0, 512)
    ledger.recordSent(message)
  }

  /** The WeChat side of subscribeMessage.send (after the cloud's permission check). */
  function check(params: Record<string, unknown>, at: number): WxReply {
    const { touser, template_id: templateId, page, miniprogram_state: state, lang } = params
    if (typeof touser !== 'string' || !OPENID_PATTERN.test(touser))
      return { errcode: 40003, errmsg: 'invalid openid' }
    const template = typeof templateId === 'string' ? findTemplateById(templateId, envId) : undefined
    if (!template) return { errcode: 40037, errmsg: 'invalid template_id' }
    const bad = validateMessageData(template, params.data)
    if (bad) return { errcode: bad.errcode, errmsg: bad.errmsg }
    if (state !== undefined && (typeof state !== 'string' || !MINIPROGRAM_STATES.includes(state))) {
      return { errcode: 47003, errmsg: 'argument invalid! miniprogram_state invalid' }
    }
    if (lang !== undefined && (typeof lang !== 'string' || !LANGS.includes(lang)))
      return { errcode: 47003, errmsg: 'argument invalid! lang invalid' }
    if (page !== undefined && page !== '' && (typeof page !== 'string' || !pages.has(page)))
      return { errcode: 41030, errmsg: 'invalid page' }
    if (!ledger.consume(touser, template.id, at))
      return { errcode: 43101, errmsg: 'user refuse to accept the msg' }
    return { errcode: 0, errmsg: 'ok' }
  }

  function deliver(fn: string | undefined, params: Record<string, unknown>): WxReply {
    const at = clock.now()
    const result = check(params, at)
    const errmsg = result.errcode === 0 ? 'ok' : `${result.errmsg} rid: ${rid()}`
    record(fn, params, result.errcode, errmsg, at)
    return { errcode: result.errcode, errmsg }
  }

  const reply = (body: Buffer) => ({ status: 200, contentType: 'application/octet-stream', body })
  const tcbError = (message: string) => ({
    status: 200,
    contentType: 'application/json',
    body: Buffer.from(JSON.stringify({ code: 'INVALID_PARAM', message }))
  })

  const openApi: OpenApiHandler = async ({ fn, contentType, body }) => {
    let call
    try {
      call = decodeOpenApiCall(contentType, body)
    } catch (err) {
      return tcbError((err as Error).message)
    }
    if (call.action !== 'wx.openApi')
      return tcbError(`${call.action || 'this action'} is not answered by the local cloud`)
    if (!permitted(fn, call.apiName)) {
      // The cloud refuses before WeChat sees the call; the SDK reports "system error: error code: -604101".
      if (call.apiName === SUBSCRIBE_SEND)
        record(fn, call.params, -604101, 'system error: error code: -604101', clock.now())
      return reply(encodeCommOpenApiResp({ errorCode: -604101 }))
    }
    const answerWith = (answer: Record<string, unknown>) =>
      reply(
        encodeCommOpenApiResp({
          respData: Buffer.from(JSON.stringify(answer)),
          contentType: 'application/json; charset=UTF-8',
          httpCode: 200
        })
      )
    const known = [SUBSCRIBE_SEND, URL_LINK_GENERATE, SEND_SMS]
    // Any other open API: "API not found" (-604100), as far as the local cloud is concerned.
    if (!known.includes(call.apiName)) return reply(encodeCommOpenApiResp({ errorCode: -604100 }))
    const injected = options.injectedFailure?.(fn, call.apiName)
    // An injected failure (tests): answered as WeChat answers an API error.
    if (injected !== undefined)
      return answerWith({ errcode: injected, errmsg: injected === -1 ? 'system error' : 'injected failure' })
    if (call.apiName === URL_LINK_GENERATE) return answerWith(sms.generateLink(call.params, clock.now()))
    if (call.apiName === SEND_SMS) return answerWith(sms.send(fn, call.params, clock.now()))
    return answerWith(deliver(fn, call.params))
  }

  function keptChoices(openid: string): Record<string, KeptChoice> {
    const out: Record<string, KeptChoice> = {}
    for (const g of ledger.grantsOf(openid)) if (g.kept) out[g.templateId] = g.kept
    return out
  }

  function consent(openid: string, answer: ConsentAnswer): ConsentOutcome {
    const plan = planSubscribeRequest(answer.tmplIds, envId)
    if (!plan.ok) return { ok: false, ...plan.error }
    const kept = keptChoices(openid)
    const decided: { id: string; longTerm: boolean; decision: KeptChoice; keep: boolean }[] = []
    const result: SubscribeResult = { errMsg: 'requestSubscribeMessage:ok' }
    for (const item of plan.items) {
      if (item.filtered) {
        result[item.id] = 'filter'
        continue
      }
      const remembered = kept[item.id]
      const given = answer.answers[item.id]
      const decision: KeptChoice | undefined =
        remembered ?? (given === 'accept' || given === 'reject' ? given : undefined)
      if (!decision)
        return { ok: false, errCode: 10004, errMsg: `requestSubscribeMessage:fail no answer for ${item.id}` }
      decided.push({
        id: item.id,
        longTerm: item.template.kind === 'long-term',
        decision,
        keep: remembered === undefined && answer.keep
      })
      result[item.id] = decision
    }
    const at = clock.now()
    for (const d of decided) ledger.recordDecision(openid, d.id, d.longTerm, d.decision, d.keep, at)
    return { ok: true, result }
  }

  return {
    envId,
    openApi,
    keptChoices,
    consent,
    resetKept: (openid) => ledger.resetKept(openid),
    grantsOf: (openid) => ledger.grantsOf(openid),
    recipients: () => ledger.recipients(),
    list: (filter) => ledger.list(filter),
    texts: (filter) => sms.list(filter),
    close: () => {
      ledger.close()
      sms.close()
    }
  }
}
