import Taro from '@tarojs/taro'
import { StorageError, storageErrorOf } from './storage-error'
import { chunks, FILE_MISSING, fitWithin, PHOTO_QUALITY } from './storage.common'

export { StorageError } from './storage-error'

export interface UploadedFile {
  fileID: string
  bytes: number
}

let initialised = false

function cloud(): typeof Taro.cloud {
  if (!initialised) {
    Taro.cloud.init({ env: CLOUD_ENV || undefined, traceUser: true })
    initialised = true
  }
  return Taro.cloud
}

/** A wx.cloud failure as a StorageError (storageErrorOf reads object storage's reason). */
function failure(err: unknown): StorageError {
  return storageErrorOf(String((err as { errMsg?: string } | null)?.errMsg ?? err))
}

async function sizeOf(filePath: string): Promise<number> {
  try {
    const info = await Taro.getFileInfo({ filePath })
    return (info as Taro.getFileInfo.SuccessCallbackResult).size
  } catch (err) {
    throw new StorageError('BAD_FILE', String((err as { errMsg?: string }).errMsg ?? err))
  }
}

export async function uploadFile(cloudPath: string, filePath: string): Promise<UploadedFile> {
  const bytes = await sizeOf(filePath)
  try {
    const res = await cloud().uploadFile({ cloudPath, filePath })
    return { fileID: res.fileID, bytes }
  } catch (err) {
    throw failure(err)
  }
}

export async function deleteFiles(fileIDs: string[]): Promise<void> {
  for (const batch of chunks([...new Set(fileIDs)])) {
    let res: Taro.cloud.DeleteFileResult
    try {
      res = await cloud().deleteFile({ fileList: batch })
    } catch (err) {
      throw failure(err)
    }
    if (res.fileList.some((f) => f.status !== 0 && f.status !== FILE_MISSING))
      throw new StorageError('FORBIDDEN', '有文件没能删除')
  }
}

export async function tempFileUrls(fileIDs: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const batch of chunks([...new Set(fileIDs)])) {
    let res: Taro.cloud.GetTempFileURLResult
    try {
      res = await cloud().getTempFileURL({ fileList: batch })
    } catch (err) {
      throw failure(err)
    }
    for (const f of res.fileList) if (f.status === 0 && f.tempFileURL) out[f.fileID] = f.tempFileURL
  }
  return out
}

export async function compressPhoto(filePath: string): Promise<{ filePath: string; bytes: number }> {
  let compressed: string
  try {
    const info = await Taro.getImageInfo({ src: filePath })
    const size = fitWithin(info.width, info.height)
    const res = await Taro.compressImage({
      src: filePath,
      quality: Math.round(PHOTO_QUALITY * 100),
      // One side is enough: the other follows the photo's proportions.
      ...(size.width >= size.height ? { compressedWidth: size.width } : { compressedHeight: size.height })
    })
    compressed = res.tempFilePath
  } catch (err) {
    throw new StorageError('BAD_FILE', String((err as { errMsg?: string }).errMsg ?? err))
  }
  return { filePath: compressed, bytes: await sizeOf(compressed) }
}
