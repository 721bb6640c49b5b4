/**
 * The local cloud's HTTP face, a list of routes tried in order:
 *   POST /api/functions/<name>   call a function as the app does (http/functions.ts)
 *   POST /admin                  wx-server-sdk's endpoint: database and open API (http/admin.ts)
 *   GET  /api/health             liveness
 *   GET  /*                      the H5 build of the mini-program (http/static.ts)
 */
import http from 'node:http'
import type { CloudServices } from './context'
import { HttpError, sendJson, type Route } from './http/util'

/** `routes` are tried in order; `fallback` (the app) gets what no route and no /api/ path took. */
export function createServer(cloud: CloudServices, routes: Route[], fallback: Route): http.Server {
  const health: Route = async (_req, res, url) => {
    if (url.pathname !== '/api/health') return false
    sendJson(res, 200, {
      ok: true,
      functions: cloud.pool.functionNames(),
      now: new Date(cloud.clock.now()).toISOString()
    })
    return true
  }
  const notFoundApi: Route = async (_req, _res, url) => {
    if (url.pathname.startsWith('/api/')) throw new HttpError(404, '没有这个接口')
    return false
  }
  const all = [health, ...routes, notFoundApi, fallback]

  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local')
    const route = async (): Promise<void> => {
      for (const r of all) if (await r(req, res, url)) return
      throw new HttpError(404, '没有这个页面')
    }
    route().catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500
      const message = err instanceof HttpError ? err.message : '本地云内部错误'
      if (!(err instanceof HttpError)) console.error('[local-cloud]', err)
      if (res.headersSent) {
        res.end()
        return
      }
      // A refused oversize body is not read to its end: close the connection after answering.
      if (status === 413) res.setHeader('connection', 'close')
      sendJson(res, status, {
        errCode: status,
        errMsg: message,
        ...(err instanceof HttpError && err.code ? { code: err.code } : {})
      })
    })
  })
}
