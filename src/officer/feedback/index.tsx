/**
 * 意见簿 / 警民联系箱 — residents' suggestions, complaints and praise to the station, as leaders and
 * supervisors read them (unanswered first), with the reply the resident reads in the app.
 * Anonymous entries show 匿名 and never who wrote them; others show the contact the resident gave.
 * Officers are told the box is answered by the station's leaders. Every action is checked on the
 * server (feedback function).
 */
import { Text, Textarea, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import type { FeedbackStaffView } from '../../../types/feedback'
import type { StaffView } from '../../../types/staff-admin'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { Pending } from '../../components/states'
import { useResult } from '../../components/use-result'
import { manages, StaffOnly } from '../../components/staff-only'
import { Chip } from '../../components/ui'
import { useSubmit } from '../../components/use-submit'
import { Button } from '../../components/ui'
import '../../components/staff-ui.css'
import './index.css'

type Filter = 'all' | 'submitted' | 'replied'
const FILTERS: { key: Filter; label: string }[] = [
  { key: 'all', label: '全部' },
  { key: 'submitted', label: '待回复' },
  { key: 'replied', label: '已回复' }
]

export default function FeedbackPage() {
  return <StaffOnly>{(me) => <Feedback me={me} />}</StaffOnly>
}

function Feedback({ me }: { me: StaffView }) {
  return (
    <PageShell testId="officer-feedback">
      <View className="fb staff-page">
        <View className="section-title">
          <Text>
            意见簿 · {me.stationName ?? '本所'} · {me.name}
          </Text>
        </View>
        {manages(me) ? (
          <Entries />
        ) : (
          <View className="notice" data-testid="feedback-leaders-only">
            <Text>意见簿由所领导阅处并答复群众。群众对您的意见，所领导会当面转达。</Text>
          </View>
        )}
      </View>
    </PageShell>
  )
}

function Entries() {
  const [status, setStatus] = useState<Filter>('all')
  const [message, setMessage] = useState<string | undefined>()
  const list = useResult(() => call('feedback', 'list', { status }), `feedback-${status}`)
  useDidShow(() => list.reload())
  const waiting = list.status === 'ok' ? list.data.filter((f) => f.status === 'submitted').length : 0
  return (
    <View>
      <View className="fb-chips">
        {FILTERS.map((f) => (
          <Chip
            pill
            on={f.key === status}
            key={f.key}
            role="radio"
            ariaChecked={f.key === status}
            onClick={() => setStatus(f.key)}
            testId={`feedback-filter-${f.key}`}
          >
            <Text>{f.label}</Text>
          </Chip>
        ))}
      </View>
      {message ? (
        <View className="notice" role="status" data-testid="feedback-message">
          <Text>{message}</Text>
        </View>
      ) : null}
      <Pending result={list} />
      {list.status === 'ok' ? (
        <View className="muted fb-hint" data-testid="feedback-summary">
          <Text>
            共 {list.data.length} 条{waiting > 0 ? `，${waiting} 条待回复` : ''}
          </Text>
        </View>
      ) : null}
      {list.status === 'ok' && list.data.length === 0 ? (
        <View className="notice" data-testid="no-feedback">
          <Text>没有群众留言。</Text>
        </View>
      ) : null}
      {list.status === 'ok'
        ? list.data.map((f) => (
            <Entry
              key={f._id}
              f={f}
              onReplied={() => {
                setMessage('已回复，群众可在小程序中查看')
                list.reload()
              }}
            />
          ))
        : null}
    </View>
  )
}

function Entry({ f, onReplied }: { f: FeedbackStaffView; onReplied: () => void }) {
  const [reply, setReply] = useState('')
  const sending = useSubmit()
  const busy = sending.busy
  const [error, setError] = useState<string | undefined>()

  async function submit() {
    if (busy) return
    if (!reply.trim()) return setError('请填写回复内容')
    const res = await sending.submit(() => call('feedback', 'reply', { id: f._id, reply: reply.trim() }))
    if (!res.ok) return setError(res.error.message)
    setError(undefined)
    onReplied()
  }

  return (
    <View
      className={f.status === 'submitted' ? 'card fb-card fb-card-new' : 'card fb-card'}
      data-testid="feedback-item"
      data-id={f._id}
      data-status={f.status}
    >
      <View className="staff-head">
        <Text className="fb-kind" data-testid="feedback-kind">
          {f.kindText}
        </Text>
        <Text
          className={f.status === 'submitted' ? 'badge badge-orange' : 'badge badge-green'}
          data-testid="feedback-status"
        >
          {f.statusText}
        </Text>
      </View>
      <View className="fb-content" data-testid="feedback-content">
        <Text>{f.content}</Text>
      </View>
      <View className="muted" data-testid="feedback-author">
        <Text>{f.createdAtLocal} · </Text>
        {f.anonymous ? (
          <Text>匿名</Text>
        ) : (
          <Text>
            {f.contactName ?? '未留姓名'}
            {f.mobile ? ' · ' : ' · 未留电话'}
          </Text>
        )}
        {!f.anonymous && f.mobile ? (
          <Text
            className="staff-phone"
            onClick={() => void Taro.makePhoneCall({ phoneNumber: f.mobile ?? '' }).catch(() => undefined)}
            data-testid="feedback-mobile"
          >
            {f.mobile}（点击拨打）
          </Text>
        ) : null}
      </View>
      {f.reply ? (
        <View className="fb-reply" data-testid="feedback-reply">
          <Text>
            回复{f.repliedBy ? `（${f.repliedBy}）` : ''}：{f.reply}
          </Text>
        </View>
      ) : (
        <View className="staff-form">
          <Textarea
            className="form-textarea"
            value={reply}
            maxlength={500}
            placeholder="回复群众（群众在小程序中可见）"
            onInput={(e) => setReply(e.detail.value)}
            data-testid="feedback-reply-text"
          />
          <Button onClick={() => void submit()} busy={busy} testId="submit-feedback-reply">
            {busy ? '正在提交…' : '回复'}
          </Button>
        </View>
      )}
      {error ? (
        <View className="form-error" role="alert" data-testid="feedback-error">
          <Text>{error}</Text>
        </View>
      ) : null}
    </View>
  )
}
