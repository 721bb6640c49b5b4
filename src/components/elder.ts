/**
 * 长辈模式 (elder mode): larger text, larger tap targets, high contrast. On by the resident's
 * choice, or by default when WeChat's own font size is set large (fontSizeScaleFactor, read with
 * getAppBaseInfo). The choice is remembered on the device.
 */
import Taro from '@tarojs/taro'
import { useCallback, useState } from 'react'

const KEY = 'hukou.elderMode'

function wechatFontScale(): number {
  try {
    const info = Taro.getAppBaseInfo?.() as { fontSizeScaleFactor?: number } | undefined
    return info?.fontSizeScaleFactor ?? 1
  } catch {
    return 1
  }
}

export function elderModeDefault(): boolean {
  try {
    const stored = Taro.getStorageSync<unknown>(KEY)
    if (stored === 'on') return true
    if (stored === 'off') return false
  } catch {
    // storage unavailable: fall through to the font scale
  }
  return wechatFontScale() >= 1.3
}

export function useElderMode(): [boolean, () => void] {
  const [on, setOn] = useState(elderModeDefault)
  const toggle = useCallback(() => {
    setOn((was) => {
      const next = !was
      try {
        Taro.setStorageSync(KEY, next ? 'on' : 'off')
      } catch {
        // not remembered, still applied
      }
      return next
    })
  }, [])
  return [on, toggle]
}
