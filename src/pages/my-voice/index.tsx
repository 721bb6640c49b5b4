/**
 * 我的评价与留言: what the resident told the station and what the station answered — finished
 * cases still to rate, their ratings with the follow-up of bad reviews (and the rectification
 * rating), their feedback entries with replies, their online questions with answers. The reply
 * notice (replyNotice) opens this page. Each list loads on its own, so one failing leaves the
 * others readable.
 */
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import type { ReactNode } from 'react'
import type { FeedbackView, QuestionView } from '../../../types/feedback'
import { localDateTime } from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { FollowUpProgress, RatingSummary, ratingUrl } from '../../components/rating-view'
import { ErrorState, Loading } from '../../components/states'
import { useResult, type Loaded } from '../../components/use-result'
import '../../components/voice-ui.css'

const NEW_NOTICE: Record<string, string> = {
  feedback: '已提交，所领导会尽快答复。答复后会通知您，也会显示在下面“我的留言”里。',
  question: '已提交，值班民警看到后会尽快答复。第一位查看的民警负责答复到底（首问责任）。'
}

export default function MyVoice() {
  const { params } = useRouter()
  const pending = useResult(() => call('rating', 'pending', {}), 'pending')
  const ratings = useResult(() => call('rating', 'mine', {}), 'ratings')
  const feedback = useResult(() => call('feedback', 'mine', {}), 'feedback')
  const questions = useResult(() => call('feedback', 'myQuestions', {}), 'questions')
  useDidShow(() => {
    pending.reload()
    ratings.reload()
    feedback.reload()
    questions.reload()
  })
  const highlight = params.id

  return (
    <PageShell testId="my-voice">
      <View className="voice-page my-voice">
        {params.new && NEW_NOTICE[params.new] ? (
          <View className="card voice-success" role="status" data-testid="submitted-notice">
            <Text>{NEW_NOTICE[params.new]}</Text>
          </View>
        ) : null}

        <Section
          title="待评价的业务"
          state={pending}
          empty="没有待评价的业务。"
          emptyTestId="no-pending"
          hideWhenEmpty
        >
          {(items) =>
            items.map((c) => (
              <View key={`${c.caseKind}:${c.caseId}`} className="card" data-testid="pending-case">
                <View className="voice-item-title">
                  <Text>
                    {c.caseType} · {c.serviceName}
                  </Text>
                </View>
                {c.finishedAt ? (
                  <View className="muted voice-line">
                    <Text>办结于 {localDateTime(c.finishedAt)}</Text>
                  </View>
                ) : null}
                <View
                  className="button-primary voice-go"
                  onClick={() => void Taro.navigateTo({ url: ratingUrl(c) })}
                  data-testid="rate-case"
                >
                  <Text>去评价</Text>
                </View>
              </View>
            ))
          }
        </Section>

        <Section
          title="我的评价"
          state={ratings}
          empty="还没有评价记录。业务办结后可以给我们的服务打分。"
          emptyTestId="no-ratings"
        >
          {(items) =>
            items.map(({ rating, followUp }) => (
              <View
                key={rating._id}
                className={
                  highlight && (highlight === rating._id || highlight === followUp?._id)
                    ? 'card voice-item-new'
                    : 'card'
                }
                data-testid="my-rating"
              >
                <View className="voice-item-title">
                  <Text>
                    {rating.caseType} · {rating.serviceName}
                  </Text>
                </View>
                <View className="muted voice-line">
                  <Text>
                    {rating.stationName}
                    {rating.officerName ? ` · 经办民警 ${rating.officerName}` : ''}
                  </Text>
                </View>
                <RatingSummary rating={rating} />
                {followUp ? <FollowUpProgress followUp={followUp} /> : null}
              </View>
            ))
          }
        </Section>

        <Section title="我的留言" state={feedback} empty="还没有留言。" emptyTestId="no-feedback">
          {(items) => items.map((f) => <FeedbackItem key={f._id} f={f} highlight={f._id === highlight} />)}
        </Section>

        <Section title="我的咨询" state={questions} empty="还没有咨询。" emptyTestId="no-questions">
          {(items) => items.map((q) => <QuestionItem key={q._id} q={q} highlight={q._id === highlight} />)}
        </Section>

        <View
          className="button-primary voice-submit"
          onClick={() => void Taro.navigateTo({ url: '/pages/feedback/index' })}
          data-testid="write-feedback"
        >
          <Text>写意见建议 / 在线咨询</Text>
        </View>
      </View>
    </PageShell>
  )
}

