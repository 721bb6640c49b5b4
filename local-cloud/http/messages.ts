/**
 * Subscription messages, the local cloud's side of what the WeChat client and phone do:
 *   GET    /api/local/subscriptions[?tmplIds=a,b]  the caller's kept choices (wx.getSetting's
 *          subscriptionsSetting) and, with tmplIds, the request checked as the client checks it
 *          (the templates to show, or {errCode, errMsg} with 400)
 *   POST   /api/local/subscriptions  {tmplIds, answers: {id: 'accept'|'reject'}, keep}  the consent
 *          sheet's answers → wx.requestSubscribeMessage's result; grants are recorded
 *   DELETE /api/local/subscriptions  forgets the caller's kept choices (the settings page's switch)
 *   GET    /api/local/messages[?touser=&limit=]  sent messages, newest first (delivered and refused)
 *   GET    /api/local/sms[?number=+86…&limit=]  text messages, newest first (delivered and refused)
 *   GET    /inbox[?openid=…]  the service-notification inbox, per user (HTML)
 * The caller is the X-Local-OpenId header, as for functions (local runs only).
 */
import type http from 'node:http'
import type { MessageService } from '../messages/center'
import { renderRecipients, renderUserInbox, type InboxView } from '../messages/inbox'
import { planSubscribeRequest } from '../../types/templates'
import { HttpError, readJsonObject, sendJson, sendText, type Route } from './util'

function caller(req: http.IncomingMessage): string {
  const header = req.headers['x-local-openid']
  const openid = typeof header === 'string' ? header.trim() : ''
  if (!openid) throw new HttpError(401, '请先选择本地演示身份（X-Local-OpenId）')
  if (openid.length > 64 || /[^A-Za-z0-9_-]/.test(openid))
    throw new HttpError(400, 'X-Local-OpenId 格式不正确')
  return openid
}

export function messagesRoute(messages: MessageService, view: InboxView = {}): Route {
  return async (req, res, url) => {
    if (url.pathname === '/api/local/subscriptions') {
      const openid = caller(req)
      if (req.method === 'GET') {
        const itemSettings = messages.keptChoices(openid)
        const ids = url.searchParams.get('tmplIds')
        if (ids === null) {
          sendJson(res, 200, { mainSwitch: true, itemSettings })
          return true
        }
        const plan = planSubscribeRequest(ids ? ids.split(',') : [], messages.envId)
        if (!plan.ok) {
          sendJson(res, 400, plan.error)
          return true
        }
        const items = plan.items.map((i) => ({
          id: i.id,
          title: i.template.title,
          kind: i.template.kind,
          filtered: i.filtered,
          ...(itemSettings[i.id] ? { kept: itemSettings[i.id] } : {})
        }))
        sendJson(res, 200, { mainSwitch: true, itemSettings, items })
        return true
      }
      if (req.method === 'POST') {
        const body = await readJsonObject(req)
        const answers =
          body.answers !== null && typeof body.answers === 'object' && !Array.isArray(body.answers)
            ? (body.answers as Record<string, unknown>)
            : {}
        const outcome = messages.consent(openid, { tmplIds: body.tmplIds, answers, keep: body.keep === true })
        if (outcome.ok) sendJson(res, 200, outcome.result)
        else sendJson(res, 400, { errCode: outcome.errCode, errMsg: outcome.errMsg })
        return true
      }
      if (req.method === 'DELETE') {
        messages.resetKept(openid)
        sendJson(res, 200, { ok: true })
        return true
      }
      throw new HttpError(405, '不支持这种请求方式')
    }
    if (url.pathname === '/api/local/messages') {
      if (req.method !== 'GET') throw new HttpError(405, '请使用 GET')
      const touser = url.searchParams.get('touser') ?? undefined
      const limit = Number(url.searchParams.get('limit') ?? 100)
      sendJson(res, 200, { messages: messages.list({ touser, limit: Number.isFinite(limit) ? limit : 100 }) })
      return true
    }
    if (url.pathname === '/api/local/sms') {
      if (req.method !== 'GET') throw new HttpError(405, '请使用 GET')
      const number = url.searchParams.get('number') ?? undefined
      const limit = Number(url.searchParams.get('limit') ?? 100)
      sendJson(res, 200, { sms: messages.texts({ number, limit: Number.isFinite(limit) ? limit : 100 }) })
      return true
    }
    if (url.pathname === '/inbox' || url.pathname === '/inbox/') {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, '请使用 GET')
      const openid = url.searchParams.get('openid')
      const html = openid
        ? renderUserInbox(
            openid,
            messages.list({ touser: openid, limit: 500 }),
            messages.grantsOf(openid),
            messages.envId,
            view
          )
        : renderRecipients(messages.recipients(), messages.texts({ limit: 50 }), view)
      sendText(res, 200, html, 'text/html; charset=utf-8')
      return true
    }
    return false
  }
}
