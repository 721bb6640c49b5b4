/**
 * POST /api/local/timers/<fn> — fire a function's timer trigger now (local runs only: what the
 * cloud console's "test" button does for a trigger). The function gets the trigger's context
 * (SOURCE 'wx_trigger', no OPENID, TRIGGER_SRC=timer), the same as a scheduled fire. Answers the
 * invocation's outcome.
 * GET /api/local/timers — the schedule.
 */
import type { TimerService } from '../functions/timers'
import { decodeSegment, HttpError, sendJson, sendText, tryStringify, type Route } from './util'

export function timersRoute(timers: TimerService): Route {
  return async (req, res, url) => {
    if (url.pathname === '/api/local/timers') {
      if (req.method !== 'GET') throw new HttpError(405, 'GET only')
      sendJson(res, 200, timers.list())
      return true
    }
    const match = /^\/api\/local\/timers\/([^/]+)$/.exec(url.pathname)
    if (!match) return false
    if (req.method !== 'POST') throw new HttpError(405, '请使用 POST 触发定时器')
    const fn = decodeSegment(match[1] as string)
    if (!timers.list().some((t) => t.fn === fn)) throw new HttpError(404, `云函数 ${fn} 没有定时触发器`)
    const outcome = await timers.fire(fn)
    const text = tryStringify(outcome)
    if (text !== undefined) sendText(res, outcome.ok ? 200 : 500, text, 'application/json; charset=utf-8')
    else
      sendJson(res, 500, {
        ok: false,
        errCode: -504002,
        errMsg: "functions execute fail | the function's return value cannot be serialised as JSON",
        requestId: outcome.requestId
      })
    return true
  }
}
