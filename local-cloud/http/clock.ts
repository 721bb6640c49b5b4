/**
 * The cloud clock, for people trying a journey at an awkward hour (local runs only):
 *   GET  /api/local/clock               {now, offsetMs, shanghai}
 *   POST /api/local/clock {"at": ISO}   moves the whole cloud there (functions, timers, serverDate)
 *   POST /api/local/clock {"reset": true}  back to the host's time
 * `npm start` also takes LOCAL_CLOUD_CLOCK=<ISO instant> to start at that time.
 */
import type { Clock } from '../clock'
import { HttpError, readJsonObject, sendJson, type Route } from './util'

function describe(clock: Clock): Record<string, unknown> {
  const now = clock.now()
  const shanghai = new Date(now + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
  return { now: new Date(now).toISOString(), offsetMs: clock.offset, shanghai }
}

/** An ISO instant with a date and a time ("2026-12-06T22:00+08:00"), as a number, or null. */
export function parseInstant(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null
  const at = Date.parse(value)
  return Number.isNaN(at) ? null : at
}

export function clockRoute(clock: Clock): Route {
  return async (req, res, url) => {
    if (url.pathname !== '/api/local/clock') return false
    if (req.method === 'GET') {
      sendJson(res, 200, describe(clock))
      return true
    }
    if (req.method !== 'POST') throw new HttpError(405, '请使用 GET 或 POST')
    const body = await readJsonObject(req)
    if (body.reset === true) clock.reset()
    else {
      const at = parseInstant(body.at)
      if (at === null)
        throw new HttpError(400, '请给出带日期和时间的 ISO 时间，例如 {"at": "2026-12-06T22:00+08:00"}')
      clock.set(at)
    }
    sendJson(res, 200, describe(clock))
    return true
  }
}
