/**
 * Cloud storage over HTTP (docs/local-cloud.md, "Storage"):
 *
 *   PUT  /storage/upload/<path, base64url>  the SDK's upload of bytes, with the single-use token from
 *                                           storage.getUploadMetadata (header Authorization); answers
 *                                           an empty body, or object storage's XML <Error> document
 *   GET  /storage/f/<path, base64url>?g=&e=&s= a temporary URL: the file, or 403 when expired, not
 *                                           signed, or signed for bytes since replaced or deleted
 *   POST /api/storage/upload?cloudPath=…    the app's wx.cloud.uploadFile (raw bytes; X-Local-OpenId)
 *   POST /api/storage/temp-url              the app's wx.cloud.getTempFileURL  {fileList: [id | {fileID, maxAge}]}
 *   POST /api/storage/delete                the app's wx.cloud.deleteFile      {fileList: [id]}
 *
 * The app's calls are the caller's (X-Local-OpenId, as the functions route reads it) and obey the
 * storage rule; the SDK's are a function's and may do anything.
 */
import type http from 'node:http'
import { MAX_BATCH } from '../storage/rules'
import {
  FILE_STATUS,
  StorageFault,
  type StorageCaller,
  type StorageFaultCode,
  type StorageService
} from '../storage/service'
import { HttpError, readJsonObject, sendJson, type Route } from './util'

const FAULT_STATUS: Record<StorageFaultCode, number> = { BAD_PATH: 400, FILE_TOO_LARGE: 413, FORBIDDEN: 403 }

/** The origin the caller reached this cloud at, for URLs handed back to it. */
export function originOf(req: http.IncomingMessage): string {
  const host = req.headers.host
  return `http://${typeof host === 'string' && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? host : '127.0.0.1'}`
}

/**
 * An upload's bytes, at most `limit`: the whole body is read (a client still sending must not be
 * cut off before it can read the answer), but bytes past the limit are not kept, and a body
 * four times past it ends the connection.
 */
function readUpload(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    const finish = (value: Buffer | 'too large' | Error): void => {
      if (done) return
      done = true
      if (value instanceof Error) reject(value)
      else resolve(value)
    }
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= limit) chunks.push(c)
      else {
        chunks.length = 0
        if (size > limit * 4 + 1024 * 1024) {
          req.destroy()
          finish('too large')
        }
      }
    })
    req.on('end', () => finish(size > limit ? 'too large' : Buffer.concat(chunks)))
    req.on('error', (err) => finish(err))
    req.on('close', () => finish(new HttpError(400, '请求在发送完之前中断了')))
  })
}

/**
 * Lets a refused upload's body go unread: its bytes are dropped as they come, and a body four
 * times past the limit ends the connection (as readUpload does).
 */
