/**
 * 办事指南 — stations and the services they offer. Shared by the mini-program and `guide`.
 */
import './zod'
import * as z from 'zod/mini'
import type { StationBooking } from './appointment'
import type { LocalDate, LocalTime } from './time'

export const SERVICE_CATEGORIES = [
  'id_card',
  'certificate',
  'registration',
  'correction',
  'consultation'
] as const
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number]

export const CATEGORY_LABELS: Record<ServiceCategory, string> = {
  id_card: '身份证件',
  certificate: '户籍证明',
  registration: '户口登记与迁移',
  correction: '变更更正',
  consultation: '政策咨询'
}

export interface OfficeHours {
  /** ISO weekday 1 (Monday) … 7 (Sunday). */
  weekdays: number[]
  /** Local Asia/Shanghai wall-clock ranges, "HH:mm". */
  ranges: { start: string; end: string }[]
}

export interface Station {
  _id: string
  name: string
  shortName: string
  address: string
  /** 咨询电话 */
  consultPhone: string
  /** 监督电话 */
  supervisionPhone: string
  /**
   * 值班电话: answered at every hour by the on-duty officer. Residents see it on a request nobody
   * has accepted yet, and in the refusal when they have too many requests open.
   */
  dutyPhone: string
  officeHours: OfficeHours
  /** Plain-words note on extended hours (延时服务) and the green channel. */
  extendedNote: string
  /** Slots, capacities, extended hours and the booking policy (预约服务). */
  booking: StationBooking
  /** Where the window is (GCJ-02, as Taro.openLocation expects): the page's 导航. */
  location?: { latitude: number; longitude: number }
}

export interface Material {
  name: string
  /** e.g. "原件", "未满16周岁由监护人陪同". */
  note?: string
  /** false: only in some cases (the note says which). */
  required: boolean
}

export type TimeLimit = { kind: 'instant' } | { kind: 'days'; days: number; working: boolean }

export interface ServiceItem {
  _id: string
  stationId: string
  category: ServiceCategory
  name: string
  summary: string
  /** 适用对象 */
  eligibility: string
  materials: Material[]
  /** Fee in fen (1/100 yuan); 0 is free. */
  feeFen: number
  feeNote?: string
  /** 法定办结时限 */
  statutoryLimit: TimeLimit
  /** 承诺办结时限 (the station's promise, never longer than the statutory one) */
  promisedLimit: TimeLimit
  /** Must the person come in person (photo, fingerprints, signature)? */
  inPerson: boolean
  inPersonReason?: string
  steps: string[]
  /** 办理依据 */
  basis: string
  keywords: string[]
  /** Position within its category. */
  order: number
  /** Can it be booked online? (Consultations are answered by phone or at the window.) */
  bookable: boolean
  /** Which station resource a booking uses: the general windows, or the photo/fingerprint room. */
  resource: 'window' | 'capture'
}

export type ServiceSummary = Pick<
  ServiceItem,
  | '_id'
  | 'stationId'
  | 'category'
  | 'name'
  | 'summary'
  | 'feeFen'
  | 'promisedLimit'
  | 'inPerson'
  | 'keywords'
  | 'order'
  | 'bookable'
>

export const SERVICE_SUMMARY_FIELDS = [
  '_id',
  'stationId',
  'category',
  'name',
  'summary',
  'feeFen',
  'promisedLimit',
  'inPerson',
  'keywords',
  'order',
  'bookable'
] as const satisfies readonly (keyof ServiceSummary)[]

/** Document ids: letters, digits, '-' and '_', as our seed and the cloud's generated ids use. */
export const DocId = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/))

export const guideInputs = {
  listStations: z.strictObject({}),
  listServices: z.strictObject({
    stationId: DocId,
    /** Free-text search over names, keywords and summaries. */
    q: z.optional(z.string().check(z.maxLength(30)))
  }),
  getService: z.strictObject({ serviceId: DocId }),
  /** The station's calendar from today: working and rest days, holidays, make-up days, closures. */
  days: z.strictObject({ stationId: DocId })
}