function Section<T>({
  title,
  state,
  empty,
  emptyTestId,
  hideWhenEmpty = false,
  children
}: {
  title: string
  state: Loaded<T[]> & { reload: () => void }
  empty: string
  emptyTestId: string
  hideWhenEmpty?: boolean
  children: (items: T[]) => ReactNode
}) {
  if (hideWhenEmpty && state.status === 'ok' && state.data.length === 0) return null
  return (
    <View>
      <View className="section-title">
        <Text>{title}</Text>
      </View>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorState error={state.error} onRetry={state.reload} /> : null}
      {state.status === 'ok' && state.data.length === 0 ? (
        <View className="notice" data-testid={emptyTestId}>
          <Text>{empty}</Text>
        </View>
      ) : null}
      {state.status === 'ok' ? children(state.data) : null}
    </View>
  )
}

function FeedbackItem({ f, highlight }: { f: FeedbackView; highlight: boolean }) {
  return (
    <View className={highlight ? 'card voice-item-new' : 'card'} data-testid="my-feedback">
      <View className="voice-item-head">
        <Text className="voice-item-title">
          {f.kindText}
          {f.anonymous ? '（匿名）' : ''}
        </Text>
        <Text
          className={f.status === 'replied' ? 'badge badge-green' : 'badge badge-orange'}
          data-testid="feedback-status"
        >
          {f.status === 'replied' ? '✓ ' : ''}
          {f.statusText}
        </Text>
      </View>
      <View className="voice-line">
        <Text>{f.content}</Text>
      </View>
      <View className="muted voice-line">
        <Text>提交于 {f.createdAtLocal}</Text>
      </View>
      {f.reply ? (
        <View className="voice-reply" data-testid="feedback-reply">
          <View>
            <Text className="voice-reply-label">
              {f.repliedBy ? `${f.repliedBy}答复` : '答复'}
              {f.repliedAt ? `（${localDateTime(f.repliedAt)}）` : ''}：
            </Text>
          </View>
          <Text>{f.reply}</Text>
        </View>
      ) : (
        <View className="muted voice-line">
          <Text>所领导答复后会通知您。</Text>
        </View>
      )}
    </View>
  )
}

function QuestionItem({ q, highlight }: { q: QuestionView; highlight: boolean }) {
  return (
    <View className={highlight ? 'card voice-item-new' : 'card'} data-testid="my-question">
      <View className="voice-item-head">
        <Text className="voice-item-title">{q.serviceName ? `咨询：${q.serviceName}` : '在线咨询'}</Text>
        <Text
          className={q.status === 'answered' ? 'badge badge-green' : 'badge badge-orange'}
          data-testid="question-status"
        >
          {q.status === 'answered' ? '✓ ' : ''}
          {q.statusText}
        </Text>
      </View>
      <View className="voice-line">
        <Text>{q.question}</Text>
      </View>
      <View className="muted voice-line">
        <Text>
          提问于 {q.createdAtLocal}
          {q.ownerName ? ` · 负责答复：${q.ownerName}（首问责任人）` : ''}
        </Text>
      </View>
      {q.answer ? (
        <View className="voice-reply" data-testid="question-answer">
          <View>
            <Text className="voice-reply-label">
              答复{q.answeredAt ? `（${localDateTime(q.answeredAt)}）` : ''}：
            </Text>
          </View>
          <Text>{q.answer}</Text>
        </View>
      ) : null}
    </View>
  )
}
