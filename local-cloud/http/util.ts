import type http from 'node:http'

/** The largest body a local route reads at all (the SDK's /admin endpoint asks for more itself). */
export const MAX_BODY = 1024 * 1024

/**
 * The platform's limit for a call's event: CloudBase refuses a text request body to a cloud
 * function over 100 KB with EXCEED_MAX_PAYLOAD_SIZE. Read here as 100 × 1024 bytes of the body
 * as sent (UTF-8), before the local cloud adds `userInfo`.
 */
export const MAX_EVENT_BYTES = 100 * 1024

/**
 * The deepest JSON a body may nest arrays and objects (the body's own object is level 1).
 * Nothing the contract (types/) accepts comes near it; a body deeper than this is refused with
 * 400 before anything is parsed or invoked, so no stringify/parse of it can exhaust a stack.
 */
export const MAX_JSON_DEPTH = 64

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** A platform error name the JSON answer carries as `code` (e.g. EXCEED_MAX_PAYLOAD_SIZE). */
    readonly code?: string
  ) {
    super(message)
  }
}

/**
 * A route handles a request it recognises and resolves true, or resolves false to let the next
 * route try. Throwing an HttpError answers with its status and message.
 */
export type Route = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean>

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `请求内容过大（上限 ${Math.floor(limit / 1024)} KB）`, 'EXCEED_MAX_PAYLOAD_SIZE')
}

/**
 * The request's body, at most `limit` bytes. A declared Content-Length over the limit is refused
 * before a byte is read; a body that grows past it stops being kept (the rest is discarded by the
 * server once the 413 is answered, and the connection is closed).
 */
export function readBody(req: http.IncomingMessage, limit = MAX_BODY): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > limit) {
      reject(tooLarge(limit))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    const finish = (err: Error | null, body?: Buffer): void => {
      if (done) return
      done = true
      req.off('data', onData)
      if (err) reject(err)
      else resolve(body as Buffer)
    }
    const onData = (c: Buffer): void => {
      size += c.length
      if (size > limit) {
        chunks.length = 0
        finish(tooLarge(limit))
      } else chunks.push(c)
    }
    req.on('data', onData)
    req.on('end', () => finish(null, Buffer.concat(chunks)))
    req.on('error', (err) => finish(err))
    req.on('close', () => finish(new HttpError(400, '请求在发送完之前中断了')))
  })
}

/**
 * How deeply `text` nests arrays and objects, counted without parsing (no recursion, strings
 * skipped), stopping as soon as `max` is exceeded. Malformed JSON is left to JSON.parse.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return false
}

/**
 * A body that must be one JSON object: at most `limit` bytes (413 EXCEED_MAX_PAYLOAD_SIZE),
 * nested at most MAX_JSON_DEPTH levels (400), valid JSON (400), an object (400).
 */
export async function readJsonObject(
  req: http.IncomingMessage,
  limit = MAX_EVENT_BYTES
): Promise<Record<string, unknown>> {
  const raw = await readBody(req, limit)
  const text = raw.toString('utf8')
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH))
    throw new HttpError(400, `请求体嵌套过深（最多 ${MAX_JSON_DEPTH} 层）`, 'INVALID_PARAM')
  let value: unknown
  try {
    value = raw.length ? JSON.parse(text) : {}
  } catch {
    throw new HttpError(400, '请求体不是合法的 JSON')
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new HttpError(400, '请求体必须是一个 JSON 对象')
  return value as Record<string, unknown>
}

/** A path segment, percent-decoded; a malformed escape is the client's mistake (400), not ours. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new HttpError(400, '路径编码不正确')
  }
}

/** JSON text of a value, or undefined when it cannot be serialised (a BigInt, a cycle, too deep). */
export function tryStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value)
  } catch {
    return undefined
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text)
  })
  res.end(text)
}

export function sendText(
  res: http.ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8'
): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) })
  res.end(body)
}
