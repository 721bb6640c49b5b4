/**
 * 评价服务 (好差评): opened from the rating invitation (`?appointmentId=` or `?requestId=`), from the
 * home page's prompt or from 我的评价与留言. Shows the finished case; the resident picks one of
 * five levels, optional tags and a comment. A bad review (不满意 / 非常不满意) first asks, inside the
 * tap, for the reply notice, and says plainly what happens next. Once rated, the page shows the
 * rating and, for a bad review, the follow-up's progress and the rectification rating.
 */
import { Text, Textarea, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import {
  LEVEL_TEXT,
  MAX_COMMENT_CHARS,
  NEGATIVE_TAGS,
  POSITIVE_TAGS,
  RATING_LEVELS,
  isBadLevel,
  type CaseKind,
  type CaseSummary,
  type RatingLevel,
  type RatingOutputs,
  type RatingTag,
  type RatingView
} from '../../../types/ratings'
import { localDateTime } from '../../../types/time'
import { call } from '../../api/client'
import { decisionFor, requestSubscribe } from '../../api/subscribe'
import { PageShell } from '../../components/page-shell'
import { BAD_REVIEW_PROMISE, FollowUpProgress, RatingSummary } from '../../components/rating-view'
import { Empty, ErrorState, Loading } from '../../components/states'
import { useResult } from '../../components/use-result'
import { Button, Card, Chip } from '../../components/ui'
import { useSubmit } from '../../components/use-submit'
import { navigate, redirect } from '../../navigation'
import '../../components/voice-ui.css'

/** A face beside each level's words (colour is never the only signal). */
const LEVEL_MARK: Record<RatingLevel, string> = {
  very_satisfied: '★★★★★',
  satisfied: '★★★★',
  basic: '★★★',
  unsatisfied: '★★',
  very_unsatisfied: '★'
}

type TagGroup = { label: string; tags: Record<string, string> }

/** Which tags fit a level: praise for good levels, complaints for bad ones, both for 基本满意. */
function tagGroupsFor(level: RatingLevel | undefined): TagGroup[] {
  if (!level) return []
  const praise: TagGroup = { label: '做得好的地方（可多选）', tags: POSITIVE_TAGS }
  const complaints: TagGroup = { label: '需要改进的地方（可多选）', tags: NEGATIVE_TAGS }
  if (isBadLevel(level)) return [complaints]
  if (level === 'basic') return [praise, complaints]
  return [praise]
}

function caseFromParams(
  params: Partial<Record<string, string>>
): { caseKind: CaseKind; caseId: string } | undefined {
  if (params.appointmentId) return { caseKind: 'appointment', caseId: params.appointmentId }
  if (params.requestId) return { caseKind: 'request', caseId: params.requestId }
  if ((params.caseKind === 'appointment' || params.caseKind === 'request') && params.caseId)
    return { caseKind: params.caseKind, caseId: params.caseId }
  return undefined
}

export default function RatingPage() {
  const { params } = useRouter()
  const target = caseFromParams(params)
  const key = target ? `${target.caseKind}:${target.caseId}` : ''
  const [justRated, setJustRated] = useState(false)
  const loaded = useResult<RatingOutputs['case'] | undefined>(
    () => (target ? call('rating', 'case', target) : Promise.resolve({ ok: true as const, data: undefined })),
    key
  )

  if (!target) {
    return (
      <PageShell testId="rating-page">
        <View role="alert">
          <Empty testId="rating-missing">
            没有找到要评价的业务。您可以在“我的评价与留言”查看待评价的业务。
          </Empty>
        </View>
        <Button
          className="voice-submit"
          onClick={() => redirect('pages/my-voice/index')}
          testId="go-my-voice"
        >
          查看我的评价与留言
        </Button>
      </PageShell>
    )
  }
  if (loaded.status === 'loading') return <Loading />
  if (loaded.status === 'error') {
    return (
      <PageShell testId="rating-page">
        <View data-testid="rating-error">
          <ErrorState
            error={loaded.error}
            onRetry={
              loaded.error.code === 'NOT_FOUND' || loaded.error.code === 'FORBIDDEN'
                ? undefined
                : loaded.reload
            }
          />
        </View>
        <Button variant="secondary" onClick={() => redirect('pages/my-voice/index')} testId="go-my-voice">
          查看我的评价与留言
        </Button>
      </PageShell>
    )
  }
  const data = loaded.data
  if (!data) return <Loading />
  return (
    <PageShell testId="rating-page">
      <View className="voice-page rating">
        <CaseCard summary={data.case} />
        {data.rating ? (
          <Rated rating={data.rating} followUp={data.followUp} justRated={justRated} />
        ) : !data.case.finished ? (
          <View className="notice" role="alert" data-testid="case-not-finished">
            <Text>这项业务还没有办结，办结后才能评价。办结后我们会提醒您。</Text>
          </View>
        ) : (
          <RateForm
            summary={data.case}
            onRated={(fresh) => {
              setJustRated(fresh)
              loaded.reload()
            }}
          />
        )}
      </View>
    </PageShell>
  )
}

function CaseCard({ summary }: { summary: CaseSummary }) {
  return (
    <Card testId="rating-case">
      <View className="page-title">
        <Text>
          {summary.caseType} · {summary.serviceName}
        </Text>
      </View>
      <View className="voice-line muted">
        <Text>办理窗口：{summary.stationName}</Text>
      </View>
      {summary.officerName ? (
        <View className="voice-line muted">
          <Text>经办民警：{summary.officerName}</Text>
        </View>
      ) : null}
      {summary.finishedAt ? (
        <View className="voice-line muted">
          <Text>办结时间：{localDateTime(summary.finishedAt)}</Text>
        </View>
      ) : null}
    </Card>
  )
}

function Rated({
  rating,
  followUp,
  justRated = false
}: {
  rating: RatingView
  followUp?: RatingOutputs['case']['followUp']
  justRated?: boolean
}) {
  return (
    <>
      <Card
        className={justRated ? 'voice-success' : undefined}
        role={justRated ? 'status' : undefined}
        testId={justRated ? 'rating-thanks' : 'rating-done'}
      >
        <Text>
          {justRated ? '感谢您的评价！' : '您已经评价过这项业务，每项业务只能评价一次。'}
          {rating.bad && justRated ? `您的意见已转给所领导：${BAD_REVIEW_PROMISE}` : ''}
        </Text>
      </Card>
      <Card>
        <RatingSummary rating={rating} />
        {followUp ? <FollowUpProgress followUp={followUp} earlier={rating.levelText} /> : null}
      </Card>
      <Button variant="secondary" onClick={() => navigate('pages/my-voice/index')} testId="go-my-voice">
        查看我的评价与留言 ›
      </Button>
    </>
  )
}

/** `onRated(true)` after this form rated the case; `onRated(false)` when it was rated already. */
function RateForm({ summary, onRated }: { summary: CaseSummary; onRated: (fresh: boolean) => void }) {
  const [level, setLevel] = useState<RatingLevel | undefined>()
  const [tags, setTags] = useState<RatingTag[]>([])
  const [comment, setComment] = useState('')
  const [invalid, setInvalid] = useState<string | undefined>()
  const [done, setDone] = useState<RatingView | undefined>()
  // One request id per intended rating: a retried tap returns the same rating.
  const rating = useSubmit()
  const problem = invalid ?? rating.error

  const groups = tagGroupsFor(level)
  const bad = level ? isBadLevel(level) : false
  const commentLength = [...comment].length

  function chooseLevel(next: RatingLevel) {
    setLevel(next)
    setInvalid(undefined)
    rating.setError(undefined)
    const allowed = new Set(tagGroupsFor(next).flatMap((g) => Object.keys(g.tags)))
    setTags((was) => was.filter((t) => allowed.has(t)))
  }

  function toggleTag(tag: RatingTag) {
    setTags((was) => (was.includes(tag) ? was.filter((t) => t !== tag) : [...was, tag]))
  }

  async function submit() {
    if (rating.busy) return
    if (!level) {
      setInvalid('请先选择您对这次服务的满意程度')
      return
    }
    if (commentLength > MAX_COMMENT_CHARS) {
      setInvalid(`评价内容请不要超过${MAX_COMMENT_CHARS}字`)
      return
    }
    setInvalid(undefined)
    const res = await rating.submit((requestId) => send(level, requestId))
    if (!res.ok) {
      if (res.error.code === 'ALREADY_RATED') {
        rating.setError(undefined)
        onRated(false)
      }
      return
    }
    setDone(res.data)
    // Load the follow-up a bad review opened.
    onRated(true)
  }

  async function send(level: RatingLevel, requestId: string) {
    if (isBadLevel(level)) {
      // Must run inside the tap, before anything is awaited: the reply notice tells the resident
      // when the station has answered their bad review.
      const answers = await requestSubscribe(['replyNotice']).catch(() => undefined)
      const decision = answers ? decisionFor(answers, 'replyNotice') : undefined
      if (decision) void call('notify', 'recordSubscribe', { results: { replyNotice: decision } })
    }
    const text = comment.trim()
    return call('rating', 'rate', {
      requestId,
      caseKind: summary.caseKind,
      caseId: summary.caseId,
      level,
      ...(tags.length ? { tags } : {}),
      ...(text ? { comment: text } : {})
    })
  }

  if (done) return <Rated rating={done} justRated />

  return (
    <View className="rate-form">
      <View className="section-title">
        <Text>1. 您对这次服务满意吗？</Text>
      </View>
      <View className="voice-levels" role="radiogroup" data-testid="levels">
        {RATING_LEVELS.map((l) => {
          const on = l === level
          const classes = [
            'voice-level-button',
            isBadLevel(l) ? 'voice-level-button-bad' : '',
            on ? 'voice-level-button-on' : ''
          ]
            .filter(Boolean)
            .join(' ')
          return (
            <View
              key={l}
              className={classes}
              role="radio"
              aria-checked={on}
              onClick={() => chooseLevel(l)}
              data-testid={`level-${l}`}
            >
              <Text>
                {on ? '✓ ' : ''}
                {LEVEL_TEXT[l]}
              </Text>
              <Text className="voice-level-face">{LEVEL_MARK[l]}</Text>
            </View>
          )
        })}
      </View>

      {bad ? (
        <Card className="voice-hint" testId="bad-review-hint">
          <Text>
            很抱歉没有让您满意。提交后，{BAD_REVIEW_PROMISE}
            微信会询问是否接收回复通知，建议点“允许”；答复也会显示在“我的评价与留言”里。
          </Text>
        </Card>
      ) : null}

      {groups.length ? (
        <>
          <View className="section-title">
            <Text>2. 选几个标签（可不选）</Text>
          </View>
          {groups.map((g) => (
            <View key={g.label}>
              <View className="voice-group-label">
                <Text>{g.label}</Text>
              </View>
              <View className="chips">
                {(Object.keys(g.tags) as RatingTag[]).map((t) => {
                  const on = tags.includes(t)
                  return (
                    <Chip
                      key={t}
                      on={on}
                      role="checkbox"
                      ariaChecked={on}
                      onClick={() => toggleTag(t)}
                      testId={`tag-${t}`}
                    >
                      <Text>
                        {on ? '✓ ' : ''}
                        {g.tags[t]}
                      </Text>
                    </Chip>
                  )
                })}
              </View>
            </View>
          ))}
        </>
      ) : null}

      <View className="section-title">
        <Text>{groups.length ? '3' : '2'}. 想说的话（可不填）</Text>
      </View>
      <View className="card voice-form">
        <Textarea
          className="form-textarea"
          value={comment}
          maxlength={MAX_COMMENT_CHARS}
          placeholder={bad ? '请说说哪里让您不满意，我们会认真核实整改' : '您的建议能帮助我们做得更好'}
          onInput={(e) => setComment(e.detail.value)}
          data-testid="comment"
        />
        <Text className="form-count" data-testid="comment-count">
          {commentLength}/{MAX_COMMENT_CHARS}
        </Text>
      </View>

      {problem ? (
        <View className="voice-problem" role="alert" data-testid="rating-problem">
          <Text>{problem}</Text>
        </View>
      ) : null}
      <Button
        className="voice-submit"
        busy={rating.busy}
        onClick={() => void submit()}
        testId="submit-rating"
      >
        {rating.busy ? '正在提交…' : '提交评价'}
      </Button>
    </View>
  )
}
