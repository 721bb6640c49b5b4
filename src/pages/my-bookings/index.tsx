/**
 * "My appointments": upcoming first, then the resident's waitlist entries (候补: waiting, booked
 * when a place freed, ended, each with a leave button while it waits), then the past ones.
 */
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import {
  STATUS_LABELS,
  WAITLIST_STATUS_LABELS,
  type AppointmentOutputs,
  type AppointmentView,
  type WaitlistEntryView
} from '../../../types/appointment'
import { formatLocalDate, localDate, localTime } from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { Async, Empty } from '../../components/states'
import { Badge, Button, Card, type BadgeTone } from '../../components/ui'
import { useResult } from '../../components/use-result'
import { useSubmit } from '../../components/use-submit'
import { navigate } from '../../navigation'
import './index.css'

export default function MyBookings() {
  const mine = useResult(() => call('appointment', 'mine', {}), 'mine')
  const waitlist = useResult(() => call('appointment', 'myWaitlist', {}), 'myWaitlist')
  useDidShow(() => {
    mine.reload()
    waitlist.reload()
  })

  return (
    <Async result={mine}>
      {(data) => (
        <PageShell testId="my-bookings">
          <Bookings
            {...data}
            waitlist={waitlist.status === 'ok' ? waitlist.data : []}
            onChanged={() => {
              mine.reload()
              waitlist.reload()
            }}
          />
        </PageShell>
      )}
    </Async>
  )
}

function Bookings({
  upcoming,
  past,
  suspendedUntil,
  waitlist,
  onChanged
}: AppointmentOutputs['mine'] & { waitlist: WaitlistEntryView[]; onChanged: () => void }) {
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
      {waitlist.length > 0 ? (
        <>
          <View className="section-title">
            <Text>我的候补</Text>
          </View>
          {waitlist.map((e) => (
            <WaitlistItem key={e._id} e={e} onChanged={onChanged} />
          ))}
        </>
      ) : null}
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

const WAITLIST_TONES: Record<WaitlistEntryView['status'], BadgeTone> = {
  waiting: 'orange',
  promoted: 'green',
  left: 'plain',
  expired: 'plain',
  skipped: 'red'
}

/** One waitlist entry: while it waits, a leave button (asked first); once booked, a link to the booking. */
function WaitlistItem({ e, onChanged }: { e: WaitlistEntryView; onChanged: () => void }) {
  const leaving = useSubmit()
  const [left, setLeft] = useState<WaitlistEntryView | undefined>()
  const entry = left ?? e

  async function leave() {
    const sure = await Taro.showModal({
      title: '退出候补',
      content: `退出后不再为您自动预约 ${formatLocalDate(entry.date)} ${entry.start}，确定退出吗？`,
      confirmText: '确定退出',
      cancelText: '继续候补'
    })
    if (!sure.confirm) return
    const res = await leaving.submit(() => call('appointment', 'leaveWaitlist', { entryId: entry._id }))
    if (res.ok) {
      setLeft(res.data)
      onChanged()
    }
  }

  return (
    <Card className="booking-item waitlist-item" testId="waitlist-item" dataId={entry._id}>
      <View className="booking-item-head">
        <Text className="service-name">{entry.serviceName}</Text>
        <Badge tone={WAITLIST_TONES[entry.status]} testId="waitlist-status">
          {WAITLIST_STATUS_LABELS[entry.status]}
        </Badge>
      </View>
      <View className="muted">
        <Text>
          {formatLocalDate(entry.date)} {entry.start}–{entry.end} · 办事人 {entry.applicant.name}
        </Text>
      </View>
      {entry.status === 'waiting' ? (
        <View className="muted">
          <Text>有人取消或改约时自动为您预约，当天 {localTime(entry.closesAt)} 截止</Text>
        </View>
      ) : null}
      {entry.status === 'skipped' && entry.reason ? (
        <View className="muted" data-testid="waitlist-reason">
          <Text>{entry.reason}</Text>
        </View>
      ) : null}
      {entry.status === 'expired' ? (
        <View className="muted">
          <Text>预约截止时仍没有空出的名额，候补已结束</Text>
        </View>
      ) : null}
      {leaving.error ? (
        <View className="form-problem" role="alert">
          <Text>{leaving.error}</Text>
        </View>
      ) : null}
      {entry.status === 'waiting' ? (
        <Button
          variant="secondary"
          className="waitlist-action"
          busy={leaving.busy}
          onClick={() => void leave()}
          testId="leave-waitlist"
        >
          {leaving.busy ? '正在退出…' : '退出候补'}
        </Button>
      ) : null}
      {entry.status === 'promoted' && entry.appointmentId ? (
        <Button
          variant="secondary"
          className="waitlist-action"
          onClick={() => navigate('pages/booking-detail/index', { id: entry.appointmentId as string })}
          testId="open-promoted"
        >
          查看预约
        </Button>
      ) : null}
    </Card>
  )
}
