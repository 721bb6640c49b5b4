/**
 * 我的评价与留言: what the resident told the station and what the station answered — finished
 * cases still to rate, their ratings with the follow-up of bad reviews (and the rectification
 * rating), their feedback entries with replies, their online questions with answers. The reply
 * notice (replyNotice) opens this page. Each list loads on its own, so one failing leaves the
 * others readable.
 */
import { Text, View } from '@tarojs/components'
import { useDidShow, useRouter } from '@tarojs/taro'
import type { ReactNode } from 'react'
import type { FeedbackView, QuestionView } from '../../../types/feedback'
import { localDateTime } from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { FollowUpProgress, RatingSummary, ratingParams } from '../../components/rating-view'
import { Async, Empty } from '../../components/states'
import { Badge, Button, Card } from '../../components/ui'
import { useResult, type Loaded } from '../../components/use-result'
import { navigate } from '../../navigation'
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
          <Card className="voice-success" role="status" testId="submitted-notice">
            <Text>{NEW_NOTICE[params.new]}</Text>
          </Card>
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
              <Card key={`${c.caseKind}:${c.caseId}`} testId="pending-case">
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
                <Button
                  className="voice-go"
                  onClick={() => navigate('pages/rating/index', ratingParams(c))}
                  testId="rate-case"
                >
                  去评价
                </Button>
              </Card>
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
              <Card
                key={rating._id}
                className={
                  highlight && (highlight === rating._id || highlight === followUp?._id)
                    ? 'voice-item-new'
                    : undefined
                }
                testId="my-rating"
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
              </Card>
            ))
          }
        </Section>

        <Section title="我的留言" state={feedback} empty="还没有留言。" emptyTestId="no-feedback">
          {(items) => items.map((f) => <FeedbackItem key={f._id} f={f} highlight={f._id === highlight} />)}
        </Section>

        <Section title="我的咨询" state={questions} empty="还没有咨询。" emptyTestId="no-questions">
          {(items) => items.map((q) => <QuestionItem key={q._id} q={q} highlight={q._id === highlight} />)}
        </Section>

        <Button
          className="voice-submit"
          onClick={() => navigate('pages/feedback/index')}
          testId="write-feedback"
        >
          写意见建议 / 在线咨询
        </Button>
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
      <Async
        result={state}
        isEmpty={(items) => items.length === 0}
        empty={<Empty testId={emptyTestId}>{empty}</Empty>}
      >
        {children}
      </Async>
    </View>
  )
}

function FeedbackItem({ f, highlight }: { f: FeedbackView; highlight: boolean }) {
  return (
    <Card className={highlight ? 'voice-item-new' : undefined} testId="my-feedback">
      <View className="voice-item-head">
        <Text className="voice-item-title">
          {f.kindText}
          {f.anonymous ? '（匿名）' : ''}
        </Text>
        <Badge tone={f.status === 'replied' ? 'green' : 'orange'} testId="feedback-status">
          {f.status === 'replied' ? '✓ ' : ''}
          {f.statusText}
        </Badge>
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
    </Card>
  )
}

function QuestionItem({ q, highlight }: { q: QuestionView; highlight: boolean }) {
  return (
    <Card className={highlight ? 'voice-item-new' : undefined} testId="my-question">
      <View className="voice-item-head">
        <Text className="voice-item-title">{q.serviceName ? `咨询：${q.serviceName}` : '在线咨询'}</Text>
        <Badge tone={q.status === 'answered' ? 'green' : 'orange'} testId="question-status">
          {q.status === 'answered' ? '✓ ' : ''}
          {q.statusText}
        </Badge>
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
    </Card>
  )
}
