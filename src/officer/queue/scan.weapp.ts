import Taro from '@tarojs/taro'

export const canScan = true

export async function scanBookingCode(): Promise<string | null> {
  try {
    const res = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })
    return res.result || null
  } catch {
    return null // closed by the officer, or the camera was refused: typing the code still works
  }
}
