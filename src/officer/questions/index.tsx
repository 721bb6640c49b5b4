/**
 * 在线咨询 (首问责任) — residents' online questions as staff see them: the ones nobody has taken
 * yet, the caller's own, and (leaders, supervisors) every open one. The first officer to open a
 * question becomes its owner (首问责任人) and keeps it until it is answered; a hand-off names the
 * new owner and a reason. Response times are shown, as supervisors read them.
 * Every action is checked on the server (feedback function); this page only offers what fits.
 */
import { Input, Text, Textarea, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import type { FeedbackOutputs, QuestionStaffView } from '../../../types/feedback'
import type { StaffView } from '../../../types/staff-admin'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { Pending } from '../../components/states'
import { useResult } from '../../components/use-result'
import { StaffOnly } from '../../components/staff-only'
import { Chip } from '../../components/ui'
import { Button } from '../../components/ui'
import { useSubmit } from '../../components/use-submit'
import '../../components/staff-ui.css'
import './index.css'

type Officer = FeedbackOutputs['questions']['officers'][number]

/** "45分钟", "2小时5分钟", "1天3小时" */
function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes))
  if (m < 60) return `${m}分钟`
  if (m < 24 * 60) return `${Math.floor(m / 60)}小时${m % 60 ? `${m % 60}分钟` : ''}`
  const h = Math.floor(m / 60)
  return `${Math.floor(h / 24)}天${h % 24 ? `${h % 24}小时` : ''}`
}

export default function QuestionsPage() {
  return <StaffOnly>{(me) => <Questions me={me} />}</StaffOnly>
}

function Questions({ me }: { me: StaffView }) {
  const list = useResult(() => call('feedback', 'questions', {}), 'questions')
  useDidShow(() => list.reload())
  const [message, setMessage] = useState<string | undefined>()
  const changed = (text?: string) => {
    if (text) setMessage(text)
    list.reload()
  }
  if (list.status !== 'ok') return <Pending result={list} />
  const { items, officers } = list.data
  const mine = (q: QuestionStaffView) => q.ownerStaffId === me.staffId
  const groups = [
    { key: 'unowned', title: '等待民警认领', items: items.filter((q) => q.status === 'asked') },
    { key: 'mine', title: '我负责答复的', items: items.filter((q) => q.status === 'owned' && mine(q)) },
    {
      key: 'others',
      title: '其他民警正在答复',
      items: items.filter((q) => q.status === 'owned' && !mine(q))
    },
    { key: 'answered', title: '已答复', items: items.filter((q) => q.status === 'answered') }
  ]
  return (
    <PageShell testId="officer-questions">
      <View className="qa staff-page">
        <View className="section-title">
          <Text>
            在线咨询 · {me.stationName ?? '本所'} · {me.name}
          </Text>
        </View>
        <View className="muted qa-hint">
          <Text>
            首问责任：第一位打开咨询的民警即为首问责任人，负责到答复为止；确需转交，须指定接手的民警并写明理由。
          </Text>
        </View>
        {message ? (
          <View className="notice" role="status" data-testid="questions-message">
            <Text>{message}</Text>
          </View>
        ) : null}
        {items.length === 0 ? (
          <View className="notice" data-testid="no-questions">
            <Text>现在没有群众的在线咨询。</Text>
          </View>
        ) : null}
        {groups.map((g) =>
          g.items.length > 0 ? (
            <View key={g.key} data-testid={`questions-${g.key}`}>
              <View className="section-title">
                <Text>
                  {g.title}（{g.items.length}）
                </Text>
              </View>
              {g.items.map((q) => (
                <QuestionCard key={q._id} q={q} me={me} officers={officers} onChanged={changed} />
              ))}
            </View>
          ) : null
        )}
        <Button variant="secondary" onClick={() => list.reload()} testId="questions-refresh">
          刷新
        </Button>
      </View>
    </PageShell>
  )
}

