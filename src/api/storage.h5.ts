import { currentOpenId } from './identity.h5'
import { StorageError, type StorageErrorCode } from './storage-error'
import { chunks, FILE_MISSING, fitWithin, PHOTO_QUALITY } from './storage.common'

export { StorageError } from './storage-error'

export interface UploadedFile {
  fileID: string
  bytes: number
}

interface FileAnswer {
  fileID: string
  status: number
  tempFileURL?: string
}

const CODES: readonly StorageErrorCode[] = ['FILE_TOO_LARGE', 'BAD_PATH', 'FORBIDDEN']

async function post(path: string, body: BodyInit, contentType: string): Promise<unknown> {
  let res: Response
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-local-openid': currentOpenId() },
      body
    })
  } catch (err) {
    throw new StorageError('NETWORK', (err as Error).message)
  }
  const answer = (await res.json().catch(() => null)) as { code?: string; errMsg?: string } | null
  if (!res.ok) {
    const code = CODES.find((c) => c === answer?.code) ?? (res.status === 413 ? 'FILE_TOO_LARGE' : 'NETWORK')
    throw new StorageError(code, answer?.errMsg ?? `HTTP ${res.status}`)
  }
  if (answer === null) throw new StorageError('NETWORK', '答复无法读取')
  return answer
}

/** The bytes behind a path chooseImage or compressPhoto gave (a blob: URL in H5). */
async function blobOf(filePath: string): Promise<Blob> {
  try {
    const res = await fetch(filePath)
    if (!res.ok) throw new Error(`HTTP ${res.status}`)
    return await res.blob()
  } catch (err) {
    throw new StorageError('BAD_FILE', (err as Error).message)
  }
}

export async function uploadFile(cloudPath: string, filePath: string): Promise<UploadedFile> {
  const blob = await blobOf(filePath)
  const answer = (await post(
    `/api/storage/upload?cloudPath=${encodeURIComponent(cloudPath)}`,
    blob,
    'application/octet-stream'
  )) as { fileID: string; bytes: number }
  return { fileID: answer.fileID, bytes: answer.bytes }
}

export async function deleteFiles(fileIDs: string[]): Promise<void> {
  for (const batch of chunks([...new Set(fileIDs)])) {
    const answer = (await post(
      '/api/storage/delete',
      JSON.stringify({ fileList: batch }),
      'application/json'
    )) as {
      fileList: FileAnswer[]
    }
    if (answer.fileList.some((f) => f.status !== 0 && f.status !== FILE_MISSING))
      throw new StorageError('FORBIDDEN', '有文件没能删除')
  }
}

export async function tempFileUrls(fileIDs: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const batch of chunks([...new Set(fileIDs)])) {
    const answer = (await post(
      '/api/storage/temp-url',
      JSON.stringify({ fileList: batch }),
      'application/json'
    )) as {
      fileList: FileAnswer[]
    }
    for (const f of answer.fileList) if (f.status === 0 && f.tempFileURL) out[f.fileID] = f.tempFileURL
  }
  return out
}

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image()
    img.onload = () => resolve(img)
    img.onerror = () => reject(new StorageError('BAD_FILE', '图片无法读取'))
    img.src = src
  })
}

export async function compressPhoto(filePath: string): Promise<{ filePath: string; bytes: number }> {
  const img = await loadImage(filePath)
  const size = fitWithin(img.naturalWidth, img.naturalHeight)
  const canvas = document.createElement('canvas')
  canvas.width = size.width
  canvas.height = size.height
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new StorageError('BAD_FILE', '图片无法压缩')
  // JPEG has no transparency: a white ground instead of black behind a transparent PNG.
  ctx.fillStyle = '#ffffff'
  ctx.fillRect(0, 0, size.width, size.height)
  ctx.drawImage(img, 0, 0, size.width, size.height)
  const blob = await new Promise<Blob | null>((resolve) =>
    canvas.toBlob(resolve, 'image/jpeg', PHOTO_QUALITY)
  )
  if (!blob) throw new StorageError('BAD_FILE', '图片无法压缩')
  return { filePath: URL.createObjectURL(blob), bytes: blob.size }
}
