/**
 * The time on staff pages that show how long something has waited: the server's time when the
 * list was read (`at`), moved on by the phone's own clock since then, so a phone whose clock is
 * off still shows the right wait. It moves every TICK_MS while the page shows, not while hidden.
 */
import { useDidHide, useDidShow } from '@tarojs/taro'
import { useEffect, useState } from 'react'

export const TICK_MS = 30_000

export function useServerNow(at: string | undefined): number {
  const [base, setBase] = useState(() => ({ server: at ? Date.parse(at) : Date.now(), local: Date.now() }))
  const [tick, setTick] = useState(() => Date.now())
  const [visible, setVisible] = useState(true)
  useDidShow(() => {
    setVisible(true)
    setTick(Date.now())
  })
  useDidHide(() => setVisible(false))
  useEffect(() => {
    if (at) setBase({ server: Date.parse(at), local: Date.now() })
  }, [at])
  useEffect(() => {
    if (!visible) return undefined
    const timer = setInterval(() => setTick(Date.now()), TICK_MS)
    return () => clearInterval(timer)
  }, [visible])
  return base.server + Math.max(0, tick - base.local)
}
