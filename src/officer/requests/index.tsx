/**
 * 求助受理 (officers and leaders): the station's open emergency, after-hours and home-visit
 * requests, emergencies first, each with how long it has waited (ticking while the page shows) and
 * by when the station should take it. An officer accepts with a time and place, or declines with a
 * reason and what the resident can do instead, and records it done; a leader assigns a home visit
 * to an officer and a time. 今天 / 本周 list the requests closed since, with their outcome. Every
 * action is checked on the server against the staff collection.
 */
import { Input, Picker, Text, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { useState } from 'react'
import {
  waitText,
  type HandledRequest,
  type HistoryPeriod,
  type RequestsOutputs,
  type StaffRequestView
} from '../../../types/requests'
import type { Result } from '../../../types/result'
import {
  addDays,
  deadlineText,
  formatLocalDate,
  instantAt,
  localDate,
  localDateTime,
  localTime
} from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { Async, Empty } from '../../components/states'
import { useResult } from '../../components/use-result'
import { Badge, Button, Card, Chip, cx, Field, FormError } from '../../components/ui'
import { useSubmit } from '../../components/use-submit'
import { useServerNow } from '../workbench/clock'
import './index.css'

type Open = RequestsOutputs['open']
type Mode = 'accept' | 'decline' | 'done' | 'assign'
type Tab = 'open' | HistoryPeriod

/** How far ahead an agreed or visit time may be (the server refuses beyond 60 days). */
const MAX_DAYS_AHEAD = 60

export default function OfficerRequests() {
  const open = useResult(() => call('requests', 'open', {}), 'open')
  const [tab, setTab] = useState<Tab>('open')
  useDidShow(() => open.reload())
  const count = open.status === 'ok' ? open.data.requests.length : undefined
  return (
    <PageShell testId="officer-requests" className="officer-requests">
      <View className="chips requests-tabs" role="tablist">
        {(
          [
            ['open', count === undefined ? '待处理' : `待处理（${count}）`],
            ['today', '今天'],
            ['week', '本周']
          ] as const
        ).map(([key, label]) => (
          <Chip
            key={key}
            pill
            on={tab === key}
            role="tab"
            ariaChecked={tab === key}
            testId={`requests-tab-${key}`}
            onClick={() => setTab(key)}
          >
            {label}
          </Chip>
        ))}
      </View>
      {tab === 'open' ? (
        <Async result={open}>{(data) => <Requests data={data} reload={open.reload} />}</Async>
      ) : (
        <History period={tab} />
      )}
    </PageShell>
  )
}

function Requests({ data, reload }: { data: Open; reload: () => void }) {
  const { requests } = data
  const now = useServerNow(data.at)
  const highlighted = useRouter().params.id
  return (
    <View>
      {requests.length === 0 ? (
        <Empty testId="no-open-requests">现在没有待处理的求助。</Empty>
      ) : (
        requests.map((r) => (
          <RequestCard
            key={r._id}
            r={r}
            data={data}
            now={now}
            highlighted={r._id === highlighted}
            reload={reload}
          />
        ))
      )}
      <Button variant="secondary" className="requests-refresh" onClick={reload} testId="refresh">
        刷新
      </Button>
    </View>
  )
}

/**
 * The time agreed with the resident (Shanghai): a quick choice, or a day and a time picked. Only a
 * time actually chosen is shown as chosen — nothing is highlighted before.
 */
function TimeChoice({
  value,
  now,
  onChange
}: {
  value: string | undefined
  now: number
  onChange: (iso: string) => void
}) {
  const round = (ms: number) => new Date(Math.ceil(ms / 600_000) * 600_000).toISOString()
  const today = localDate(now)
  const quick = [
    { key: '30m', label: '30分钟后', at: round(now + 30 * 60_000) },
    { key: '1h', label: '1小时后', at: round(now + 60 * 60_000) },
    { key: '2h', label: '2小时后', at: round(now + 120 * 60_000) },
    { key: 'morning', label: '明早 08:30', at: instantAt(addDays(today, 1), '08:30').toISOString() }
  ]
  const [day, setDay] = useState<string | undefined>(undefined)
  const date = value ? localDate(value) : (day ?? today)
  const pickTime = (time: string) => onChange(instantAt(date, time).toISOString())
  const pickDay = (d: string) => {
    setDay(d)
    if (value) onChange(instantAt(d, localTime(value)).toISOString())
  }
  return (
    <View>
      <View className="chips">
        {quick.map((q) => (
          <Chip
            key={q.key}
            on={value === q.at}
            ariaChecked={value === q.at}
            role="radio"
            testId={`time-${q.key}`}
            onClick={() => onChange(q.at)}
          >
            {q.label}
          </Chip>
        ))}
      </View>
      <View className="muted requests-or">
        <Text>或选择日期和时间：</Text>
      </View>
      <View className="requests-pickers">
        <Picker
          mode="date"
          value={date}
          start={today}
          end={addDays(today, MAX_DAYS_AHEAD)}
          onChange={(e) => pickDay(String(e.detail.value))}
        >
          <View className="form-input picker-value" data-testid="pick-date">
            <Text>{formatLocalDate(date)}</Text>
          </View>
        </Picker>
        <Picker
          mode="time"
          value={value ? localTime(value) : '09:00'}
          onChange={(e) => pickTime(String(e.detail.value))}
        >
          <View className="form-input picker-value" data-testid="pick-time">
            <Text>{value ? localTime(value) : '选择时间'}</Text>
          </View>
        </Picker>
      </View>
      <View className={cx('requests-chosen', !value && 'muted')}>
        <Text data-testid="chosen-time">
          {value
            ? `已选：${localDateTime(value)}（${formatLocalDate(localDate(value)).split(' ')[1] ?? ''}）`
            : '还没有选择时间'}
        </Text>
      </View>
    </View>
  )
}

/** How long it has waited and by when it should be taken, or what was agreed. */
function Timing({ r, now }: { r: StaffRequestView; now: number }) {
  if (r.status === 'submitted') {
    const late = r.acceptBy !== undefined && Date.parse(r.acceptBy) <= now
    return (
      <View className="request-line request-timing" data-testid="officer-request-wait">
        <Text className={cx('request-wait', (late || r.kind === 'emergency') && 'request-wait-urgent')}>
          已等待 {waitText(r.createdAt, now)}
        </Text>
        {r.acceptBy ? (
          <Text className={cx('request-deadline', late && 'request-wait-urgent')}>
            {late
              ? ` · 已超过受理时限 ${waitText(r.acceptBy, now)}`
              : ` · 请在${deadlineText(r.acceptBy)}受理`}
          </Text>
        ) : null}
      </View>
    )
  }
  return (
    <View className="muted request-line" data-testid="officer-request-wait">
      <Text>
        {r.acceptedAt ? `受理用时 ${waitText(r.createdAt, r.acceptedAt)}` : ''}
        {r.agreedAt && Date.parse(r.agreedAt) > now ? ` · 距约定时间还有 ${waitText(now, r.agreedAt)}` : ''}
      </Text>
    </View>
  )
}

const ACTION_LABELS: Record<Mode, string> = {
  accept: '受理',
  assign: '指派上门',
  decline: '不能受理',
  done: '办结'
}

function RequestCard({
  r,
  data,
  now,
  highlighted,
  reload
}: {
  r: StaffRequestView
  data: Open
  now: number
  highlighted: boolean
  reload: () => void
}) {
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
  const actions: Mode[] = !canAct
    ? []
    : r.status === 'submitted'
      ? [
          ...(r.kind !== 'home_visit' ? (['accept'] as const) : []),
          ...(r.kind === 'home_visit' && me.role === 'leader' ? (['assign'] as const) : []),
          'decline'
        ]
      : canDone
        ? ['done']
        : []

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

  function choose(next: Mode | undefined) {
    setMode(next)
    setInvalid(undefined)
    form.setError(undefined)
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
      className={cx(
        'request-item',
        r.kind === 'emergency' && 'request-emergency',
        highlighted && 'request-highlighted'
      )}
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
      <Timing r={r} now={now} />
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

      {actions.length > 0 && !mode ? (
        <View className="request-actions">
          {actions.map((a) => (
            <Button
              key={a}
              variant={a === 'decline' ? 'secondary' : 'primary'}
              className="request-action"
              testId={`action-${a}`}
              onClick={() => choose(a)}
            >
              {ACTION_LABELS[a]}
            </Button>
          ))}
        </View>
      ) : null}

      {mode ? (
        <View className="request-form" data-testid={`${mode}-form`}>
          <View className="request-form-title">
            <Text>{ACTION_LABELS[mode]}</Text>
          </View>
          {mode === 'assign' ? (
            <Field label="上门的民警">
              <View className="chips">
                {data.officers.map((o) => (
                  <Chip
                    key={o.staffId}
                    on={o.staffId === officer}
                    role="radio"
                    ariaChecked={o.staffId === officer}
                    onClick={() => setOfficer(o.staffId)}
                  >
                    {o.name}
                  </Chip>
                ))}
              </View>
            </Field>
          ) : null}
          {mode === 'accept' || mode === 'assign' ? (
            <Field label={mode === 'accept' ? '约定办理时间' : '上门时间'}>
              <TimeChoice value={at} now={now} onChange={setAt} />
            </Field>
          ) : null}
          {mode === 'accept' ? (
            <Field label="办理地点">
              <Input
                className="form-input"
                value={place}
                maxlength={40}
                onInput={(e) => setPlace(e.detail.value)}
                data-testid="input-place"
              />
            </Field>
          ) : null}
          {mode === 'decline' ? (
            <>
              <Field label="不能受理的原因">
                <Input
                  className="form-input"
                  value={reason}
                  maxlength={60}
                  placeholder="如：该事项需本人到场采集指纹"
                  onInput={(e) => setReason(e.detail.value)}
                  data-testid="input-reason"
                />
              </Field>
              <Field label="群众可以怎么办">
                <Input
                  className="form-input"
                  value={alternative}
                  maxlength={100}
                  placeholder="如：明早8:30到窗口优先办理"
                  onInput={(e) => setAlternative(e.detail.value)}
                  data-testid="input-alternative"
                />
              </Field>
            </>
          ) : null}
          {mode === 'done' ? (
            <Field label="办理情况（选填）">
              <Input
                className="form-input"
                value={note}
                maxlength={100}
                placeholder="如：死亡证明已开具"
                onInput={(e) => setNote(e.detail.value)}
                data-testid="input-note"
              />
            </Field>
          ) : null}
          {problem ? <FormError testId="officer-problem">{problem}</FormError> : null}
          <View className="request-actions">
            <Button
              variant="secondary"
              className="request-action"
              testId="action-cancel"
              onClick={() => choose(undefined)}
            >
              取消
            </Button>
            <Button
              busy={busy}
              className="request-action"
              testId="action-confirm"
              onClick={() => void submit()}
            >
              {busy ? '正在保存…' : `确认${ACTION_LABELS[mode]}`}
            </Button>
          </View>
        </View>
      ) : null}
    </Card>
  )
}

/** Requests closed today or this week, newest first, with their outcome. */
function History({ period }: { period: HistoryPeriod }) {
  const history = useResult(() => call('requests', 'history', { period }), `history-${period}`)
  useDidShow(() => history.reload())
  return (
    <Async
      result={history}
      isEmpty={(d) => d.requests.length === 0}
      empty={
        <Empty testId="no-history">
          {period === 'today' ? '今天还没有办结或未受理的求助。' : '本周还没有办结或未受理的求助。'}
        </Empty>
      }
    >
      {(data) => (
        <View data-testid="requests-history">
          <View className="section-title">
            <Text>
              {period === 'today' ? '今天' : `本周（${formatLocalDate(data.from)}起）`}已处理{' '}
              {data.requests.length}
              {data.truncated ? '+' : ''} 件
            </Text>
          </View>
          {data.requests.map((h) => (
            <HistoryItem key={h._id} h={h} />
          ))}
        </View>
      )}
    </Async>
  )
}

function HistoryItem({ h }: { h: HandledRequest }) {
  return (
    <Card className="request-item" testId="handled-request" dataId={h._id}>
      <View className="request-item-head">
        <Text className="request-title">
          {h.kindLabel} · {h.categoryLabel}
        </Text>
        <Badge tone={h.status === 'done' ? 'green' : 'plain'} testId="handled-status">
          {h.statusLabel}
        </Badge>
      </View>
      <View className="request-line" data-testid="handled-outcome">
        <Text>
          {h.status === 'done' ? '办理情况' : '原因与建议'}：{h.outcome}
        </Text>
      </View>
      <View className="muted request-line">
        <Text>
          {localDateTime(h.createdAt)} 提交
          {h.acceptedAt ? ` · 受理用时 ${waitText(h.createdAt, h.acceptedAt)}` : ''}
          {h.escalations > 0 ? ` · 催办 ${h.escalations} 次` : ''}
        </Text>
      </View>
      <View className="muted request-line">
        <Text>
          {localDateTime(h.closedAt)} {h.statusLabel}
          {h.closedBy ? ` · ${h.closedBy}` : ''}
          {h.officerName && h.officerName !== h.closedBy ? `（负责：${h.officerName}）` : ''}
        </Text>
      </View>
    </Card>
  )
}
