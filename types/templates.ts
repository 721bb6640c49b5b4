/**
 * Subscription-message templates (订阅消息模板) as code. The mini-program (to ask residents and
 * officers for consent), the cloud functions (to send) and the local cloud (to check sends as
 * WeChat does) all read this one file. Dependency-free on purpose: both bundles import it.
 *
 * A template has a stable `key` used in our code; its WeChat template id, and the WeChat keyword
 * keys (thing1, time2, …) of the library template a deployer picked, differ per environment:
 *
 *   TEMPLATE_IDS[<cloud env id>] = { bookingConfirmed: { id: '<id>', keys?: { service: 'thing2' } }, … }
 *
 * How a deployer sets the real ids: on mp.weixin.qq.com → 功能 → 订阅消息, add each template below
 * from the public library (公共模板库) of the mini-program's category (政务民生 for long-term ones),
 * picking keywords of the listed types; copy each template id (and, where WeChat numbered a keyword
 * differently, its key) into a new entry of TEMPLATE_IDS named by the cloud environment id; then
 * build the mini-program with `CLOUD_ENV=<env id>` (the functions look their environment up at run
 * time with getWXContext().ENV). An environment without an entry uses the `local` ids, which only
 * the local cloud knows: WeChat would answer 20001 / 40037, so a forgotten entry fails visibly.
 */

export const KEYWORD_TYPES = [
  'thing',
  'number',
  'letter',
  'symbol',
  'character_string',
  'time',
  'date',
  'amount',
  'phone_number',
  'car_number',
  'name',
  'phrase'
] as const
export type KeywordType = (typeof KEYWORD_TYPES)[number]

export type TemplateKind = 'one-time' | 'long-term'

export interface KeywordSpec {
  /** Our stable name for the value (what senders fill in). */
  name: string
  /** The label the phone shows beside the value. */
  label: string
  type: KeywordType
  /** WeChat's keyword key in the local set (type + number, e.g. thing1); environments may differ. */
  key: string
}

export interface TemplateSpec {
  title: string
  /** 'long-term' only where the public library offers it (政务民生 offline public services). */
  kind: TemplateKind
  /** Who is asked for consent and receives it. */
  audience: 'resident' | 'officer'
  /** The page the notification opens (no leading slash; the sender adds a query). */
  page: string
  keywords: readonly KeywordSpec[]
}

const kw = (name: string, label: string, type: KeywordType, n: number): KeywordSpec => ({
  name,
  label,
  type,
  key: `${type}${n}`
})

