/**
 * Personal data, masked for the console's pages AND its exports. Pure: no I/O, no clock.
 *
 * A value is masked when its FIELD NAME says it is personal, or, whatever the field is called,
 * when its VALUE looks personal — so an oddly named field (`remark`, `x`, a map keyed by openid)
 * does not leak what it holds.
 *
 * By field name (camelCase / snake_case split into words; plurals and trailing digits ignored):
 *   mobile / phone / tel / cellphone, …PhoneNumber, phone_number3   → phone     138****5678
 *   idNumber / idCard / idNo / idCardNo / identity… / sfzh / passport → ID number 1101**********1234
 *   openid / _openid / openId / unionid / touser / toUser           → maskId    de…ng
 *   name (bare), realName / residentName / contactName / nickName …  → name      张*三, 王*
 *   address / homeAddress / addr                                    → address   浙江省杭州市****
 *   A bare `name` is a person's name unless the field is listed in PUBLIC_FIELDS (the name of a
 *   station or a service): fail-safe — a new collection's `name` is masked until declared public.
 *   A value under a personal field (an array of phones, an object of phones) is masked the same way.
 *
 * By value, in every other string (and number), wherever it occurs in the text:
 *   18-char resident ID (GB 11643: 6-digit region, valid-looking birth date, 3 digits, check digit
 *   0-9/X; the check digit is NOT verified — a mistyped ID is still personal data) and the 15-digit
 *   first-generation ID → first 4 and last 4 kept: 1101**********1234. The first 4 name only the
 *   province and city; the birth date and county are hidden; the last 4 are what a window officer
 *   asks for ("尾号") to tell two people apart.
 *   mainland mobile (1[3-9] + 9 digits, optionally +86/0086/86, spaces or dashes) → 138****5678.
 *   e-mail → first character and the domain: z***@example.com.
 *   a WeChat openid/unionid (o + 27 of [A-Za-z0-9_-]) → maskId: the whole value, or inside a
 *   longer one ("<openid>_2026-01-15") when it has both cases, as issued openids do.
 *   Keys of objects are checked by value too (a map keyed by openid or mobile).
 *
 * Public fields: the station's consultPhone / supervisionPhone (and its name, address) are public
 * service numbers, printed on the station's sign, in the guide the app shows to everyone and on
 * the government's website: masking them hides nothing and would keep an operator from checking
 * what residents are told to dial. They are shown as they are — and only those exact fields of the
 * `stations` collection, so a resident's phone in any other place is still masked.
 *
 * Dates become ISO strings; the result is JSON-safe.
 */
import { maskPersonalText } from '../../types/identity'
import { maskId } from '../context'

export type PersonalKind = 'phone' | 'idNumber' | 'openid' | 'name' | 'address'

/** Field paths (array positions dropped) shown unmasked, per collection. See the header. */
export const PUBLIC_FIELDS: Readonly<Record<string, readonly string[]>> = {
  stations: ['name', 'shortName', 'address', 'consultPhone', 'supervisionPhone', 'dutyPhone'],
  services: ['name', 'materials.name'],
  /** Holiday names (春节, 国庆节). */
  calendars: ['days.name'],
  /** The officer who served a case: staff, named on the window's duty board — supervisors read ratings by officer. */
  ratings: ['officerName'],
  followUps: ['officerName'],
  /** 材料预审: each item's name is the service's material (居民户口簿); the photos' file ids stay protected. */
  prereviews: ['items.name']
}

/* ---------------- field names ---------------- */

