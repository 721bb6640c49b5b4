/**
 * Every collection the cloud needs, with its indexes and security rule. The local cloud creates
 * and enforces exactly these; `npm run export:cloud` writes the same as files to paste into the
 * WeChat console. All client access goes through cloud functions, so every rule denies direct
 * reads and writes from the mini-program.
 *
 * Keyed by the same map as the functions' data layer (`CollectionDocs` in
 * cloudfunctions/_shared/documents.ts): a collection the functions use but not declared here, or
 * declared here but unknown to them, does not typecheck; each seed is typed as its documents.
 */
import type { CollectionDocs, CollectionName } from '../cloudfunctions/_shared/documents'
import { calendarYears } from './seed/calendar'
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
  /** What each field means, for those who read the collection in the cloud console. */
  fields?: Record<string, string>
  /** Demo data loaded into a fresh local database (and importable in the console). */
  seed: T[]
}

const functionsOnly: SecurityRule = { read: false, write: false }

const specs: { [K in CollectionName]: Omit<CollectionSpec<CollectionDocs[K]>, 'name'> } = {
  stations: {
    description: '派出所户政窗口：名称、地址、咨询与监督电话、办公时间',
    indexes: [],
    rule: functionsOnly,
    seed: stations
  },
  services: {
    description: '办事指南事项：所需材料、收费、法定与承诺时限、办理步骤',
    indexes: [{ name: 'station_category_order', keys: { stationId: 1, category: 1, order: 1 } }],
    rule: functionsOnly,
    seed: services
  },
  staff: {
    description: '工作人员：微信身份（OPENID）、角色（民警 / 所领导 / 督察）、所属派出所',
    indexes: [{ name: 'openid_unique', keys: { openid: 1 }, unique: true }],
    rule: functionsOnly,
    seed: staff
  },
  calendars: {
    description: '节假日与调休表：每年一份，来自国务院公布的安排（chinese-days），督察确认后才开放预约',
    indexes: [{ name: 'year_unique', keys: { year: 1 }, unique: true }],
    rule: functionsOnly,
    seed: calendarYears
  },
  closures: {
    description: '窗口临时停办：培训、系统故障等（整天或某个时间段）',
    indexes: [{ name: 'station_date', keys: { stationId: 1, date: 1 } }],
    rule: functionsOnly,
    seed: []
  },
  slots: {
    description: '预约时段：每个时段每类窗口一条，booked 为已约人数，始终等于该时段有效预约数',
    indexes: [{ name: 'station_date', keys: { stationId: 1, date: 1 } }],
    rule: functionsOnly,
    seed: []
  },
  appointments: {
    description:
      '预约：居民（OPENID）、事项、时段、预约码、状态（已预约/已签到/已办结/已取消/未到场）、申请人（手机号与身份证号加密保存）',
    indexes: [
      { name: 'code_unique', keys: { code: 1 }, unique: true },
      { name: 'day_unique', keys: { dayKey: 1 }, unique: true },
      { name: 'openid_starts', keys: { openid: 1, startsAt: 1 } },
      { name: 'station_date_status', keys: { stationId: 1, date: 1, status: 1 } }
    ],
    rule: functionsOnly,
    seed: []
  },
  applicants: {
    description:
      '常用办事人：居民经同意保存的办事人（姓名、手机号、与本人关系；身份证号加密保存、只显示脱敏形式），只有本人可查看和删除，再次预约时一键选用',
    indexes: [{ name: 'openid', keys: { openid: 1 } }],
    rule: functionsOnly,
    fields: {
      openid: '保存者（居民的 OPENID）',
      personKey: '办事人的不可逆标识（见 docs/booking-rules.md）',
      idNumberProtected: '身份证号（加密）',
      idMasked: '身份证号（脱敏）',
      consentAt: '居民同意保存的时间'
    },
    seed: []
  },
  waitlist: {
    description:
      '候补：居民为已约满的时段排队（办事人信息与预约时相同，身份证号加密保存），有人取消或改约腾出名额时，在同一事务中按加入顺序为第一位符合预约规则的候补自动预约并通知；时段预约截止时候补关闭（见 docs/booking-rules.md）',
    indexes: [
      { name: 'slot_status_joined', keys: { slotId: 1, status: 1, joinedAt: 1 } },
      { name: 'openid_created', keys: { openid: 1, createdAt: -1 } }
    ],
    rule: functionsOnly,
    fields: {
      openid: '候补的居民（OPENID）',
      slotId: '候补的时段（slots 中的 _id）',
      personKey: '办事人的不可逆标识（见 docs/booking-rules.md）',
      status:
        '状态：waiting 候补中 / promoted 候补成功 / left 已退出 / expired 截止未成功 / skipped 不符合预约规则未能候补',
      joinedAt: '加入（或重新加入）候补的时间，按此排序',
      closesAt: '候补截止时间（该时段的预约截止时间）',
      appointmentId: '候补成功后自动生成的预约（appointments 中的 _id）',
      reason: '未能候补的原因'
    },
    seed: []
  },
  bookingGuards: {
    description:
      '预约守卫：每位居民一条（_id 由 OPENID 摘要而来，不含 OPENID），居民每次预约都在预约的同一事务中写它：同一居民的两笔预约不会同时提交，“最多同时保留几个预约”在并发下也成立（见 docs/booking-rules.md）',
    indexes: [],
    rule: functionsOnly,
    fields: {
      lastBookingId: '最近一次预约的编号（appointments 中的 _id）',
      updatedAt: '最近一次预约的时间'
    },
    seed: []
  },
  invites: {
    description: '工作人员邀请码：一次性，72小时内有效；角色、派出所、邀请人、使用人（只能由云函数读写）',
    indexes: [{ name: 'code_unique', keys: { code: 1 }, unique: true }],
    rule: functionsOnly,
    seed: []
  },
  rosters: {
    description: '值班表：每个派出所每天一条（_id 为 派出所_日期），各班次的起止时间、值班或备勤、值班人员',
    indexes: [{ name: 'station_date', keys: { stationId: 1, date: 1 } }],
    rule: functionsOnly,
    seed: []
  },
  outbox: {
    description:
      '发件箱：每条订阅消息先记录再发送；状态（待发/发送中/已发/失败）、重试次数、失败原因；也是站内消息',
    indexes: [
      { name: 'dedupe_unique', keys: { dedupeKey: 1 }, unique: true },
      { name: 'status_next', keys: { status: 1, nextAttemptAt: 1 } },
      { name: 'touser_created', keys: { touser: 1, createdAt: -1 } },
      { name: 'ref_template', keys: { 'ref.id': 1, template: 1 } }
    ],
    rule: functionsOnly,
    seed: []
  },
  requestQuotas: {
    description:
      '居民求助申请的限额：每位居民一条（_id 由 OPENID 摘要而来），记当天（上海时间）已提交的条数；提交申请时在同一事务中读写，并发提交也不会超过限额',
    indexes: [],
    rule: functionsOnly,
    fields: {
      day: '计数所属的日期（上海时间 YYYY-MM-DD），换日后从 0 重新计数',
      count: '当天已提交的申请条数（上限见 types/requests.ts 的 MAX_REQUESTS_PER_DAY）',
      updatedAt: '最近一次提交的时间'
    },
    seed: []
  },
  grantCounts: {
    description:
      '订阅消息剩余次数：每人每个模板一条（_id 为 OPENID_模板），一次性模板同意一次加一、送达一次减一，长期模板同意后不限次数',
    indexes: [],
    rule: functionsOnly,
    seed: []
  },
  requests: {
    description:
      '急事求助 / 延时服务 / 上门服务：居民（OPENID）、类型、事项、联系人、状态（等待受理/已受理/未能受理/已办结）、约定时间地点、催办记录',
    indexes: [
      { name: 'station_status_created', keys: { stationId: 1, status: 1, createdAt: -1 } },
      { name: 'openid_created', keys: { openid: 1, createdAt: -1 } },
      { name: 'status_escalation', keys: { status: 1, nextEscalationAt: 1 } }
    ],
    rule: functionsOnly,
    seed: []
  },
  ratings: {
    description:
      '政务服务“好差评”：每项办结的业务（预约或急事求助/延时/上门）一条评价（_id 为 rt-类型-业务编号）。字段平铺、自带文字，可在控制台直接筛选阅读；差评（不满意、非常不满意）另见 followUps',
    fields: {
      caseKind: '业务类型代码：appointment 预约办理 / request 急事求助、延时服务、上门服务',
      caseId: '被评价业务的编号（appointments 或 requests 中的 _id）',
      caseType: '业务类型（文字）：预约办理 / 绿色通道 / 延时服务 / 上门服务',
      openid: '评价人的微信身份（OPENID）；工作人员视图与导出均不含',
      stationId: '派出所编号',
      stationName: '派出所名称',
      officerStaffId: '办理民警的工作人员编号',
      officerName: '办理民警',
      serviceName: '办理事项',
      businessType:
        '业务大类代码（id_card 身份证 / certificate 户籍证明 / registration 户口登记迁移 / correction 更正 / consultation 咨询 / other 其他）',
      businessTypeText: '业务大类（文字）',
      level: '评价等级代码：very_satisfied / satisfied / basic / unsatisfied / very_unsatisfied',
      levelText: '评价等级：非常满意 / 满意 / 基本满意 / 不满意 / 非常不满意',
      score: '分值：非常满意 5 … 非常不满意 1',
      bad: '是否差评（不满意、非常不满意）',
      tags: '评价标签代码',
      tagTexts: '评价标签（文字），如 一张笑脸、等候时间长',
      comment: '评价内容（居民填写，可为空）',
      ratedAt: '评价时刻（UTC 时刻）',
      ratedAtLocal: '评价时间（北京时间，文字）',
      ratedDate: '评价日期（北京时间），日汇总按此归日',
      finishedAt: '业务办结时刻',
      followUpId: '差评回访整改记录编号（followUps）',
      followUpStatusText: '差评处理进度（文字）',
      rectificationText: '居民对整改的评价：满意 / 基本满意 / 不满意',
      excluded: '是否已剔除（恶意或误评，不计入满意率）',
      excludedReason: '剔除理由',
      excludedBy: '剔除人',
      excludedAtLocal: '剔除时间（北京时间）'
    },
    indexes: [
      { name: 'station_date', keys: { stationId: 1, ratedDate: 1 } },
      { name: 'officer_date', keys: { officerStaffId: 1, ratedDate: 1 } },
      { name: 'date_level', keys: { ratedDate: 1, levelText: 1 } },
      { name: 'bad_date', keys: { bad: 1, ratedDate: 1 } },
      { name: 'openid_rated', keys: { openid: 1, ratedAt: -1 } }
    ],
    rule: functionsOnly,
    seed: []
  },
  followUps: {
    description:
      '差评回访整改：每条差评一条（_id 为 fu-评价编号）。所领导1个工作日内回访、15个工作日内核实整改并答复，居民再评价整改；逾期提醒督察。期限按节假日表计算',
    fields: {
      ratingId: '对应的评价编号（ratings）',
      status: '进度代码：open 待回访 / called 已回访 / replied 已答复 / closed 已办结 / excluded 已剔除',
      statusText: '进度（文字）',
      stationId: '派出所编号',
      stationName: '派出所名称',
      officerName: '被评价的办理民警',
      serviceName: '办理事项',
      levelText: '差评等级',
      comment: '居民的评价内容',
      mobileMasked: '居民联系电话（掩码；完整号码只在所领导回访时从业务记录读取并留痕）',
      callbackDueAt: '回访期限（时刻）',
      callbackDueLocal: '回访期限（北京时间）',
      replyDueAt: '答复期限（时刻）',
      replyDueLocal: '答复期限（北京时间）',
      deadlineProvisional: '期限跨入尚未发布节假日安排的年份，暂按周一至周五计算',
      calledBackAtLocal: '回访时间（北京时间）',
      callNote: '回访记录',
      findingText: '核实结论',
      rectification: '整改措施',
      reply: '给居民的答复',
      repliedAtLocal: '答复时间（北京时间）',
      rectificationText: '居民对整改的评价',
      escalations: '逾期提醒督察的记录（环节、时间）'
    },
    indexes: [
      { name: 'station_status', keys: { stationId: 1, status: 1 } },
      { name: 'status_callback_due', keys: { status: 1, callbackDueAt: 1 } },
      { name: 'status_reply_due', keys: { status: 1, replyDueAt: 1 } }
    ],
    rule: functionsOnly,
    seed: []
  },
  ratingRollups: {
    description:
      '好差评与窗口业务量日汇总：每个派出所每天一条（_id 为 派出所_日期），由 rating 云函数定时（每小时）重算昨天和今天，重算结果相同',
    fields: {
      date: '日期（北京时间）',
      stationName: '派出所名称',
      total: '有效评价数（不含剔除）',
      very_satisfied: '非常满意 条数',
      satisfied: '满意 条数',
      basic: '基本满意 条数',
      unsatisfied: '不满意 条数',
      very_unsatisfied: '非常不满意 条数',
      satisfactionRate: '满意率 %（非常满意 + 满意 + 基本满意）/ 有效评价数',
      averageScore: '平均分（1–5）',
      excluded: '剔除的评价数',
      byOfficer: '按民警：条数与分值合计',
      byService: '按事项：条数与分值合计',
      volumes: '当天办结的业务量，按业务大类',
      visitors: '当天办结的业务合计（预约与急事求助、延时、上门）',
      emergency: '当天受理的绿色通道：件数、受理用时合计与最长（分钟）、限时内受理件数',
      questions: '在线咨询：当天提出、答复的件数与首次响应、答复用时合计（分钟）',
      work: '按民警：当天办结件数、有办理用时的件数与办理用时合计（分钟）',
      acceptMinutes: '当天每件绿色通道的受理用时（分钟，升序；看板据此算中位数）',
      version: '汇总格式的版本：低于当前版本的日汇总在看板读取时重算',
      computedAtLocal: '计算时间（北京时间）'
    },
    indexes: [
      { name: 'station_date', keys: { stationId: 1, date: 1 } },
      { name: 'date', keys: { date: 1 } }
    ],
    rule: functionsOnly,
    seed: []
  },
  feedback: {
    description:
      '意见簿 / 警民联系箱：居民的意见建议、投诉、表扬（可匿名：匿名时不留姓名电话），所领导回复，居民在“我的评价与留言”看到回复',
    fields: {
      openid: '留言居民的微信身份（只用于居民查看自己的留言；工作人员看不到）',
      requestId: '小程序提交时的请求编号（重复提交返回同一条留言）',
      stationId: '派出所编号',
      kind: '类别代码：suggestion 意见建议 / complaint 投诉 / praise 表扬',
      kindText: '类别（文字）',
      content: '留言内容',
      anonymous: '是否匿名（匿名时不保存姓名、电话）',
      contactName: '联系人姓名（非匿名且填写时才有）',
      mobile: '联系电话（非匿名且填写时才有；所领导查看即记入查阅记录 audit）',
      status: '状态代码：submitted 待回复 / replied 已回复',
      statusText: '状态（文字）',
      createdAt: '留言时刻（UTC 时刻）',
      createdAtLocal: '留言时间（北京时间，文字）',
      alertedStaffIds: '收到新留言提醒的所领导（工作人员编号）',
      reply: '所领导的回复（居民可见）',
      repliedAt: '回复时刻',
      repliedAtLocal: '回复时间（北京时间）',
      repliedBy: '回复人（工作人员编号、姓名）'
    },
    indexes: [
      { name: 'station_status_created', keys: { stationId: 1, status: 1, createdAt: -1 } },
      { name: 'openid_created', keys: { openid: 1, createdAt: -1 } }
    ],
    rule: functionsOnly,
    seed: []
  },
  questions: {
    description:
      '在线咨询（首问责任）：居民提问，第一个打开的民警即为负责人，答复前不得推诿，转交须指定新的负责人并写明理由；记录首次响应与答复用时',
    fields: {
      openid: '提问居民的微信身份（只用于居民查看自己的咨询；工作人员看不到）',
      requestId: '小程序提交时的请求编号（重复提交返回同一条咨询）',
      stationId: '派出所编号',
      question: '咨询内容',
      serviceName: '所咨询的办理事项（可为空）',
      status: '状态代码：asked 等待民警查看 / owned 民警正在答复 / answered 已答复',
      statusText: '状态（文字）',
      createdAt: '提问时刻（UTC 时刻）',
      createdAtLocal: '提问时间（北京时间，文字）',
      alertedStaffIds: '提问时收到提醒的值班民警（无人值班时为所领导）',
      ownerStaffId: '现在的负责人（首问责任人）工作人员编号；第一个打开的民警或所领导',
      owner: '现在的负责人（编号、姓名）',
      owners: '历任负责人：第一个打开的人，以及每次转交（新负责人、时间、理由、转交人）',
      firstOpenedAt: '首次打开（首问）时刻',
      firstOpenedAtLocal: '首次打开时间（北京时间）',
      firstResponseMinutes: '首次响应用时（分钟）：提问到首次打开',
      answer: '答复内容（居民可见）',
      answeredAt: '答复时刻',
      answeredAtLocal: '答复时间（北京时间）',
      answeredBy: '答复人（编号、姓名）',
      answerMinutes: '答复用时（分钟）：提问到答复'
    },
    indexes: [
      { name: 'station_status_created', keys: { stationId: 1, status: 1, createdAt: -1 } },
      { name: 'openid_created', keys: { openid: 1, createdAt: -1 } },
      { name: 'owner_status', keys: { ownerStaffId: 1, status: 1 } }
    ],
    rule: functionsOnly,
    seed: []
  },
  audit: {
    description:
      '个人信息查阅记录：工作人员每次收到含居民个人信息的回复（今日预约与签到办理、求助申请的查看与受理、评价与差评回访、实名意见、站内提醒）记一条——谁（工作人员编号、角色）、查看了哪些记录（只记编号，不记个人信息）、何时（时刻与北京时间）、哪个派出所（跨所查看时 stationIds 列出各所）',
    indexes: [
      { name: 'station_at', keys: { stationId: 1, at: -1 } },
      { name: 'staff_at', keys: { staffId: 1, at: -1 } }
    ],
    rule: functionsOnly,
    seed: []
  },
  dailyRuns: {
    description:
      '每天一次的定时任务的运行记录：每个任务每天一条（_id 为 任务-日期，如 purge-2026-11-28，上海日期）。notify 定时器在 03:15 之后第一次运行时先登记再清除到期个人信息，两次重叠的运行不会在同一天重复清除',
    fields: {
      job: '任务代码：purge 清除保存期满的居民个人信息',
      date: '任务所属的日期（上海时间 YYYY-MM-DD）',
      status: '状态代码：running 正在运行 / done 已完成',
      startedAt: '开始（登记）时刻',
      startedAtLocal: '开始时间（北京时间）',
      finishedAt: '完成时刻',
      finishedAtLocal: '完成时间（北京时间）',
      report: '清除条数（只有数字）：预约、求助申请、意见簿、差评回访',
      takeovers: '中途失败的运行被后来的运行接手的次数'
    },
    indexes: [{ name: 'job_date', keys: { job: 1, date: -1 } }],
    rule: functionsOnly,
    seed: []
  },
  queueCounters: {
    description:
      '取号叫号：每个派出所每天每个队列一条（_id 为 派出所_日期_队列字母，如 st-yunxi-chengguan_20261130_A），记最后发出的号和当天每个号的状态（等候、已叫号、办理中、已办结、过号、已转队列），取号、叫号都在读写它的事务中进行，号码连续不重复；居民查询进度和大厅屏幕只读这一条（见 docs/queue.md）',
    fields: {
      lastSeq: '当天这个队列已发出的最后一个号（序号）',
      entries:
        '当天的号：序号、类型（walk_in 现场取号 / appointment 预约签到）、状态、叫号次数、窗口、被插队次数、各时刻（毫秒）；持号人只存不可逆摘要',
      recentMinutes: '最近办结的几个号各用了多少分钟（估算等候时间用）'
    },
    indexes: [{ name: 'station_date', keys: { stationId: 1, date: 1 } }],
    rule: functionsOnly,
    seed: []
  },
  queueTickets: {
    description:
      '取号叫号的每一个号（_id 为 队列当天编号_序号）：持号居民（OPENID，用于发通知）、类型、状态、窗口、取号/叫号/开始办理/办结时刻，供统计每天每个队列的等候时间',
    fields: {
      number: '号码（如 A001）',
      kind: '类型：walk_in 现场或线上取号 / appointment 预约签到后进入队列',
      status:
        '状态：waiting 等候 / called 已叫号 / serving 办理中 / done 已办结 / no_show 过号 / transferred 已转到其他队列',
      takenAt: '取号（或签到进入队列）时刻',
      calledAt: '最近一次叫号时刻',
      startedAt: '开始办理时刻',
      finishedAt: '办结时刻',
      appointmentId: '预约签到进入队列时，对应的预约（appointments 中的 _id）'
    },
    indexes: [
      { name: 'station_date_line', keys: { stationId: 1, date: 1, line: 1 } },
      { name: 'openid_date', keys: { openid: 1, date: -1 } }
    ],
    rule: functionsOnly,
    seed: []
  },
  prereviews: {
    description:
      '材料预审：居民（OPENID）为某事项拍照上传的材料，逐项审核结果（合格 / 需补正及原因），可关联一个预约；照片只存文件 ID，办结后30天连同文件一并清除（docs/materials-and-cards.md）',
    fields: {
      openKey:
        '进行中时为 open|OPENID|事项|预约，结束后为 ended|_id：唯一索引保证同一事项同一预约只有一份进行中的预审',
      status: '状态：draft 待提交 / submitted 待审核 / returned 需补正 / passed 已通过 / withdrawn 已撤回',
      round: '提交次数',
      rev: '修订号：每次修改都以读到的修订号为条件，防止并发覆盖',
      items: '材料项：名称、说明、是否必需、照片（文件 ID、大小）、审核结论与原因',
      firstOutcome: '首次审核结果（passed / returned），用于统计首审通过率',
      returnedCount: '退回补正的次数',
      endedAt: '办理结束时刻（预约办结、取消、未到场，撤回，或未关联预约且30天无操作）',
      purgedAt: '照片与原因已清除的时刻'
    },
    indexes: [
      { name: 'open_unique', keys: { openKey: 1 }, unique: true },
      { name: 'station_status_submitted', keys: { stationId: 1, status: 1, submittedAt: 1 } },
      { name: 'openid_updated', keys: { openid: 1, updatedAt: -1 } },
      { name: 'appointment', keys: { appointmentId: 1 } },
      { name: 'ended_purged', keys: { endedAt: 1, purgedAt: 1 } }
    ],
    rule: functionsOnly,
    seed: []
  },
  idCards: {
    description:
      '制证进度：窗口受理的每一张居民身份证（_id 由派出所和受理编号生成）：受理编号、进度（已受理 / 制证中 / 已到所可领取 / 已领取 / 已寄出）及每一步的时间和民警、持证人（姓名和身份证号加密保存、只显示脱敏形式）、关注进度的居民（OPENID）、领取方式（到所领取 / 邮寄，邮寄地址加密保存）；领取或寄出90天后清除姓名与地址（见 docs/materials-and-cards.md）',
    fields: {
      receipt: '受理编号（去掉空格和连字符、字母大写）',
      status: '进度：accepted 已受理 / making 制证中 / ready 已到所可领取 / picked_up 已领取 / posted 已寄出',
      stages: '每一步的时刻（at）和办理民警（by，工作人员 _id）；批量更新时还有批次号（batch）',
      holderKey: '持证人身份证号的不可逆标识（居民凭受理编号和身份证号关注时比对）',
      openid: '关注进度的居民（OPENID）：预约签到受理时为预约人，现场受理后居民凭受理编号和身份证号关注',
      delivery: '领取方式：pickup 到所领取 / post 邮寄',
      addressProtected: '邮寄地址（收件人、手机号、地区、详细地址，加密）',
      addressMasked: '邮寄地址（脱敏）',
      tracking: '快递单号',
      addressLockedAt: '民警查看完整地址写面单的时刻（此后居民不能在线更改地址和领取方式）',
      endedAt: '领取或寄出的时刻（保留期从此起算）',
      purgedAt: '姓名与地址已清除的时刻'
    },
    indexes: [
      { name: 'station_receipt', keys: { stationId: 1, receipt: 1 } },
      { name: 'receipt_holder', keys: { receipt: 1, holderKey: 1 } },
      { name: 'openid_created', keys: { openid: 1, createdAt: -1 } },
      { name: 'station_status_updated', keys: { stationId: 1, status: 1, updatedAt: -1 } },
      { name: 'ended_purged', keys: { endedAt: 1, purgedAt: 1 } },
      { name: 'created_purged', keys: { createdAt: 1, purgedAt: 1 } }
    ],
    rule: functionsOnly,
    seed: []
  },
  cardFollowQuotas: {
    description: '制证进度关注次数：每个居民每天凭受理编号和身份证号核对的次数（防止猜号）；两天后删除',
    indexes: [{ name: 'updated', keys: { updatedAt: 1 } }],
    rule: functionsOnly,
    seed: []
  }
}

/**
 * The same declarations as a list, in the order above: what the local cloud creates and
 * `npm run export:cloud` writes out.
 */
export const collections: CollectionSpec[] = Object.entries(specs).map(([name, spec]) => ({ name, ...spec }))
