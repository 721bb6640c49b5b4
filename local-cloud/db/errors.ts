/**
 * Errors the local cloud's database answers with. `code` is one of the cloud's own codes
 * (wx-server-sdk maps it to errCode, e.g. DATABASE_COLLECTION_NOT_EXIST → -502005), so function
 * code sees exactly the errors it would see on WeChat's cloud.
 */
export type CloudDbCode =
  | 'INVALID_PARAM'
  | 'DATABASE_REQUEST_FAILED'
  | 'DATABASE_INVALID_OPERRATOR'
  | 'DATABASE_PERMISSION_DENIED'
  | 'DATABASE_COLLECTION_NOT_EXIST'
  | 'SYS_ERR'

export class CloudDbError extends Error {
  constructor(
    readonly code: CloudDbCode,
    message: string
  ) {
    super(message)
    this.name = 'CloudDbError'
  }
}
