/**
 * POST /api/functions/<name>: the body is the event; X-Local-OpenId names the caller. Every call
 * here is a call from the app — SOURCE 'wx_client', with or without a caller — never a trigger
 * (those come from functions/timers.ts). The body is at most MAX_EVENT_BYTES (413
 * EXCEED_MAX_PAYLOAD_SIZE) and MAX_JSON_DEPTH deep (400), checked before anything is invoked.
 * A reply that cannot be serialised fails that call with -504002.
 */
import { maskId, type CloudServices } from '../context'
import type { InvokeOutcome } from '../functions/pool'
import {
  decodeSegment,
  HttpError,
  readJsonObject,
  sendJson,
  sendText,
  tryStringify,
  type Route
} from './util'

export function functionsRoute(cloud: CloudServices): Route {
  return async (req, res, url) => {
    const match = /^\/api\/functions\/([^/]+)$/.exec(url.pathname)
    if (!match) return false
    if (req.method !== 'POST') throw new HttpError(405, '请使用 POST 调用云函数')
    const name = decodeSegment(match[1] as string)
    if (!cloud.pool.has(name)) throw new HttpError(404, `没有名为 ${name} 的云函数`)
    const event = await readJsonObject(req)
    const header = req.headers['x-local-openid']
    const openid = typeof header === 'string' ? header.trim() : ''
    if (openid.length > 64 || /[^A-Za-z0-9_-]/.test(openid))
      throw new HttpError(400, 'X-Local-OpenId 格式不正确')
    // As on WeChat, the platform adds the caller to the event; whatever the client sent there is replaced.
    const withUser = { ...event, userInfo: { appId: cloud.appId, openId: openid } }
    const invoked = await cloud.pool.invoke(name, withUser, {
      OPENID: openid,
      APPID: cloud.appId,
      ENV: cloud.envId,
      SOURCE: 'wx_client'
    })
    // The instance already sent the reply through JSON; a reply this process still cannot
    // stringify (nested deeper than its stack allows) fails this call like any other reply
    // the cloud cannot return.
    const text = invoked.ok ? tryStringify(invoked.result) : undefined
    const outcome: InvokeOutcome =
      invoked.ok && text === undefined
        ? {
            ...invoked,
            ok: false,
            result: undefined,
            errCode: -504002,
            errMsg: "functions execute fail | the function's return value cannot be serialised as JSON"
          }
        : invoked
    cloud.recordInvocation({
      fn: name,
      action: typeof event.action === 'string' ? event.action.slice(0, 40) : undefined,
      requestId: outcome.requestId,
      caller: maskId(openid),
      source: 'wx_client',
      ok: outcome.ok,
      errCode: outcome.errCode,
      durationMs: outcome.durationMs,
      coldStart: outcome.coldStart,
      at: new Date(cloud.clock.now())
    })
    if (outcome.ok && text !== undefined) sendText(res, 200, text, 'application/json; charset=utf-8')
    else
      sendJson(res, 500, { errCode: outcome.errCode, errMsg: outcome.errMsg, requestId: outcome.requestId })
    return true
  }
}
