/**
 * POST /admin[/fn/<name>] — wx-server-sdk's endpoint (TCB_CONTEXT_CNFG points the SDK here; each
 * function's instances use their own /fn/<name> path, so the caller function is known).
 * JSON bodies are database requests, or storage requests when their action is `storage.…`
 * (storage/actions.ts); multipart bodies are open-API calls (wx.openApi).
 */
import type { CloudServices } from '../context'
import { CloudDbError } from '../db/errors'
import type { DbRequest } from '../db/engine'
import { ADMIN } from '../storage/service'
import { answerStorageAction, isStorageAction } from '../storage/actions'
import { originOf } from './storage'
import { HttpError, readBody, sendJson, type Route } from './util'

export interface OpenApiRequest {
  /** The function making the call (undefined when the SDK is used outside a function). */
  fn: string | undefined
  contentType: string
  body: Buffer
}

export type OpenApiHandler = (
  req: OpenApiRequest
) => Promise<{ status: number; contentType: string; body: Buffer }>

export function adminRoute(cloud: CloudServices, openApi?: OpenApiHandler): Route {
  return async (req, res, url) => {
    const match = /^\/admin(?:\/fn\/([^/]+))?$/.exec(url.pathname)
    if (!match) return false
    const fn = match[1] ? decodeURIComponent(match[1]) : undefined
    if (req.method !== 'POST') throw new HttpError(405, 'POST only')
    const raw = await readBody(req, 16 * 1024 * 1024)
    const type = req.headers['content-type'] ?? ''
    if (type.startsWith('multipart/form-data')) {
      if (!openApi) {
        sendJson(res, 200, {
          code: 'INVALID_PARAM',
          message: 'open API calls are not answered by this local cloud'
        })
        return true
      }
      const reply = await openApi({ fn, contentType: type, body: raw })
      res.writeHead(reply.status, { 'content-type': reply.contentType, 'content-length': reply.body.length })
      res.end(reply.body)
      return true
    }
    let body: DbRequest
    try {
      body = JSON.parse(raw.toString('utf8')) as DbRequest
    } catch {
      sendJson(res, 200, { code: 'INVALID_PARAM', message: 'request body is not JSON' })
      return true
    }
    if (typeof body === 'object' && body !== null && isStorageAction(body.action)) {
      const requestId = `local-${cloud.clock.now().toString(36)}`
      // Storage requests obey the failure and delay rules (faults.ts) but are not counted as
      // database requests.
      const failure = cloud.faults.takeFailure(fn, body)
      if (failure) {
        sendJson(res, 200, { requestId, code: failure, message: 'injected failure' })
        return true
      }
      const delay = cloud.faults.takeDelay(fn, body)
      try {
        const answer = answerStorageAction(
          cloud.storage,
          ADMIN,
          originOf(req),
          body as unknown as Record<string, unknown>
        )
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
        sendJson(res, 200, { requestId, ...answer })
      } catch (err) {
        // A disk or database failure: the SDK gets an error answer it reports (as for the
        // database), and the request can be tried again; storage left nothing half done.
        sendJson(res, 200, { requestId, code: 'SYS_ERR', message: (err as Error).message })
      }
      return true
    }
    if (cloud.faults.take(fn, body) && fn) {
      // An injected crash: the function's instance dies before the database answers.
      await cloud.pool.killInstances(fn)
      req.socket.destroy()
      return true
    }
    const delay = cloud.faults.takeDelay(fn, body)
    const requestId = `local-${cloud.clock.now().toString(36)}`
    const failure = cloud.faults.takeFailure(fn, body)
    if (failure) {
      // An injected failure: the database answers with an error, as on a timeout.
      sendJson(res, 200, { requestId, code: failure, message: 'injected failure' })
      return true
    }
    try {
      // respond() may wait: a plain write to a document locked by an open transaction waits
      // for it, as on the cloud.
      const answer = await cloud.engine.respond(body)
      // An injected delay: the database read now, its answer arrives late (what a race needs).
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
      sendJson(res, 200, { requestId, ...answer })
    } catch (err) {
      if (err instanceof CloudDbError) sendJson(res, 200, { requestId, code: err.code, message: err.message })
      else sendJson(res, 200, { requestId, code: 'SYS_ERR', message: (err as Error).message })
    }
    return true
  }
}
