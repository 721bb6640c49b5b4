/**
 * Every collection the cloud needs, with its indexes and security rule. The local cloud creates
 * and enforces exactly these; `npm run export:cloud` writes the same as files to paste into the
 * WeChat console. All client access goes through cloud functions, so every rule denies direct
 * reads and writes from the mini-program.
 */
import type { CalendarYear } from '../types/appointment'
import type { Station, ServiceItem } from '../types/guide'
import { calendarYears } from './seed/calendar'
import type { Staff } from '../types/staff'
import { stations } from './seed/stations'
import { services } from './seed/services'
import { staff } from './seed/staff'

export interface IndexSpec {
  name: string
  /** Field → 1 (ascending) or -1 (descending), in order. */
  keys: Record<string, 1 | -1>
  unique?: boolean
}

export interface SecurityRule {
  read: boolean | string
  write: boolean | string
}

export interface CollectionSpec<T = unknown> {
  name: string
  description: string
  indexes: IndexSpec[]
  rule: SecurityRule
  /** Demo data loaded into a fresh local database (and importable in the console). */
  seed: T[]
}

const functionsOnly: SecurityRule = { read: false, write: false }

export const collections: CollectionSpec[] = [
  {
    name: 'stations',
    description: '派出所户政窗口：名称、地址、咨询与监督电话、办公时间',
    indexes: [],
    rule: functionsOnly,
    seed: stations satisfies Station[]
  },
  {
    name: 'services',
    description: '办事指南事项：所需材料、收费、法定与承诺时限、办理步骤',
    indexes: [{ name: 'station_category_order', keys: { stationId: 1, category: 1, order: 1 } }],
    rule: functionsOnly,
    seed: services satisfies ServiceItem[]
  },
  {
    name: 'staff',
    description: '工作人员：微信身份（OPENID）、角色（民警 / 所领导 / 督察）、所属派出所',
    indexes: [{ name: 'openid_unique', keys: { openid: 1 }, unique: true }],
    rule: functionsOnly,
    seed: staff satisfies Staff[]
  },
  {
    name: 'calendars',
    description: '节假日与调休表：每年一份，来自国务院公布的安排（chinese-days），督察确认后才开放预约',
    indexes: [{ name: 'year_unique', keys: { year: 1 }, unique: true }],
    rule: functionsOnly,
    seed: calendarYears satisfies CalendarYear[]
  },
  {
    name: 'closures',
    description: '窗口临时停办：培训、系统故障等（整天或某个时间段）',
    indexes: [{ name: 'station_date', keys: { stationId: 1, date: 1 } }],
    rule: functionsOnly,
    seed: []
  },
  {
    name: 'slots',
    description: '预约时段：每个时段每类窗口一条，booked 为已约人数，始终等于该时段有效预约数',
    indexes: [{ name: 'station_date', keys: { stationId: 1, date: 1 } }],
    rule: functionsOnly,
    seed: []
  },
  {
    name: 'appointments',
    description: '预约：居民（OPENID）、事项、时段、预约码、状态（已预约/已签到/已办结/已取消/未到场）、申请人（手机号与身份证号加密保存）',
    indexes: [
      { name: 'code_unique', keys: { code: 1 }, unique: true },
      { name: 'day_unique', keys: { dayKey: 1 }, unique: true },
      { name: 'openid_starts', keys: { openid: 1, startsAt: 1 } },
      { name: 'station_date_status', keys: { stationId: 1, date: 1, status: 1 } }
    ],
    rule: functionsOnly,
    seed: []
  },
  {
    name: 'invites',
    description: '工作人员邀请码：一次性，72小时内有效；角色、派出所、邀请人、使用人（只能由云函数读写）',
    indexes: [{ name: 'code_unique', keys: { code: 1 }, unique: true }],
    rule: functionsOnly,
    seed: []
  },
  {
    name: 'rosters',
    description: '值班表：每个派出所每天一条（_id 为 派出所_日期），各班次的起止时间与值班人员',
    indexes: [{ name: 'station_date', keys: { stationId: 1, date: 1 } }],
    rule: functionsOnly,
    seed: []
  },
  {
    name: 'outbox',
    description: '发件箱：每条订阅消息先记录再发送；状态（待发/发送中/已发/失败）、重试次数、失败原因；也是站内消息',
    indexes: [
      { name: 'dedupe_unique', keys: { dedupeKey: 1 }, unique: true },
      { name: 'status_next', keys: { status: 1, nextAttemptAt: 1 } },
      { name: 'touser_created', keys: { touser: 1, createdAt: -1 } }
    ],
    rule: functionsOnly,
    seed: []
  },
  {
    name: 'grantCounts',
    description: '订阅消息剩余次数：每人每个模板一条（_id 为 OPENID_模板），一次性模板同意一次加一、送达一次减一，长期模板同意后不限次数',
    indexes: [],
    rule: functionsOnly,
    seed: []
  },
  {
    name: 'requests',
    description: '急事求助 / 延时服务 / 上门服务：居民（OPENID）、类型、事项、联系人、状态（等待受理/已受理/未能受理/已办结）、约定时间地点、催办记录',
    indexes: [
      { name: 'station_status_created', keys: { stationId: 1, status: 1, createdAt: -1 } },
      { name: 'openid_created', keys: { openid: 1, createdAt: -1 } },
      { name: 'status_escalation', keys: { status: 1, nextEscalationAt: 1 } }
    ],
    rule: functionsOnly,
    seed: []
  },
  {
    name: 'audit',
    description: '个人信息查阅记录：工作人员每次查看居民个人信息（今日预约、待办申请）记一条——谁（工作人员编号、角色）、查看了哪些记录（只记编号，不记个人信息）、何时（时刻与北京时间）、哪个派出所',
    indexes: [
      { name: 'station_at', keys: { stationId: 1, at: -1 } },
      { name: 'staff_at', keys: { staffId: 1, at: -1 } }
    ],
    rule: functionsOnly,
    seed: []
  }
]
