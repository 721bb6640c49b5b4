/**
 * POST /api/local/timers/<fn> — fire a function's timer trigger now (local runs only: what the
 * cloud console's "test" button does for a trigger). Answers the invocation's outcome.
 * GET /api/local/timers — the schedule.
 */
import type { TimerService } from '../functions/timers'
import { HttpError, sendJson, type Route } from './util'

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
    const fn = decodeURIComponent(match[1] as string)
    if (!timers.list().some((t) => t.fn === fn)) throw new HttpError(404, `云函数 ${fn} 没有定时触发器`)
    const outcome = await timers.fire(fn)
    sendJson(res, outcome.ok ? 200 : 500, outcome)
    return true
  }
}
