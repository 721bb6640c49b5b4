/**
 * 叫号屏: the waiting-room screen, for a TV in the hall (open it in the TV's browser, full screen).
 * Each line: the numbers called to each window (newest first, a recalled one marked), and the next
 * ones waiting — numbers only, never a name. It asks `queue.screen` (public, one database read)
 * every few seconds and keeps the last answer on screen if one poll fails. Sizes follow the
 * screen's width (vw), so the numbers stay readable from five metres on any TV.
 */
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { POLL_MS, type ScreenView } from '../../../types/queue'
import { call } from '../../api/client'
import './index.css'

const DEFAULT_STATION = 'st-yunxi-chengguan'

export default function Screen() {
  const { params } = useRouter()
  const stationId = params.stationId || DEFAULT_STATION
  const [view, setView] = useState<ScreenView | undefined>()
  const [stale, setStale] = useState(false)
  useEffect(() => {
    let live = true
    const poll = () =>
      void call('queue', 'screen', { stationId }).then(
        (res) => {
          if (!live) return
          if (res.ok) setView(res.data)
          setStale(!res.ok)
        },
        () => live && setStale(true)
      )
    poll()
    const timer = setInterval(poll, POLL_MS)
    return () => {
      live = false
      clearInterval(timer)
    }
  }, [stationId])

  if (!view)
    return (
      <View className="screen" data-testid="screen">
        <Text className="screen-title">正在连接…</Text>
      </View>
    )
  return (
    <View className="screen" data-testid="screen">
      <View className="screen-head">
        <Text className="screen-title">{view.stationName}</Text>
        <Text className="screen-clock">
          {stale
            ? '网络中断，正在重连'
            : new Date(view.asOf).toLocaleTimeString('zh-CN', {
                hour: '2-digit',
                minute: '2-digit',
                timeZone: 'Asia/Shanghai'
              })}
        </Text>
      </View>
      <View className="screen-lines">
        {view.lines.map((l) => (
          <View key={l.key} className="screen-line" data-testid={`screen-line-${l.key}`}>
            <Text className="screen-line-name">
              {l.key} {l.label}
            </Text>
            <View className="screen-serving">
              {l.serving.length === 0 ? <Text className="screen-idle">暂无叫号</Text> : null}
              {l.serving.map((s) => (
                <View
                  key={`${s.window}-${s.number}`}
                  className={s.recalled ? 'screen-call screen-recall' : 'screen-call'}
                  data-testid="screen-call"
                >
                  <Text className="screen-number">{s.number}</Text>
                  <Text className="screen-window">请到 {s.window} 号窗口</Text>
                </View>
              ))}
            </View>
            <Text className="screen-next" data-testid="screen-next">
              {l.next.length ? `下一位：${l.next.join('  ')}` : '没有人排队'}
            </Text>
          </View>
        ))}
      </View>
    </View>
  )
}
