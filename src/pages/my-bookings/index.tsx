/** "My appointments": upcoming first, then the past ones, each opening its detail. */
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { STATUS_LABELS, type AppointmentView } from '../../../types/appointment'
import { formatLocalDate, localDate } from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { ErrorState, Loading } from '../../components/states'
import { useResult } from '../../components/use-result'
import './index.css'

export default function MyBookings() {
  const mine = useResult(() => call('appointment', 'mine', {}), 'mine')
  useDidShow(() => mine.reload())

  if (mine.status === 'loading') return <Loading />
  if (mine.status === 'error') return <ErrorState error={mine.error} onRetry={mine.reload} />
  const { upcoming, past, suspendedUntil } = mine.data
  return (
    <PageShell testId="my-bookings">
      {suspendedUntil ? (
        <View className="card notice-card" role="alert">
          <Text>
            因多次预约未到场，在线预约暂停至 {localDate(suspendedUntil)}。如需办理，可直接到窗口取号。
          </Text>
        </View>
      ) : null}
      <View className="section-title">
        <Text>即将办理</Text>
      </View>
      {upcoming.length === 0 ? (
        <View className="notice" data-testid="no-upcoming">
          <Text>暂无预约。可在首页选择事项后预约。</Text>
        </View>
      ) : (
        upcoming.map((a) => <Item key={a._id} a={a} />)
      )}
      {past.length > 0 ? (
        <>
          <View className="section-title">
            <Text>以往预约</Text>
          </View>
          {past.map((a) => (
            <Item key={a._id} a={a} />
          ))}
        </>
      ) : null}
    </PageShell>
  )
}

function Item({ a }: { a: AppointmentView }) {
  return (
    <View
      className="card booking-item"
      data-testid="booking-item"
      onClick={() => void Taro.navigateTo({ url: `/pages/booking-detail/index?id=${a._id}` })}
    >
      <View className="booking-item-head">
        <Text className="service-name">{a.serviceName}</Text>
        <Text className="badge badge-blue">{STATUS_LABELS[a.status]}</Text>
      </View>
      <View className="muted">
        <Text>
          {formatLocalDate(a.date)} {a.start}–{a.end}
          {a.kind === 'extended' ? ` · ${a.label ?? '延时服务'}` : ''} · 预约码 {a.code}
        </Text>
      </View>
    </View>
  )
}
