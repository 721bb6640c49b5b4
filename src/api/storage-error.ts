/** What a storage call failed with, the same on both builds (storage.weapp.ts, storage.h5.ts). */
export type StorageErrorCode =
  /** The file is over the cloud's size limit. */
  | 'FILE_TOO_LARGE'
  /** The cloud path breaks the platform's rules (docs/local-cloud.md, "Storage"). */
  | 'BAD_PATH'
  /** The storage rule refuses it: someone else's file, or a path someone else owns. */
  | 'FORBIDDEN'
  /** The file could not be read on the device (or compressed). */
  | 'BAD_FILE'
  /** No answer, or an answer the app cannot read. */
  | 'NETWORK'

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'StorageError'
  }
}

/**
 * What a wx.cloud storage failure means for the app, from its message (errMsg), in this order:
 * the storage rule's refusal (-503002, STORAGE_EXCEED_AUTHORITY, object storage's AccessDenied)
 * first, as its name also says "exceed"; then object storage's EntityTooLarge; a bad path
 * (InvalidObjectName); anything else, a request limit (EXCEED_REQUEST_LIMIT) included, is NETWORK
 * (try again later).
 */
export function storageErrorOf(errMsg: string): StorageError {
  if (/-503002|EXCEED_AUTHORITY|AccessDenied|permission denied/i.test(errMsg))
    return new StorageError('FORBIDDEN', '没有权限')
  if (/EntityTooLarge/.test(errMsg)) return new StorageError('FILE_TOO_LARGE', '文件过大')
  if (/InvalidObjectName|invalid.*path/i.test(errMsg)) return new StorageError('BAD_PATH', '文件路径不合法')
  return new StorageError('NETWORK', errMsg)
}
