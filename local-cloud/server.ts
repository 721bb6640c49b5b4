/**
 * The local cloud's HTTP face:
 *   POST /api/functions/<name>   the body is the event; X-Local-OpenId names the caller (local only)
 *   POST /admin                  wx-server-sdk's endpoint (TCB_CONTEXT_CNFG points the SDK here)
 *   GET  /api/health             liveness
 *   GET  /*                      the H5 build of the mini-program
 */
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { CloudDbError } from './db/errors'
import type { DbEngine, DbRequest } from './db/engine'
import type { FunctionPool } from './functions/pool'

export interface ServerOptions {
  engine: DbEngine
  pool: FunctionPool
  envId: string
  appId: string
  /** Folder of the H5 build; absent means "not built". */
  staticDir: string
  onInvoke?: (entry: InvocationLog) => void
}

export interface InvocationLog {
  fn: string
  action: string | undefined
  requestId: string
  ok: boolean
  errCode?: number
  durationMs: number
  coldStart: boolean
  at: Date
}

const MAX_BODY = 1024 * 1024

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf'
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new HttpError(413, '请求内容过大'))
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

export function createServer(options: ServerOptions): http.Server {
  const { engine, pool } = options

  async function handleFunction(name: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!pool.has(name)) throw new HttpError(404, `没有名为 ${name} 的云函数`)
    const raw = await readBody(req)
    let event: unknown
    try {
      event = raw.length ? JSON.parse(raw.toString('utf8')) : {}
    } catch {
      throw new HttpError(400, '请求体不是合法的 JSON')
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event)) throw new HttpError(400, '请求体必须是一个 JSON 对象')
    const header = req.headers['x-local-openid']
    const openid = typeof header === 'string' ? header.trim() : ''
    if (openid.length > 64 || /[^A-Za-z0-9_-]/.test(openid)) throw new HttpError(400, 'X-Local-OpenId 格式不正确')
    // As on WeChat, the platform adds the caller to the event; whatever the client sent there is replaced.
    const withUser = { ...(event as Record<string, unknown>), userInfo: { appId: options.appId, openId: openid } }
    const outcome = await pool.invoke(name, withUser, { OPENID: openid, APPID: options.appId, ENV: options.envId, SOURCE: 'wx_client' })
    options.onInvoke?.({
      fn: name,
      action: typeof (event as { action?: unknown }).action === 'string' ? (event as { action: string }).action : undefined,
      requestId: outcome.requestId,
      ok: outcome.ok,
      errCode: outcome.errCode,
      durationMs: outcome.durationMs,
      coldStart: outcome.coldStart,
      at: new Date()
    })
    if (outcome.ok) sendJson(res, 200, outcome.result)
    else sendJson(res, 500, { errCode: outcome.errCode, errMsg: outcome.errMsg, requestId: outcome.requestId })
  }

  async function handleAdmin(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req)
    const type = req.headers['content-type'] ?? ''
    if (!type.startsWith('application/json')) {
      // wx.openApi calls (multipart) arrive with the subscription-message work (issue 3).
      sendJson(res, 200, { code: 'INVALID_PARAM', message: 'this local cloud does not answer open API calls yet' })
      return
    }
    let body: DbRequest
    try {
      body = JSON.parse(raw.toString('utf8')) as DbRequest
    } catch {
      sendJson(res, 200, { code: 'INVALID_PARAM', message: 'request body is not JSON' })
      return
    }
    const requestId = `local-${Date.now().toString(36)}`
    try {
      sendJson(res, 200, { requestId, ...engine.handle(body) })
    } catch (err) {
      if (err instanceof CloudDbError) sendJson(res, 200, { requestId, code: err.code, message: err.message })
      else sendJson(res, 200, { requestId, code: 'SYS_ERR', message: (err as Error).message })
    }
  }

  function handleStatic(urlPath: string, res: http.ServerResponse): void {
    const root = path.resolve(options.staticDir)
    if (!fs.existsSync(path.join(root, 'index.html'))) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
      res.end('H5 版本尚未构建：请运行 npm run build:h5（npm start 会自动构建）')
      return
    }
    const wanted = path.resolve(root, '.' + decodeURIComponent(urlPath))
    const file = wanted.startsWith(root) && fs.existsSync(wanted) && fs.statSync(wanted).isFile() ? wanted : path.join(root, 'index.html')
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=300'
    })
    fs.createReadStream(file).pipe(res)
  }

  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local')
    const route = async (): Promise<void> => {
      const fnMatch = /^\/api\/functions\/([^/]+)$/.exec(url.pathname)
      if (fnMatch) {
        if (req.method !== 'POST') throw new HttpError(405, '请使用 POST 调用云函数')
        return handleFunction(decodeURIComponent(fnMatch[1] as string), req, res)
      }
      if (url.pathname === '/admin') {
        if (req.method !== 'POST') throw new HttpError(405, 'POST only')
        return handleAdmin(req, res)
      }
      if (url.pathname === '/api/health') return sendJson(res, 200, { ok: true, functions: pool.functionNames() })
      if (url.pathname.startsWith('/api/')) throw new HttpError(404, '没有这个接口')
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'GET only')
      handleStatic(url.pathname, res)
    }
    route().catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500
      const message = err instanceof HttpError ? err.message : '本地云内部错误'
      if (!(err instanceof HttpError)) console.error('[local-cloud]', err)
      if (!res.headersSent) sendJson(res, status, { errCode: status, errMsg: message })
      else res.end()
    })
  })
}
