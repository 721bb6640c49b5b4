/**
 * What a resident sees of a rating of theirs: the level, tags and comment, and — for a bad
 * review — the follow-up's progress, the station's reply, and the three buttons to rate how it
 * was put right. Used by the rating page and by 我的评价与留言.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import {
  CALLBACK_WORKING_DAYS,
  RECTIFICATION_LEVELS,
  RECTIFICATION_TEXT,
  REPLY_WORKING_DAYS,
  type CaseSummary,
  type FollowUpResidentView,
  type FollowUpStatus,
  type RatingView,
  type RectificationLevel
} from '../../types/ratings'
import { localDateTime } from '../../types/time'
import type { RouteParams } from '../../types/routes'
import { call } from '../api/client'
import { Badge, Chip, StepBar } from './ui'
import { useSubmit } from './use-submit'
import './voice-ui.css'

/** The promise a resident reads when they give a bad review. */
export const BAD_REVIEW_PROMISE = `所领导会在${CALLBACK_WORKING_DAYS}个工作日内给您回电了解情况，${REPLY_WORKING_DAYS}个工作日内答复整改结果。`

/** The query of a case's rating page ('pages/rating/index'), the same the rating invitation uses. */
export function ratingParams(c: Pick<CaseSummary, 'caseKind' | 'caseId'>): RouteParams['pages/rating/index'] {
  return c.caseKind === 'appointment' ? { appointmentId: c.caseId } : { requestId: c.caseId }
}

export function RatingSummary({ rating }: { rating: RatingView }) {
  return (
    <View className="voice-rating" data-testid="rating-result">
      <View className="voice-rating-head">
        <Text
          className={rating.bad ? 'voice-level voice-level-bad' : 'voice-level voice-level-good'}
          data-testid="rating-level"
        >
          {rating.bad ? '✗ ' : '✓ '}
          {rating.levelText}
        </Text>
        <Text className="muted">评价于 {rating.ratedAtLocal}</Text>
      </View>
      {rating.tagTexts.length > 0 ? (
        <View className="voice-tags">
          {rating.tagTexts.map((t) => (
            <Badge key={t} tone="blue">
              {t}
            </Badge>
          ))}
        </View>
      ) : null}
      {rating.comment ? (
        <View className="voice-line" data-testid="rating-comment">
          <Text>“{rating.comment}”</Text>
        </View>
      ) : null}
      {rating.excluded ? (
        <View className="voice-line muted">
          <Text>这条评价经核实未计入满意度统计，原因：{rating.excluded.reason}</Text>
        </View>
      ) : null}
    </View>
  )
}

const STEPS: { status: FollowUpStatus; text: string }[] = [
  { status: 'open', text: '已收到差评，等待所领导回电' },
  { status: 'called', text: '所领导已回电，正在核实整改' },
  { status: 'replied', text: '已答复整改结果，请您评价' },
  { status: 'closed', text: '已办结' }
]

const ORDER: Record<FollowUpStatus, number> = { open: 0, called: 1, replied: 2, closed: 3, excluded: 3 }

/** The follow-up of a bad review as its resident sees it; `onChanged` runs after a rectification rating. */
/**
 * `earlier`: the resident's own rating of the service (不满意…), named in the confirmation so they
 * know that rating the rectification adds a second rating rather than replacing it.
 */
export function FollowUpProgress({
  followUp,
  earlier,
  onChanged
}: {
  followUp: FollowUpResidentView
  earlier?: string
  onChanged?: (next: FollowUpResidentView) => void
}) {
  const [chosen, setChosen] = useState<RectificationLevel | undefined>()
  const rating = useSubmit()
  const busy = rating.busy ? chosen : undefined
  const [rated, setRated] = useState<FollowUpResidentView | undefined>()
  const view = rated ?? followUp
  const reached = ORDER[view.status]

  async function rate(level: RectificationLevel) {
    if (rating.busy) return
    // A rating again, once and for good: one tap must not send it (a slip of the finger on 不满意).
    const sure = await Taro.showModal({
      title: '确认整改评价',
      content: `您对整改结果的评价是“${RECTIFICATION_TEXT[level]}”。提交后差评处理结束，不能再修改${
        earlier ? `；您原来对服务的评价“${earlier}”保留不变` : ''
      }。`,
      confirmText: '确认提交',
      cancelText: '再想想'
    })
    if (!sure.confirm) return
    setChosen(level)
    const res = await rating.submit(() =>
      call('rating', 'rateRectification', { followUpId: view._id, level })
    )
    if (!res.ok) return
    setRated(res.data)
    onChanged?.(res.data)
  }

  return (
    <View className="voice-follow-up" data-testid="follow-up">
      <View className="voice-follow-up-title">
        <Text>差评处理进度：</Text>
        <Text className="voice-status" data-testid="follow-up-status">
          {view.statusText}
        </Text>
      </View>
      {view.status === 'excluded' ? null : (
        <StepBar
          reached={reached}
          steps={STEPS.map((s) => ({
            key: s.status,
            label: `${s.text}${
              s.status === 'called' && view.calledBackAt
                ? `（${localDateTime(view.calledBackAt)}）`
                : s.status === 'replied' && view.repliedAt
                  ? `（${localDateTime(view.repliedAt)}）`
                  : ''
            }`
          }))}
        />
      )}
      {view.status === 'open' || view.status === 'called' ? (
        <View className="voice-line muted">
          <Text>{BAD_REVIEW_PROMISE}答复后会通过微信通知您，也可以在“我的评价与留言”查看。</Text>
        </View>
      ) : null}
      {view.reply ? (
        <View className="voice-reply" data-testid="follow-up-reply">
          <View>
            <Text className="voice-reply-label">所领导的答复：</Text>
          </View>
          <Text>{view.reply}</Text>
        </View>
      ) : null}
      {view.rectificationText ? (
        <View className="voice-line" data-testid="rectification-result">
          <Text>您对整改结果的评价：{view.rectificationText}</Text>
        </View>
      ) : null}
      {view.canRateRectification && !view.rectificationText ? (
        <View className="voice-rect" data-testid="rectification">
          <View className="voice-line">
            <Text>您对整改结果满意吗？请点选一项：</Text>
          </View>
          <View className="voice-rect-buttons">
            {RECTIFICATION_LEVELS.map((level) => (
              <Chip
                key={level}
                on={busy === level}
                role="button"
                onClick={() => void rate(level)}
                testId={`rect-${level}`}
              >
                {busy === level ? '正在提交…' : RECTIFICATION_TEXT[level]}
              </Chip>
            ))}
          </View>
        </View>
      ) : null}
      {rating.error ? (
        <View className="voice-problem" role="alert" data-testid="rectification-problem">
          <Text>{rating.error}</Text>
        </View>
      ) : null}
    </View>
  )
}
