/**
 * The local cloud's file storage: what wx-server-sdk's storage calls and the app's upload,
 * temporary-URL and delete calls reach (http/admin.ts, http/storage.ts).
 *
 * Layout in the data folder:
 *   storage/objects/<sha256 of the cloud path>.<generation>   one upload's bytes
 *   storage/url-secret                           the key temporary URLs are signed with (signing.ts)
 *   cloud.sqlite, table storage_files            one row per file: path, size, owner, type, time,
 *                                                generation (a random name for that upload)
 * Naming a file on disk by a hash of its path means no path, however crafted, can reach outside
 * storage/objects. Metadata and bytes survive restarts; upload tokens (single-use, short-lived)
 * live in memory only.
 *
 * The row is the truth: bytes on disk that no row names are leftovers and are swept when the
 * service starts. So an upload writes its bytes under a new generation's name, then points the
 * row at them, then removes the previous generation's bytes; a delete renames the bytes to a
 * trash name, deletes the row, then unlinks. A failure at any step leaves either the old file or
 * the new one whole (never a row without bytes, never bytes a retry cannot reach), and an error
 * thrown to the caller (the request fails, so a retry does the work again). Rows from before
 * generations existed have an empty generation and bytes named by the hash alone.
 *
 * Who may do what: functions (the SDK, the admin side) anything; a client (the app, with its
 * OPENID) what the environment's storage rule allows (StorageAcl, product.ts).
 */
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type Database from 'better-sqlite3'
import type { Clock } from '../clock'
import { openSideDatabase } from '../messages/ledger'
import type { StorageAcl } from '../product'
import {
  cloudPathOfId,
  DEFAULT_URL_MAX_AGE,
  fileIdOf,
  MAX_FILE_BYTES,
  MAX_URL_MAX_AGE,
  pathProblem,
  UPLOAD_TOKEN_TTL_MS
} from './rules'
import { checkSigned, encodePath, loadUrlSecret, signedPath, type UrlCheck, type UrlParts } from './signing'

/** Who asks: a function (admin) or a user of the app, known by OPENID. */
export type StorageCaller = { admin: true } | { admin: false; openid: string }

export const ADMIN: StorageCaller = { admin: true }

export interface StoredFile {
  cloudPath: string
  size: number
  /** The uploader's OPENID; null for a file a function wrote (last). */
  owner: string | null
  contentType: string
  uploadedAt: Date
  /** Names this upload: a new one per write, so a URL issued for earlier bytes no longer serves. */
  generation: string
}

/** Per-file answers, named as the platform names them (the SDK maps them to numbers). */
export type FileCode = 'SUCCESS' | 'STORAGE_FILE_NONEXIST' | 'STORAGE_EXCEED_AUTHORITY'

/** The numbers wx-server-sdk and wx.cloud report for those codes. */
export const FILE_STATUS: Record<FileCode, number> = {
  SUCCESS: 0,
  STORAGE_EXCEED_AUTHORITY: -503002,
  STORAGE_FILE_NONEXIST: -503003
}

export type StorageFaultCode = 'BAD_PATH' | 'FILE_TOO_LARGE' | 'FORBIDDEN'

export class StorageFault extends Error {
  constructor(
    readonly code: StorageFaultCode,
    message: string
  ) {
    super(message)
  }
}

interface Row {
  path: string
  size: number
  owner: string | null
  content_type: string
  uploaded_at: number
  generation: string
}

interface UploadToken {
  /** The encoded path the token was issued for (the upload URL must carry the same). */
  encoded: string
  cloudPath: string
  caller: StorageCaller
  expiresAt: number
}

export interface StorageServiceOptions {
  dataDir: string
  /** The SQLite file the metadata table lives in (the document store's). */
  databaseFile: string
  clock: Clock
  envId: string
  acl?: StorageAcl
  maxFileBytes?: number
}

