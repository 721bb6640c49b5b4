/**
 * 评价与差评回访 — ratings (政务服务“好差评”) as staff read them, and the follow-up of every bad
 * review (不满意 / 非常不满意).
 * - Officers: the ratings of their own cases over a period (default the last 30 days).
 * - Leaders and supervisors: the follow-ups (open / overdue / all) — call the resident back within
 *   1 working day, record the verification, the rectification and the reply within 15 — and the
 *   station's ratings; either may exclude a malicious or mistaken review, with a reason.
 * Every action is checked on the server (rating function); this page only offers what fits.
 * Opened with `?status=overdue` (the dashboard's link) it shows that list of follow-ups first.
 */
import { Text, Textarea, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { FINDINGS, type Finding, type FollowUpStaffView, type RatingView } from '../../../types/ratings'
import type { StaffView } from '../../../types/staff-admin'
import { addDays, deadlineText, localDate } from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { Pending } from '../../components/states'
import { useResult } from '../../components/use-result'
import { manages, StaffOnly } from '../../components/staff-only'
import { Chip } from '../../components/ui'
import { Button } from '../../components/ui'
import { useSubmit } from '../../components/use-submit'
import '../../components/staff-ui.css'
import './index.css'

type Tab = 'followUps' | 'ratings'
type FollowUpFilter = 'open' | 'overdue' | 'all'
const FILTERS: { key: FollowUpFilter; label: string }[] = [
  { key: 'open', label: '未办结' },
  { key: 'overdue', label: '已超期' },
  { key: 'all', label: '全部' }
]
const PERIODS = [
  { key: '7', label: '近7天' },
  { key: '30', label: '近30天' },
  { key: 'year', label: '今年' }
] as const
type PeriodKey = (typeof PERIODS)[number]['key']
const FINDING_KEYS = Object.keys(FINDINGS) as Finding[]

function periodOf(key: PeriodKey): { from: string; to: string } {
  const to = localDate(Date.now())
  if (key === 'year') return { from: `${to.slice(0, 4)}-01-01`, to }
  return { from: addDays(to, -(Number(key) - 1)), to }
}

function filterOf(value: string | undefined): FollowUpFilter {
  return value === 'overdue' || value === 'all' ? value : 'open'
}

export default function RatingsPage() {
  const { params } = useRouter()
  return (
    <StaffOnly>
      {(me) => (
        <Ratings
          me={me}
          initialFilter={filterOf(params.status)}
          initialTab={params.tab === 'ratings' ? 'ratings' : 'followUps'}
        />
      )}
    </StaffOnly>
  )
}

function Ratings({
  me,
  initialFilter,
  initialTab
}: {
  me: StaffView
  initialFilter: FollowUpFilter
  initialTab: Tab
}) {
  const leads = manages(me)
  const [tab, setTab] = useState<Tab>(leads ? initialTab : 'ratings')
  return (
    <PageShell testId="officer-ratings">
      <View className="rt staff-page">
        <View className="section-title" data-testid="ratings-me">
          <Text>
            {me.stationName ?? '本所'} · {me.name}
          </Text>
        </View>
        {leads ? (
          <View className="rt-tabs" role="tablist">
            <View
              className={tab === 'followUps' ? 'rt-tab rt-tab-on' : 'rt-tab'}
              role="tab"
              aria-selected={tab === 'followUps'}
              onClick={() => setTab('followUps')}
              data-testid="tab-follow-ups"
            >
              <Text>差评回访整改</Text>
            </View>
            <View
              className={tab === 'ratings' ? 'rt-tab rt-tab-on' : 'rt-tab'}
              role="tab"
              aria-selected={tab === 'ratings'}
              onClick={() => setTab('ratings')}
              data-testid="tab-ratings"
            >
              <Text>全部评价</Text>
            </View>
          </View>
        ) : null}
        {leads && tab === 'followUps' ? <FollowUps initial={initialFilter} /> : null}
        {tab === 'ratings' ? <RatingList leads={leads} /> : null}
      </View>
    </PageShell>
  )
}

function FollowUps({ initial }: { initial: FollowUpFilter }) {
  const [status, setStatus] = useState<FollowUpFilter>(initial)
  const [message, setMessage] = useState<string | undefined>()
  const list = useResult(() => call('rating', 'followUps', { status }), `followUps-${status}`)
  useDidShow(() => list.reload())
  const changed = (text: string) => {
    setMessage(text)
    list.reload()
  }
  return (
    <View>
      <View className="rt-chips">
        {FILTERS.map((f) => (
          <Chip
            pill
            on={f.key === status}
            key={f.key}
            role="radio"
            ariaChecked={f.key === status}
            onClick={() => setStatus(f.key)}
            testId={`follow-up-filter-${f.key}`}
          >
            <Text>{f.label}</Text>
          </Chip>
        ))}
      </View>
      <View className="muted rt-hint">
        <Text>差评须在1个工作日内回访居民，15个工作日内核实、整改并答复；超期会提醒督察。</Text>
      </View>
      {message ? (
        <View className="notice" role="status" data-testid="ratings-message">
          <Text>{message}</Text>
        </View>
      ) : null}
      <Pending result={list} />
      {list.status === 'ok' && list.data.items.length === 0 ? (
        <View className="notice" data-testid="no-follow-ups">
          <Text>
            {status === 'overdue'
              ? '没有超期的差评回访。'
              : status === 'open'
                ? '没有待办的差评回访。'
                : '还没有差评回访记录。'}
          </Text>
        </View>
      ) : null}
      {list.status === 'ok'
        ? list.data.items.map((f) => <FollowUpCard key={f._id} f={f} onChanged={changed} />)
        : null}
    </View>
  )
}

function Line({ label, children, testId }: { label: string; children: string; testId?: string }) {
  return (
    <View className="rt-line" data-testid={testId}>
      <Text className="rt-label">{label}：</Text>
      <Text>{children}</Text>
    </View>
  )
}

function FollowUpCard({ f, onChanged }: { f: FollowUpStaffView; onChanged: (message: string) => void }) {
  const [note, setNote] = useState('')
  const [finding, setFinding] = useState<Finding | undefined>()
  const [rectification, setRectification] = useState('')
  const [reply, setReply] = useState('')
  const sending = useSubmit()
  const busy = sending.busy
  const [error, setError] = useState<string | undefined>()

  async function callBack() {
    if (busy) return
    if (!note.trim()) return setError('请填写回访情况')
    const res = await sending.submit(() =>
      call('rating', 'callBack', { followUpId: f._id, note: note.trim() })
    )
    if (!res.ok) return setError(res.error.message)
    setError(undefined)
    onChanged('已记录回访，请核实并整改后答复居民')
  }

  async function submitReply() {
    if (busy) return
    if (!finding) return setError('请选择核实情况')
    if (!rectification.trim()) return setError('请填写整改措施')
    if (!reply.trim()) return setError('请填写给居民的答复')
    const res = await sending.submit(() =>
      call('rating', 'reply', {
        followUpId: f._id,
        finding,
        rectification: rectification.trim(),
        reply: reply.trim()
      })
    )
    if (!res.ok) return setError(res.error.message)
    setError(undefined)
    onChanged('已答复居民，等待居民对整改情况评价')
  }

  const contact = f.mobile ?? f.mobileMasked
  return (
    <View
      className={f.overdue ? 'card rt-card rt-card-overdue' : 'card rt-card'}
      data-testid="follow-up"
      data-id={f._id}
      data-status={f.status}
    >
      <View className="rt-head">
        <Text className="rt-level" data-testid="follow-up-level">
          {f.levelText}
        </Text>
        <Text className="badge badge-orange" data-testid="follow-up-status">
          {f.statusText}
        </Text>
      </View>
      {f.overdue ? (
        <View className="rt-overdue" role="alert" data-testid="follow-up-overdue">
          <Text>⚠ 已超期：{f.overdue === 'callback' ? '未在期限内回访居民' : '未在期限内答复居民'}</Text>
        </View>
      ) : null}
      <Line label="业务">{`${f.caseType} · ${f.serviceName}`}</Line>
      <Line label="窗口">{`${f.stationName}${f.officerName ? ` · 经办：${f.officerName}` : ''}`}</Line>
      <Line label="评价时间">{f.ratedAtLocal}</Line>
      {f.tagTexts.length > 0 ? (
        <Line label="标签" testId="follow-up-tags">
          {f.tagTexts.join('、')}
        </Line>
      ) : null}
      {f.comment ? (
        <Line label="居民留言" testId="follow-up-comment">
          {`“${f.comment}”`}
        </Line>
      ) : null}
      <View className="rt-deadlines" data-testid="follow-up-deadlines">
        <Line label="回访期限">{`${deadlineText(f.callbackDueAt)}（1个工作日）`}</Line>
        <Line label="答复期限">{`${deadlineText(f.replyDueAt)}（15个工作日）`}</Line>
        {f.deadlineProvisional ? (
          <View className="muted" data-testid="follow-up-provisional">
            <Text>节假日表尚未覆盖期限所在日期，暂按周一至周五计算，发布后以节假日表为准。</Text>
          </View>
        ) : null}
      </View>
      {contact ? (
        <View className="rt-line" data-testid="follow-up-contact">
          <Text className="rt-label">联系居民：</Text>
          <Text>{f.contactName ? `${f.contactName} ` : ''}</Text>
          {f.mobile ? (
            <Text
              className="staff-phone"
              onClick={() => void Taro.makePhoneCall({ phoneNumber: f.mobile ?? '' }).catch(() => undefined)}
              data-testid="follow-up-mobile"
            >
              {f.mobile}（点击拨打）
            </Text>
          ) : (
            <Text data-testid="follow-up-mobile">{f.mobileMasked}</Text>
          )}
        </View>
      ) : null}

      {(
        [
          ['回访记录', f.callNote, 'follow-up-call-note'],
          ['核实情况', f.findingText, 'follow-up-finding'],
          ['整改措施', f.rectification, 'follow-up-rectification'],
          ['答复居民', f.reply, 'follow-up-reply'],
          ['剔除理由', f.excludedReason, 'follow-up-excluded-reason']
        ] as const
      ).map(([label, value, testId]) =>
        value ? (
          <Line key={testId} label={label} testId={testId}>
            {value}
          </Line>
        ) : null
      )}

      {f.status === 'open' ? (
        <View className="staff-form">
          <Textarea
            className="form-textarea"
            value={note}
            maxlength={300}
            placeholder="回访情况：何时电话联系、居民反映的问题、沟通结果"
            onInput={(e) => setNote(e.detail.value)}
            data-testid="call-note"
          />
          <Button onClick={() => void callBack()} busy={busy} testId="submit-call-back">
            {busy ? '正在保存…' : '已回访，记录回访情况'}
          </Button>
        </View>
      ) : null}
      {f.status === 'called' ? (
        <View className="staff-form">
          <View className="rt-label">
            <Text>核实情况</Text>
          </View>
          <View className="rt-chips">
            {FINDING_KEYS.map((k) => (
              <Chip
                pill
                on={finding === k}
                key={k}
                role="radio"
                ariaChecked={finding === k}
                onClick={() => setFinding(k)}
                testId={`finding-${k}`}
              >
                <Text>{FINDINGS[k]}</Text>
              </Chip>
            ))}
          </View>
          <Textarea
            className="form-textarea"
            value={rectification}
            maxlength={500}
            placeholder="整改措施（内部记录）"
            onInput={(e) => setRectification(e.detail.value)}
            data-testid="rectification"
          />
          <Textarea
            className="form-textarea"
            value={reply}
            maxlength={500}
            placeholder="给居民的答复（居民在小程序中可见）"
            onInput={(e) => setReply(e.detail.value)}
            data-testid="reply-text"
          />
          <Button onClick={() => void submitReply()} busy={busy} testId="submit-reply">
            {busy ? '正在保存…' : '提交整改并答复居民'}
          </Button>
        </View>
      ) : null}
      {f.status === 'replied' ? (
        <View className="muted rt-line" data-testid="follow-up-waiting">
          <Text>已答复居民，等待居民对整改情况评价。</Text>
        </View>
      ) : null}
      {f.status === 'closed' ? (
        <View className="rt-line" data-testid="follow-up-rectification-level">
          <Text className="rt-label">居民对整改的评价：</Text>
          <Text className="rt-strong">{f.rectificationText ?? '未评价'}</Text>
        </View>
      ) : null}
      {error ? (
        <View className="form-error" role="alert" data-testid="follow-up-error">
          <Text>{error}</Text>
        </View>
      ) : null}
      {f.status !== 'excluded' ? (
        <Exclude ratingId={f.ratingId} onExcluded={() => onChanged('已剔除这条评价，理由已记录，督察可见')} />
      ) : null}
    </View>
  )
}

/** Excluding a malicious or mistaken review: a reason of at least 5 characters, then a confirmation. */
function Exclude({ ratingId, onExcluded }: { ratingId: string; onExcluded: () => void }) {
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [confirming, setConfirming] = useState(false)
  const sending = useSubmit()
  const busy = sending.busy
  const [error, setError] = useState<string | undefined>()

  function ask() {
    if (reason.trim().length < 5) return setError('请写明剔除理由（至少5个字）')
    setError(undefined)
    setConfirming(true)
  }

  async function exclude() {
    if (busy) return
    const res = await sending.submit(() => call('rating', 'exclude', { ratingId, reason: reason.trim() }))
    setConfirming(false)
    if (!res.ok) return setError(res.error.message)
    setError(undefined)
    setOpen(false)
    onExcluded()
  }

  if (!open) {
    return (
      <View className="link-button" onClick={() => setOpen(true)} data-testid="exclude-open">
        <Text>恶意或误评？剔除这条评价</Text>
      </View>
    )
  }
  return (
    <View className="staff-form rt-exclude" data-testid="exclude-form">
      <Textarea
        className="form-textarea"
        value={reason}
        maxlength={300}
        placeholder="剔除理由（至少5个字，督察可见），如：经核实为误操作，居民已确认"
        onInput={(e) => setReason(e.detail.value)}
        data-testid="exclude-reason"
      />
      {confirming ? (
        <View className="rt-confirm" role="alertdialog" data-testid="exclude-confirm">
          <View>
            <Text>剔除后这条评价不再计入满意度，但仍保留并向督察公开理由。确定剔除吗？</Text>
          </View>
          <View className="rt-row">
            <Button variant="danger" onClick={() => void exclude()} busy={busy} testId="confirm-exclude">
              {busy ? '正在剔除…' : '确定剔除'}
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)} testId="cancel-exclude">
              再想想
            </Button>
          </View>
        </View>
      ) : (
        <View className="rt-row">
          <Button variant="danger" onClick={ask} testId="submit-exclude">
            剔除
          </Button>
          <Button
            variant="secondary"
            onClick={() => (setOpen(false), setError(undefined))}
            testId="cancel-exclude"
          >
            取消
          </Button>
        </View>
      )}
      {error ? (
        <View className="form-error" role="alert" data-testid="exclude-error">
          <Text>{error}</Text>
        </View>
      ) : null}
    </View>
  )
}