/** How many days from today `days` returns (today included). */
export const STATION_DAYS = 31

/** A day of the station's calendar as residents see it (the home page's open-now and notice). */
export interface StationDay {
  date: LocalDate
  /** 'unpublished': a year whose holiday table is not confirmed yet. */
  status: 'working' | 'rest' | 'unpublished'
  /** The holiday's name (国庆节), or the make-up working day's. */
  name?: string
  /** A weekend day made a working day (调休上班). */
  makeUp?: boolean
  /** The window's closures that day: all day when start and end are absent. */
  closures?: { start?: LocalTime; end?: LocalTime; reason: string }[]
}

export interface GuideOutputs {
  listStations: Station[]
  listServices: { station: Station; services: ServiceSummary[] }
  getService: { station: Station; service: ServiceItem }
  /** Today in Shanghai and the STATION_DAYS days from it. */
  days: { today: LocalDate; days: StationDay[] }
}

/* ---------- pure helpers used on both sides ---------- */

export function formatFee(feeFen: number): string {
  if (feeFen === 0) return '免费'
  const yuan = feeFen / 100
  return `${Number.isInteger(yuan) ? yuan : yuan.toFixed(2)} 元`
}

export function formatTimeLimit(limit: TimeLimit): string {
  if (limit.kind === 'instant') return '即时办结'
  return `${limit.days} 个${limit.working ? '工作日' : '自然日'}`
}

const WEEKDAY_NAMES = ['', '一', '二', '三', '四', '五', '六', '日']

/** "周一至周五 08:30–12:00，14:30–17:30" */
export function formatOfficeHours(station: Pick<Station, 'officeHours'>): string {
  const days = [...station.officeHours.weekdays].sort((a, b) => a - b)
  const contiguous = days.length > 2 && days.every((d, i) => i === 0 || d === (days[i - 1] ?? 0) + 1)
  const dayText = contiguous
    ? `周${WEEKDAY_NAMES[days[0] ?? 1]}至周${WEEKDAY_NAMES[days[days.length - 1] ?? 5]}`
    : days.map((d) => `周${WEEKDAY_NAMES[d]}`).join('、')
  return `${dayText} ${station.officeHours.ranges.map((r) => `${r.start}–${r.end}`).join('，')}`
}

/**
 * Residents' words for what the guide calls otherwise: each phrase is read as the guide's word
 * before searching ("身份证丢了" searches 身份证 丢失). Longer phrases first where one contains another.
 */
export const SEARCH_SYNONYMS: readonly (readonly [phrase: string, guideWord: string])[] = [
  ['丢了', '丢失'],
  ['掉了', '丢失'],
  ['弄丢', '丢失'],
  ['不见了', '丢失'],
  ['找不到', '丢失'],
  ['坏了', '损坏'],
  ['破了', '损坏'],
  ['过期了', '过期'],
  ['到期了', '到期'],
  ['户口本', '户口簿'],
  ['户口薄', '户口簿'],
  ['开证明', '证明'],
  ['开个证明', '证明'],
  ['打证明', '证明'],
  ['去世', '死亡'],
  ['过世', '死亡'],
  ['死了', '死亡'],
  ['改名字', '改名'],
  ['写错了', '更正'],
  ['登记错了', '更正'],
  ['第一次办', '首次'],
  ['买房', '购房落户'],
  ['生孩子', '出生'],
  ['刚出生', '出生']
]

/** Words that carry no meaning for the search in a whole sentence ("我的身份证丢了怎么办？"). */
const FILLERS =
  /怎么办理|怎么办|如何办理|怎么|如何|需要|哪些|什么|材料|办理|请问|想要|我想|我要|我的|一下|可以|吗|呢|吧|啊|了|的|[，。？！、,.?!~：:；;（）()]/g

