/**
 * A year of fictional history for the demo station (docs/local-cloud.md, "The demo year"): the
 * cases its window finished, the ratings residents gave, a handful of bad reviews and their
 * follow-ups, green-channel and other requests with their accept times, online questions, the
 * on-call rota, and the daily rollups the dashboard reads — each document shaped as the cloud
 * functions write it, built with the same pure rules (slots, follow-up steps, question steps,
 * the daily rollup).
 *
 * Pure and deterministic: the same inputs (station, holiday table, staff, services, `now`, seed)
 * always give the same documents. No database, no clock, no randomness but the seeded generator.
 *
 * The scale is the seed's: its yearly volumes (about 34 finished cases a working day), split
 * between the business types in the proportions of a county window's year (2,830 ID cards, 485 certificates,
 * 3,880 registrations, 200 corrections, 1,100 consultations). Window cases fall on working days
 * of the holiday table only; requests and questions come at any hour of any day, as they do.
 * No resident ID number is generated: history holds names (fictional), fictional mobiles and ids.
 */
import { createHash, createHmac } from 'node:crypto'
import type { CalendarYear } from '../../types/appointment'
import type { ServiceCategory, ServiceItem } from '../../types/guide'
import {
  APPOINTMENT_CASE_TYPE,
  BUSINESS_TYPES,
  FOLLOW_UP_STATUS_TEXT,
  LEVEL_SCORE,
  LEVEL_TEXT,
  NEGATIVE_TAGS,
  POSITIVE_TAGS,
  RATING_TAGS,
  isBadLevel,
  type BusinessType,
  type Finding,
  type RatingLevel,
  type RatingTag,
  type RectificationLevel
} from '../../types/ratings'
import {
  DEFAULT_ACCEPT_MINUTES,
  KIND_LABELS,
  REQUEST_CATEGORIES,
  type RequestCategory,
  type RequestKind
} from '../../types/requests'
import type { OfficerWork } from '../../types/dashboard'
import type { Staff } from '../../types/staff'
import { QUESTION_STATUS_TEXT } from '../../types/feedback'
import { onDutyAt } from '../../types/duty'
import { addDays, isoWeekday, type LocalDate, type LocalTime } from '../../types/time'
import type { AppointmentDoc, RatingDoc, RosterDoc, StationDoc } from '../../cloudfunctions/_shared/documents'
import { Calendar, type DayInfo } from '../../cloudfunctions/_shared/domain/calendar'
import {
  callBackStep,
  excludeReviewStep,
  followUpExclusion,
  followUpIdOf,
  newFollowUp,
  rateRectificationStep,
  replyStep,
  type FollowUpDoc
} from '../../cloudfunctions/_shared/domain/follow-ups'
import {
  answerStep,
  openStep,
  transferStep,
  type QuestionActor,
  type QuestionDoc
} from '../../cloudfunctions/_shared/domain/questions'
import {
  businessOfRequest,
  businessOfService,
  rollupDay,
  type RatingFacts,
  type RollupDoc
} from '../../cloudfunctions/_shared/domain/ratings'
import { daySlots, type SlotDef } from '../../cloudfunctions/_shared/domain/slots'
import type { RequestDoc } from '../../cloudfunctions/_shared/escalation'
import { demoRosterDays } from './roster'

/* ---------- the figures ---------- */

/** A county window's year by business type (the proportions the demo keeps). */
export const SEED_YEARLY_CASES: Record<Exclude<BusinessType, 'other'>, number> = {
  id_card: 2830,
  certificate: 485,
  registration: 3880,
  correction: 200,
  consultation: 1100
}

/**
 * Finished cases a working day, on average: the yearly volumes above over a year's ~248 working
 * days (about 34). The window sees about 130 people a day, but most of them are not a case of their
 * own — family who come along, questions answered at the counter, a second visit for the same
 * case — so the recorded cases, and the dashboard's volumes, are the yearly figures.
 */
export const DEMO_CASES_PER_WORKING_DAY =
  Object.values(SEED_YEARLY_CASES).reduce((sum, n) => sum + n, 0) / 248

/** The demo's fixed seed: every data folder gets the same year for the same `now`. */
export const DEMO_HISTORY_SEED = 20_261_129

/** Requests a year by kind (green channel, after hours, home visits). */
export const REQUESTS_PER_YEAR: Record<RequestKind, number> = {
  emergency: 115,
  after_hours: 150,
  home_visit: 36
}

/** Online questions a year. */
export const QUESTIONS_PER_YEAR = 180

/** Share of finished cases their residents rate. */
export const RATED_SHARE = { appointment: 0.35, request: 0.6 }

/** Where the ratings' good levels fall (bad reviews are the handful placed by hand below). */
const GOOD_LEVELS: [RatingLevel, number][] = [
  ['very_satisfied', 0.86],
  ['satisfied', 0.105],
  ['basic', 0.035]
]

export interface HistoryInput {
  station: StationDoc
  calendarYears: readonly CalendarYear[]
  staff: readonly Staff[]
  services: readonly ServiceItem[]
  /** History covers the `days` Shanghai days before the day of `now` (today itself is left alone). */
  now: Date
  seed?: number
  days?: number
  casesPerWorkingDay?: number
}

/**
 * The rating function's rollup version this history writes (cloudfunctions/rating/rollups.ts,
 * not imported here: it loads the SDK, and the starter and the tests' cloud load this file; the
 * unit test checks the two agree). A stored day of an older version is computed again by the
 * dashboard, so the demo writes the current one: the figures of rollupDay, plus each officer's
 * finished cases and handling time, and each emergency's accept minutes.
 */
export const ROLLUP_VERSION = 2

export interface HistoryRollup extends RollupDoc {
  version: number
  work: OfficerWork[]
  acceptMinutes: number[]
}

/** The documents, per collection. */
export interface DemoHistory {
  appointments: AppointmentDoc[]
  requests: RequestDoc[]
  ratings: RatingDoc[]
  followUps: FollowUpDoc[]
  questions: QuestionDoc[]
  ratingRollups: HistoryRollup[]
  rosters: RosterDoc[]
}

/* ---------- randomness and time, fast and deterministic ---------- */

/** mulberry32: a tiny seeded generator, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

class Dice {
  constructor(readonly next: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)] as T
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    const total = pairs.reduce((s, [, w]) => s + w, 0)
    let x = this.next() * total
    for (const [v, w] of pairs) {
      if (x < w) return v
      x -= w
    }
    return (pairs[pairs.length - 1] as readonly [T, number])[0]
  }
  /** A log-normal draw with the given median (spread: the sigma of the log). */
  lognormal(median: number, spread: number): number {
    const u = Math.max(this.next(), 1e-9)
    const v = this.next()
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    return median * Math.exp(spread * z)
  }
  shuffle<T>(list: T[]): T[] {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      const t = list[i] as T
      list[i] = list[j] as T
      list[j] = t
    }
    return list
  }
  token(length: number, alphabet = '0123456789abcdefghijklmnopqrstuvwxyz'): string {
    let s = ''
    for (let i = 0; i < length; i++) s += alphabet[Math.floor(this.next() * alphabet.length)]
    return s
  }
}

/**
 * Retention as the daily purge applies it (cloudfunctions/_shared/retention.ts, which loads the
 * SDK and so is not imported here: the starter and the tests' cloud load this file; the unit test
 * checks these equal the purge's own).
 */
export const HISTORY_RETENTION_DAYS = 180
export const HISTORY_ERASED = '（已清除）'
const RETENTION_DAYS = HISTORY_RETENTION_DAYS
const ERASED = HISTORY_ERASED

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const SHANGHAI = 8 * HOUR

