/** "My appointments": upcoming first, then the past ones, each opening its detail. */
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { STATUS_LABELS, type AppointmentOutputs, type AppointmentView } from '../../../types/appointment'
import { formatLocalDate, localDate } from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { Async, Empty } from '../../components/states'
import { Badge, Card } from '../../components/ui'
import { useResult } from '../../components/use-result'
import { navigate } from '../../navigation'
import './index.css'

export default function MyBookings() {
  const mine = useResult(() => call('appointment', 'mine', {}), 'mine')
  useDidShow(() => mine.reload())

  return (
    <Async result={mine}>
      {(data) => (
        <PageShell testId="my-bookings">
          <Bookings {...data} />
        </PageShell>
      )}
    </Async>
  )
}

function Bookings({ upcoming, past, suspendedUntil }: AppointmentOutputs['mine']) {
  return (
    <>
      {suspendedUntil ? (
        <Card className="notice-card" role="alert">
          <Text>
            因多次预约未到场，在线预约暂停至 {localDate(suspendedUntil)}。如需办理，可直接到窗口取号。
          </Text>
        </Card>
      ) : null}
      <View className="section-title">
        <Text>即将办理</Text>
      </View>
      {upcoming.length === 0 ? (
        <Empty testId="no-upcoming">暂无预约。可在首页选择事项后预约。</Empty>
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
    </>
  )
}

function Item({ a }: { a: AppointmentView }) {
  return (
    <Card
      className="booking-item"
      testId="booking-item"
      onClick={() => navigate('pages/booking-detail/index', { id: a._id })}
    >
      <View className="booking-item-head">
        <Text className="service-name">{a.serviceName}</Text>
        <Badge tone="blue">{STATUS_LABELS[a.status]}</Badge>
      </View>
      <View className="muted">
        <Text>
          {formatLocalDate(a.date)} {a.start}–{a.end}
          {a.kind === 'extended' ? ` · ${a.label ?? '延时服务'}` : ''} · 预约码 {a.code}
        </Text>
      </View>
    </Card>
  )
}