export const TEMPLATES = {
  bookingConfirmed: {
    title: '预约成功通知',
    kind: 'one-time',
    audience: 'resident',
    page: 'pages/booking-detail/index',
    keywords: [
      kw('service', '预约事项', 'thing', 1),
      kw('time', '预约时间', 'time', 2),
      kw('place', '办理地点', 'thing', 3),
      kw('code', '预约码', 'character_string', 4),
      kw('tip', '温馨提示', 'thing', 5)
    ]
  },
  bookingReminder: {
    title: '预约提醒',
    kind: 'one-time',
    audience: 'resident',
    page: 'pages/booking-detail/index',
    keywords: [
      kw('service', '预约事项', 'thing', 1),
      kw('time', '预约时间', 'time', 2),
      kw('place', '办理地点', 'thing', 3),
      kw('tip', '温馨提示', 'thing', 4)
    ]
  },
  bookingCancelled: {
    title: '预约取消通知',
    kind: 'one-time',
    audience: 'resident',
    page: 'pages/booking-detail/index',
    keywords: [
      kw('service', '预约事项', 'thing', 1),
      kw('time', '原预约时间', 'time', 2),
      kw('reason', '取消原因', 'thing', 3),
      kw('tip', '温馨提示', 'thing', 4)
    ]
  },
  officerAlert: {
    title: '新的服务申请提醒',
    kind: 'long-term',
    audience: 'officer',
    page: 'officer/requests/index',
    keywords: [
      kw('kind', '申请类型', 'phrase', 1),
      kw('service', '办理事项', 'thing', 2),
      kw('time', '申请时间', 'time', 3),
      kw('note', '备注', 'thing', 4)
    ]
  },
  /**
   * A bad review to follow up, for the station's leaders (and supervisors once it is overdue):
   * its own words rather than the service-request alert's. The deadline is a `thing` worded as
   * people say it ("12月29日（周二）前", types/time.ts deadlineText): a `time` keyword only takes a
   * bare clock or date-and-clock, which reads "12-30 00:00" for the end of the 29th.
   */
  followUpAlert: {
    title: '差评回访提醒',
    kind: 'long-term',
    audience: 'officer',
    page: 'officer/ratings/index',
    keywords: [
      kw('kind', '提醒类型', 'phrase', 1),
      kw('service', '办理事项', 'thing', 2),
      kw('level', '评价结果', 'phrase', 3),
      kw('due', '处理期限', 'thing', 4),
      kw('note', '备注', 'thing', 5)
    ]
  },
  requestProgress: {
    title: '办理进度通知',
    kind: 'one-time',
    audience: 'resident',
    page: 'pages/my-requests/index',
    keywords: [
      kw('service', '办理事项', 'thing', 1),
      kw('status', '办理状态', 'phrase', 2),
      kw('time', '更新时间', 'time', 3),
      kw('note', '备注', 'thing', 4)
    ]
  },
  ratingInvite: {
    title: '服务评价邀请',
    kind: 'one-time',
    audience: 'resident',
    page: 'pages/rating/index',
    keywords: [
      kw('service', '办理事项', 'thing', 1),
      kw('time', '办结时间', 'time', 2),
      kw('note', '邀请说明', 'thing', 3)
    ]
  },
  /** A reply to the resident: the follow-up of a bad review, a feedback entry, an online question. */
  replyNotice: {
    title: '留言回复通知',
    kind: 'one-time',
    audience: 'resident',
    page: 'pages/my-voice/index',
    keywords: [
      kw('subject', '回复事项', 'thing', 1),
      kw('status', '处理状态', 'phrase', 2),
      kw('time', '回复时间', 'time', 3),
      kw('note', '回复摘要', 'thing', 4)
    ]
  },
  /** 取号: three numbers ahead, and called to a window (the queue page shows both either way). */
  queueCall: {
    title: '排队叫号提醒',
    kind: 'one-time',
    audience: 'resident',
    page: 'pages/queue/index',
    keywords: [
      kw('number', '排队号码', 'character_string', 1),
      kw('line', '办理事项', 'thing', 2),
      kw('status', '排队状态', 'phrase', 3),
      kw('time', '提醒时间', 'time', 4),
      kw('note', '温馨提示', 'thing', 5)
    ]
  },
  /** 材料预审: the officer's review — passed, or items sent back (需补正) with the reasons on the page. */
  prereviewResult: {
    title: '材料预审结果通知',
    kind: 'one-time',
    audience: 'resident',
    page: 'pages/prereview/index',
    keywords: [
      kw('service', '办理事项', 'thing', 1),
      kw('status', '审核结果', 'phrase', 2),
      kw('time', '审核时间', 'time', 3),
      kw('note', '备注', 'thing', 4)
    ]
  },
  /** 制证进度: the ID card reached the station (可领取), or was posted (the tracking number in the note). */
  cardProgress: {
    title: '证件办理进度通知',
    kind: 'one-time',
    audience: 'resident',
    page: 'pages/cards/index',
    keywords: [
      kw('service', '办理事项', 'thing', 1),
      kw('status', '办理进度', 'phrase', 2),
      kw('number', '受理编号', 'character_string', 3),
      kw('time', '更新时间', 'time', 4),
      kw('note', '温馨提示', 'thing', 5)
    ]
  }
} as const satisfies Record<string, TemplateSpec>

export type TemplateKey = keyof typeof TEMPLATES
export const TEMPLATE_KEYS = Object.keys(TEMPLATES) as TemplateKey[]

