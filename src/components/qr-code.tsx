/**
 * A QR code for check-in at the window, drawn as an image (GIF data URL) by qrcode-generator:
 * no canvas, no network, the same on WeChat and in H5. Its side follows the window: at most
 * `max` CSS px and 70 % of the window's width, so it stays inside a 320 px screen, centred.
 */
import { Image, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import qrcode from 'qrcode-generator'
import { useMemo } from 'react'

function windowWidth(): number {
  try {
    return Taro.getSystemInfoSync().windowWidth || 375
  } catch {
    return 375
  }
}

export function QrCode({ text, max = 240 }: { text: string; max?: number }) {
  const size = Math.floor(Math.min(max, windowWidth() * 0.7))
  const src = useMemo(() => {
    const qr = qrcode(0, 'M')
    qr.addData(text)
    qr.make()
    // Drawn at twice the shown size for a sharp image on high-density screens; a 2-cell quiet zone.
    const cell = Math.max(2, Math.floor((size * 2) / (qr.getModuleCount() + 4)))
    return qr.createDataURL(cell, cell * 2)
  }, [text, size])
  return (
    <View style={{ display: 'flex', justifyContent: 'center' }}>
      <Image
        src={src}
        style={{ width: `${size}px`, height: `${size}px`, display: 'block' }}
        // A square image in a square box: scaleToFill keeps its shape, while aspectFit positions
        // it absolutely, where an inherited text-align pushes it off-centre (H5).
        mode="scaleToFill"
        data-testid="qr-code"
        ariaLabel={`预约码二维码 ${text}`}
      />
    </View>
  )
}
