/**
 * What travels between wx-server-sdk and the database: MongoDB extended JSON (EJSON) strings.
 * The SDK (@cloudbase/database 1.4.3 inside wx-server-sdk 4.0.2) sends canonical EJSON —
 * `{"$numberInt": "1"}`, `{"$date": {"$numberLong": "0"}}`, `db.RegExp` and JS RegExps as
 * `{"$regularExpression": {"pattern", "options"}}`, `db.serverDate()` as
 * `{"$tcb_server_date": {"offset": n}}` — and parses each returned document with EJSON.parse.
 * Here those strings become plain JS values mingo understands, and documents go back canonical.
 */
import { BSONRegExp, EJSON } from 'bson'
import { CloudDbError } from './errors'

type EjsonInput = Parameters<typeof EJSON.stringify>[0]

/** JS RegExp flags that mean the same as MongoDB's options (x and l have no JS equivalent). */
const REGEX_FLAGS = new Set(['i', 'm', 's', 'u'])

function toRegExp(re: BSONRegExp): RegExp {
  const flags = [...new Set(re.options.split(''))].filter((f) => REGEX_FLAGS.has(f)).join('')
  try {
    return new RegExp(re.pattern, flags)
  } catch (err) {
    throw new CloudDbError(
      'INVALID_PARAM',
      `invalid regular expression /${re.pattern}/: ${(err as Error).message}`
    )
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/** BSON wrapper classes EJSON.parse leaves behind → the JS values queries compare against. */
export function fromBson(value: unknown): unknown {
  if (value instanceof BSONRegExp) return toRegExp(value)
  if (Array.isArray(value)) return value.map(fromBson)
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = fromBson(v)
    return out
  }
  return value
}

/** One EJSON value from the wire (a query, an update, a stage, a document). */
export function parseWire(text: string, what: string): unknown {
  let value: unknown
  try {
    value = EJSON.parse(text, { relaxed: true })
  } catch (err) {
    throw new CloudDbError('INVALID_PARAM', `invalid ${what}: not EJSON (${(err as Error).message})`)
  }
  return fromBson(value)
}

/** Like parseWire, for the fields that must hold an object; absent or '' means {}. */
export function parseWireObject(text: unknown, what: string): Record<string, unknown> {
  if (text === undefined || text === null || text === '') return {}
  if (typeof text !== 'string')
    throw new CloudDbError('INVALID_PARAM', `invalid ${what}: expected an EJSON string`)
  const value = parseWire(text, what)
  if (!isPlainObject(value)) throw new CloudDbError('INVALID_PARAM', `invalid ${what}: expected an object`)
  return value
}

/** A document (or any value) as the SDK expects it back: canonical EJSON. */
export function toWire(value: unknown): string {
  return EJSON.stringify(value as EjsonInput, { relaxed: false })
}

/** Replaces `{$tcb_server_date: {offset}}` markers with the server's time (plus offset, ms). */
export function resolveServerDates(value: unknown, now: number): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveServerDates(v, now))
  if (isPlainObject(value)) {
    if ('$tcb_server_date' in value) {
      const marker = value.$tcb_server_date as { offset?: unknown } | null | undefined
      const offset = Number(marker?.offset ?? 0)
      return new Date(now + (Number.isFinite(offset) ? offset : 0))
    }
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = resolveServerDates(v, now)
    return out
  }
  return value
}

export { isPlainObject }