function QuestionCard({
  q,
  me,
  officers,
  onChanged
}: {
  q: QuestionStaffView
  me: StaffView
  officers: Officer[]
  onChanged: (message?: string) => void
}) {
  const [answer, setAnswer] = useState('')
  const [transferring, setTransferring] = useState(false)
  const [to, setTo] = useState<string | undefined>()
  const [reason, setReason] = useState('')
  const sending = useSubmit()
  const busy = sending.busy
  const [error, setError] = useState<string | undefined>()
  const owner = q.ownerStaffId === me.staffId
  const handOffs = q.owners.filter((o) => o.reason)

  async function open() {
    if (busy) return
    const res = await sending.submit(() => call('feedback', 'openQuestion', { id: q._id }))
    if (!res.ok) return setError(res.error.message)
    setError(undefined)
    // The card may move to another group (or leave the list), so the outcome is said page-wide.
    onChanged(
      res.data.ownerStaffId === me.staffId
        ? '您是首问责任人，请及时答复'
        : `这条咨询已由${res.data.ownerName ?? '其他民警'}负责（首问责任），无需您答复`
    )
  }

  async function submitAnswer() {
    if (busy) return
    if (!answer.trim()) return setError('请填写答复内容')
    const res = await sending.submit(() => call('feedback', 'answer', { id: q._id, answer: answer.trim() }))
    if (!res.ok) return setError(res.error.message)
    setError(undefined)
    onChanged('已答复，群众可在小程序中查看')
  }

  async function transfer() {
    if (busy) return
    if (!to) return setError('请选择接手的民警')
    if (!reason.trim()) return setError('请写明转交理由')
    const res = await sending.submit(() =>
      call('feedback', 'transfer', { id: q._id, toStaffId: to, reason: reason.trim() })
    )
    if (!res.ok) return setError(res.error.message)
    setError(undefined)
    setTransferring(false)
    onChanged(
      `已转交给${res.data.ownerName ?? officers.find((o) => o.staffId === to)?.name ?? '接手的民警'}，由其负责答复`
    )
  }

  const waited =
    q.firstResponseMinutes === undefined && q.status === 'asked'
      ? (Date.now() - Date.parse(q.createdAt)) / 60_000
      : undefined
  return (
    <View
      className={q.status === 'asked' ? 'card qa-card qa-card-new' : 'card qa-card'}
      data-testid="question"
      data-id={q._id}
      data-status={q.status}
    >
      <View className="staff-head">
        <Text className="badge badge-blue" data-testid="question-status">
          {q.statusText}
        </Text>
        <Text className="muted">{q.createdAtLocal}</Text>
      </View>
      {q.serviceName ? (
        <View className="muted">
          <Text>事项：{q.serviceName}</Text>
        </View>
      ) : null}
      <View className="qa-question" data-testid="question-text">
        <Text>{q.question}</Text>
      </View>
      <View className={owner ? 'qa-owner qa-owner-me' : 'qa-owner'} data-testid="question-owner">
        <Text>{owner ? '您是首问责任人' : q.ownerName ? `由${q.ownerName}负责` : '尚无民警认领'}</Text>
      </View>
      <View className="muted" data-testid="question-times">
        <Text>
          {[
            q.firstResponseMinutes !== undefined
              ? `首次响应用时 ${formatMinutes(q.firstResponseMinutes)}`
              : '',
            q.answerMinutes !== undefined ? `答复用时 ${formatMinutes(q.answerMinutes)}` : '',
            waited !== undefined && waited >= 0 ? `群众已等待 ${formatMinutes(waited)}` : ''
          ]
            .filter(Boolean)
            .join(' · ')}
        </Text>
      </View>
      {handOffs.length > 0 ? (
        <View className="muted" data-testid="question-handoffs">
          {handOffs.map((o) => (
            <View key={`${o.staffId}-${o.at}`}>
              <Text>
                {o.byName ? `${o.byName}转交` : '转交'}给{o.name}：{o.reason}
              </Text>
            </View>
          ))}
        </View>
      ) : null}
      {q.answer ? (
        <View className="qa-answer" data-testid="question-answer">
          <Text>答复：{q.answer}</Text>
        </View>
      ) : null}

      {q.status === 'asked' ? (
        <Button className="qa-action" onClick={() => void open()} busy={busy} testId="open-question">
          {busy ? '正在打开…' : '打开并负责答复'}
        </Button>
      ) : null}
      {q.canAnswer ? (
        <View className="staff-form">
          <Textarea
            className="form-textarea"
            value={answer}
            maxlength={500}
            placeholder="答复群众（群众在小程序中可见）"
            onInput={(e) => setAnswer(e.detail.value)}
            data-testid="answer-text"
          />
          <Button
            className="qa-action"
            onClick={() => void submitAnswer()}
            busy={busy}
            testId="submit-answer"
          >
            {busy ? '正在提交…' : '提交答复'}
          </Button>
        </View>
      ) : null}
      {q.canTransfer && !transferring ? (
        <View className="link-button" onClick={() => setTransferring(true)} data-testid="transfer-open">
          <Text>不属本人职责？转交其他民警</Text>
        </View>
      ) : null}
      {q.canTransfer && transferring ? (
        <View className="staff-form" data-testid="transfer-form">
          <View className="muted">
            <Text>接手的民警：</Text>
          </View>
          <View className="qa-chips">
            {officers
              .filter((o) => o.staffId !== q.ownerStaffId)
              .map((o) => (
                <Chip
                  pill
                  on={o.staffId === to}
                  key={o.staffId}
                  role="radio"
                  ariaChecked={o.staffId === to}
                  onClick={() => setTo(o.staffId)}
                  testId={`transfer-to-${o.staffId}`}
                >
                  <Text>{o.name}</Text>
                </Chip>
              ))}
          </View>
          <Input
            className="form-input"
            value={reason}
            maxlength={100}
            placeholder="转交理由，如：涉及户口迁移，由内勤民警答复"
            onInput={(e) => setReason(e.detail.value)}
            data-testid="transfer-reason"
          />
          <View className="qa-row">
            <Button
              className="qa-action qa-grow"
              onClick={() => void transfer()}
              busy={busy}
              testId="submit-transfer"
            >
              {busy ? '正在转交…' : '确认转交'}
            </Button>
            <Button
              variant="secondary"
              className="qa-grow"
              onClick={() => setTransferring(false)}
              testId="cancel-transfer"
            >
              取消
            </Button>
          </View>
        </View>
      ) : null}
      {error ? (
        <View className="form-error" role="alert" data-testid="question-error">
          <Text>{error}</Text>
        </View>
      ) : null}
    </View>
  )
}
