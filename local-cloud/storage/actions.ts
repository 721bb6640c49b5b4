/**
 * wx-server-sdk's storage requests, as they arrive at the SDK's endpoint (POST /admin, JSON
 * with an `action`), answered in the shapes the SDK reads (docs/platform.md, "Cloud storage"):
 *
 *   storage.getUploadMetadata  {path}          → data {url, token, authorization, fileId, cosFileId};
 *                                                 the SDK then PUTs the bytes to url (http/storage.ts)
 *   storage.batchGetDownloadUrl {file_list: [{fileid, max_age}]} → data.download_list [{fileID, tempFileURL, code, maxAge}]
 *   storage.batchDeleteFile    {fileid_list}   → data.delete_list [{fileID, code}]
 *
 * A whole request the platform would refuse answers `{code, message}` (the SDK throws it); a
 * file that is missing or not the caller's answers per file (code STORAGE_FILE_NONEXIST or
 * STORAGE_EXCEED_AUTHORITY) beside the others.
 */
import { randomBytes } from 'node:crypto'
import { MAX_BATCH } from './rules'
import type { StorageCaller, StorageService } from './service'

export type StorageAnswer = { data: Record<string, unknown> } | { code: string; message: string }

function invalid(message: string): StorageAnswer {
  return { code: 'INVALID_PARAM', message }
}

export function isStorageAction(action: unknown): action is string {
  return typeof action === 'string' && action.startsWith('storage.')
}

/** Answers one storage request from the SDK; `base` is the origin the caller reached (http://host:port). */
export function answerStorageAction(
  storage: StorageService,
  caller: StorageCaller,
  base: string,
  body: Record<string, unknown>
): StorageAnswer {
  switch (body.action) {
    case 'storage.getUploadMetadata': {
      if (typeof body.path !== 'string' || body.path.length === 0) return invalid('path 必须是非空字符串')
      // The path's rules are checked when the bytes arrive (as object storage does), so a bad
      // path fails the upload with a plain error rather than a malformed metadata answer.
      const { token, encoded } = storage.issueUploadToken(caller, body.path)
      return {
        data: {
          url: `${base}/storage/upload/${encoded}`,
          token,
          authorization: token,
          fileId: storage.fileId(body.path),
          cosFileId: randomBytes(12).toString('hex')
        }
      }
    }
    case 'storage.batchGetDownloadUrl': {
      const list = body.file_list
      if (!Array.isArray(list) || list.length === 0) return invalid('file_list 必须是非空数组')
      if (list.length > MAX_BATCH) return invalid(`一次最多 ${MAX_BATCH} 个文件`)
      const download_list = list.map((item: unknown) => {
        const entry = (item ?? {}) as { fileid?: unknown; max_age?: unknown }
        const answer = storage.tempUrl(caller, base, entry.fileid, entry.max_age)
        return {
          fileID: entry.fileid,
          tempFileURL: answer.tempFileURL,
          code: answer.code,
          maxAge: answer.maxAge
        }
      })
      return { data: { download_list } }
    }
    case 'storage.batchDeleteFile': {
      const list = body.fileid_list
      if (!Array.isArray(list) || list.length === 0) return invalid('fileid_list 必须是非空数组')
      if (list.length > MAX_BATCH) return invalid(`一次最多 ${MAX_BATCH} 个文件`)
      const delete_list = list.map((fileID: unknown) => ({ fileID, code: storage.remove(caller, fileID) }))
      return { data: { delete_list } }
    }
    default:
      return { code: 'INVALID_PARAM', message: `本地云不支持 ${String(body.action)}` }
  }
}