export interface TemplateIdEntry {
  id: string
  /** Keyword keys of the real template, by keyword name, where they differ from the local set. */
  keys?: Readonly<Record<string, string>>
}

/** Template ids per cloud environment id; `local` is the local cloud's (and the fallback). */
export const TEMPLATE_IDS: Readonly<Record<string, Readonly<Record<TemplateKey, TemplateIdEntry>>>> = {
  local: {
    bookingConfirmed: { id: 'local-tmpl-booking-confirmed' },
    bookingReminder: { id: 'local-tmpl-booking-reminder' },
    bookingCancelled: { id: 'local-tmpl-booking-cancelled' },
    officerAlert: { id: 'local-tmpl-officer-alert' },
    followUpAlert: { id: 'local-tmpl-follow-up-alert' },
    requestProgress: { id: 'local-tmpl-request-progress' },
    ratingInvite: { id: 'local-tmpl-rating-invite' },
    replyNotice: { id: 'local-tmpl-reply-notice' },
    queueCall: { id: 'local-tmpl-queue-call' },
    prereviewResult: { id: 'local-tmpl-prereview-result' },
    cardProgress: { id: 'local-tmpl-card-progress' }
  }
  // '<cloud env id>': { bookingConfirmed: { id: '<template id from mp.weixin.qq.com>' }, … },
}

/** A template as one environment knows it: its id and the keyword keys to send. */
export interface ResolvedTemplate extends TemplateSpec {
  key: TemplateKey
  id: string
}

function idSet(env: string | undefined): Readonly<Record<TemplateKey, TemplateIdEntry>> {
  return (
    (env ? TEMPLATE_IDS[env] : undefined) ??
    (TEMPLATE_IDS.local as Readonly<Record<TemplateKey, TemplateIdEntry>>)
  )
}

export function resolveTemplate(key: TemplateKey, env: string | undefined): ResolvedTemplate {
  const spec: TemplateSpec = TEMPLATES[key]
  const entry = idSet(env)[key]
  return {
    ...spec,
    key,
    id: entry.id,
    keywords: spec.keywords.map((k) => ({ ...k, key: entry.keys?.[k.name] ?? k.key }))
  }
}

export function templateIdOf(key: TemplateKey, env: string | undefined): string {
  return idSet(env)[key].id
}

/** Every template of an environment. */
export function templatesOf(env: string | undefined): ResolvedTemplate[] {
  return TEMPLATE_KEYS.map((k) => resolveTemplate(k, env))
}

export function findTemplateById(id: string, env: string | undefined): ResolvedTemplate | undefined {
  return templatesOf(env).find((t) => t.id === id)
}

/** The message data WeChat expects, from values by keyword name: {thing1: {value: '…'}, …}. */
export function messageData(
  template: Pick<ResolvedTemplate, 'keywords'>,
  values: Readonly<Record<string, string>>
): Record<string, { value: string }> {
  const data: Record<string, { value: string }> = {}
  for (const k of template.keywords) data[k.key] = { value: values[k.name] ?? '' }
  return data
}

