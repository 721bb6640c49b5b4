/**
 * 今日预约 — the on-duty officer's day queue: the station's appointments of the day by slot, with
 * their status in words; check-in by the resident's booking code (typed here, or scanned on
 * WeChat); start, finish with a note, no-show once the check-in window has passed. Every action
 * is checked on the server (staff function); a resident who opens this page is refused.
 * Open emergencies, after-hours requests and home visits come first, above the appointments.
 */
import { Input, Text, View } from '@tarojs/components'
import { useState } from 'react'
import { formatBookingCode } from '../../../types/booking-code'
import type { QueueItem, StaffOutputs, StaffView } from '../../../types/staff-admin'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { StaffOnly } from '../../components/staff-only'
import { Async, Empty } from '../../components/states'
import { useResult } from '../../components/use-result'
import { Badge, Button, Card } from '../../components/ui'
import { useSubmit } from '../../components/use-submit'
import { navigate } from '../../navigation'
import { canScan, scanBookingCode } from './scan'
import './index.css'

/** A supervisor who oversees every station (no station of their own) sees the demo station's queue. */
const DEFAULT_STATION = 'st-yunxi-chengguan'

export default function OfficerQueue() {
  return <StaffOnly>{(me) => <Queue me={me} />}</StaffOnly>
}

function Queue({ me }: { me: StaffView }) {
  const stationId = me.stationId || DEFAULT_STATION
  const queue = useResult(() => call('staff', 'today', { stationId }), `today-${stationId}`)
  const [code, setCode] = useState('')
  const [message, setMessage] = useState<string | undefined>()
  const checking = useSubmit()

  async function checkIn(typed: string) {
    if (checking.busy) return
    if (!typed.trim()) return setMessage('请输入居民出示的预约码')
    const res = await checking.submit(() => call('staff', 'checkIn', { code: typed }))
    if (!res.ok) return setMessage(res.error.message)
    setMessage(`已签到：${res.data.applicantName}（${res.data.start} ${res.data.serviceName}）`)
    setCode('')
    queue.reload()
  }

  async function scan() {
    const read = await scanBookingCode()
    if (read) await checkIn(read)
  }

  return (
    <PageShell testId="officer-queue" className="officer-queue">
      <View className="section-title">
        <Text>
          {me.stationName ?? '本所'} · {me.name}
        </Text>
      </View>
      <View className="card form">
        <View className="muted">
          <Text>请居民出示预约码，输入后签到（预约时段开始前30分钟至开始后15分钟可签到）</Text>
        </View>
        <Input
          className="form-input"
          placeholder="预约码，如 K7P 29X"
          value={code}
          maxlength={10}
          onInput={(e) => setCode(e.detail.value)}
          onConfirm={() => void checkIn(code)}
          data-testid="checkin-code"
        />
        <Button busy={checking.busy} onClick={() => void checkIn(code)} testId="checkin-submit">
          {checking.busy ? '正在签到…' : '签到'}
        </Button>
        {canScan ? (
          <Button variant="secondary" onClick={() => void scan()} testId="checkin-scan">
            扫码签到
          </Button>
        ) : null}
      </View>
      {message ? (
        <View className="notice" role="status" data-testid="queue-message">
          <Text>{message}</Text>
        </View>
      ) : null}
      <Button
        variant="secondary"
        className="queue-link"
        onClick={() => navigate('officer/inbox/index')}
        testId="queue-alerts-link"
      >
        值班提醒与微信提醒次数
      </Button>
      <View className="queue-links">
        <Button
          variant="secondary"
          onClick={() => navigate('officer/questions/index')}
          testId="queue-questions-link"
        >
          在线咨询
        </Button>
        <Button
          variant="secondary"
          onClick={() => navigate('officer/ratings/index')}
          testId="queue-ratings-link"
        >
          {me.role === 'officer' ? '群众评价' : '评价与差评回访'}
        </Button>
        {me.role !== 'officer' ? (
          <Button
            variant="secondary"
            onClick={() => navigate('officer/feedback/index')}
            testId="queue-feedback-link"
          >
            意见簿
          </Button>
        ) : null}
        {me.role !== 'officer' ? (
          <Button
            variant="secondary"
            onClick={() => navigate('supervisor/dashboard/index')}
            testId="queue-dashboard-link"
          >
            服务评价与业务量
          </Button>
        ) : null}
      </View>
      <OpenRequests stationId={stationId} />
      <Async result={queue}>
        {(data) => <Slots data={data} onChanged={(text) => (setMessage(text), queue.reload())} />}
      </Async>
    </PageShell>
  )
}

