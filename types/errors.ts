/**
 * Error codes shared by every function. A code never changes meaning once shipped;
 * the message is the default Chinese text shown to a resident.
 */
export const ERROR_MESSAGES = {
  INVALID_INPUT: '填写的信息有误，请检查后再试',
  UNKNOWN_ACTION: '暂不支持这项操作，请更新小程序后再试',
  NOT_FOUND: '没有找到相关内容，可能已下线',
  UNAUTHENTICATED: '请在微信中打开后再试',
  FORBIDDEN: '您没有权限进行此操作',
  INTERNAL: '系统繁忙，请稍后再试',
  NETWORK: '网络连接失败，请检查网络后再试',
  BUSY: '现在办理的人较多，请稍等片刻再试',
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
  NOT_CHANGEABLE: '这个预约不能再更改',
  TOO_LATE_TO_CHANGE: '距预约时间太近，不能在线取消或改约，请致电窗口',
  CONSENT_REQUIRED: '请先阅读并同意个人信息使用说明',
  NAME_INVALID: '请填写办事人的姓名（不超过20个字）',
  MOBILE_INVALID: '手机号码应为11位数字，请核对',
  ID_NUMBER_INVALID: '身份证号码有误，请核对后再填',
  NOT_BOOKABLE: '这个事项不需要预约，可直接到窗口办理'
} as const

export type ErrorCode = keyof typeof ERROR_MESSAGES

export const ERROR_CODES = Object.keys(ERROR_MESSAGES) as ErrorCode[]

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_MESSAGES, value)
}