function RatingList({ leads }: { leads: boolean }) {
  const [period, setPeriod] = useState<PeriodKey>('30')
  const [badOnly, setBadOnly] = useState(false)
  const [message, setMessage] = useState<string | undefined>()
  const { from, to } = periodOf(period)
  const list = useResult(
    () => call('rating', 'list', { from, to, ...(badOnly ? { badOnly } : {}) }),
    `list-${from}-${to}-${badOnly}`
  )
  useDidShow(() => list.reload())
  const counted = list.status === 'ok' ? list.data.filter((r) => !r.excluded) : []
  return (
    <View>
      <View className="rt-chips">
        {PERIODS.map((p) => (
          <Chip
            pill
            on={p.key === period}
            key={p.key}
            role="radio"
            ariaChecked={p.key === period}
            onClick={() => setPeriod(p.key)}
            testId={`rating-period-${p.key}`}
          >
            <Text>{p.label}</Text>
          </Chip>
        ))}
        <Chip
          pill
          on={badOnly}
          role="checkbox"
          ariaChecked={badOnly}
          onClick={() => setBadOnly((b) => !b)}
          testId="rating-bad-only"
        >
          <Text>{badOnly ? '✓ ' : ''}只看差评</Text>
        </Chip>
      </View>
      <View className="muted rt-hint">
        <Text>
          {from} 至 {to}
          {leads ? '' : ' · 您经办业务的评价'}
        </Text>
      </View>
      {message ? (
        <View className="notice" role="status" data-testid="ratings-message">
          <Text>{message}</Text>
        </View>
      ) : null}
      <Pending result={list} />
      {list.status === 'ok' ? (
        <View className="card" data-testid="ratings-summary">
          <Text>
            共 {list.data.length} 条评价，差评 {counted.filter((r) => r.bad).length} 条
            {list.data.length > counted.length ? `，已剔除 ${list.data.length - counted.length} 条` : ''}
          </Text>
        </View>
      ) : null}
      {list.status === 'ok' && list.data.length === 0 ? (
        <View className="notice" data-testid="no-ratings">
          <Text>这段时间还没有评价。</Text>
        </View>
      ) : null}
      {list.status === 'ok'
        ? list.data.map((r) => (
            <RatingCard
              key={r._id}
              r={r}
              leads={leads}
              onExcluded={() => {
                setMessage('已剔除这条评价，理由已记录，督察可见')
                list.reload()
              }}
            />
          ))
        : null}
    </View>
  )
}

