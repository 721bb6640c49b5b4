/**
 * The home page's main entries as an icon grid. The emergency request is called 绿色通道·急事求助
 * here and on the help page alike.
 */
import { Text, View } from '@tarojs/components'
import { EMERGENCY_NAME } from '../../../types/requests'
import { navigate } from '../../navigation'

interface Entry {
  key: string
  label: string
  open: () => void
}

const ENTRIES: Entry[] = [
  { key: 'book', label: '预约办理', open: () => navigate('pages/guide/index') },
  {
    key: 'emergency',
    label: EMERGENCY_NAME,
    open: () => navigate('pages/help/index', { kind: 'emergency' })
  },
  {
    key: 'after-hours',
    label: '延时服务',
    open: () => navigate('pages/help/index', { kind: 'after_hours' })
  },
  { key: 'home-visit', label: '上门服务', open: () => navigate('pages/help/index', { kind: 'home_visit' }) },
  { key: 'guide', label: '办事指南', open: () => navigate('pages/guide/index') },
  { key: 'queue', label: '取号排队', open: () => navigate('pages/queue/index') },
  { key: 'my-bookings', label: '我的预约', open: () => navigate('pages/my-bookings/index') },
  { key: 'voice', label: '评价与意见', open: () => navigate('pages/my-voice/index') }
]

export function HomeEntries() {
  return (
    <View className="home-entries" data-testid="home-entries">
      {ENTRIES.map((e) => (
        <View
          key={e.key}
          className="home-entry"
          role="button"
          aria-label={e.label}
          data-testid={`entry-${e.key}`}
          hoverClass="home-entry-active"
          onClick={e.open}
        >
          <View className={`home-icon home-icon-${e.key}`} />
          {/* A two-part name (绿色通道·急事求助) breaks at its dot, never inside a word. */}
          <View className="home-entry-label">
            {e.label.split('·').map((part, i, parts) => (
              <Text key={part} className="home-entry-line">
                {i < parts.length - 1 ? `${part}·` : part}
              </Text>
            ))}
          </View>
        </View>
      ))}
    </View>
  )
}
