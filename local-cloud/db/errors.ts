/**
 * Errors the local cloud's database answers with. `code` is one of the cloud's own codes
 * (wx-server-sdk maps it to errCode, e.g. DATABASE_COLLECTION_NOT_EXIST → -502005), so function
 * code sees exactly the errors it would see on WeChat's cloud.
 *
 * How wx-server-sdk 4.0.2 maps them (TCB_ERR_CODE in its index.js; unknown codes become -501001):
 *   INVALID_PARAM                  -501007
 *   DATABASE_REQUEST_FAILED        -502001   (duplicate key, type errors in an update, …)
 *   DATABASE_INVALID_OPERRATOR     -502002   (an operator the database does not know)
 *   DATABASE_PERMISSION_DENIED     -502003
 *   DATABASE_COLLECTION_NOT_EXIST  -502005
 *   SYS_ERR                        -501001
 *   DATABASE_TRANSACTION_CONFLICT  (not in the table → -501001 when it surfaces through a wrapped
 *                                   call; @cloudbase/database's runTransaction retries on exactly
 *                                   this `code` when commitTransaction answers it)
 */
export type CloudDbCode =
  | 'INVALID_PARAM'
  | 'DATABASE_REQUEST_FAILED'
  | 'DATABASE_INVALID_OPERRATOR'
  | 'DATABASE_PERMISSION_DENIED'
  | 'DATABASE_COLLECTION_NOT_EXIST'
  | 'DATABASE_TRANSACTION_CONFLICT'
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

/** The numbers wx-server-sdk 4.0.2 turns our codes into (for tests and the console). */
export const SDK_ERR_CODE: Record<CloudDbCode, number> = {
  INVALID_PARAM: -501007,
  DATABASE_REQUEST_FAILED: -502001,
  DATABASE_INVALID_OPERRATOR: -502002,
  DATABASE_PERMISSION_DENIED: -502003,
  DATABASE_COLLECTION_NOT_EXIST: -502005,
  DATABASE_TRANSACTION_CONFLICT: -501001,
  SYS_ERR: -501001
}
