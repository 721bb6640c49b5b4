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