/** Shortens a text for a `thing` keyword (at most 20 characters; a cut ends in …). */
export function clipThing(text: string, max = 20): string {
  const chars = [...text.trim()]
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`
}

/* ---------- validation, as subscribeMessage.send checks data ---------- */

export interface DataError {
  errcode: 47003
  /** WeChat's errmsg without the request id, e.g. "argument invalid! data.thing1.value invalid". */
  errmsg: string
  /** The keyword key at fault. */
  field: string
  /** Plain Chinese for a developer: what is wrong. */
  hint: string
}

const HAN = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff'
const HAN_ONLY = new RegExp(`^[${HAN}]+$`, 'u')
const HAS_HAN = new RegExp(`[${HAN}]`, 'u')
const CHINESE_NAME = new RegExp(`^[${HAN}A-Za-z·]+$`, 'u')
const ALNUM_OR_HAN = new RegExp(`^[${HAN}A-Za-z0-9]$`, 'u')

const len = (s: string): number => [...s].length

const DATE = /^(?:(\d{4})年(\d{1,2})月(\d{1,2})日|(\d{4})[-/](\d{1,2})[-/](\d{1,2}))$/
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/

function validDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

function checkDate(text: string): boolean {
  const m = DATE.exec(text)
  if (!m) return false
  const [y, mo, d] = (m[1] !== undefined ? [m[1], m[2], m[3]] : [m[4], m[5], m[6]]).map(Number) as [
    number,
    number,
    number
  ]
  return validDate(y, mo, d)
}

function checkClock(text: string): boolean {
  const m = CLOCK.exec(text)
  if (!m) return false
  const [h, min, s] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 0 : Number(m[3])]
  return h <= 23 && min <= 59 && s <= 59
}

/** One instant: `time` needs a 24-hour clock (date optional); `date` needs a date (clock optional). */
function checkPoint(text: string, kind: 'time' | 'date'): boolean {
  const parts = text.trim().split(/\s+/)
  if (parts.length === 1) return kind === 'time' ? checkClock(parts[0] ?? '') : checkDate(parts[0] ?? '')
  if (parts.length === 2) return checkDate(parts[0] ?? '') && checkClock(parts[1] ?? '')
  return false
}

function checkTimeValue(text: string, kind: 'time' | 'date'): string | null {
  if (text.includes('～')) return '时间段请用半角“~”连接，不要用全角“～”'
  const points = text.split('~')
  if (points.length > 2) return '时间段只能有一个“~”'
  const ok = points.every((p, i) =>
    checkPoint(p, i > 0 && kind === 'date' && !DATE.test(p.trim().split(/\s+/)[0] ?? '') ? 'time' : kind)
  )
  if (ok) return null
  return kind === 'time'
    ? '时间格式应为 24 小时制，如 15:01 或 2026年11月27日 15:01，时间段用“~”'
    : '日期格式应为 2026年11月27日（可带 15:01），时间段用“~”'
}

/** Returns a hint when `value` does not fit `type`, null when it does. `value` is non-empty. */
export function checkKeywordValue(type: KeywordType, value: string): string | null {
  switch (type) {
    case 'thing':
      return len(value) <= 20 ? null : `超过 20 个字（现有 ${len(value)} 个）`
    case 'number':
      return /^\d+(\.\d+)?$/.test(value) && value.replace('.', '').length <= 32
        ? null
        : '只能是 32 位以内的数字，可带小数'
    case 'letter':
      return /^[A-Za-z]{1,32}$/.test(value) ? null : '只能是 32 个以内的字母'
    case 'symbol':
      return /^[\p{P}\p{S}]{1,5}$/u.test(value) ? null : '只能是 5 个以内的符号'
    case 'character_string':
      return /^[\x21-\x7e]{1,32}$/.test(value)
        ? null
        : '只能是 32 位以内的字母、数字或符号（不能有汉字或空格）'
    case 'time':
      return checkTimeValue(value, 'time')
    case 'date':
      return checkTimeValue(value, 'date')
    case 'amount':
      return /^[¥￥$€£]\d+(\.\d+)?元?$/.test(value) && value.replace(/[^\d]/g, '').length <= 10
        ? null
        : '应为币种符号加 10 位以内的数字，可带小数，结尾可带“元”，如 ¥20.00'
    case 'phone_number':
      return /^[0-9+\-()*#]{1,17}$/.test(value) && /\d/.test(value) ? null : '只能是 17 位以内的数字和符号'
    case 'car_number': {
      const chars = [...value]
      const middleOk = chars.slice(1, -1).every((c) => /^[A-Za-z0-9]$/.test(c))
      const endsOk = [chars[0], chars[chars.length - 1]].every((c) => c !== undefined && ALNUM_OR_HAN.test(c))
      return chars.length <= 8 && middleOk && endsOk
        ? null
        : '车牌号应为 8 位以内，首尾可为汉字，其余为字母或数字'
    }
    case 'name':
      if (HAS_HAN.test(value))
        return len(value) <= 10 && CHINESE_NAME.test(value) ? null : '中文姓名应为 10 个字以内'
      return /^[A-Za-z\p{P}\p{S} ]{1,20}$/u.test(value) ? null : '姓名应为 10 个汉字或 20 个字母以内'
    case 'phrase':
      return len(value) <= 5 && HAN_ONLY.test(value) ? null : '只能是 5 个以内的汉字'
  }
}

/**
 * Checks a send's `data` against the template's keywords as subscribeMessage.send does:
 * every keyword needs a non-empty string `value` of its type; keys the template lacks are ignored.
 * Returns WeChat's 47003 naming the first field at fault, or null.
 */
export function validateMessageData(
  template: Pick<TemplateSpec, 'keywords'>,
  data: unknown
): DataError | null {
  const entries =
    data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {}
  for (const k of template.keywords) {
    const entry = entries[k.key]
    const raw = entry !== null && typeof entry === 'object' ? (entry as { value?: unknown }).value : undefined
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
      return {
        errcode: 47003,
        errmsg: `argument invalid! data.${k.key}.value is empty`,
        field: k.key,
        hint: `“${k.label}”没有填写`
      }
    }
    const hint = typeof raw === 'string' ? checkKeywordValue(k.type, raw) : '值必须是字符串'
    if (hint)
      return {
        errcode: 47003,
        errmsg: `argument invalid! data.${k.key}.value invalid`,
        field: k.key,
        hint: `“${k.label}”${hint}`
      }
  }
  return null
}

/* ---------- wx.requestSubscribeMessage: which ids one request may carry ---------- */

export type SubscribeDecision = 'accept' | 'reject' | 'ban' | 'filter'

/** What wx.requestSubscribeMessage resolves: errMsg plus one decision per template id. */
export interface SubscribeResult {
  errMsg: string
  [tmplId: string]: string
}

export interface SubscribeFailure {
  errMsg: string
  errCode: number
}

/** At most this many ids per request (WeChat allows 5 on current clients, 3 on older ones). */
export const MAX_IDS_PER_REQUEST = 3

export interface PlannedItem {
  id: string
  template: ResolvedTemplate
  /** Same title as an earlier id in the request: WeChat answers 'filter' and asks nothing. */
  filtered: boolean
}

const fail = (errCode: number, reason: string): SubscribeFailure => ({
  errCode,
  errMsg: `requestSubscribeMessage:fail ${reason}`
})

/** Checks a request's ids as the WeChat client does before showing its sheet. */
export function planSubscribeRequest(
  tmplIds: unknown,
  env: string | undefined
): { ok: true; items: PlannedItem[] } | { ok: false; error: SubscribeFailure } {
  if (!Array.isArray(tmplIds) || tmplIds.length === 0)
    return { ok: false, error: fail(10001, "TmplIds can't be empty") }
  if (!tmplIds.every((id): id is string => typeof id === 'string' && id.length > 0))
    return { ok: false, error: fail(10004, 'Invalid template id') }
  const ids = [...new Set(tmplIds)]
  if (ids.length > MAX_IDS_PER_REQUEST)
    return { ok: false, error: fail(20003, 'Templates count out of max bounds') }
  const templates = ids.map((id) => findTemplateById(id, env))
  if (templates.some((t) => t === undefined))
    return { ok: false, error: fail(20001, 'No template data return, verify the template id exist') }
  const found = templates as ResolvedTemplate[]
  if (new Set(found.map((t) => t.kind)).size > 1)
    return { ok: false, error: fail(20002, 'Templates type must be same') }
  const titles = new Set<string>()
  const items = found.map((template, i) => {
    const filtered = titles.has(template.title)
    titles.add(template.title)
    return { id: ids[i] as string, template, filtered }
  })
  return { ok: true, items }
}