function discardUpload(req: http.IncomingMessage, limit: number): void {
  let size = 0
  req.on('data', (c: Buffer) => {
    size += c.length
    if (size > limit * 4 + 1024 * 1024) req.destroy()
  })
  req.on('error', () => undefined)
  req.resume()
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Object storage's answer to a refused PUT: an XML <Error> document the SDK parses. */
function sendXmlError(res: http.ServerResponse, status: number, code: string, message: string): void {
  const id = Math.random().toString(36).slice(2)
  const body =
    `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n<Code>${code}</Code>\n` +
    `<Message>${xmlEscape(message)}</Message>\n<RequestId>local-${id}</RequestId>\n` +
    `<TraceId>local-${id}</TraceId>\n</Error>`
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

function callerOf(req: http.IncomingMessage): StorageCaller {
  const header = req.headers['x-local-openid']
  const openid = typeof header === 'string' ? header.trim() : ''
  if (openid.length > 64 || /[^A-Za-z0-9_-]/.test(openid))
    throw new HttpError(400, 'X-Local-OpenId 格式不正确')
  // Every app user has an OPENID on WeChat; a call without one is not from a signed-in user.
  if (!openid) throw new HttpError(401, '请先登录', 'UNAUTHENTICATED')
  return { admin: false, openid }
}

/** Content types a browser may show inline from this origin; anything else is a download. */
const INLINE = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp'])

export function storageRoute(storage: StorageService): Route {
  return async (req, res, url) => {
    const { pathname } = url

    const file = /^\/storage\/f\/([^/]+)$/.exec(pathname)
    if (file) {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'GET only')
      const check = storage.checkUrl({
        segment: file[1] as string,
        generation: url.searchParams.get('g'),
        expiry: url.searchParams.get('e'),
        signature: url.searchParams.get('s')
      })
      if (!check.ok)
        throw new HttpError(403, check.reason === 'expired' ? '链接已过期' : '链接无效', 'ACCESS_DENIED')
      const found = storage.read(check.cloudPath)
      if (!found) throw new HttpError(404, '文件不存在', 'STORAGE_FILE_NONEXIST')
      // The file was deleted and uploaded again since the URL was signed: the URL was for the
      // earlier bytes (maybe someone else's), never for these.
      if (found.file.generation !== check.generation)
        throw new HttpError(403, '链接已失效（文件已被删除或替换）', 'ACCESS_DENIED')
      const type = found.file.contentType
      res.writeHead(200, {
        'content-type': type,
        'content-length': found.content.length,
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
        'content-disposition': INLINE.has(type) ? 'inline' : 'attachment'
      })
      res.end(req.method === 'HEAD' ? undefined : found.content)
      return true
    }

    const upload = /^\/storage\/upload\/([^/]+)$/.exec(pathname)
    if (upload) {
      if (req.method !== 'PUT') throw new HttpError(405, 'PUT only')
      const token = req.headers.authorization ?? req.headers['x-cos-security-token']
      const granted = typeof token === 'string' ? storage.redeemUploadToken(token, upload[1] as string) : null
      const body = await readUpload(req, storage.maxFileBytes)
      if (!granted) {
        sendXmlError(res, 403, 'AccessDenied', '上传凭证无效、已使用或已过期')
        return true
      }
      if (body === 'too large') {
        sendXmlError(res, 413, 'EntityTooLarge', `文件过大（上限 ${storage.maxFileBytes / 1024 / 1024} MB）`)
        return true
      }
      try {
        storage.put(granted.caller, granted.cloudPath, body)
      } catch (err) {
        if (!(err instanceof StorageFault)) throw err
        const code = {
          BAD_PATH: 'InvalidObjectName',
          FILE_TOO_LARGE: 'EntityTooLarge',
          FORBIDDEN: 'AccessDenied'
        }[err.code]
        sendXmlError(res, FAULT_STATUS[err.code], code, err.message)
        return true
      }
      res.writeHead(200, { 'content-length': 0 })
      res.end()
      return true
    }

    // Anything else under /storage/ is a guess at a file: refused, never handed to the app's pages.
    if (pathname.startsWith('/storage/')) throw new HttpError(403, '链接无效', 'ACCESS_DENIED')
    if (!pathname.startsWith('/api/storage/')) return false
    if (req.method !== 'POST') throw new HttpError(405, '请使用 POST')

    if (pathname === '/api/storage/upload') {
      const caller = callerOf(req)
      const cloudPath = url.searchParams.get('cloudPath') ?? ''
      // Refused before the body is read when the path, the declared size or the rule already
      // says no: nothing is buffered, the answer comes at once, the rest is discarded.
      const declared = Number(req.headers['content-length'] ?? 0)
      try {
        storage.checkPut(caller, cloudPath, Number.isFinite(declared) ? declared : 0)
      } catch (err) {
        if (!(err instanceof StorageFault)) throw err
        discardUpload(req, storage.maxFileBytes)
        throw new HttpError(FAULT_STATUS[err.code], err.message, err.code)
      }
      const body = await readUpload(req, storage.maxFileBytes)
      if (body === 'too large')
        throw new HttpError(
          413,
          `文件过大（上限 ${storage.maxFileBytes / 1024 / 1024} MB）`,
          'FILE_TOO_LARGE'
        )
      try {
        const stored = storage.put(caller, cloudPath, body)
        sendJson(res, 200, {
          fileID: storage.fileId(cloudPath),
          bytes: stored.size,
          errMsg: 'cloud.uploadFile:ok'
        })
      } catch (err) {
        if (err instanceof StorageFault) throw new HttpError(FAULT_STATUS[err.code], err.message, err.code)
        throw err
      }
      return true
    }

    if (pathname === '/api/storage/temp-url' || pathname === '/api/storage/delete') {
      const caller = callerOf(req)
      const body = await readJsonObject(req)
      const list = body.fileList
      if (!Array.isArray(list) || list.length === 0)
        throw new HttpError(400, 'fileList 必须是非空数组', 'INVALID_PARAM')
      if (list.length > MAX_BATCH) throw new HttpError(400, `一次最多 ${MAX_BATCH} 个文件`, 'INVALID_PARAM')
      if (pathname === '/api/storage/delete') {
        const fileList = list.map((fileID: unknown) => {
          const code = storage.remove(caller, fileID)
          return { fileID, status: FILE_STATUS[code], errMsg: code === 'SUCCESS' ? 'ok' : code }
        })
        sendJson(res, 200, { fileList, errMsg: 'cloud.deleteFile:ok' })
        return true
      }
      const base = originOf(req)
      const fileList = list.map((item: unknown) => {
        const entry =
          typeof item === 'object' && item !== null
            ? (item as { fileID?: unknown; maxAge?: unknown })
            : { fileID: item }
        const answer = storage.tempUrl(caller, base, entry.fileID, entry.maxAge)
        return {
          fileID: entry.fileID,
          tempFileURL: answer.tempFileURL,
          maxAge: answer.maxAge,
          status: FILE_STATUS[answer.code],
          errMsg: answer.code === 'SUCCESS' ? 'ok' : answer.code
        }
      })
      sendJson(res, 200, { fileList, errMsg: 'cloud.getTempFileURL:ok' })
      return true
    }
    return false
  }
}