function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()
}

/** The query with residents' phrasings read as the guide's words. */
function withSynonyms(query: string): string {
  let out = query
  for (const [phrase, word] of SEARCH_SYNONYMS) out = out.split(phrase).join(` ${word} `)
  return out
}

/**
 * The guide's words a term contains, longest first from each position ("身份证丢失" → 身份证,
 * 丢失), and the longest run of characters between them that starts no known word.
 */
function knownWords(
  term: string,
  vocabulary: ReadonlySet<string>,
  longest: number
): { words: string[]; unknownRun: number } {
  const words: string[] = []
  let run = 0
  let unknownRun = 0
  for (let i = 0; i < term.length;) {
    let len = Math.min(longest, term.length - i)
    while (len >= 2 && !vocabulary.has(term.slice(i, i + len))) len--
    if (len >= 2) {
      words.push(term.slice(i, i + len))
      i += len
      run = 0
    } else {
      i++
      unknownRun = Math.max(unknownRun, ++run)
    }
  }
  return { words, unknownRun }
}

/** An unknown run this long names something the guide does not have (驾驶证), not a filler (老人, 给). */
const UNKNOWN_THING = 3

/**
 * Search as a resident types or speaks: every space-separated term must appear in the name, a
 * keyword, the summary or the category label. A term that appears nowhere as typed — a whole
 * sentence, say — is read in the guide's words (SEARCH_SYNONYMS), its filler words dropped, and
 * asks for every word of the guide it contains (the services' names and keywords); a term with no
 * such word, or with three or more characters in a row that start no known word (驾驶证),
 * matches nothing. An empty query matches everything. Results keep category order,
 * then the service's own order. The phrasings it is tested on: tests/unit/guide-search.test.ts.
 */
export function searchServices<T extends ServiceSummary>(
  services: readonly T[],
  query: string | undefined
): T[] {
  const terms = normalise(query ?? '')
    .split(' ')
    .filter(Boolean)
  const sorted = [...services].sort(compareServices)
  if (terms.length === 0) return sorted
  const hays = new Map(
    sorted.map((s) => [
      s,
      normalise([s.name, s.summary, CATEGORY_LABELS[s.category], ...s.keywords].join(' '))
    ])
  )
  const vocabulary = new Set(
    [...services.flatMap((s) => [s.name, ...s.keywords]), ...SEARCH_SYNONYMS.map(([, w]) => w)].map(normalise)
  )
  const longest = Math.max(2, ...[...vocabulary].map((w) => w.length))
  const wanted = terms.map((t) => {
    if ([...hays.values()].some((h) => h.includes(t))) return [t]
    const meant = withSynonyms(t).replace(FILLERS, ' ').replace(/\s+/g, '')
    if (!meant) return [] // only filler words ("怎么办")
    const { words, unknownRun } = knownWords(meant, vocabulary, longest)
    return words.length > 0 && unknownRun < UNKNOWN_THING ? words : [t]
  })
  return sorted.filter((s) => {
    const hay = hays.get(s) ?? ''
    return wanted.every((words) => words.every((w) => hay.includes(w)))
  })
}

export function compareServices(a: ServiceSummary, b: ServiceSummary): number {
  const byCategory = SERVICE_CATEGORIES.indexOf(a.category) - SERVICE_CATEGORIES.indexOf(b.category)
  return byCategory !== 0 ? byCategory : a.order - b.order || a.name.localeCompare(b.name)
}

/** Services grouped by category, categories in their fixed order, empty ones left out. */
export function groupByCategory<T extends ServiceSummary>(
  services: readonly T[]
): { category: ServiceCategory; label: string; services: T[] }[] {
  const sorted = [...services].sort(compareServices)
  return SERVICE_CATEGORIES.map((category) => ({
    category,
    label: CATEGORY_LABELS[category],
    services: sorted.filter((s) => s.category === category)
  })).filter((g) => g.services.length > 0)
}
