/**
 * Cloud storage's limits and path rules, as the local cloud enforces them (docs/local-cloud.md,
 * "Storage"). A cloud path names a file inside the environment's bucket, e.g.
 * `prereview/2026/abc.jpg`; the file id the platform hands back is
 * `cloud://<env>.<bucket>/<cloud path>`.
 *
 * The rules follow the platform's object-key rules and are a little stricter where a looser rule
 * would only make a path mean two things: no '%' (so no layer can percent-decode a path into
 * another one), no '.' or '..' segments, no backslash. On disk a file is named by a hash of its
 * path (service.ts), so even a path that slipped past these rules could not leave the data folder.
 */

/** The platform's cap on an object key: 850 bytes of UTF-8. */
export const MAX_PATH_BYTES = 850

/**
 * The largest file the local cloud keeps: 10 MB. The platform allows far larger objects; the
 * product stores compressed phone photos (a few hundred KB) and checks its own, smaller limits
 * in its functions. A cap here keeps a runaway upload from filling the developer's disk.
 */
export const MAX_FILE_BYTES = 10 * 1024 * 1024

/** How long a temporary URL lives when the caller names no maxAge (seconds). */
export const DEFAULT_URL_MAX_AGE = 7200

/** The longest a temporary URL may live (seconds); a larger maxAge is cut to this. */
export const MAX_URL_MAX_AGE = 86_400

/** How long an upload token from storage.getUploadMetadata may wait for its PUT (ms). */
export const UPLOAD_TOKEN_TTL_MS = 10 * 60 * 1000

/** How many files one temp-URL or delete request may name (the platform's batch limit). */
export const MAX_BATCH = 50

/**
 * Why a cloud path is refused, in plain words (Chinese, shown to developers and passed on to
 * callers), or null when it is acceptable.
 */
export function pathProblem(cloudPath: unknown): string | null {
  if (typeof cloudPath !== 'string' || cloudPath.length === 0) return '文件路径不能为空'
  if (Buffer.byteLength(cloudPath, 'utf8') > MAX_PATH_BYTES)
    return `文件路径过长（最多 ${MAX_PATH_BYTES} 字节）`
  if (cloudPath.startsWith('/')) return '文件路径不能以 / 开头'
  // Control characters (C0, DEL, C1), and lone surrogates, which have no UTF-8 form.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(cloudPath)) return '文件路径不能含控制字符'
  if (/[\ud800-\udfff]/.test(cloudPath.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')))
    return '文件路径含无法编码的字符'
  if (cloudPath.includes('\\')) return '文件路径不能含反斜杠'
  if (cloudPath.includes('%')) return '文件路径不能含 %'
  for (const segment of cloudPath.split('/')) {
    if (segment === '') return '文件路径不能含空的一段（如 a//b 或以 / 结尾）'
    if (segment === '.' || segment === '..') return '文件路径不能含 . 或 .. 段'
    if (segment.trim() === '') return '文件路径的一段不能只有空白'
  }
  return null
}

/** The bucket of an environment, shaped like the platform's (`<hex>-<env>-<number>`). */
export function bucketOf(envId: string): string {
  return `${Buffer.from(envId.slice(0, 2)).toString('hex')}-${envId}-1250000000`
}

/** `cloud://<env>.<bucket>/<path>` */
export function fileIdOf(envId: string, cloudPath: string): string {
  return `cloud://${envId}.${bucketOf(envId)}/${cloudPath}`
}

/** The cloud path inside a file id of this environment's bucket, or null when it is not one. */
export function cloudPathOfId(envId: string, fileID: unknown): string | null {
  if (typeof fileID !== 'string') return null
  const prefix = `cloud://${envId}.${bucketOf(envId)}/`
  if (!fileID.startsWith(prefix)) return null
  const cloudPath = fileID.slice(prefix.length)
  return pathProblem(cloudPath) === null ? cloudPath : null
}
