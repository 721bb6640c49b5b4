/**
 * 求助受理 (officers and leaders): the station's open emergency, after-hours and home-visit
 * requests, emergencies first. An officer accepts with a time and place, or declines with a reason
 * and what the resident can do instead, and records it done; a leader assigns a home visit to an
 * officer and a time. Every action is checked on the server against the staff collection.
 */
import { Input, Picker, Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import type { RequestsOutputs, StaffRequestView } from '../../../types/requests'
import type { Result } from '../../../types/result'
import { addDays, instantAt, localDate, localDateTime, localTime } from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { Async, Empty } from '../../components/states'
import { useResult } from '../../components/use-result'
import { Badge, Button, Card, Chip } from '../../components/ui'
import { useSubmit } from '../../components/use-submit'
import './index.css'

type Open = RequestsOutputs['open']
type Mode = 'accept' | 'decline' | 'done' | 'assign'

export default function OfficerRequests() {
  const open = useResult(() => call('requests', 'open', {}), 'open')
  useDidShow(() => open.reload())
  return <Async result={open}>{(data) => <Requests data={data} reload={open.reload} />}</Async>
}

function Requests({ data, reload }: { data: Open; reload: () => void }) {
  const { requests } = data
  return (
    <PageShell testId="officer-requests">
      <View className="officer-requests">
        <View className="section-title">
          <Text>待处理的求助（{requests.length}）</Text>
        </View>
        {requests.length === 0 ? (
          <Empty testId="no-open-requests">现在没有待处理的求助。</Empty>
        ) : (
          requests.map((r) => <RequestCard key={r._id} r={r} data={data} reload={reload} />)
        )}
        <Button className="requests-refresh" onClick={reload} testId="refresh">
          刷新
        </Button>
      </View>
    </PageShell>
  )
}

/** Quick choices of a time (Shanghai), plus today/tomorrow with a time picker. */
function TimeChoice({ value, onChange }: { value: string | undefined; onChange: (iso: string) => void }) {
  const now = Date.now()
  const round = (ms: number) => new Date(Math.ceil(ms / 600_000) * 600_000).toISOString()
  const quick = [
    { key: '30m', label: '30分钟后', at: round(now + 30 * 60_000) },
    { key: '1h', label: '1小时后', at: round(now + 60 * 60_000) },
    { key: '2h', label: '2小时后', at: round(now + 120 * 60_000) },
    { key: 'morning', label: '明早 08:30', at: instantAt(addDays(localDate(now), 1), '08:30').toISOString() }
  ]
  const [day, setDay] = useState<'today' | 'tomorrow'>('today')
  const date = day === 'today' ? localDate(now) : addDays(localDate(now), 1)
  return (
    <View>
      <View className="chips">
        {quick.map((q) => (
          <Chip key={q.key} on={value === q.at} testId={`time-${q.key}`} onClick={() => onChange(q.at)}>
            {q.label}
          </Chip>
        ))}
      </View>
      <View className="chips">
        {(['today', 'tomorrow'] as const).map((d) => (
          <Chip key={d} on={d === day} onClick={() => setDay(d)}>
            {d === 'today' ? '今天' : '明天'}
          </Chip>
        ))}
        <Picker
          mode="time"
          value={value ? localTime(value) : '09:00'}
          onChange={(e) => onChange(instantAt(date, String(e.detail.value)).toISOString())}
        >
          <Chip>自选时间…</Chip>
        </Picker>
      </View>
      <View className="muted">
        <Text data-testid="chosen-time">{value ? `已选：${localDateTime(value)}` : '请选择时间'}</Text>
      </View>
    </View>
  )
}

function RequestCard({ r, data, reload }: { r: StaffRequestView; data: Open; reload: () => void }) {
  const [mode, setMode] = useState<Mode | undefined>()
  const [at, setAt] = useState<string | undefined>()
  const [place, setPlace] = useState('城关派出所户政窗口')
  const [reason, setReason] = useState('')
  const [alternative, setAlternative] = useState('')
  const [note, setNote] = useState('')
  const [officer, setOfficer] = useState<string | undefined>()
  const [invalid, setInvalid] = useState<string | undefined>()
  const form = useSubmit()
  const problem = invalid ?? form.error
  const busy = form.busy
  const { me } = data
  const handler = r.assignedStaffId ?? r.acceptedByStaffId
  const canAct = me.role === 'officer' || me.role === 'leader'
  const canDone = r.status === 'accepted' && (me.role === 'leader' || handler === me.staffId)

  /** The action the form asks for, or what is missing for it. */
  function action(): string | (() => Promise<Result<unknown>>) {
    if (mode === 'accept') {
      if (!at) return '请选择约定时间'
      if (!place.trim()) return '请填写办理地点'
      return () => call('requests', 'accept', { id: r._id, agreedAt: at, place: place.trim() })
    }
    if (mode === 'decline') {
      if (!reason.trim() || !alternative.trim()) return '请填写原因，并告诉群众可以怎么办'
      return () =>
        call('requests', 'decline', { id: r._id, reason: reason.trim(), alternative: alternative.trim() })
    }
    if (mode === 'assign') {
      if (!officer || !at) return '请选择上门的民警和时间'
      return () => call('requests', 'assign', { id: r._id, officerStaffId: officer, visitAt: at })
    }
    return () => call('requests', 'done', { id: r._id, ...(note.trim() ? { note: note.trim() } : {}) })
  }

  async function submit() {
    if (busy || !mode) return
    const next = action()
    if (typeof next === 'string') return setInvalid(next)
    setInvalid(undefined)
    const res = await form.submit(next)
    if (!res.ok) return
    setMode(undefined)
    void Taro.showToast({ title: '已保存', icon: 'success' })
    reload()
  }

  return (
    <Card
      className={r.kind === 'emergency' ? 'request-item request-emergency' : 'request-item'}
      testId="officer-request"
      dataId={r._id}
    >
      <View className="request-item-head">
        <Text className="request-title">
          {r.kindLabel} · {r.categoryLabel}
        </Text>
        <Badge tone={r.status === 'submitted' ? 'orange' : 'green'} testId="officer-request-status">
          {r.statusLabel}
        </Badge>
      </View>
      <View className="request-line">
        <Text>{r.description}</Text>
      </View>
      <View className="muted request-line">
        <Text>
          联系人：{r.contactName}{' '}
          <Text
            className="link"
            onClick={() => void Taro.makePhoneCall({ phoneNumber: r.mobile }).catch(() => undefined)}
          >
            {r.mobile}
          </Text>
        </Text>
      </View>
      <View className="muted request-line">
        <Text>
          提交于 {localDateTime(r.createdAt)}
          {r.wantedAt ? ` · 希望 ${localDateTime(r.wantedAt)}` : ' · 越快越好'}
        </Text>
      </View>
      {r.address ? (
        <View className="request-line">
          <Text>上门地址：{r.address}</Text>
        </View>
      ) : null}
      {r.agreedAt ? (
        <View className="request-line" data-testid="officer-request-agreed">
          <Text>
            约定：{localDateTime(r.agreedAt)} · {r.place}
            {r.officerName ? ` · ${r.officerName}` : ''}
          </Text>
        </View>
      ) : null}
      {r.escalations.length > 0 ? (
        <View className="request-line escalated" data-testid="officer-request-escalations">
          <Text>
            超时未受理，已催办 {r.escalations.length} 次（最近：
            {localDateTime(r.escalations[r.escalations.length - 1]?.at ?? r.createdAt)}，提醒了
            {r.escalations[r.escalations.length - 1]?.names.join('、')}）
          </Text>
        </View>
      ) : null}

      {canAct ? (
        <View className="actions">
          {r.status === 'submitted' && r.kind !== 'home_visit' ? (
            <Button variant="secondary" testId="action-accept" onClick={() => setMode('accept')}>
              受理
            </Button>
          ) : null}
          {r.status === 'submitted' && r.kind === 'home_visit' && me.role === 'leader' ? (
            <Button variant="secondary" testId="action-assign" onClick={() => setMode('assign')}>
              指派上门
            </Button>
          ) : null}
          {r.status === 'submitted' ? (
            <Button variant="secondary" testId="action-decline" onClick={() => setMode('decline')}>
              不能受理
            </Button>
          ) : null}
          {canDone ? (
            <Button variant="secondary" testId="action-done" onClick={() => setMode('done')}>
              办结
            </Button>
          ) : null}
        </View>
      ) : null}

      {mode === 'accept' ? (
        <View data-testid="accept-form">
          <TimeChoice value={at} onChange={setAt} />
          <Input
            className="form-input"
            value={place}
            maxlength={40}
            placeholder="办理地点"
            onInput={(e) => setPlace(e.detail.value)}
            data-testid="input-place"
          />
        </View>
      ) : null}
      {mode === 'assign' ? (
        <View data-testid="assign-form">
          <View className="chips">
            {data.officers.map((o) => (
              <Chip key={o.staffId} on={o.staffId === officer} onClick={() => setOfficer(o.staffId)}>
                {o.name}
              </Chip>
            ))}
          </View>
          <TimeChoice value={at} onChange={setAt} />
        </View>
      ) : null}
      {mode === 'decline' ? (
        <View data-testid="decline-form">
          <Input
            className="form-input"
            value={reason}
            maxlength={60}
            placeholder="不能受理的原因"
            onInput={(e) => setReason(e.detail.value)}
            data-testid="input-reason"
          />
          <Input
            className="form-input"
            value={alternative}
            maxlength={100}
            placeholder="群众可以怎么办，如：明早8:30到窗口优先办理"
            onInput={(e) => setAlternative(e.detail.value)}
            data-testid="input-alternative"
          />
        </View>
      ) : null}
      {mode === 'done' ? (
        <View data-testid="done-form">
          <Input
            className="form-input"
            value={note}
            maxlength={100}
            placeholder="办理情况（选填）"
            onInput={(e) => setNote(e.detail.value)}
            data-testid="input-note"
          />
        </View>
      ) : null}
      {problem ? (
        <View className="form-problem" role="alert" data-testid="officer-problem">
          <Text>{problem}</Text>
        </View>
      ) : null}
      {mode ? (
        <Button testId="action-confirm" onClick={() => void submit()}>
          {busy ? '正在保存…' : '确认'}
        </Button>
      ) : null}
    </Card>
  )
}