/** The content type a file is served with, judged from its first bytes (never from its name). */
export function sniffContentType(bytes: Buffer): string {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png'
  if (
    bytes.subarray(0, 6).toString('latin1') === 'GIF87a' ||
    bytes.subarray(0, 6).toString('latin1') === 'GIF89a'
  )
    return 'image/gif'
  if (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp'
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf'
  return 'application/octet-stream'
}

export class StorageService {
  readonly envId: string
  readonly acl: StorageAcl
  readonly maxFileBytes: number
  private readonly dir: string
  private readonly objects: string
  private readonly secret: Buffer
  private readonly db: Database.Database
  private readonly clock: Clock
  private readonly tokens = new Map<string, UploadToken>()
  /** Files an unlink failed on, tried again at the next write or delete (and swept at start). */
  private readonly leftovers = new Set<string>()

  constructor(options: StorageServiceOptions) {
    this.envId = options.envId
    this.acl = options.acl ?? 'PRIVATE'
    this.maxFileBytes = options.maxFileBytes ?? MAX_FILE_BYTES
    this.clock = options.clock
    this.dir = path.join(options.dataDir, 'storage')
    this.objects = path.join(this.dir, 'objects')
    fs.mkdirSync(this.objects, { recursive: true })
    this.secret = loadUrlSecret(this.dir)
    this.db = openSideDatabase(options.databaseFile)
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS storage_files (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        owner TEXT,
        content_type TEXT NOT NULL,
        uploaded_at INTEGER NOT NULL
      );
    `)
    const columns = this.db.prepare('PRAGMA table_info(storage_files)').all() as { name: string }[]
    if (!columns.some((c) => c.name === 'generation'))
      this.db.exec(`ALTER TABLE storage_files ADD COLUMN generation TEXT NOT NULL DEFAULT ''`)
    this.sweep()
  }

  /**
   * Removes what no row names from the object store: temp files of uploads that never finished,
   * trash of deletes whose unlink failed, bytes of a write whose row was never written.
   */
  private sweep(): void {
    const kept = new Set(
      (this.db.prepare('SELECT path, generation FROM storage_files').all() as Row[]).map((r) =>
        path.basename(this.objectFile(r.path, r.generation))
      )
    )
    for (const name of fs.readdirSync(this.objects))
      if (!kept.has(name)) fs.rmSync(path.join(this.objects, name), { force: true, recursive: true })
  }

  fileId(cloudPath: string): string {
    return fileIdOf(this.envId, cloudPath)
  }

  /** The cloud path of a file id of this environment, or null. */
  pathOf(fileID: unknown): string | null {
    return cloudPathOfId(this.envId, fileID)
  }

  private objectFile(cloudPath: string, generation: string): string {
    const hash = createHash('sha256').update(cloudPath, 'utf8').digest('hex')
    return path.join(this.objects, generation ? `${hash}.${generation}` : hash)
  }

  stat(cloudPath: string): StoredFile | undefined {
    const row = this.db.prepare('SELECT * FROM storage_files WHERE path = ?').get(cloudPath) as
      Row | undefined
    if (!row) return undefined
    return {
      cloudPath: row.path,
      size: row.size,
      owner: row.owner,
      contentType: row.content_type,
      uploadedAt: new Date(row.uploaded_at),
      generation: row.generation
    }
  }

  /** A file's metadata and bytes (undefined when missing). */
  read(cloudPath: string): { file: StoredFile; content: Buffer } | undefined {
    const file = this.stat(cloudPath)
    if (!file) return undefined
    try {
      return { file, content: fs.readFileSync(this.objectFile(cloudPath, file.generation)) }
    } catch {
      return undefined
    }
  }

  /** Files and bytes kept, all or under a path prefix. */
  usage(prefix = ''): { files: number; bytes: number } {
    const row = this.db
      .prepare(
        'SELECT COUNT(*) AS files, COALESCE(SUM(size), 0) AS bytes FROM storage_files WHERE substr(path, 1, length(?)) = ?'
      )
      .get(prefix, prefix) as { files: number; bytes: number }
    return { files: row.files, bytes: row.bytes }
  }

  canRead(caller: StorageCaller, file: StoredFile): boolean {
    if (caller.admin) return true
    if (this.acl === 'READONLY' || this.acl === 'ADMINWRITE') return true
    if (this.acl === 'PRIVATE') return file.owner !== null && file.owner === caller.openid
    return false
  }

  /** May the caller write at a path (create it when `existing` is undefined, else overwrite or delete it)? */
  canWrite(caller: StorageCaller, existing: StoredFile | undefined): boolean {
    if (caller.admin) return true
    if (this.acl === 'ADMINWRITE' || this.acl === 'ADMINONLY') return false
    return existing === undefined || (existing.owner !== null && existing.owner === caller.openid)
  }

  /**
   * Throws the StorageFault a write of `size` bytes at `cloudPath` would meet (path, size,
   * permission): what put() checks, also asked before an upload's body is read.
   */
  checkPut(caller: StorageCaller, cloudPath: string, size: number): StoredFile | undefined {
    const problem = pathProblem(cloudPath)
    if (problem) throw new StorageFault('BAD_PATH', problem)
    if (size > this.maxFileBytes)
      throw new StorageFault('FILE_TOO_LARGE', `文件过大（上限 ${this.maxFileBytes / 1024 / 1024} MB）`)
    const existing = this.stat(cloudPath)
    if (!this.canWrite(caller, existing)) throw new StorageFault('FORBIDDEN', '没有权限写入这个文件')
    return existing
  }

  /**
   * Stores a file. Throws a StorageFault (path, size, permission) and changes nothing then; any
   * other error (disk, database) leaves the previous file, if any, as it was.
   */
  put(caller: StorageCaller, cloudPath: string, content: Buffer): StoredFile {
    const existing = this.checkPut(caller, cloudPath, content.length)
    this.retryLeftovers()
    const generation = randomBytes(9).toString('base64url')
    const target = this.objectFile(cloudPath, generation)
    const tmp = `${target}.tmp`
    const file: StoredFile = {
      cloudPath,
      size: content.length,
      // The uploader owns what they write; a function's write belongs to nobody (functions only),
      // even over a user's file, so the user can no longer read, replace or delete what a
      // function put there.
      owner: caller.admin ? null : caller.openid,
      contentType: sniffContentType(content),
      uploadedAt: new Date(this.clock.now()),
      generation
    }
    let stored = false
    try {
      fs.writeFileSync(tmp, content)
      fs.renameSync(tmp, target)
      this.db
        .prepare(
          'INSERT INTO storage_files (path, size, owner, content_type, uploaded_at, generation) VALUES (?, ?, ?, ?, ?, ?) ' +
            'ON CONFLICT(path) DO UPDATE SET size = excluded.size, owner = excluded.owner, ' +
            'content_type = excluded.content_type, uploaded_at = excluded.uploaded_at, generation = excluded.generation'
        )
        .run(file.cloudPath, file.size, file.owner, file.contentType, file.uploadedAt.getTime(), generation)
      stored = true
    } finally {
      // Not stored: the previous file (if any) is untouched and still named by its row.
      if (!stored) this.unlinkLater(target)
      this.unlinkLater(tmp)
    }
    // The previous bytes are no row's now; one left behind is swept at the next start.
    if (existing) this.unlinkLater(this.objectFile(cloudPath, existing.generation))
    return file
  }

  /** Removes a file no row names; when that fails, it is tried again later. */
  private unlinkLater(file: string): void {
    try {
      fs.rmSync(file, { force: true })
      this.leftovers.delete(file)
    } catch {
      this.leftovers.add(file)
    }
  }

  private retryLeftovers(): void {
    for (const file of [...this.leftovers]) this.unlinkLater(file)
  }

  /**
   * Deletes one file by id: what the platform reports for it. Throws (and leaves the file as it
   * was, or at worst as unreachable bytes swept at the next start) when the disk or the
   * database fails, so the request fails and can be retried.
   */
  remove(caller: StorageCaller, fileID: unknown): FileCode {
    this.retryLeftovers()
    const cloudPath = this.pathOf(fileID)
    const file = cloudPath === null ? undefined : this.stat(cloudPath)
    if (cloudPath === null || !file) return 'STORAGE_FILE_NONEXIST'
    if (!this.canWrite(caller, file)) return 'STORAGE_EXCEED_AUTHORITY'
    const object = this.objectFile(cloudPath, file.generation)
    const trash = `${object}.trash`
    let moved = true
    try {
      fs.renameSync(object, trash)
    } catch (err) {
      // Bytes already missing: the row alone is left to delete.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      moved = false
    }
    try {
      this.db
        .prepare('DELETE FROM storage_files WHERE path = ? AND generation = ?')
        .run(cloudPath, file.generation)
    } catch (err) {
      if (moved) fs.renameSync(trash, object)
      throw err
    }
    if (moved) this.unlinkLater(trash)
    return 'SUCCESS'
  }

  /**
   * A temporary URL for one file id (`base` is the origin the caller reached the cloud at):
   * maxAge in seconds, DEFAULT_URL_MAX_AGE when not a positive number, at most MAX_URL_MAX_AGE.
   */
  tempUrl(
    caller: StorageCaller,
    base: string,
    fileID: unknown,
    maxAge: unknown
  ): { code: FileCode; tempFileURL: string; maxAge: number } {
    const age = effectiveMaxAge(maxAge)
    const cloudPath = this.pathOf(fileID)
    const file = cloudPath === null ? undefined : this.stat(cloudPath)
    if (cloudPath === null || !file) return { code: 'STORAGE_FILE_NONEXIST', tempFileURL: '', maxAge: age }
    if (!this.canRead(caller, file)) return { code: 'STORAGE_EXCEED_AUTHORITY', tempFileURL: '', maxAge: age }
    // Rounded up to the second: a URL lives at least maxAge (at most a second more).
    const expires = Math.ceil((this.clock.now() + age * 1000) / 1000)
    return {
      code: 'SUCCESS',
      tempFileURL: `${base}${signedPath(this.secret, cloudPath, file.generation, expires)}`,
      maxAge: age
    }
  }

  /** Checks a temporary URL (GET /storage/f/…) against the secret and the cloud's clock. */
  checkUrl(parts: UrlParts): UrlCheck {
    return checkSigned(this.secret, parts, this.clock.now())
  }

  /** A single-use token for one PUT of `cloudPath`, valid UPLOAD_TOKEN_TTL_MS by the cloud's clock. */
  issueUploadToken(caller: StorageCaller, cloudPath: string): { token: string; encoded: string } {
    const now = this.clock.now()
    for (const [t, entry] of this.tokens) if (entry.expiresAt <= now) this.tokens.delete(t)
    const token = randomBytes(24).toString('base64url')
    const encoded = encodePath(cloudPath)
    this.tokens.set(token, { encoded, cloudPath, caller, expiresAt: now + UPLOAD_TOKEN_TTL_MS })
    return { token, encoded }
  }

  /**
   * Uses up an upload token for the path encoded in the upload URL: who it was issued to, or
   * null when the token is unknown, already used, expired, or was issued for another path.
   */
  redeemUploadToken(token: string, encoded: string): { caller: StorageCaller; cloudPath: string } | null {
    const entry = this.tokens.get(token)
    if (!entry) return null
    this.tokens.delete(token)
    if (entry.expiresAt <= this.clock.now() || entry.encoded !== encoded) return null
    return { caller: entry.caller, cloudPath: entry.cloudPath }
  }

  close(): void {
    this.tokens.clear()
    this.db.close()
  }
}

export function effectiveMaxAge(maxAge: unknown): number {
  if (typeof maxAge !== 'number' || !Number.isFinite(maxAge) || maxAge <= 0) return DEFAULT_URL_MAX_AGE
  return Math.min(Math.floor(maxAge), MAX_URL_MAX_AGE) || 1
}
