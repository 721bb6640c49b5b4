/**
 * Error codes shared by every function. A code never changes meaning once shipped;
 * the message is the default Chinese text shown to a resident.
 */
export const ERROR_MESSAGES = {
  INVALID_INPUT: '填写的信息有误，请检查后再试',
  UNKNOWN_ACTION: '暂不支持这项操作，请更新小程序后再试',
  NOT_FOUND: '没有找到相关内容，可能已下线',
  UNAUTHENTICATED: '请在微信中打开后再试',
  // Also the answer for another station's data (the station-scope rule: OUT_OF_STATION_MESSAGE below).
  FORBIDDEN: '您没有权限进行此操作',
  INTERNAL: '系统繁忙，请稍后再试',
  NETWORK: '网络连接失败，请检查网络后再试',
  BUSY: '现在办理的人较多，请稍等片刻再试',
  TIMER_ONLY: '这项操作只能由系统定时执行',
  // 预约服务
  SLOT_FULL: '这个时段已约满，请选择其他时段',
  SLOT_PAST: '这个时间已经过去了，请选择其他时间',
  SLOT_CLOSED: '这个时段窗口暂停服务，请选择其他时段',
  OUTSIDE_WINDOW: '不在可预约的日期范围内',
  CALENDAR_UNPUBLISHED: '该日期的节假日安排尚未发布，暂不开放预约',
  TOO_LATE: '预约时间太近，请选择稍晚的时段',
  SUSPENDED: '由于多次预约未到场，在线预约已暂停',
  ONE_PER_DAY: '同一天只能有一个预约',
  TOO_MANY_ACTIVE: '同时保留的预约已达上限',
  ACCOUNT_DAILY_LIMIT: '这个微信号当天的预约已达上限',
  TOO_MANY_APPLICANTS: '常用办事人已达上限，请先删除不再需要的',
  NOT_CHANGEABLE: '这个预约不能再更改',
  TOO_LATE_TO_CHANGE: '距预约时间太近，不能在线取消或改约，请致电窗口',
  CONSENT_REQUIRED: '请先阅读并同意个人信息使用说明',
  NAME_INVALID: '请填写办事人的姓名（不超过20个字）',
  MOBILE_INVALID: '手机号码应为11位数字，请核对',
  ID_NUMBER_INVALID: '身份证号码有误，请核对后再填',
  NOT_BOOKABLE: '这个事项不需要预约，可直接到窗口办理',
  RATE_LIMITED: '操作太频繁了，请稍等一分钟再试',
  SLOT_NOT_FULL: '这个时段还有空位，请直接预约',
  TOO_MANY_WAITLIST: '同时候补的时段已达上限，请先退出不再需要的候补',
  // 工作人员与值班
  INVITE_UNKNOWN: '邀请码不正确，请核对后再输入',
  INVITE_EXPIRED: '邀请码已过期（有效期72小时），请向所领导重新索取',
  INVITE_USED: '这个邀请码已经用过了，请向所领导重新索取',
  ALREADY_STAFF: '您的微信已绑定工作人员身份，无需再次绑定',
  STAFF_DEACTIVATED: '您的工作人员账号已停用，如需恢复请联系所领导重新邀请',
  // 窗口签到与办理
  CODE_UNKNOWN: '没有找到这个预约码，请核对后再输入',
  ALREADY_CHECKED_IN: '这个预约已经签到过了',
  APPOINTMENT_CANCELLED: '这个预约已经取消，不能签到',
  CHECK_IN_NOT_OPEN: '还没到签到时间，请稍后再签到',
  CHECK_IN_CLOSED: '已过签到时间，不能再签到',
  WRONG_STATUS: '这个预约的状态已经变化，请刷新后再看',
  NO_SHOW_TOO_EARLY: '签到时间还没结束，暂不能标记未到场',
  // 急事求助 / 延时服务 / 上门服务
  REQUEST_TAKEN: '这条申请已由其他民警受理',
  REQUEST_CLOSED: '这条申请已经处理完毕，不能再更改',
  TOO_MANY_OPEN_REQUESTS: '您已有2条申请正在处理，请等待民警联系；情况紧急请直接拨打值班电话',
  TOO_MANY_REQUESTS_TODAY: '您今天提交的申请已达上限，情况紧急请直接拨打值班电话',
  // 好差评、意见簿与在线咨询
  CASE_NOT_FINISHED: '这项业务还没有办结，办结后才能评价',
  ALREADY_RATED: '您已经评价过这项业务了，每项业务只能评价一次',
  TAG_UNKNOWN: '评价标签有误，请从列表中选择',
  COMMENT_TOO_LONG: '评价内容太长了，请控制在300字以内',
  REASON_REQUIRED: '请写明理由（至少5个字）',
  FOLLOW_UP_STEP: '这条差评的处理进度已经变化，请刷新后再看',
  NOT_OWNER: '这条咨询由其他民警负责答复（首问责任），请联系负责的民警',
  QUESTION_ANSWERED: '这条咨询已经答复过了',
  PERIOD_TOO_LONG: '查询的时间段太长，请选择一年以内',
  // 取号与叫号
  QUEUE_CLOSED: '现在不在办公时间，暂不能取号',
  QUEUE_LINE_UNKNOWN: '没有这个办理队列，请重新选择',
  QUEUE_ALREADY_WAITING: '您在这个队列已有号码，请等待叫号',
  QUEUE_EMPTY: '这个队列没有等候的号码了',
  QUEUE_WRONG_STATUS: '这个号码的状态已经变化，请刷新后再看',
  QUEUE_SKIP_TOO_EARLY: '叫号满3次仍未到窗口，才能过号',
  // 材料预审
  PHOTO_TYPE: '只能上传 JPG 或 PNG 格式的照片，请重新拍照或选择照片',
  PHOTO_TOO_BIG: '照片太大了（超过2MB），请重新拍照或选择较小的照片',
  PHOTO_TOO_MANY: '每项材料最多上传3张照片，请先删除不需要的',
  PHOTO_MISSING: '照片没有上传成功，请重新上传',
  PHOTO_NOT_YOURS: '这张照片不属于本次预审，请重新上传',
  PREREVIEW_NOT_EDITABLE: '这项材料现在不能修改（正在审核或已合格）',
  PREREVIEW_INCOMPLETE: '还有材料没有上传照片，请补齐后再提交',
  PREREVIEW_CHANGED: '这次预审的状态已经变化，请刷新后再看',
  REVIEW_INCOMPLETE: '还有材料没有审核，请逐项审核后再提交',
  // 制证进度
  CARD_RECEIPT_INVALID: '受理编号格式不对，应为6到24位字母或数字，请核对受理回执',
  CARD_UNKNOWN: '本所没有这个受理编号，请核对后再输入',
  CARD_STAGE_ORDER: '制证进度只能按顺序推进，这一步现在不能办理',
  CARD_ALREADY_RECORDED: '这个受理编号已经登记过了',
  CARD_BOOKING_NOT_ELIGIBLE: '只有已签到或已办结的本所身份证预约才能登记制证',
  CARD_HOLDER_REQUIRED: '现场受理请填写持证人姓名和身份证号码',
  CARD_NOT_MATCHED: '受理编号或身份证号码不符，请核对受理回执后再试',
  CARD_FOLLOW_LIMIT: '今天核对的次数太多了，请明天再试或到窗口咨询',
  CARD_FOLLOWED_ELSEWHERE: '这张证件已由其他微信号关注，如需更改请到窗口办理',
  CARD_DELIVERY_CLOSED: '证件已领取或已寄出，不能再更改领取方式',
  CARD_ADDRESS_REQUIRED: '选择邮寄请填写收件地址',
  CARD_ADDRESS_INVALID: '收件地址填写不完整，请填写所在地区和详细地址',
  CARD_NOT_POSTAL: '居民没有选择邮寄，不能登记寄出',
  CARD_ADDRESS_LOCKED: '派出所已按您填写的地址准备寄出，不能再在线更改，如需更改请致电派出所',
  CARD_TRACKING_INVALID: '快递单号应为6到20位字母或数字，请核对'
} as const

export type ErrorCode = keyof typeof ERROR_MESSAGES

export const ERROR_CODES = Object.keys(ERROR_MESSAGES) as ErrorCode[]

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_MESSAGES, value)
}

/**
 * FORBIDDEN's message when a member of staff names another station's data. The station-scope rule
 * has this one answer everywhere (docs/privacy-and-access.md); a booking code typed at the window is
 * the one exception, answered CODE_UNKNOWN so that a code's existence is never disclosed.
 */
export const OUT_OF_STATION_MESSAGE = '您只能查看和办理本所的事项'