/** "applicantIdCardNo" → ["applicant", "id", "card", "no"]; "phone_number3" → ["phone", "number"]. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toLowerCase().replace(/\d+$/, ''))
    .filter((w) => w.length > 0)
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w))
}

function endsWith(words: string[], tail: string[]): boolean {
  if (tail.length > words.length) return false
  return tail.every((t, i) => words[words.length - tail.length + i] === t)
}

const OPENID_WORDS = new Set(['openid', 'unionid', 'touser'])
const OPENID_TAILS = [
  ['open', 'id'],
  ['union', 'id'],
  ['to', 'user']
]
const ID_WORDS = new Set([
  'idnumber',
  'idcard',
  'idno',
  'idcardno',
  'idcardnumber',
  'sfz',
  'sfzh',
  'sfzhm',
  'passport',
  'passportno'
])
const ID_TAILS = [
  ['id', 'number'],
  ['id', 'num'],
  ['id', 'no'],
  ['id', 'card'],
  ['id', 'card', 'no'],
  ['id', 'card', 'number'],
  ['identity', 'number'],
  ['identity', 'no'],
  ['identity', 'card'],
  ['identity'],
  ['cert', 'no'],
  ['cert', 'number'],
  ['certificate', 'no'],
  ['certificate', 'number'],
  ['passport', 'no'],
  ['passport', 'number']
]
const PHONE_WORDS = new Set([
  'mobile',
  'phone',
  'tel',
  'telephone',
  'cellphone',
  'mobilephone',
  'phonenumber',
  'phoneno'
])
const PHONE_TAILS = [
  ['phone', 'number'],
  ['phone', 'no'],
  ['phone', 'num'],
  ['mobile', 'number'],
  ['mobile', 'no'],
  ['tel', 'no'],
  ['tel', 'number']
]
const NAME_WORDS = new Set(['nickname', 'realname', 'fullname', 'username', 'truename'])
/** A word before "name" that makes it a person's name ("contactName"), not a thing's ("serviceName"). */
const PERSON_WORDS = new Set([
  'real',
  'full',
  'true',
  'person',
  'resident',
  'applicant',
  'contact',
  'officer',
  'staff',
  'user',
  'nick',
  'rater',
  'visitor',
  'guardian',
  'holder',
  'deceased',
  'reporter',
  'caller',
  'member',
  'owner',
  'patient',
  'child',
  'parent',
  'spouse',
  'agent',
  'citizen',
  'family',
  'recipient',
  'customer',
  'first',
  'last',
  'given',
  'middle',
  'legal',
  'birth',
  'maiden',
  'emergency',
  'handler',
  'reviewer'
])

/** What personal data a field holds, judged by its name alone (undefined: not personal by name). */
export function kindOfKey(key: string): PersonalKind | undefined {
  const words = keyWords(key)
  const last = words[words.length - 1]
  if (last === undefined) return undefined
  if (words.some((w) => OPENID_WORDS.has(w)) || OPENID_TAILS.some((t) => endsWith(words, t))) return 'openid'
  if (ID_WORDS.has(last) || ID_TAILS.some((t) => endsWith(words, t))) return 'idNumber'
  if (PHONE_WORDS.has(last) || PHONE_TAILS.some((t) => endsWith(words, t))) return 'phone'
  if (NAME_WORDS.has(last)) return 'name'
  if (last === 'name') {
    const before = words[words.length - 2]
    if (before === undefined || PERSON_WORDS.has(before)) return 'name'
    return undefined
  }
  if (last === 'address' || last === 'addr') return 'address'
  return undefined
}

/* ---------------- values ---------------- */

const OPENID = /^o[A-Za-z0-9_-]{27}$/
/** An openid inside a longer value ("<openid>_2026-01-15"): 28 characters, mixed case, as WeChat issues them. */
const OPENID_INSIDE = /(?<![A-Za-z0-9-])o[A-Za-z0-9_-]{27}(?![A-Za-z0-9-])/g

/** Keeps `start` and `end` characters (fewer for short values) and stars the rest. */
export function keepEnds(value: string, start: number, end: number): string {
  const chars = [...value]
  if (chars.length <= start + end) {
    const keep = Math.floor(chars.length / 4)
    start = keep
    end = keep
  }
  return (
    chars.slice(0, start).join('') +
    '*'.repeat(chars.length - start - end) +
    (end > 0 ? chars.slice(-end).join('') : '')
  )
}

/** Masks every ID number, mobile number, e-mail address and openid found in free text. */
export function maskText(text: string): string {
  if (OPENID.test(text)) return maskId(text)
  return maskPersonalText(text).replace(OPENID_INSIDE, (m) =>
    /[A-Z]/.test(m) && /[a-z]/.test(m.slice(1)) ? maskId(m) : m
  )
}

/** A personal phone: a mobile as 138****5678; any other number keeps its first 3 and last 4 digits. */
export function maskPhone(value: string): string {
  const byPattern = maskText(value)
  if (byPattern !== value) return byPattern
  const digits = value.replace(/\D/g, '').length
  if (digits === 0) return value
  let seen = 0
  return value.replace(/\d/g, (d) => {
    seen++
    return digits >= 8 && (seen <= 3 || seen > digits - 4) ? d : '*'
  })
}

/** A resident ID (or passport) number: 1101**********1234; short values mostly starred. */
export function maskIdNumber(value: string): string {
  const trimmed = value.trim()
  return keepEnds(trimmed, 4, 4)
}

