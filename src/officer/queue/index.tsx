/**
 * 今日预约 — the on-duty officer's day queue: the station's appointments of the day by slot, with
 * their status in words; check-in by the resident's booking code (typed here, or scanned on
 * WeChat); start, finish with a note, no-show once the check-in window has passed. Every action
 * is checked on the server (staff function); a resident who opens this page is refused.
 * Open emergencies, after-hours requests and home visits come first, above the appointments, each
 * with how long it has waited. The day's counts head the list; the other staff pages are reached
 * from the workbench (officer/workbench), which counts what waits on each.
 */
import { Input, Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { formatBookingCode } from '../../../types/booking-code'
import { formatLocalDate } from '../../../types/time'
import { waitText } from '../../../types/requests'
import type { QueueItem, StaffOutputs, StaffView } from '../../../types/staff-admin'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { StaffOnly } from '../../components/staff-only'
import { Async, Empty } from '../../components/states'
import { useResult } from '../../components/use-result'
import { Badge, Button, Card, cx, Field } from '../../components/ui'
import { useSubmit } from '../../components/use-submit'
import { navigate } from '../../navigation'
import { useServerNow } from '../workbench/clock'
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
  useDidShow(() => queue.reload())

  async function checkIn(typed: string) {
    if (checking.busy) return
    if (!typed.trim()) return setMessage('请输入居民出示的预约码')
    const res = await checking.submit(() => call('staff', 'checkIn', { code: typed }))
    if (!res.ok) return setMessage(res.error.message)
    setMessage(
      `已签到：${res.data.applicantName}（${res.data.start} ${res.data.serviceName}）${res.data.prereviewed ? '，材料已预审' : ''}`
    )
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
      <Card className="form queue-checkin">
        <Field label="预约码" hint="预约时段开始前30分钟至开始后15分钟可签到">
          <Input
            className="form-input"
            placeholder="居民出示的预约码，如 K7P 29X"
            value={code}
            maxlength={10}
            onInput={(e) => setCode(e.detail.value)}
            onConfirm={() => void checkIn(code)}
            data-testid="checkin-code"
          />
        </Field>
        <View className="queue-actions">
          <Button
            busy={checking.busy}
            className="queue-action"
            onClick={() => void checkIn(code)}
            testId="checkin-submit"
          >
            {checking.busy ? '正在签到…' : '签到'}
          </Button>
          {canScan ? (
            <Button
              variant="secondary"
              className="queue-action"
              onClick={() => void scan()}
              testId="checkin-scan"
            >
              扫码签到
            </Button>
          ) : null}
        </View>
      </Card>
      {message ? (
        <View className="notice" role="status" data-testid="queue-message">
          <Text>{message}</Text>
        </View>
      ) : null}
      <OpenRequests stationId={stationId} />
      <Async result={queue}>
        {(data) => <Slots data={data} onChanged={(text) => (setMessage(text), queue.reload())} />}
      </Async>
      <Button
        variant="secondary"
        className="queue-workbench"
        onClick={() => navigate('officer/workbench/index')}
        testId="queue-workbench-link"
      >
        工作台：提醒、咨询、评价与回访
      </Button>
    </PageShell>
  )
}

/**
 * The station's open requests (emergencies first, as the requests function orders them), each with
 * how long it has waited — moving on while the page shows.
 */
function OpenRequests({ stationId }: { stationId: string }) {
  const open = useResult(() => call('requests', 'open', { stationId }), `open-${stationId}`)
  useDidShow(() => open.reload())
  const now = useServerNow(open.status === 'ok' ? open.data.at : undefined)
  if (open.status !== 'ok' || open.data.requests.length === 0) return null
  return (
    <View data-testid="queue-open-requests">
      <View className="section-title">
        <Text>待处理的求助（{open.data.requests.length}）</Text>
      </View>
      {open.data.requests.map((r) => {
        const late = r.acceptBy !== undefined && Date.parse(r.acceptBy) <= now
        return (
          <Card
            key={r._id}
            className={cx('queue-item', 'queue-request', r.kind === 'emergency' && 'queue-emergency')}
            role="button"
            testId="queue-open-request"
            onClick={() => navigate('officer/requests/index', { id: r._id })}
          >
            <View className="queue-head">
              <Text className="queue-name">
                {r.kindLabel} · {r.categoryLabel}
              </Text>
              <Badge tone={r.status === 'submitted' ? 'orange' : 'green'}>{r.statusLabel}</Badge>
            </View>
            <View className={cx('muted', r.status === 'submitted' && late && 'queue-late')}>
              <Text data-testid="queue-request-wait">
                {r.status === 'submitted'
                  ? `已等待 ${waitText(r.createdAt, now)}${late ? '，已超过受理时限' : ''}`
                  : `已受理${r.officerName ? ` · ${r.officerName}` : ''}`}
              </Text>
            </View>
          </Card>
        )
      })}
    </View>
  )
}

function Slots({ data, onChanged }: { data: StaffOutputs['today']; onChanged: (message: string) => void }) {
  const { counts } = data
  return (
    <View>
      <View className="section-title">
        <Text>{formatLocalDate(data.date)} 的预约</Text>
      </View>
      <Card className="queue-summary" testId="queue-summary">
        {(
          [
            ['booked', '待签到'],
            ['checked_in', '已签到'],
            ['done', '已办结'],
            ['no_show', '未到场']
          ] as const
        ).map(([status, label]) => (
          <View key={status} className="queue-figure" data-testid={`queue-count-${status}`}>
            <Text className="queue-figure-value">{counts[status]}</Text>
            <Text className="queue-figure-label">{label}</Text>
          </View>
        ))}
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
      <View className="queue-head">
        <Text className="queue-name">{item.applicantName}</Text>
        {item.prereviewed ? (
          <Badge tone="green" className="queue-prereviewed" testId={`prereviewed-${item.code}`}>
            材料已预审
          </Badge>
        ) : null}
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
      {item.actions.length > 0 ? (
        <View className="queue-actions">
          {item.actions.includes('start') ? (
            <Button
              busy={acting.busy}
              className="queue-action"
              onClick={() => void act('start')}
              testId={`start-${item.code}`}
            >
              开始办理
            </Button>
          ) : null}
          {item.actions.includes('finish') ? (
            <Button
              busy={acting.busy}
              className="queue-action"
              onClick={() => void act('finish')}
              testId={`finish-${item.code}`}
            >
              办结
            </Button>
          ) : null}
          {item.actions.includes('noShow') ? (
            <Button
              variant="warning"
              busy={acting.busy}
              className="queue-action"
              onClick={() => void act('noShow')}
              testId={`noshow-${item.code}`}
            >
              标记未到场
            </Button>
          ) : null}
        </View>
      ) : null}
      {acting.error ? (
        <View className="notice" role="alert">
          <Text>{acting.error}</Text>
        </View>
      ) : null}
    </Card>
  )
}
