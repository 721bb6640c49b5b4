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
  NETWORK: '网络连接失败，请检查网络后再试'
} as const

export type ErrorCode = keyof typeof ERROR_MESSAGES

export const ERROR_CODES = Object.keys(ERROR_MESSAGES) as ErrorCode[]

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_MESSAGES, value)
}
