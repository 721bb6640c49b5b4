/**
 * 今日预约 — the on-duty officer's day queue: the station's appointments of the day by slot, with
 * their status in words; check-in by the resident's booking code (typed here, or scanned on
 * WeChat); start, finish with a note, no-show once the check-in window has passed. Every action
 * is checked on the server (staff function); a resident who opens this page is refused.
 * Open emergencies, after-hours requests and home visits come first, above the appointments.
 */
import { Input, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import { formatBookingCode } from '../../../types/booking-code'
import { ERROR_MESSAGES } from '../../../types/errors'
import type { QueueItem, StaffOutputs, StaffView } from '../../../types/staff-admin'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { ErrorState, Loading } from '../../components/states'
import { useResult } from '../../components/use-result'
import { canScan, scanBookingCode } from './scan'
import './index.css'

/** A supervisor who oversees every station (no station of their own) sees the demo station's queue. */
const DEFAULT_STATION = 'st-yunxi-chengguan'

export default function OfficerQueue() {
  const me = useResult(() => call('staff', 'me', {}), 'me')
  if (me.status === 'loading') return <Loading />
  if (me.status === 'error') return <ErrorState error={me.error} onRetry={me.reload} />
  if (me.data.role === 'resident')
    return <ErrorState error={{ code: 'FORBIDDEN', message: ERROR_MESSAGES.FORBIDDEN }} />
  return <Queue me={me.data} />
}

function Queue({ me }: { me: StaffView }) {
  const stationId = me.stationId || DEFAULT_STATION
  const queue = useResult(() => call('staff', 'today', { stationId }), `today-${stationId}`)
  const [code, setCode] = useState('')
  const [message, setMessage] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)

  async function checkIn(typed: string) {
    if (busy) return
    if (!typed.trim()) return setMessage('请输入居民出示的预约码')
    setBusy(true)
    const res = await call('staff', 'checkIn', { code: typed })
    setBusy(false)
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
    <PageShell testId="officer-queue">
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
        <View
          className="button-primary"
          onClick={() => void checkIn(code)}
          data-testid="checkin-submit"
          aria-disabled={busy}
        >
          <Text>{busy ? '正在签到…' : '签到'}</Text>
        </View>
        {canScan ? (
          <View className="button-secondary" onClick={() => void scan()} data-testid="checkin-scan">
            <Text>扫码签到</Text>
          </View>
        ) : null}
      </View>
      {message ? (
        <View className="notice" role="status" data-testid="queue-message">
          <Text>{message}</Text>
        </View>
      ) : null}
      <View
        className="button-secondary"
        onClick={() => void Taro.navigateTo({ url: '/officer/inbox/index' })}
        data-testid="queue-alerts-link"
      >
        <Text>值班提醒与微信提醒次数</Text>
      </View>
      <View className="queue-links">
        <View
          className="button-secondary"
          onClick={() => void Taro.navigateTo({ url: '/officer/questions/index' })}
          data-testid="queue-questions-link"
        >
          <Text>在线咨询</Text>
        </View>
        <View
          className="button-secondary"
          onClick={() => void Taro.navigateTo({ url: '/officer/ratings/index' })}
          data-testid="queue-ratings-link"
        >
          <Text>{me.role === 'officer' ? '群众评价' : '评价与差评回访'}</Text>
        </View>
        {me.role !== 'officer' ? (
          <View
            className="button-secondary"
            onClick={() => void Taro.navigateTo({ url: '/officer/feedback/index' })}
            data-testid="queue-feedback-link"
          >
            <Text>意见簿</Text>
          </View>
        ) : null}
        {me.role !== 'officer' ? (
          <View
            className="button-secondary"
            onClick={() => void Taro.navigateTo({ url: '/supervisor/dashboard/index' })}
            data-testid="queue-dashboard-link"
          >
            <Text>服务评价与业务量</Text>
          </View>
        ) : null}
      </View>
      <OpenRequests stationId={stationId} />
      {queue.status === 'loading' ? <Loading /> : null}
      {queue.status === 'error' ? <ErrorState error={queue.error} onRetry={queue.reload} /> : null}
      {queue.status === 'ok' ? (
        <Slots data={queue.data} onChanged={(text) => (setMessage(text), queue.reload())} />
      ) : null}
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
        <View
          key={r._id}
          className="card queue-item"
          data-testid="queue-open-request"
          onClick={() => void Taro.navigateTo({ url: `/officer/requests/index?id=${r._id}` })}
        >
          <Text className="queue-name">
            {r.kindLabel} · {r.categoryLabel}
          </Text>
          <Text className={r.status === 'submitted' ? 'badge badge-orange' : 'badge badge-green'}>
            {r.statusLabel}
          </Text>
        </View>
      ))}
    </View>
  )
}

function Slots({ data, onChanged }: { data: StaffOutputs['today']; onChanged: (message: string) => void }) {
  const { counts } = data
  return (
    <View>
      <View className="card queue-summary" data-testid="queue-summary">
        <Text>{data.date}</Text>
        <Text className="badge badge-blue">待签到 {counts.booked}</Text>
        <Text className="badge badge-orange">已签到 {counts.checked_in}</Text>
        <Text className="badge badge-green">已办结 {counts.done}</Text>
        <Text className="badge">未到场 {counts.no_show}</Text>
      </View>
      {data.slots.length === 0 ? (
        <View className="notice" data-testid="queue-empty">
          <Text>今天没有预约</Text>
        </View>
      ) : null}
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
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | undefined>()

  async function act(action: 'start' | 'finish' | 'noShow') {
    if (busy) return
    setBusy(true)
    const res =
      action === 'finish'
        ? await call('staff', 'finish', {
            appointmentId: item._id,
            ...(note.trim() ? { note: note.trim() } : {})
          })
        : await call('staff', action, { appointmentId: item._id })
    setBusy(false)
    if (!res.ok) return setError(res.error.message)
    setError(undefined)
    const done = { start: '开始办理', finish: '已办结，已邀请居民评价', noShow: '已标记未到场' }[action]
    onChanged(`${res.data.applicantName}：${done}${res.data.changed ? '' : '（同事已处理）'}`)
  }

  return (
    <View className="card queue-item" data-testid={`queue-item-${item.code}`}>
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
        <View
          className="button-secondary"
          onClick={() => void act('start')}
          data-testid={`start-${item.code}`}
        >
          <Text>开始办理</Text>
        </View>
      ) : null}
      {item.actions.includes('finish') ? (
        <View
          className="button-primary"
          onClick={() => void act('finish')}
          data-testid={`finish-${item.code}`}
        >
          <Text>办结</Text>
        </View>
      ) : null}
      {item.actions.includes('noShow') ? (
        <View
          className="button-warning"
          onClick={() => void act('noShow')}
          data-testid={`noshow-${item.code}`}
        >
          <Text>标记未到场</Text>
        </View>
      ) : null}
      {error ? (
        <View className="notice" role="alert">
          <Text>{error}</Text>
        </View>
      ) : null}
    </View>
  )
}