function RatingCard({ r, leads, onExcluded }: { r: RatingView; leads: boolean; onExcluded: () => void }) {
  return (
    <View
      className={r.bad && !r.excluded ? 'card rt-card rt-card-bad' : 'card rt-card'}
      data-testid="rating-item"
      data-id={r._id}
    >
      <View className="rt-head">
        <Text className="rt-level" data-testid="rating-level">
          {r.levelText}
        </Text>
        {r.bad ? <Text className="badge badge-orange">差评</Text> : null}
        {r.excluded ? (
          <Text className="badge" data-testid="rating-excluded">
            已剔除
          </Text>
        ) : null}
      </View>
      <Line label="业务">{`${r.caseType} · ${r.serviceName}`}</Line>
      <Line label="窗口">{`${r.stationName}${r.officerName ? ` · 经办：${r.officerName}` : ''}`}</Line>
      <Line label="评价时间">{r.ratedAtLocal}</Line>
      {r.tagTexts.length > 0 ? <Line label="标签">{r.tagTexts.join('、')}</Line> : null}
      {r.comment ? <Line label="居民留言">{`“${r.comment}”`}</Line> : null}
      {r.excluded ? (
        <Line label="剔除理由" testId="rating-excluded-reason">
          {`${r.excluded.reason}（${r.excluded.by}）`}
        </Line>
      ) : null}
      {leads && !r.excluded ? <Exclude ratingId={r._id} onExcluded={onExcluded} /> : null}
    </View>
  )
}
