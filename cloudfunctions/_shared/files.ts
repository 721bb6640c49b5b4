/**
 * Cloud storage from functions, through wx-server-sdk (uploadFile, downloadFile, getTempFileURL,
 * deleteFile). Functions act as the environment's admin: they may read and delete any file, which
 * is why every check of who may see a file belongs in the function before these are called.
 * docs/platform.md ("Cloud storage") describes the platform's side; docs/local-cloud.md
 * ("Storage") the limits the local cloud applies.
 *
 * Nothing here logs, and errors thrown carry the platform's error code only: file contents and
 * paths (which may hold ids of people) never reach a log through this module.
 */
import { getCloud } from './cloud'

/** The platform's per-request batch limit for temporary URLs and deletes. */
const BATCH = 50

/** Per-file status for a file that does not exist (wx-server-sdk's STORAGE_FILE_NONEXIST). */
const FILE_MISSING = -503003

interface FileStatus {
  fileID: string
  status: number
  errMsg?: string
  tempFileURL?: string
}

/** The storage part of wx-server-sdk, as its documentation shapes it. */
interface StorageSdk {
  uploadFile(options: { cloudPath: string; fileContent: Buffer }): Promise<{ fileID: string }>
  downloadFile(options: { fileID: string }): Promise<{ fileContent: Buffer }>
  getTempFileURL(options: {
    fileList: { fileID: string; maxAge: number }[]
  }): Promise<{ fileList: FileStatus[] }>
  deleteFile(options: { fileList: string[] }): Promise<{ fileList: FileStatus[] }>
  getWXContext(): { ENV?: string }
}

function sdk(): StorageSdk {
  return getCloud() as unknown as StorageSdk
}

/**
 * An SDK failure, with its codes and nothing of the file (its path or content). A refused upload
 * reaches functions as errCode -1 with object storage's reason in the message ("[EntityTooLarge]:
 * …", docs/platform.md): `reason` is that bracketed name — EntityTooLarge, InvalidObjectName,
 * AccessDenied — when there is one.
 */
export class FileStoreError extends Error {
  constructor(
    readonly operation: string,
    readonly errCode: number | undefined,
    readonly reason?: string
  ) {
    super(
      `cloud storage ${operation} failed${errCode === undefined ? '' : ` (${errCode})`}${reason ? ` [${reason}]` : ''}`
    )
    this.name = 'FileStoreError'
  }
}

function errCodeOf(err: unknown): number | undefined {
  const code = (err as { errCode?: unknown } | null)?.errCode
  return typeof code === 'number' ? code : undefined
}

/** Object storage's error name inside an SDK message ("uploadFile:fail [EntityTooLarge]: …"). */
function reasonOf(err: unknown): string | undefined {
  const msg = (err as { errMsg?: unknown; message?: unknown } | null)?.errMsg
  return typeof msg === 'string' ? /\[([A-Za-z]+)\]:/.exec(msg)?.[1] : undefined
}

function currentEnv(): string {
  let env: string | undefined
  try {
    env = sdk().getWXContext().ENV
  } catch {
    env = undefined
  }
  return env || process.env.TCB_ENV || process.env.SCF_NAMESPACE || ''
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** The cloud path inside a file id of this environment's storage, or null when it is not one. */
export function cloudPathOf(fileID: string): string | null {
  const env = currentEnv()
  if (typeof fileID !== 'string' || !env) return null
  const prefix = `cloud://${env}.`
  if (!fileID.startsWith(prefix)) return null
  const rest = fileID.slice(prefix.length)
  const slash = rest.indexOf('/')
  // `<bucket>/<path>`: a bucket name, then a non-empty path.
  if (slash <= 0 || slash === rest.length - 1) return null
  const bucket = rest.slice(0, slash)
  if (!/^[A-Za-z0-9-]+$/.test(bucket)) return null
  return rest.slice(slash + 1)
}

/** Stores `content` at `cloudPath` (replacing what was there) and returns its file id. */
export async function saveFile(cloudPath: string, content: Buffer): Promise<string> {
  try {
    const res = await sdk().uploadFile({ cloudPath, fileContent: content })
    return res.fileID
  } catch (err) {
    throw new FileStoreError('upload', errCodeOf(err), reasonOf(err))
  }
}

/** A file's bytes, or null when there is no such file. */
export async function readFile(fileID: string): Promise<Buffer | null> {
  try {
    const res = await sdk().downloadFile({ fileID })
    return Buffer.isBuffer(res.fileContent) ? res.fileContent : Buffer.from(res.fileContent)
  } catch (err) {
    // The SDK reports a missing file as errCode -1 with the platform's code beside it.
    if (
      errCodeOf(err) === FILE_MISSING ||
      (err as { code?: unknown } | null)?.code === 'STORAGE_FILE_NONEXIST'
    )
      return null
    throw new FileStoreError('download', errCodeOf(err))
  }
}

/**
 * Temporary URLs, valid `maxAgeSeconds` (the platform may cut a long age; see docs): fileID → URL.
 * Asked for in batches of 50; a file that is missing is left out.
 */
export async function tempUrls(fileIDs: string[], maxAgeSeconds: number): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const batch of chunks([...new Set(fileIDs)], BATCH)) {
    let res: { fileList: FileStatus[] }
    try {
      res = await sdk().getTempFileURL({
        fileList: batch.map((fileID) => ({ fileID, maxAge: maxAgeSeconds }))
      })
    } catch (err) {
      throw new FileStoreError('temp-url', errCodeOf(err))
    }
    for (const f of res.fileList) if (f.status === 0 && f.tempFileURL) out[f.fileID] = f.tempFileURL
  }
  return out
}

/**
 * Deletes files, in batches of 50. A file already gone counts as removed (deleting is what was
 * wanted); a file the platform refused, or a batch that failed as a whole, is listed as failed,
 * to be tried again later.
 */
export async function removeFiles(fileIDs: string[]): Promise<{ removed: string[]; failed: string[] }> {
  const removed: string[] = []
  const failed: string[] = []
  for (const batch of chunks([...new Set(fileIDs)], BATCH)) {
    let res: { fileList: FileStatus[] }
    try {
      res = await sdk().deleteFile({ fileList: batch })
    } catch {
      failed.push(...batch)
      continue
    }
    const status = new Map(res.fileList.map((f) => [f.fileID, f.status]))
    for (const id of batch) {
      const s = status.get(id)
      if (s === 0 || s === FILE_MISSING) removed.push(id)
      else failed.push(id)
    }
  }
  return { removed, failed }
}

/** What an image really is, by its first bytes (never by its name or declared type). */
export function sniffImage(bytes: Buffer): 'jpeg' | 'png' | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  if (
    bytes.length >= 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'png'
  return null
}
