/**
 * A QR code for check-in at the window, drawn as an image (GIF data URL) by qrcode-generator:
 * no canvas, no network, the same on WeChat and in H5.
 */
import { Image } from '@tarojs/components'
import qrcode from 'qrcode-generator'
import { useMemo } from 'react'

export function QrCode({ text, size = 360 }: { text: string; size?: number }) {
  const src = useMemo(() => {
    const qr = qrcode(0, 'M')
    qr.addData(text)
    qr.make()
    const cell = Math.max(2, Math.floor(size / 2 / (qr.getModuleCount() + 8)))
    return qr.createDataURL(cell, cell * 4)
  }, [text, size])
  return (
    <Image
      src={src}
      style={{ width: `${size}px`, height: `${size}px` }}
      mode="aspectFit"
      data-testid="qr-code"
      ariaLabel={`预约码二维码 ${text}`}
    />
  )
}
