/**
 * Cloud storage from the app: one implementation per build, chosen by Taro's platform suffix
 * (storage.weapp.ts: wx.cloud; storage.h5.ts: the local cloud's /api/storage endpoints). The
 * environment's storage rule is "only the creator may read and write" (database/storage.ts): the
 * app may upload, get temporary URLs for, and delete only files this user uploaded; staff see
 * residents' files through functions. Failures reject with a StorageError.
 */
export { StorageError } from './storage-error'

export interface UploadedFile {
  fileID: string
  bytes: number
}

/** Uploads the file at `filePath` (a path chooseImage/compressPhoto gave) to `cloudPath`. */
export declare function uploadFile(cloudPath: string, filePath: string): Promise<UploadedFile>

/** Deletes the caller's own files; a file already gone is not an error. */
export declare function deleteFiles(fileIDs: string[]): Promise<void>

/** fileID → temporary URL (only the caller's own files; others are left out). */
export declare function tempFileUrls(fileIDs: string[]): Promise<Record<string, string>>

/** Shrinks a chosen photo on the device: JPEG, longest side ≤ 1600 px, quality ~0.7. */
export declare function compressPhoto(filePath: string): Promise<{ filePath: string; bytes: number }>
