/**
 * The open-API wire format of wx-server-sdk 4.0.2, both directions (read from the SDK and
 * @cloudbase/node-sdk; checked through the real SDK by the integration tests):
 *
 *   request:  POST multipart/form-data, fields action=wx.openApi, apiName=subscribeMessage.send,
 *             requestData = protobuf CommApiData {1 apiType, 2 openapiData {1 repeated KeyValuePair
 *             {1 key, 2 value = JSON bytes, 3 contenttype, 4 filename}}, 6 appid}, envName, …
 *             (the SDK turns camelCase keys into snake_case first: templateId → template_id)
 *   reply:    the raw bytes of protobuf CommOpenApiResp {1 respData, 2 contentType, 3 errorCode
 *             (int32; non-zero is a cloud-side failure such as -604101), 4 httpCode}
 *
 * Only the handful of protobuf features these messages use is implemented.
 */

export interface FormField {
  name: string
  filename?: string
  contentType?: string
  value: Buffer
}

/** Splits a multipart/form-data body into its fields. */
export function parseMultipart(contentType: string, body: Buffer): FormField[] {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  const boundary = m?.[1] ?? m?.[2]
  if (!boundary) throw new Error('multipart body without a boundary')
  const delimiter = Buffer.from(`--${boundary}`)
  const fields: FormField[] = []
  let pos = body.indexOf(delimiter)
  while (pos !== -1) {
    let start = pos + delimiter.length
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break // closing "--"
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2
    const next = body.indexOf(delimiter, start)
    if (next === -1) break
    const part = body.subarray(start, next)
    const headerEnd = part.indexOf('\r\n\r\n')
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8')
      let value = part.subarray(headerEnd + 4)
      if (value.length >= 2 && value[value.length - 2] === 0x0d && value[value.length - 1] === 0x0a)
        value = value.subarray(0, value.length - 2)
      const name = /name="([^"]*)"/i.exec(headers)?.[1]
      if (name !== undefined) {
        fields.push({
          name,
          filename: /filename="([^"]*)"/i.exec(headers)?.[1],
          contentType: /^content-type:\s*(.+)$/im.exec(headers)?.[1]?.trim(),
          value
        })
      }
    }
    pos = next
  }
  return fields
}

/* ---------- protobuf, the parts needed ---------- */

class Reader {
  pos = 0
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length
  }

  varint(): bigint {
    let result = 0n
    let shift = 0n
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint')
      const byte = this.buf[this.pos++] as number
      result |= BigInt(byte & 0x7f) << shift
      if ((byte & 0x80) === 0) return result
      shift += 7n
      if (shift > 63n) throw new Error('varint too long')
    }
  }

  bytes(): Buffer {
    const n = Number(this.varint())
    if (this.pos + n > this.buf.length) throw new Error('truncated field')
    const out = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint()
    else if (wireType === 1) this.pos += 8
    else if (wireType === 2) this.bytes()
    else if (wireType === 5) this.pos += 4
    else throw new Error(`unsupported wire type ${wireType}`)
  }

  /** Iterates the fields of one message: calls `onField(number, wireType)`, which must consume it. */
  fields(onField: (field: number, wireType: number) => boolean): void {
    while (!this.done) {
      const tag = Number(this.varint())
      const field = tag >>> 3
      const wireType = tag & 7
      if (!onField(field, wireType)) this.skip(wireType)
    }
  }
}

export interface KeyValuePair {
  key: string
  value: Buffer
}

export interface CommApiData {
  apiType: number
  pairs: KeyValuePair[]
  appid?: string
}

export function decodeCommApiData(buf: Buffer): CommApiData {
  const out: CommApiData = { apiType: 0, pairs: [] }
  const r = new Reader(buf)
  r.fields((field, wt) => {
    if (field === 1 && wt === 0) out.apiType = Number(BigInt.asIntN(32, r.varint()))
    else if (field === 6 && wt === 2) out.appid = r.bytes().toString('utf8')
    else if (field === 2 && wt === 2) {
      const data = new Reader(r.bytes())
      data.fields((f, w) => {
        if (f !== 1 || w !== 2) return false
        const pair = new Reader(data.bytes())
        const kv: KeyValuePair = { key: '', value: Buffer.alloc(0) }
        pair.fields((pf, pw) => {
          if (pw !== 2 || (pf !== 1 && pf !== 2)) return false
          const b = pair.bytes()
          if (pf === 1) kv.key = b.toString('utf8')
          else kv.value = b
          return true
        })
        out.pairs.push(kv)
        return true
      })
    } else return false
    return true
  })
  return out
}

function writeVarint(out: number[], value: bigint): void {
  let v = BigInt.asUintN(64, value)
  do {
    let byte = Number(v & 0x7fn)
    v >>= 7n
    if (v !== 0n) byte |= 0x80
    out.push(byte)
  } while (v !== 0n)
}

function writeBytes(out: number[], field: number, bytes: Buffer): void {
  writeVarint(out, BigInt((field << 3) | 2))
  writeVarint(out, BigInt(bytes.length))
  for (const b of bytes) out.push(b)
}

export interface CommOpenApiResp {
  respData?: Buffer
  contentType?: string
  errorCode?: number
  httpCode?: number
}

export function encodeCommOpenApiResp(msg: CommOpenApiResp): Buffer {
  const out: number[] = []
  if (msg.respData) writeBytes(out, 1, msg.respData)
  if (msg.contentType !== undefined) writeBytes(out, 2, Buffer.from(msg.contentType, 'utf8'))
  if (msg.errorCode !== undefined) {
    writeVarint(out, BigInt((3 << 3) | 0))
    writeVarint(out, BigInt(msg.errorCode)) // int32: negatives as 64-bit two's complement
  }
  if (msg.httpCode !== undefined) {
    writeVarint(out, BigInt((4 << 3) | 0))
    writeVarint(out, BigInt(msg.httpCode))
  }
  return Buffer.from(out)
}

/** The open-API request the SDK sent: which API, and its parameters (JSON-decoded, snake_case keys). */
export interface OpenApiCall {
  action: string
  apiName: string
  params: Record<string, unknown>
}

export function decodeOpenApiCall(contentType: string, body: Buffer): OpenApiCall {
  const fields = parseMultipart(contentType, body)
  const text = (name: string): string => fields.find((f) => f.name === name)?.value.toString('utf8') ?? ''
  const requestData = fields.find((f) => f.name === 'requestData')?.value
  const params: Record<string, unknown> = {}
  if (requestData && requestData.length > 0) {
    for (const pair of decodeCommApiData(requestData).pairs) {
      try {
        params[pair.key] = JSON.parse(pair.value.toString('utf8'))
      } catch {
        params[pair.key] = pair.value
      }
    }
  }
  return { action: text('action'), apiName: text('apiName'), params }
}