/** 张三 → 张*, 张小三 → 张*三, 欧阳娜娜 → 欧**娜. */
export function maskName(value: string): string {
  const chars = [...value.trim()]
  if (chars.length === 0) return ''
  if (chars.length === 1) return '*'
  if (chars.length === 2) return `${chars[0]}*`
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`
}

/** Keeps the first 6 characters (province and city), stars the rest. */
export function maskAddress(value: string): string {
  const chars = [...value.trim()]
  if (chars.length === 0) return ''
  if (chars.length <= 6) return `${chars.slice(0, 2).join('')}****`
  return `${chars.slice(0, 6).join('')}****`
}

export function maskAs(kind: PersonalKind, value: string): string {
  if (value === '') return ''
  switch (kind) {
    case 'phone':
      return maskPhone(value)
    case 'idNumber':
      return maskIdNumber(value)
    case 'openid':
      return maskId(value)
    case 'name':
      return maskName(value)
    case 'address':
      return maskAddress(value)
  }
}

/* ---------------- documents ---------------- */

/*
 * Type checks that hold across realms (documents may come from structuredClone or another
 * module context, where `instanceof Date` and `=== Object.prototype` fail).
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (
    value === null ||
    typeof value !== 'object' ||
    Object.prototype.toString.call(value) !== '[object Object]'
  )
    return false
  const proto = Object.getPrototypeOf(value) as object | null
  return proto === null || Object.getPrototypeOf(proto) === null
}

function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]'
}

function isoOf(date: Date): string {
  const time = Date.prototype.getTime.call(date)
  return isNaN(time) ? 'Invalid Date' : new Date(time).toISOString()
}

function walk(
  value: unknown,
  path: string,
  kind: PersonalKind | undefined,
  publicPaths: ReadonlySet<string>
): unknown {
  if (publicPaths.has(path)) return toJsonSafe(value)
  if (value === null || value === undefined || typeof value === 'boolean') return value ?? null
  if (typeof value === 'string') return kind ? maskAs(kind, value) : maskText(value)
  if (typeof value === 'number' || typeof value === 'bigint') {
    const text = String(value)
    if (kind) return maskAs(kind, text)
    const masked = maskText(text)
    return masked === text ? (typeof value === 'bigint' ? text : value) : masked
  }
  if (isDate(value)) return isoOf(value)
  if (Array.isArray(value)) return value.map((v) => walk(v, path, kind, publicPaths))
  if (Object.prototype.toString.call(value) === '[object RegExp]')
    return walk((value as RegExp).toString(), path, kind, publicPaths)
  if (ArrayBuffer.isView(value)) return `[binary ${value.byteLength} bytes]`
  if (!isPlainObject(value)) {
    // bson values (ObjectId, Decimal128, Long…) and other classes: their JSON form, masked.
    const json = (value as { toJSON?: () => unknown }).toJSON?.()
    return walk(
      json === undefined ? (value as { toString(): string }).toString() : json,
      path,
      kind,
      publicPaths
    )
  }
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    let shownKey = maskText(key)
    while (shownKey in out) shownKey += '′'
    const childPath = path ? `${path}.${key}` : key
    out[shownKey] = walk(child, childPath, kindOfKey(key) ?? kind, publicPaths)
  }
  return out
}

/** A document (or any value) with its personal data masked, JSON-safe (dates as ISO strings). */
export function maskDocument(doc: unknown, collection?: string): unknown {
  const publicPaths = new Set(collection !== undefined ? (PUBLIC_FIELDS[collection] ?? []) : [])
  return walk(doc, '', undefined, publicPaths)
}

/** JSON-safe, unmasked (public fields only). */
function toJsonSafe(value: unknown): unknown {
  if (isDate(value)) return isoOf(value)
  if (Array.isArray(value)) return value.map(toJsonSafe)
  if (isPlainObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSafe(v)]))
  return value ?? null
}

/**
 * Subscription-message keyword values: the template's keyword type is in its key (name1,
 * phone_number2, thing3 …): names and phones are masked as such, everything else by value.
 */
export function maskMessageData(data: Record<string, { value: string }>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, entry] of Object.entries(data)) {
    const value = typeof entry?.value === 'string' ? entry.value : String(entry?.value ?? '')
    const kind = kindOfKey(key)
    out[maskText(key)] = kind ? maskAs(kind, value) : maskText(value)
  }
  return out
}
