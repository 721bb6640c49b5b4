/** What both builds of the storage API share. */

/** The longest side of a compressed photo, in pixels. */
export const PHOTO_MAX_SIDE = 1600

/** JPEG quality of a compressed photo (0–1). */
export const PHOTO_QUALITY = 0.7

/** How many files one temporary-URL or delete call may name (the platform's limit). */
export const STORAGE_BATCH = 50

/** Status of a file that does not exist, in per-file answers (wx.cloud's STORAGE_FILE_NONEXIST). */
export const FILE_MISSING = -503003

/** The size a photo of `width` × `height` is drawn at so that its longest side is at most PHOTO_MAX_SIDE. */
export function fitWithin(width: number, height: number): { width: number; height: number } {
  const longest = Math.max(width, height)
  if (longest <= PHOTO_MAX_SIDE || longest <= 0) return { width, height }
  const scale = PHOTO_MAX_SIDE / longest
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

export function chunks<T>(items: readonly T[], size = STORAGE_BATCH): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
