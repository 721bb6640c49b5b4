/**
 * The home page's 工作台 card, for staff only: a member of staff who opens the app lands on the home
 * tab like everyone (they may be a resident too), with the way into their workbench on top and the
 * two counts that cannot wait. Residents see nothing of it: `staff.me` answers role 'resident'.
 */
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { ROLE_LABELS } from '../../../types/staff-admin'
import { call } from '../../api/client'
import { Card } from '../../components/ui'
import { useResult } from '../../components/use-result'
import { navigate } from '../../navigation'
import './staff-card.css'

/** A supervisor without a station of their own sees the demo station (as on the workbench). */
const DEFAULT_STATION = 'st-yunxi-chengguan'

export function StaffCard() {
  const me = useResult(() => call('staff', 'me', {}), 'home-staff')
  const staff = me.status === 'ok' && me.data.role !== 'resident' ? me.data : undefined
  const stationId = staff ? staff.stationId || DEFAULT_STATION : ''
  const counts = useResult(
    () =>
      stationId
        ? call('staff', 'workbench', { stationId })
        : Promise.resolve({ ok: true as const, data: undefined }),
    `home-workbench-${stationId}`
  )
  useDidShow(() => {
    if (stationId) counts.reload()
  })
  if (!staff) return null
  const data = counts.status === 'ok' ? counts.data : undefined
  const urgent = (data?.requests.emergencies ?? 0) > 0
  return (
    <Card
      className={urgent ? 'home-staff home-staff-urgent' : 'home-staff'}
      role="button"
      testId="home-workbench"
      onClick={() => navigate('officer/workbench/index')}
    >
      <View className="home-staff-title">
        <Text>工作台 ›</Text>
      </View>
      <View className="home-staff-note">
        <Text>
          {staff.name}（{ROLE_LABELS[staff.role]}）
          {data
            ? ` · 急事待受理 ${data.requests.emergencies} · 今日待签到 ${data.queue.booked}`
            : ' · 急事、预约、咨询与回访'}
        </Text>
      </View>
    </Card>
  )
}