/** The station's open requests (emergencies first, as the requests function orders them). */
function OpenRequests({ stationId }: { stationId: string }) {
  const open = useResult(() => call('requests', 'open', { stationId }), `open-${stationId}`)
  if (open.status !== 'ok' || open.data.requests.length === 0) return null
  return (
    <View data-testid="queue-open-requests">
      <View className="section-title">
        <Text>待处理的求助（{open.data.requests.length}）</Text>
      </View>
      {open.data.requests.map((r) => (
        <Card
          key={r._id}
          className="queue-item"
          testId="queue-open-request"
          onClick={() => navigate('officer/requests/index', { id: r._id })}
        >
          <Text className="queue-name">
            {r.kindLabel} · {r.categoryLabel}
          </Text>
          <Badge tone={r.status === 'submitted' ? 'orange' : 'green'}>{r.statusLabel}</Badge>
        </Card>
      ))}
    </View>
  )
}

function Slots({ data, onChanged }: { data: StaffOutputs['today']; onChanged: (message: string) => void }) {
  const { counts } = data
  return (
    <View>
      <Card className="queue-summary" testId="queue-summary">
        <Text>{data.date}</Text>
        <Badge tone="blue">待签到 {counts.booked}</Badge>
        <Badge tone="orange">已签到 {counts.checked_in}</Badge>
        <Badge tone="green">已办结 {counts.done}</Badge>
        <Badge tone="plain">未到场 {counts.no_show}</Badge>
      </Card>
      {data.slots.length === 0 ? <Empty testId="queue-empty">今天没有预约</Empty> : null}
      {data.slots.map((slot) => (
        <View key={`${slot.start}-${slot.kind}`}>
          <View className="section-title">
            <Text>
              {slot.start}–{slot.end}
              {slot.label ? ` ${slot.label}` : ''}
            </Text>
          </View>
          {slot.items.map((item) => (
            <Item key={item._id} item={item} onChanged={onChanged} />
          ))}
        </View>
      ))}
    </View>
  )
}

function Item({ item, onChanged }: { item: QueueItem; onChanged: (message: string) => void }) {
  const [note, setNote] = useState('')
  const acting = useSubmit()

  async function act(action: 'start' | 'finish' | 'noShow') {
    if (acting.busy) return
    const res = await acting.submit(() =>
      action === 'finish'
        ? call('staff', 'finish', {
            appointmentId: item._id,
            ...(note.trim() ? { note: note.trim() } : {})
          })
        : call('staff', action, { appointmentId: item._id })
    )
    if (!res.ok) return
    const done = { start: '开始办理', finish: '已办结，已邀请居民评价', noShow: '已标记未到场' }[action]
    onChanged(`${res.data.applicantName}：${done}${res.data.changed ? '' : '（同事已处理）'}`)
  }

  return (
    <Card className="queue-item" testId={`queue-item-${item.code}`}>
      <View>
        <Text className="queue-name">{item.applicantName}</Text>
        <Text className="status-label" data-testid={`status-${item.code}`}>
          {item.statusLabel}
        </Text>
      </View>
      <View className="muted">
        <Text>
          {item.serviceName} · 手机 {item.mobileMasked} · 预约码{' '}
          <Text className="queue-code">{formatBookingCode(item.code)}</Text>
        </Text>
      </View>
      {item.note ? (
        <View className="muted">
          <Text>备注：{item.note}</Text>
        </View>
      ) : null}
      {item.actions.includes('finish') ? (
        <Input
          className="form-input"
          placeholder="办理备注（可不填）"
          value={note}
          maxlength={200}
          onInput={(e) => setNote(e.detail.value)}
          data-testid={`note-${item.code}`}
        />
      ) : null}
      {item.actions.includes('start') ? (
        <Button variant="secondary" onClick={() => void act('start')} testId={`start-${item.code}`}>
          开始办理
        </Button>
      ) : null}
      {item.actions.includes('finish') ? (
        <Button onClick={() => void act('finish')} testId={`finish-${item.code}`}>
          办结
        </Button>
      ) : null}
      {item.actions.includes('noShow') ? (
        <Button variant="warning" onClick={() => void act('noShow')} testId={`noshow-${item.code}`}>
          标记未到场
        </Button>
      ) : null}
      {acting.error ? (
        <View className="notice" role="alert">
          <Text>{acting.error}</Text>
        </View>
      ) : null}
    </Card>
  )
}
