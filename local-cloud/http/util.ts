import type http from 'node:http'

export const MAX_BODY = 1024 * 1024

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

/**
 * A route handles a request it recognises and resolves true, or resolves false to let the next
 * route try. Throwing an HttpError answers with its status and message.
 */
export type Route = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean>

export function readBody(req: http.IncomingMessage, limit = MAX_BODY): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > limit) {
        reject(new HttpError(413, '请求内容过大'))
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

export async function readJsonObject(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req)
  let value: unknown
  try {
    value = raw.length ? JSON.parse(raw.toString('utf8')) : {}
  } catch {
    throw new HttpError(400, '请求体不是合法的 JSON')
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, '请求体必须是一个 JSON 对象')
  return value as Record<string, unknown>
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

export function sendText(res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) })
  res.end(body)
}