/* The same text as types/time.ts gives, without dayjs: tens of thousands of timestamps. */
const shanghaiIso = (t: number) => new Date(t + SHANGHAI).toISOString()
const dateOf = (t: number): LocalDate => shanghaiIso(t).slice(0, 10)
const dateTimeOf = (t: number): string => {
  const s = shanghaiIso(t)
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`
}
const at = (date: LocalDate, time: LocalTime): number => Date.parse(`${date}T${time}:00+08:00`)
/** types/time.ts addDays without dayjs (a year has few distinct answers: kept). */
const plusDays = (date: LocalDate, n: number): LocalDate => {
  const key = `${date}|${n}`
  let out = plusDaysMemo.get(key)
  if (out === undefined) {
    out = new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10)
    plusDaysMemo.set(key, out)
  }
  return out
}
const plusDaysMemo = new Map<string, LocalDate>()
const minuteOfDay = (t: number) => Math.floor(((t + SHANGHAI) % DAY) / MINUTE)

/** Ids as the functions derive them (_shared/db.ts digestId / idempotentId). */
const digestId = (prefix: string, text: string) =>
  `${prefix}-${createHash('sha256').update(text).digest('hex').slice(0, 24)}`

/** An applicant without an ID number, as protect.ts `personKey` keys them (account and name). */
const accountPersonKey = (openid: string, name: string) =>
  `ac-${createHmac('sha256', 'account-person')
    .update(`${openid}|${name.normalize('NFKC').replace(/\s+/g, '')}`)
    .digest('hex')
    .slice(0, 32)}`

const HEX = '0123456789abcdef'

/** Splits `total` over `weights` in whole numbers that sum exactly to it (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0)
  const raw = weights.map((w) => (sum ? (total * w) / sum : 0))
  const out = raw.map(Math.floor)
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (let k = 0, left = total - out.reduce((s, x) => s + x, 0); k < left; k++) {
    const i = (order[k % order.length] as readonly [number, number])[1]
    out[i] = (out[i] as number) + 1
  }
  return out
}

/* ---------- fictional people and words ---------- */

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建华文辉鹏飞志强海燕小红春梅晓东婷婷雪梅丹丹宇航子涵浩然欣怡梓轩思远佳怡建国德华淑珍凤英国庆卫东永红玉梅'
const surnameChars = [...SURNAMES]
const givenChars = [...GIVEN]

function fictionalName(dice: Dice): string {
  const surname = dice.pick(surnameChars)
  const n = dice.chance(0.7) ? 2 : 1
  let given = ''
  for (let i = 0; i < n; i++) given += dice.pick(givenChars)
  return surname + given
}

/** 139 0000 2000–9999: the demo's fictional range (staff hold 139 0000 01xx). */
const fictionalMobile = (dice: Dice) => `1390000${dice.int(2000, 9999)}`

const POSITIVE_KEYS = Object.keys(POSITIVE_TAGS) as RatingTag[]

const GOOD_COMMENTS = [
  '办理很快，民警很耐心',
  '提前预约不用排队，方便',
  '材料一次说清楚，没有多跑',
  '老人腿脚不便，民警主动搬了椅子',
  '周末也能办，给延时服务点赞',
  '解释得很清楚，谢谢',
  '服务热情，效率高',
  '线上预约、现场签到都很顺利'
]
const BASIC_COMMENTS = ['等了一会儿，总体还行', '材料清单可以再写清楚一点', '窗口人多，稍微有点挤']

const APPOINTMENT_NOTES: Partial<Record<ServiceCategory, string[]>> = {
  id_card: ['已受理，约15个工作日后凭回执领证', '已受理，选择邮寄到家', '已受理，临时身份证当场领取'],
  registration: ['户口簿已打印新页', '已办结，户口簿当场交还'],
  correction: ['已受理，待所领导审批后通知本人'],
  certificate: ['证明已当场出具']
}

/* ---------- the plan of bad reviews (a handful, each with its story) ---------- */

interface BadStory {
  /** Working days before today the review was given. */
  daysAgo: number
  /** The service the review is about ('extended': a case in an after-hours slot, any service). */
  service: string
  level: RatingLevel
  tags: (keyof typeof NEGATIVE_TAGS)[]
  comment: string
  end: 'overdue' | 'called' | 'replied' | 'excluded' | RectificationLevel
  callNote: string
  finding: Finding
  rectification: string
  reply: string
  rectificationComment?: string
  excludedReason?: string
}

const BAD_STORIES: BadStory[] = [
  {
    daysAgo: 235,
    service: 'svc-idcard-renew',
    level: 'unsatisfied',
    tags: ['long_wait'],
    comment: '到了预约时间，又等了快一个小时才轮到',
    end: 'satisfied',
    callNote: '已电话联系居民，说明当天采集设备故障，向居民致歉',
    finding: 'substantiated',
    rectification: '采集设备加装备用机；设备故障时在大厅公告并逐一告知预约群众',
    reply: '经核实，当天采集设备故障导致延误，已增加备用设备，向您致歉。',
    rectificationComment: '回复及时，态度很好'
  },
  {
    daysAgo: 190,
    service: 'svc-reg-move-in',
    level: 'very_unsatisfied',
    tags: ['repeat_trips', 'unclear_guidance'],
    comment: '网上说带户口簿就行，到了又要结婚证，白跑一趟',
    end: 'satisfied',
    callNote: '回访居民，核实材料清单表述不清，约定次日优先办理',
    finding: 'substantiated',
    rectification: '办事指南“户口迁入”材料清单补充说明结婚证等落户依据；窗口一次性告知',
    reply: '办事指南已补充落户依据材料的说明，已为您优先办结，感谢您的意见。'
  },
  {
    daysAgo: 150,
    service: 'svc-reg-move-out',
    level: 'unsatisfied',
    tags: ['attitude'],
    comment: '窗口民警说话不耐烦',
    end: 'basic',
    callNote: '回访居民，了解当时情况；调阅窗口录像',
    finding: 'partly',
    rectification: '对当事民警进行提醒谈话，全所开展文明用语再学习',
    reply: '经调阅录像核实，民警解释时语气生硬，已谈话提醒并组织文明用语学习。',
    rectificationComment: '希望以后注意'
  },
  {
    daysAgo: 100,
    service: 'svc-cert-hukou',
    level: 'very_unsatisfied',
    tags: ['slow'],
    comment: '办个证明要等这么久',
    end: 'excluded',
    callNote: '回访居民，居民表示误选了评价等级',
    finding: 'unsubstantiated',
    rectification: '',
    reply: '',
    excludedReason: '居民回访时说明误选“非常不满意”，实际对办理满意，本人同意剔除'
  },
  {
    daysAgo: 70,
    service: 'extended',
    level: 'unsatisfied',
    tags: ['long_wait', 'slow'],
    comment: '午休延时窗口只有一个人，排队很久',
    end: 'unsatisfied',
    callNote: '回访居民，说明午间延时时段仅一名值班民警',
    finding: 'partly',
    rectification: '午间延时时段预约名额调整为按实际值班人数开放，并在预约页提示',
    reply: '午间延时的预约名额已按值班人数调整，预约页会提示等候情况。',
    rectificationComment: '还是希望多开一个窗口'
  },
  {
    daysAgo: 38,
    service: 'svc-idcard-temporary',
    level: 'unsatisfied',
    tags: ['unclear_guidance'],
    comment: '不知道临时身份证要另外拍照',
    end: 'satisfied',
    callNote: '回访居民，解释临时身份证需单独拍照的规定',
    finding: 'partly',
    rectification: '办事指南“临时居民身份证”步骤中写明需现场拍照；窗口张贴提示',
    reply: '指南已写明临时身份证需现场拍照，谢谢您的提醒。'
  },
  {
    daysAgo: 21,
    service: 'svc-reg-birth',
    level: 'unsatisfied',
    tags: ['repeat_trips'],
    comment: '出生登记少带了材料，又跑了一趟',
    end: 'replied',
    callNote: '回访居民，核实当天材料告知情况',
    finding: 'partly',
    rectification: '出生登记改为预约成功后推送完整材料清单，窗口首次接待一次性告知',
    reply: '已改为预约后推送完整材料清单，请您对整改情况作出评价。'
  },
  {
    daysAgo: 6,
    service: 'svc-idcard-renew',
    level: 'very_unsatisfied',
    tags: ['long_wait', 'attitude'],
    comment: '排了一个小时，问了两遍都说再等等',
    end: 'called',
    callNote: '已回访居民，致歉并了解等候情况，正在核实当天排队记录',
    finding: 'substantiated',
    rectification: '',
    reply: ''
  },
  {
    daysAgo: 3,
    service: 'svc-cert-hukou',
    level: 'unsatisfied',
    tags: ['slow'],
    comment: '户籍证明开了半个小时',
    end: 'overdue',
    callNote: '',
    finding: 'partly',
    rectification: '',
    reply: ''
  }
]

/* ---------- questions residents ask ---------- */

const QUESTIONS: [string, string | undefined, string][] = [
  [
    '身份证还有两个月到期，现在可以换吗？',
    '居民身份证换领',
    '有效期满前三个月内即可换领，可在小程序预约后带原证到窗口办理。'
  ],
  [
    '孩子出生一个多月了还没上户口，现在还能办吗？',
    '出生登记',
    '可以办理，请带出生医学证明、父母身份证和户口簿、结婚证到窗口，当场办结。'
  ],
  [
    '在外地工作，身份证丢了能在当地补办吗？',
    '居民身份证补领',
    '可以在工作地公安机关异地补领，无需回本所，补领后原证作废。'
  ],
  [
    '买了房想把户口迁过来，需要什么材料？',
    '户口迁入',
    '需本人身份证、原户籍地户口簿、不动产权证书，符合落户条件的5个工作日内办结。'
  ],
  [
    '开户籍证明需要本人去吗？',
    '户籍证明开具',
    '可委托他人办理，受托人带委托书、双方身份证和户口簿即可，当场出具。'
  ],
  [
    '老人卧床不能来拍照，身份证怎么办？',
    undefined,
    '可以申请上门服务，所领导会安排民警上门采集，请在小程序“上门服务”提交申请。'
  ],
  [
    '户口本上出生日期写错了，怎么改？',
    '户口登记项目更正',
    '请带户口簿、身份证和出生医学证明等原始材料到窗口申请，核实后10个工作日内办结。'
  ],
  ['周末可以办身份证吗？', undefined, '周六、周日上午有值班民警提供延时服务，可在小程序预约“周末值班”时段。'],
  [
    '家里老人去世了，注销户口要带什么？',
    '死亡注销户口',
    '请带死亡医学证明、死者户口簿和身份证、申报人身份证，火化急需的可走绿色通道。'
  ],
  [
    '孩子改名字需要什么条件？',
    '姓名变更登记',
    '未满18周岁由父母申请，需说明正当理由并提供证明材料，经所领导审批后办理。'
  ],
  [
    '临时身份证多久能拿到？',
    '临时居民身份证',
    '临时身份证当场领取，有效期三个月，需在申领正式身份证的同时办理。'
  ],
  ['户口迁出一定要回来办吗？', '户口迁出', '跨省迁移已实行“一站式”办理，在迁入地直接办理即可，无需回本所。']
]

/* ---------- the generator ---------- */

interface WorkingDay {
  date: LocalDate
  info: DayInfo
}

/** Whether the window serves on a day: the holiday table, Monday–Friday where it is unpublished. */
function isWorking(info: DayInfo): boolean {
  return info.status === 'working' || (info.status === 'unpublished' && isoWeekday(info.date) <= 5)
}

/** The roster days that cover an instant (the rota of the day before runs into the morning). */
function onDuty(stationId: string, t: number): string[] {
  // Shifts start and end on the half hour: one answer per station and half hour.
  const key = `${stationId}|${Math.floor(t / (30 * MINUTE))}`
  let ids = dutyCache.get(key)
  if (!ids) {
    ids = onDutyAt(demoRosterDays(plusDays(dateOf(t), -1), 2), stationId, t)
    dutyCache.set(key, ids)
  }
  return ids
}
const dutyCache = new Map<string, string[]>()

/** How busy a working day is, before noise: Mondays and days after a holiday are the busiest. */
function dayWeight(date: LocalDate, afterRest: number): number {
  const weekday = [1.15, 1.05, 1, 0.95, 0.9, 1, 1][isoWeekday(date) - 1] as number
  const month = Number(date.slice(5, 7))
  const season = month === 1 || month === 2 ? 1.12 : month === 7 || month === 8 ? 1.08 : 1
  return weekday * season * (afterRest >= 3 ? 1.25 : 1)
}

/** Minutes a case takes at the window, by business type. */
const SERVICE_MINUTES: Record<ServiceCategory, [number, number]> = {
  id_card: [8, 15],
  certificate: [5, 12],
  registration: [10, 25],
  correction: [15, 35],
  consultation: [3, 10]
}

/** Within a category, which service (the guide's own items), by share. */
const SERVICE_SHARE: Record<string, number> = {
  'svc-idcard-renew': 0.58,
  'svc-idcard-first': 0.16,
  'svc-idcard-replace': 0.2,
  'svc-idcard-temporary': 0.06,
  'svc-reg-birth': 0.16,
  'svc-reg-move-in': 0.38,
  'svc-reg-move-out': 0.3,
  'svc-reg-death': 0.16,
  'svc-corr-items': 0.62,
  'svc-corr-name': 0.38
}

const REQUEST_MIX: Record<RequestKind, [RequestCategory, number][]> = {
  emergency: [
    ['death_cremation', 0.45],
    ['temp_id_travel', 0.3],
    ['temp_id_medical', 0.2],
    ['other', 0.05]
  ],
  after_hours: [
    ['id_card', 0.5],
    ['certificate', 0.2],
    ['registration', 0.25],
    ['other', 0.05]
  ],
  home_visit: [
    ['id_card', 0.8],
    ['certificate', 0.15],
    ['other', 0.05]
  ]
}

const REQUEST_WORDS: Record<RequestCategory, string[]> = {
  death_cremation: ['父亲凌晨去世，殡仪馆要求办理死亡登记后火化', '母亲病故，明天火化，需要注销户口'],
  temp_id_travel: ['明早的航班，身份证丢了，急需临时身份证', '出差乘高铁，身份证过期，需要临时身份证'],
  temp_id_medical: ['家人住院手术，身份证丢失，医院要求证件', '孩子看病需要身份证，原证损坏'],
  id_card: ['上班时间走不开，想中午办理身份证换领', '在外地上班，只有周末回来，想办身份证'],
  certificate: ['单位要户籍证明，工作日没空', '孩子上学要开户籍证明，只能午休过来'],
  registration: ['工作日上班，想傍晚办理户口迁入', '想周末办理出生登记'],
  other: ['想咨询一下户口方面的事情', '有些户籍材料想当面问问']
}

const HOME_ADDRESSES = [
  '城关镇人民路',
  '城关镇东门街',
  '城关镇滨河路',
  '城关镇新华巷',
  '城关镇北山村',
  '城关镇桥头组'
]

/** Generates the demo year. */
export function demoHistory(input: HistoryInput): DemoHistory {
  const dice = new Dice(mulberry32(input.seed ?? DEMO_HISTORY_SEED))
  const st = input.station
  const stationName = st.shortName ?? st.name
  const calendar = new Calendar(input.calendarYears)
  const now = input.now.getTime()
  const today = dateOf(now)
  const first = addDays(today, -(input.days ?? 365))
  const yesterday = addDays(today, -1)
  const mine = input.staff.filter((s) => s.stationId === st._id && s.active)
  const officers = mine.filter((s) => s.role === 'officer')
  const leaders = mine.filter((s) => s.role === 'leader')
  const supervisors = input.staff.filter(
    (s) => s.role === 'supervisor' && (!s.stationId || s.stationId === st._id)
  )
  const staffById = new Map(input.staff.map((s) => [s._id, s]))
  const nameOf = (id: string) => staffById.get(id)?.name ?? id
  const anyOfficer = officers[0]
  const anyLeader = leaders[0] ?? anyOfficer
  if (!anyLeader || !anyOfficer) throw new Error('demo history: the station needs officers and a leader')
  const leader: Staff = anyLeader
  const firstOfficer: Staff = anyOfficer
  const services = input.services.filter((s) => s.stationId === st._id)
  const acceptLimit = st.requestAcceptMinutes ?? DEFAULT_ACCEPT_MINUTES
  const serviceById = new Map(services.map((s) => [s._id, s]))
  const materialsMemo = new Map<string, AppointmentDoc['materials']>()

  /* the days */
  const days: { date: LocalDate; info: DayInfo }[] = []
  for (let d = first; d <= yesterday; d = addDays(d, 1)) days.push({ date: d, info: calendar.day(d) })
  const working: (WorkingDay & { weight: number })[] = []
  let restRun = 0
  for (const d of days) {
    if (!isWorking(d.info)) {
      restRun++
      continue
    }
    working.push({ ...d, weight: dayWeight(d.date, restRun) * (0.9 + 0.2 * dice.next()) })
    restRun = 0
  }

  const requests = makeRequests()
  const total = Math.round((input.casesPerWorkingDay ?? DEMO_CASES_PER_WORKING_DAY) * working.length)
  const appointments = makeAppointments(total - requests.filter((r) => r.status === 'done').length)
  const ratings = makeRatings()
  const followUps = makeBadReviews()
  const questions = makeQuestions()
  const rosters = demoRosterDays(addDays(first, -1), days.length).map((d): RosterDoc => ({
    ...d,
    updatedAt: new Date(at(addDays(d.date, -14), '10:00'))
  }))
  return {
    appointments,
    requests,
    ratings,
    followUps,
    questions,
    ratingRollups: rollups(),
    rosters
  }

  /* ---------- requests: green channel, after hours, home visits ---------- */

  function makeRequests(): RequestDoc[] {
    const out: RequestDoc[] = []
    const scale = days.length / 365
    for (const kind of Object.keys(REQUESTS_PER_YEAR) as RequestKind[]) {
      const n = Math.round(REQUESTS_PER_YEAR[kind] * scale)
      for (let i = 0; i < n; i++) {
        const created = requestTime(kind)
        if (created >= now) continue
        out.push(request(kind, dice.weighted(REQUEST_MIX[kind]), created, i))
      }
    }
    return out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
  }

  /** When a request comes in: emergencies any hour (mostly by day), after-hours outside office hours. */
  function requestTime(kind: RequestKind): number {
    if (kind === 'after_hours') {
      const weekend = dice.chance(0.35)
      const pool = days.filter((d) => isWorking(d.info) !== weekend)
      const day = dice.pick(pool.length ? pool : days).date
      return at(
        day,
        `${String(dice.int(7, 21)).padStart(2, '0')}:${String(dice.int(0, 59)).padStart(2, '0')}`
      )
    }
    const day = dice.pick(kind === 'home_visit' ? working : days).date
    const hour = kind === 'home_visit' ? dice.int(8, 17) : dice.weighted(HOURS)
    return at(day, `${String(hour).padStart(2, '0')}:${String(dice.int(0, 59)).padStart(2, '0')}`)
  }

  function request(kind: RequestKind, category: RequestCategory, created: number, i: number): RequestDoc {
    const openid = `demo-h-rq-${kind}-${i}`
    const requestId = dice.token(16)
    const recipients = firstRecipients(created)
    const contactName = fictionalName(dice)
    const mobile = fictionalMobile(dice)
    const base: RequestDoc = {
      _id: digestId('rq', `${openid}:${requestId}`),
      openid,
      requestId,
      stationId: st._id,
      kind,
      category,
      description: dice.pick(REQUEST_WORDS[category]),
      contactName,
      mobile,
      ...(kind === 'after_hours' ? { wantedAt: new Date(created + dice.int(1, 3) * DAY) } : {}),
      ...(kind === 'home_visit'
        ? {
            address: `${dice.pick(HOME_ADDRESSES)}${dice.int(1, 120)}号`,
            wantedAt: new Date(created + 2 * DAY)
          }
        : {}),
      status: 'submitted',
      createdAt: new Date(created),
      updatedAt: new Date(created),
      alertedStaffIds: recipients,
      escalations: [{ round: 0, at: new Date(created), staffIds: recipients, names: recipients.map(nameOf) }],
      escalationRound: 0,
      nextEscalationAt: new Date(created + acceptLimit * MINUTE)
    }
    const limit = acceptLimit * MINUTE
    // How long until someone takes it: mostly minutes, at night longer, now and then past the limit.
    const night = minuteOfDay(created) < 7 * 60 || minuteOfDay(created) >= 22 * 60
    const wait =
      Math.max(1, Math.round(dice.lognormal(kind === 'emergency' ? (night ? 14 : 6) : 25, 0.7))) * MINUTE
    let doc = base
    for (let round = 1; round * limit <= wait && created + round * limit <= now; round++) {
      const atRound = created + round * limit
      const staff = [
        leader._id,
        ...officers.map((o) => o._id).filter((id) => !doc.alertedStaffIds.includes(id))
      ]
      doc = {
        ...doc,
        escalationRound: round,
        escalations: [
          ...doc.escalations,
          { round, at: new Date(atRound), staffIds: staff, names: staff.map(nameOf) }
        ],
        alertedStaffIds: [...new Set([...doc.alertedStaffIds, ...staff])],
        nextEscalationAt: new Date(atRound + limit),
        updatedAt: new Date(atRound)
      }
    }
    const acceptedAt = created + wait
    if (acceptedAt >= now) return doc
    const seen = { seenAt: new Date(created + Math.min(wait, dice.int(1, 5) * MINUTE)) }
    const taker = staffById.get(
      dice.pick(doc.alertedStaffIds.filter((id) => staffById.get(id)?.role !== 'supervisor'))
    )
    const by = taker ?? leader
    const who = { staffId: by._id, name: by.name }
    if (kind !== 'home_visit' && dice.chance(0.015))
      return {
        ...doc,
        ...seen,
        status: 'declined',
        declinedBy: who,
        declineReason: '所需材料不全，无法当场办理',
        alternative: '请备齐材料后预约窗口办理，或拨打值班电话咨询',
        nextEscalationAt: null,
        updatedAt: new Date(acceptedAt)
      }
    const visitOfficer = dice.pick(officers)
    const agreed =
      kind === 'home_visit'
        ? at(dateOf(acceptedAt + dice.int(1, 3) * DAY), `${dice.pick(['09', '10', '15', '16'])}:00`)
        : acceptedAt + dice.int(15, 90) * MINUTE
    const accepted: RequestDoc = {
      ...doc,
      ...seen,
      status: 'accepted',
      acceptedBy: kind === 'home_visit' ? { staffId: leader._id, name: leader.name } : who,
      acceptedAt: new Date(acceptedAt),
      agreedAt: new Date(agreed),
      place: kind === 'home_visit' ? (doc.address ?? '') : dice.pick(['户政窗口', '派出所值班室']),
      ...(kind === 'home_visit'
        ? { assignedTo: { staffId: visitOfficer._id, name: visitOfficer.name } }
        : {}),
      nextEscalationAt: null,
      updatedAt: new Date(acceptedAt)
    }
    const done = agreed + dice.int(10, 45) * MINUTE
    if (done >= now) return accepted
    const handler = accepted.assignedTo ?? accepted.acceptedBy ?? who
    const finished: RequestDoc = {
      ...accepted,
      status: 'done',
      doneBy: handler,
      doneAt: new Date(done),
      ...(dice.chance(0.5) ? { doneNote: '已办结，感谢配合' } : {}),
      updatedAt: new Date(done)
    }
    return purgeRequest(finished)
  }

  /** Retention: a closed request's contact, description and address erased at the first purge after 180 days. */
  function purgeRequest(r: RequestDoc): RequestDoc {
    const purgedAt = purgeRunAfter(r.createdAt.getTime() + RETENTION_DAYS * DAY)
    if (purgedAt > now) return r
    const { address: _address, ...rest } = r
    return {
      ...rest,
      contactName: ERASED,
      mobile: '',
      description: ERASED,
      purgedAt: new Date(purgedAt)
    } as RequestDoc
  }

  /** Staff alerted at submit: whoever the rota has on duty, else the leader. */
  function firstRecipients(t: number): string[] {
    const ids = onDuty(st._id, t).filter((id) => staffById.get(id)?.role !== 'supervisor')
    return ids.length ? ids : leaders.map((l) => l._id)
  }

  /* ---------- window cases ---------- */

  function makeAppointments(count: number): AppointmentDoc[] {
    const requestDone = requests.filter((r) => r.status === 'done')
    const categories = Object.keys(SEED_YEARLY_CASES) as (keyof typeof SEED_YEARLY_CASES)[]
    const byRequests = (c: BusinessType) =>
      requestDone.filter((r) => businessOfRequest(r.category) === c).length
    // Targets of the whole (appointments and requests) in the seed's proportions; requests take their share.
    const whole = apportion(
      count + requestDone.length,
      categories.map((c) => SEED_YEARLY_CASES[c])
    ).map((n, i) => Math.max(0, n - byRequests(categories[i] as BusinessType)))
    const perCategory = apportion(count, whole)
    const labels: ServiceItem[] = []
    categories.forEach((c, i) => {
      const list = services.filter((s) => s.category === c)
      if (list.length === 0) return
      const split = apportion(
        perCategory[i] as number,
        list.map((s) => SERVICE_SHARE[s._id] ?? 1)
      )
      list.forEach((s, k) => {
        for (let n = 0; n < (split[k] as number); n++) labels.push(s)
      })
    })
    dice.shuffle(labels)
    const perDay = apportion(
      labels.length,
      working.map((d) => d.weight)
    )
    const codes = new Set<string>()
    const out: AppointmentDoc[] = []
    let next = 0
    working.forEach((day, i) => {
      const slots = daySlots(
        st,
        day.info.status === 'working' ? day.info : { ...day.info, status: 'working' }
      )
      const regular = new Map<string, SlotDef[]>()
      for (const s of slots)
        if (s.kind === 'regular') regular.set(s.resource, [...(regular.get(s.resource) ?? []), s])
      const extended = slots.filter((s) => s.kind === 'extended')
      for (let k = 0; k < (perDay[i] as number); k++) {
        const svc = labels[next++] as ServiceItem
        const pool = extended.length && dice.chance(0.08) ? extended : (regular.get(svc.resource) ?? slots)
        if (pool.length === 0) continue
        out.push(appointment(svc, dice.pick(pool), codes, out.length))
      }
    })
    out.push(...residentsOwn(codes))
    return out
  }

  function newCode(codes: Set<string>): string {
    for (;;) {
      const code = dice.token(6, '23456789ABCDEFGHJKMNPQRSTWXYZ')
      if (!codes.has(code)) {
        codes.add(code)
        return code
      }
    }
  }

  /** Who serves at the window: the officers most, the leader now and then; the on-duty officer after hours. */
  function windowOfficer(slot: SlotDef): Staff {
    if (slot.kind === 'extended') {
      const id = onDuty(st._id, slot.startsAt.getTime()).find((x) => staffById.get(x)?.role === 'officer')
      return (id && staffById.get(id)) || firstOfficer
    }
    return dice.weighted([
      ...officers.map((o, i) => [o, i === 0 ? 0.48 : 0.37 / Math.max(1, officers.length - 1)] as const),
      [leader, 0.15] as const
    ])
  }

  function appointment(
    svc: ServiceItem,
    slot: SlotDef,
    codes: Set<string>,
    n: number,
    who?: { openid: string; name: string; mobile: string }
  ): AppointmentDoc {
    const openid = who?.openid ?? `demo-h-${String(n % 24_000).padStart(5, '0')}`
    const requestId = dice.token(16)
    const name = who?.name ?? fictionalName(dice)
    // The demo resident's key is the function's own (she may book again); the others only need to be
    // distinct, and a drawn key costs a fraction of an HMAC over thirty thousand cases.
    const person = who ? accountPersonKey(openid, name) : `ac-${dice.token(32, HEX)}`
    const start = slot.startsAt.getTime()
    const created = at(
      plusDays(slot.date, -dice.int(1, 7)),
      `${String(dice.int(7, 22)).padStart(2, '0')}:${String(dice.int(0, 59)).padStart(2, '0')}`
    )
    const checkedIn = start - dice.int(0, 25) * MINUTE
    const started = Math.max(checkedIn, start - 5 * MINUTE) + Math.round(dice.lognormal(6, 0.8)) * MINUTE
    const [lo, hi] = SERVICE_MINUTES[svc.category]
    const finished = started + dice.int(lo, hi) * MINUTE
    const officer = windowOfficer(slot)
    const notes = APPOINTMENT_NOTES[svc.category]
    const doc: AppointmentDoc = {
      _id: who ? digestId('ap', `${openid}:${requestId}`) : `ap-${dice.token(24, HEX)}`,
      openid,
      stationId: st._id,
      place: stationName,
      serviceId: svc._id,
      serviceName: svc.name,
      slotId: slot._id,
      date: slot.date,
      start: slot.start,
      end: slot.end,
      startsAt: new Date(start),
      kind: slot.kind,
      ...(slot.label ? { label: slot.label } : {}),
      resource: slot.resource,
      code: newCode(codes),
      status: 'done',
      dayKey: `${person}|${slot.date}`,
      personKey: person,
      applicant: {
        name,
        mobile: who?.mobile ?? fictionalMobile(dice),
        relation: who
          ? 'self'
          : dice.weighted([
              ['self', 0.82],
              ['child', 0.1],
              ['parent', 0.05],
              ['spouse', 0.03]
            ])
      },
      materials: materialsOf(svc),
      consentAt: new Date(created),
      createdAt: new Date(created),
      updatedAt: new Date(finished),
      requestId,
      checkedInAt: new Date(checkedIn),
      checkedInBy: officer._id,
      startedAt: new Date(started),
      startedBy: officer._id,
      finishedAt: new Date(finished),
      finishedBy: officer._id,
      ...(notes && dice.chance(0.6) ? { note: dice.pick(notes) } : {})
    }
    // Retention: the applicant's name and mobile erased at the first purge after 180 days.
    const purgedAt = at(plusDays(slot.date, RETENTION_DAYS + 1), '03:15')
    if (purgedAt <= now) {
      doc.applicant.name = ERASED
      doc.applicant.mobile = ''
      doc.purgedAt = new Date(purgedAt)
    }
    return doc
  }

  /**
   * The service's materials as a booking copies them: one list per service, shared by its cases
   * (the local cloud copies a document before it changes it, so nothing writes through it).
   */
  function materialsOf(svc: ServiceItem): AppointmentDoc['materials'] {
    let list = materialsMemo.get(svc._id)
    if (!list) {
      list = svc.materials.map((m) => ({
        name: m.name,
        required: m.required,
        ...(m.note ? { note: m.note } : {})
      }))
      materialsMemo.set(svc._id, list)
    }
    return list
  }

  /** 王阿姨 (the demo resident) came twice: a certificate last spring, an ID card renewal in the autumn. */
  function residentsOwn(codes: Set<string>): AppointmentDoc[] {
    const wang = { openid: 'demo-resident-wang', name: '王桂英', mobile: '13900000201' }
    const out: AppointmentDoc[] = []
    const plan: [number, string][] = [
      [160, 'svc-cert-hukou'],
      [40, 'svc-idcard-renew']
    ]
    for (const [ago, serviceId] of plan) {
      const day = working[working.length - ago]
      const svc = serviceById.get(serviceId)
      if (!day || !svc) continue
      const slot = daySlots(st, { ...day.info, status: 'working' }).find(
        (s) => s.kind === 'regular' && s.resource === svc.resource && s.start === '09:30'
      )
      if (slot) out.push(appointment(svc, slot, codes, 0, wang))
    }
    return out
  }

  /* ---------- ratings ---------- */

  function makeRatings(): RatingDoc[] {
    const out: RatingDoc[] = []
    for (const a of appointments) {
      const own = a.openid === 'demo-resident-wang'
      if (!own && !dice.chance(RATED_SHARE.appointment)) continue
      const officer = staffById.get(a.finishedBy ?? '')
      const svc = serviceById.get(a.serviceId)
      const rated = (a.finishedAt as Date).getTime() + ratingDelay()
      if (rated >= now) continue
      out.push(
        rating({
          caseKind: 'appointment',
          caseId: a._id,
          caseType: APPOINTMENT_CASE_TYPE,
          openid: a.openid,
          serviceName: a.serviceName,
          business: businessOfService(svc?.category),
          officer,
          finishedAt: a.finishedAt as Date,
          ratedAt: rated,
          level: own ? 'very_satisfied' : goodLevel(officer),
          ...(own ? { comment: '民警很耐心，一次就办好了' } : {})
        })
      )
    }
    for (const r of requests) {
      if (r.status !== 'done' || !dice.chance(RATED_SHARE.request)) continue
      const handler = r.assignedTo ?? r.acceptedBy ?? r.doneBy
      const officer = handler ? staffById.get(handler.staffId) : undefined
      const rated = (r.doneAt as Date).getTime() + ratingDelay()
      if (rated >= now) continue
      out.push(
        rating({
          caseKind: 'request',
          caseId: r._id,
          caseType: KIND_LABELS[r.kind],
          openid: r.openid,
          serviceName: REQUEST_CATEGORIES[r.category],
          business: businessOfRequest(r.category),
          officer,
          finishedAt: r.doneAt as Date,
          ratedAt: rated,
          level: dice.chance(0.93) ? 'very_satisfied' : 'satisfied'
        })
      )
    }
    return out
  }

  /** Most rate when the invite arrives, some that evening, a few days later. */
  function ratingDelay(): number {
    const x = dice.next()
    if (x < 0.6) return dice.int(3, 120) * MINUTE
    if (x < 0.85) return dice.int(2, 10) * HOUR
    return dice.int(1, 5) * DAY + dice.int(0, 600) * MINUTE
  }

  function goodLevel(officer: Staff | undefined): RatingLevel {
    // The second officer's cases draw a few more 满意 and 基本满意 than the first's: a table worth reading.
    const shift = officer && officers.indexOf(officer) > 0 ? 0.04 : 0
    return dice.weighted(
      GOOD_LEVELS.map(([l, p]) => [l, l === 'very_satisfied' ? p - shift : p + shift / 2] as const)
    )
  }

  function rating(c: {
    caseKind: 'appointment' | 'request'
    caseId: string
    caseType: string
    openid: string
    serviceName: string
    business: BusinessType
    officer: Staff | undefined
    finishedAt: Date
    ratedAt: number
    level: RatingLevel
    comment?: string
    tags?: RatingTag[]
  }): RatingDoc {
    const good = !isBadLevel(c.level)
    const tags =
      c.tags ??
      (good && dice.chance(c.level === 'very_satisfied' ? 0.55 : 0.3)
        ? dice.shuffle([...POSITIVE_KEYS]).slice(0, dice.int(1, 3))
        : [])
    const comment =
      c.comment ??
      (c.level === 'basic' && dice.chance(0.5)
        ? dice.pick(BASIC_COMMENTS)
        : good && dice.chance(0.12)
          ? dice.pick(GOOD_COMMENTS)
          : undefined)
    return {
      _id: `rt-${c.caseKind === 'appointment' ? 'a' : 'r'}-${c.caseId}`,
      caseKind: c.caseKind,
      caseId: c.caseId,
      caseType: c.caseType,
      openid: c.openid,
      requestId: dice.token(16),
      stationId: st._id,
      stationName,
      ...(c.officer ? { officerStaffId: c.officer._id, officerName: c.officer.name } : {}),
      serviceName: c.serviceName,
      businessType: c.business,
      businessTypeText: BUSINESS_TYPES[c.business],
      level: c.level,
      levelText: LEVEL_TEXT[c.level],
      score: LEVEL_SCORE[c.level],
      bad: !good,
      tags,
      tagTexts: tags.map((t) => RATING_TAGS[t]),
      ...(comment ? { comment } : {}),
      ratedAt: new Date(c.ratedAt),
      ratedAtLocal: dateTimeOf(c.ratedAt),
      ratedDate: dateOf(c.ratedAt),
      finishedAt: c.finishedAt,
      excluded: false
    }
  }

  /* ---------- the handful of bad reviews and their follow-ups ---------- */

  function makeBadReviews(): FollowUpDoc[] {
    const out: FollowUpDoc[] = []
    const ratingIndex = new Map(ratings.map((r, i) => [r._id, i]))
    const taken = new Set<string>()
    for (const story of BAD_STORIES) {
      const day = working[working.length - story.daysAgo]
      if (!day) continue
      // A case of that day finished early enough to be rated that day, by an officer.
      const candidates = appointments.filter(
        (x) =>
          x.date === day.date &&
          !taken.has(x._id) &&
          x.openid !== 'demo-resident-wang' &&
          (x.finishedAt as Date).getTime() < at(day.date, '16:00') &&
          staffById.get(x.finishedBy ?? '')?.role === 'officer'
      )
      const a =
        candidates.find((x) =>
          story.service === 'extended'
            ? x.kind === 'extended' && x.start < '14:30'
            : x.serviceId === story.service
        ) ?? candidates[0]
      if (!a) continue
      taken.add(a._id)
      const ratedAt = (a.finishedAt as Date).getTime() + dice.int(20, 90) * MINUTE
      if (ratedAt >= now) continue
      const officer = staffById.get(a.finishedBy ?? '')
      const review = rating({
        caseKind: 'appointment',
        caseId: a._id,
        caseType: APPOINTMENT_CASE_TYPE,
        openid: a.openid,
        serviceName: a.serviceName,
        business: businessOfService(serviceById.get(a.serviceId)?.category),
        officer,
        finishedAt: a.finishedAt as Date,
        ratedAt,
        level: story.level,
        comment: story.comment,
        tags: story.tags
      })
      // The contact as it stood at the review (before any purge of the appointment).
      const contact = a.purgedAt
        ? { contactName: fictionalName(dice), mobile: fictionalMobile(dice) }
        : { contactName: a.applicant.name, mobile: a.applicant.mobile }
      const { doc: f, rating: r } = followUp(
        story,
        { ...review, followUpId: followUpIdOf(review._id) },
        contact
      )
      const i = ratingIndex.get(r._id)
      if (i === undefined) ratings.push(r)
      else ratings[i] = r
      out.push(f)
    }
    return out
  }

  /** The follow-up of one bad review, taken through the steps its story tells (the domain's own steps). */
  function followUp(
    story: BadStory,
    review: RatingDoc,
    contact: { contactName: string; mobile: string }
  ): { doc: FollowUpDoc; rating: RatingDoc } {
    const ratedAt = review.ratedAt.getTime()
    let f = newFollowUp(review, contact, calendar, review.ratedAt)
    let r: RatingDoc = { ...review, followUpStatusText: FOLLOW_UP_STATUS_TEXT.open }
    const actor = { role: leader.role, name: leader.name }
    const advance = <P extends Partial<FollowUpDoc>>(step: { kind: string; patch?: P }) => {
      if (step.kind === 'advance' && step.patch) f = { ...f, ...step.patch }
      r = { ...r, followUpStatusText: FOLLOW_UP_STATUS_TEXT[f.status] }
    }
    if (story.end === 'overdue') {
      // Nobody called back in time: the hourly timer told the supervisors once the deadline passed.
      const escalatedAt = nextHourlyRun(f.callbackDueAt.getTime())
      if (escalatedAt < now)
        f = {
          ...f,
          escalatedStages: ['callback'],
          escalations: [
            {
              stage: 'callback',
              at: new Date(escalatedAt),
              atLocal: dateTimeOf(escalatedAt),
              names: supervisors.map((s) => s.name)
            }
          ],
          updatedAt: new Date(escalatedAt)
        }
      return { doc: f, rating: r }
    }
    // The leader calls back in office hours: that afternoon when the review came early, else the
    // next working day's morning (the deadline's day).
    const soon = ratedAt + dice.int(60, 150) * MINUTE
    const called =
      minuteOfDay(soon) < 17 * 60 + 30 && dateOf(soon) === dateOf(ratedAt)
        ? soon
        : at(dateOf(f.callbackDueAt.getTime() - 1), '09:00') + dice.int(0, 120) * MINUTE
    advance(callBackStep(f, actor, story.callNote, new Date(called)))
    if (story.end === 'called') return { doc: f, rating: r }
    if (story.end === 'excluded') {
      const t = new Date((f.calledBackAt as Date).getTime() + 2 * HOUR)
      const step = excludeReviewStep(r, actor, story.excludedReason ?? '', t)
      if (step.kind === 'exclude') r = { ...r, ...step.patch }
      f = { ...f, ...followUpExclusion(story.excludedReason ?? '', t).patch }
      r = { ...r, followUpStatusText: FOLLOW_UP_STATUS_TEXT.excluded }
      return { doc: purgeFollowUp(f), rating: r }
    }
    // The reply a week or so later, on a working day in office hours (well before its deadline).
    let replyDay = dateOf(called + dice.int(4, 9) * DAY)
    while (!isWorking(calendar.day(replyDay))) replyDay = plusDays(replyDay, 1)
    const replied = new Date(
      Math.min(f.replyDueAt.getTime() - DAY, at(replyDay, '10:00') + dice.int(0, 360) * MINUTE)
    )
    advance(
      replyStep(
        f,
        actor,
        { finding: story.finding, rectification: story.rectification, reply: story.reply },
        replied
      )
    )
    if (story.end === 'replied') return { doc: f, rating: r }
    const level = story.end
    const ratedBack = new Date(replied.getTime() + dice.int(1, 3) * DAY)
    advance(
      rateRectificationStep(
        f,
        f.openid,
        { level, ...(story.rectificationComment ? { comment: story.rectificationComment } : {}) },
        ratedBack
      )
    )
    r = { ...r, ...(f.rectificationText ? { rectificationText: f.rectificationText } : {}) }
    return { doc: purgeFollowUp(f), rating: r }
  }

  /** Retention: a finished follow-up's contact erased at the first purge after 180 days from the review. */
  function purgeFollowUp(f: FollowUpDoc): FollowUpDoc {
    const purgedAt = purgeRunAfter(
      Math.max(f.ratedAt.getTime() + RETENTION_DAYS * DAY, f.updatedAt.getTime())
    )
    if (purgedAt > now) return f
    const { contactName: _c, mobileMasked: _m, ...rest } = f
    return { ...rest, purgedAt: new Date(purgedAt) } as FollowUpDoc
  }

  /* ---------- online questions ---------- */

  function makeQuestions(): QuestionDoc[] {
    const out: QuestionDoc[] = []
    const n = Math.round((QUESTIONS_PER_YEAR * days.length) / 365)
    for (let i = 0; i < n; i++) {
      const day = dice.pick(days).date
      const t = at(
        day,
        `${String(dice.weighted(HOURS)).padStart(2, '0')}:${String(dice.int(0, 59)).padStart(2, '0')}`
      )
      const q = question(t, `q${i}`, true)
      if (q) out.push(q)
    }
    // Two still waiting: one nobody has opened yet, one in hand.
    const waiting = question(now - 95 * MINUTE, 'open-1', false)
    const inHand = question(now - 26 * HOUR, 'open-2', false)
    if (inHand) {
      const owner = staffById.get(inHand.alertedStaffIds[0] ?? '') ?? firstOfficer
      const step = openStep(inHand, actor(owner), new Date(inHand.createdAt.getTime() + 40 * MINUTE))
      out.push(step.kind === 'advance' ? { ...inHand, ...step.patch } : inHand)
    }
    if (waiting) out.push(waiting)
    return out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
  }

  function actor(s: Staff): QuestionActor {
    return { _id: s._id, name: s.name, role: s.role, ...(s.stationId ? { stationId: s.stationId } : {}) }
  }

  function question(t: number, key: string, answer: boolean): QuestionDoc | null {
    if (t >= now) return null
    const [text, serviceName, reply] = dice.pick(QUESTIONS)
    const openid = `demo-h-qs-${key}`
    const requestId = dice.token(16)
    const alerted = firstRecipients(t)
    let q: QuestionDoc = {
      _id: digestId('qs', `qs:${openid}:${requestId}`),
      openid,
      requestId,
      stationId: st._id,
      question: text,
      ...(serviceName ? { serviceName } : {}),
      status: 'asked',
      statusText: QUESTION_STATUS_TEXT.asked,
      createdAt: new Date(t),
      createdAtLocal: dateTimeOf(t),
      updatedAt: new Date(t),
      alertedStaffIds: alerted,
      owners: []
    }
    if (!answer) return q
    // Opened by the first to look: in minutes by day, the next morning when asked late at night.
    const m = minuteOfDay(t)
    const opened =
      m >= 22 * 60 || m < 7 * 60
        ? at(m >= 22 * 60 ? dateOf(t + DAY) : dateOf(t), '08:00') + dice.int(0, 50) * MINUTE
        : t + Math.round(dice.lognormal(12, 0.9)) * MINUTE
    if (opened >= now) return q
    const first = staffById.get(firstRecipients(opened)[0] ?? '') ?? firstOfficer
    const open = openStep(q, actor(first), new Date(opened))
    if (open.kind !== 'advance') return q
    q = { ...q, ...open.patch }
    let owner = first
    let answeredAt = opened + Math.round(dice.lognormal(25, 0.8)) * MINUTE
    if (dice.chance(0.1) && leader && leader._id !== first._id) {
      // Handed on to the leader: a policy question beyond the window's routine.
      const handed = opened + dice.int(5, 30) * MINUTE
      const step = transferStep(
        q,
        actor(first),
        actor(leader),
        { toStaffId: leader._id, reason: '涉及落户政策，转所领导答复' },
        new Date(handed)
      )
      if (step.kind === 'advance') {
        q = { ...q, ...step.patch }
        owner = leader
        answeredAt = handed + dice.int(30, 240) * MINUTE
      }
    }
    if (answeredAt >= now) return q
    const done = answerStep(q, actor(owner), reply, new Date(answeredAt))
    return done.kind === 'advance' ? { ...q, ...done.patch } : q
  }

  /* ---------- the daily rollups the dashboard reads ---------- */

  function rollups(): HistoryRollup[] {
    const bucket = <T>(list: readonly T[], when: (x: T) => Date | LocalDate | undefined) => {
      const map = new Map<LocalDate, T[]>()
      for (const x of list) {
        const d = when(x)
        if (!d) continue
        const key = typeof d === 'string' ? d : dateOf(d.getTime())
        const l = map.get(key)
        if (l) l.push(x)
        else map.set(key, [x])
      }
      return (date: LocalDate) => map.get(date) ?? []
    }
    const ratedOn = bucket(ratings, (r) => r.ratedDate)
    // A window case finishes on its slot's day (the last slot ends at 19:00).
    const finishedOn = bucket(
      appointments.filter((a) => a.status === 'done'),
      (a) => a.date
    )
    const doneOn = bucket(
      requests.filter((r) => r.status === 'done'),
      (r) => r.doneAt
    )
    const acceptedOn = bucket(
      requests.filter((r) => r.kind === 'emergency'),
      (r) => r.acceptedAt
    )
    const askedOn = bucket(questions, (q) => q.createdAt)
    const openedOn = bucket(questions, (q) => q.firstOpenedAt)
    const answeredOn = bucket(questions, (q) => q.answeredAt)
    // The year before the history, empty, as the dashboard saves the days it first reads (its
    // comparison with last year): stored now, so the first dashboard of the year need not count them.
    const emptyYear = Array.from({ length: 366 }, (_, i) => plusDays(first, i - 366))
    return [...emptyYear, ...days.map((d) => d.date)].map((date) => ({
      ...rollupDay({
        stationId: st._id,
        stationName,
        date,
        ratings: ratedOn(date).map((r): RatingFacts => ({
          level: r.level,
          excluded: r.excluded,
          ...(r.officerStaffId ? { officerStaffId: r.officerStaffId, officerName: r.officerName ?? '' } : {}),
          serviceName: r.serviceName
        })),
        finished: [
          ...finishedOn(date).map((a) => ({
            business: businessOfService(serviceById.get(a.serviceId)?.category)
          })),
          ...doneOn(date).map((r) => ({ business: businessOfRequest(r.category) }))
        ],
        emergencies: acceptedOn(date).map((e) => ({
          createdAt: e.createdAt,
          acceptedAt: e.acceptedAt as Date
        })),
        acceptLimitMinutes: acceptLimit,
        questionsAsked: askedOn(date).map((q) => ({ createdAt: q.createdAt })),
        questionsOpened: openedOn(date).map((q) => ({
          createdAt: q.createdAt,
          firstOpenedAt: q.firstOpenedAt as Date
        })),
        questionsAnswered: answeredOn(date).map((q) => ({
          createdAt: q.createdAt,
          answeredAt: q.answeredAt as Date
        })),
        // The hourly timer last rolled a day up at 23:05 the day after (it redoes yesterday and today).
        now: new Date(
          date < first ? lastHourlyRun(now) : Math.min(at(addDays(date, 1), '23:05'), lastHourlyRun(now))
        )
      }),
      version: ROLLUP_VERSION,
      work: officerWork([
        ...finishedOn(date).map((a) => ({
          staffId: a.finishedBy,
          start: a.startedAt?.getTime(),
          end: (a.finishedAt as Date).getTime()
        })),
        ...doneOn(date).map((r) => ({
          staffId: r.doneBy?.staffId,
          name: r.doneBy?.name,
          start: r.acceptedAt?.getTime(),
          end: (r.doneAt as Date).getTime()
        }))
      ]),
      acceptMinutes: acceptedOn(date)
        .map((e) =>
          Math.max(0, Math.floor(((e.acceptedAt as Date).getTime() - e.createdAt.getTime()) / MINUTE))
        )
        .sort((a, b) => a - b)
    }))
  }

  /** What each officer finished on a day, and the start-to-finish minutes of those timed. */
  function officerWork(
    cases: readonly { staffId?: string; name?: string; start?: number; end: number }[]
  ): OfficerWork[] {
    const map = new Map<string, OfficerWork>()
    for (const c of cases) {
      if (!c.staffId) continue
      const w = map.get(c.staffId) ?? {
        key: c.staffId,
        label: c.name ?? nameOf(c.staffId),
        finished: 0,
        timed: 0,
        handlingMinutes: 0
      }
      w.finished++
      if (c.start !== undefined && c.start < c.end) {
        w.timed++
        w.handlingMinutes = Math.round((w.handlingMinutes + (c.end - c.start) / MINUTE) * 10) / 10
      }
      map.set(c.staffId, w)
    }
    return [...map.values()].sort((a, b) => b.finished - a.finished || a.key.localeCompare(b.key))
  }
}

/** Hours of the day residents ask or call, weighted (few at night, most in office hours). */
const HOURS: [number, number][] = Array.from({ length: 24 }, (_, h) => [
  h,
  h < 6 ? 0.3 : h < 8 ? 1 : h < 12 ? 4 : h < 14 ? 2.5 : h < 18 ? 4 : h < 22 ? 2 : 0.8
])

/** The first daily purge (03:15 Shanghai) strictly after an instant. */
function purgeRunAfter(t: number): number {
  const same = at(dateOf(t), '03:15')
  return same > t ? same : at(addDays(dateOf(t), 1), '03:15')
}

/** The hourly rating timer runs at minute 5: its first run at or after an instant. */
function nextHourlyRun(t: number): number {
  const hour = Math.floor(t / HOUR) * HOUR + 5 * MINUTE
  return hour >= t ? hour : hour + HOUR
}

function lastHourlyRun(t: number): number {
  const hour = Math.floor(t / HOUR) * HOUR + 5 * MINUTE
  return hour <= t ? hour : hour - HOUR
}

/** The documents as one batch for the store, collection by collection. */
export function historyChanges(
  h: DemoHistory
): { coll: keyof DemoHistory; id: string; doc: { _id: string } }[] {
  return (Object.keys(h) as (keyof DemoHistory)[]).flatMap((coll) =>
    (h[coll] as { _id: string }[]).map((doc) => ({ coll, id: doc._id, doc }))
  )
}
