/** POST /api/functions/<name>: the body is the event; X-Local-OpenId names the caller. */
import { maskId, type CloudServices } from '../context'
import { HttpError, readJsonObject, sendJson, type Route } from './util'

export function functionsRoute(cloud: CloudServices): Route {
  return async (req, res, url) => {
    const match = /^\/api\/functions\/([^/]+)$/.exec(url.pathname)
    if (!match) return false
    if (req.method !== 'POST') throw new HttpError(405, '请使用 POST 调用云函数')
    const name = decodeURIComponent(match[1] as string)
    if (!cloud.pool.has(name)) throw new HttpError(404, `没有名为 ${name} 的云函数`)
    const event = await readJsonObject(req)
    const header = req.headers['x-local-openid']
    const openid = typeof header === 'string' ? header.trim() : ''
    if (openid.length > 64 || /[^A-Za-z0-9_-]/.test(openid)) throw new HttpError(400, 'X-Local-OpenId 格式不正确')
    // As on WeChat, the platform adds the caller to the event; whatever the client sent there is replaced.
    const withUser = { ...event, userInfo: { appId: cloud.appId, openId: openid } }
    const outcome = await cloud.pool.invoke(name, withUser, { OPENID: openid, APPID: cloud.appId, ENV: cloud.envId, SOURCE: 'wx_client' })
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
    if (outcome.ok) sendJson(res, 200, outcome.result)
    else sendJson(res, 500, { errCode: outcome.errCode, errMsg: outcome.errMsg, requestId: outcome.requestId })
    return true
  }
}
