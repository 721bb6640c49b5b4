/**
 * 意见簿与在线咨询: write to the station (a suggestion, a complaint or praise — anonymous if the
 * resident wishes), ask a question online, or call the supervision phone. Both forms ask for the
 * reply notice inside the tap, then submit with a request id kept for the form (a retried tap
 * returns the same entry), then open 我的评价与留言 where the reply will appear.
 */
import { Input, Text, Textarea, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import { ERROR_MESSAGES } from '../../../types/errors'
import { FEEDBACK_KINDS, type FeedbackKind } from '../../../types/feedback'
import type { Station } from '../../../types/guide'
import { call } from '../../api/client'
import { newRequestId } from '../../api/request-id'
import { decisionFor, requestSubscribe } from '../../api/subscribe'
import { PageShell } from '../../components/page-shell'
import { ErrorState, Loading } from '../../components/states'
import { useResult } from '../../components/use-result'
import { SupervisionPhoneButton, dialPhone } from '../../components/voice-station'
import '../../components/voice-ui.css'

const MAX_FEEDBACK_CHARS = 500
const MAX_QUESTION_CHARS = 300
const KINDS = Object.keys(FEEDBACK_KINDS) as FeedbackKind[]

/** Asks for the reply notice; call synchronously inside the tap, before anything is awaited. */
async function askReplyNotice(): Promise<void> {
  const answers = await requestSubscribe(['replyNotice']).catch(() => undefined)
  const decision = answers ? decisionFor(answers, 'replyNotice') : undefined
  if (decision) void call('notify', 'recordSubscribe', { results: { replyNotice: decision } })
}

const chars = (s: string): number => [...s.trim()].length

export default function FeedbackPage() {
  const stations = useResult(() => call('guide', 'listStations', {}), 'stations')
  if (stations.status === 'loading') return <Loading />
  if (stations.status === 'error') return <ErrorState error={stations.error} onRetry={stations.reload} />
  const station = stations.data[0]
  return (
    <PageShell testId="feedback-page" supervisionPhone={false}>
      <View className="voice-page feedback">
        <View className="card">
          <View className="page-title">
            <Text>意见簿 · 在线咨询</Text>
          </View>
          <View className="muted voice-line">
            <Text>
              有意见建议、投诉或表扬，请写给我们，所领导会亲自答复；办事有疑问，可以在线咨询民警。
              {station ? `（${station.shortName}）` : ''}
            </Text>
          </View>
        </View>
        {station ? (
          <>
            <FeedbackForm station={station} />
            <QuestionForm station={station} />
            <View className="section-title">
              <Text>3. 监督电话</Text>
            </View>
            <View className="muted" style={{ margin: '0 32px' }}>
              <Text>对民警的服务不满意，或发现违规违纪问题，可直接拨打监督电话：</Text>
            </View>
            <SupervisionPhoneButton station={station} />
            <View
              className="button-secondary"
              onClick={() => dialPhone(station.consultPhone)}
              data-testid="consult-phone"
            >
              <Text>咨询电话 {station.consultPhone}</Text>
            </View>
          </>
        ) : (
          <View className="notice" role="alert">
            <Text>暂未开通任何派出所窗口。</Text>
          </View>
        )}
        <View
          className="button-secondary"
          onClick={() => void Taro.navigateTo({ url: '/pages/my-voice/index' })}
          data-testid="go-my-voice"
        >
          <Text>查看我的评价与留言 ›</Text>
        </View>
      </View>
    </PageShell>
  )
}

function FeedbackForm({ station }: { station: Station }) {
  const [kind, setKind] = useState<FeedbackKind>('suggestion')
  const [content, setContent] = useState('')
  const [anonymous, setAnonymous] = useState(false)
  const [contactName, setContactName] = useState('')
  const [mobile, setMobile] = useState('')
  const [problem, setProblem] = useState<string | undefined>()
  const [submitting, setSubmitting] = useState(false)
  // One id per intended entry: a retried tap returns the same entry.
  const [requestId] = useState(newRequestId)

  function validate(): string | undefined {
    if (!content.trim()) return '请写下您的意见或建议'
    if (chars(content) > MAX_FEEDBACK_CHARS) return `内容请不要超过${MAX_FEEDBACK_CHARS}字`
    if (!anonymous && chars(contactName) > 20) return ERROR_MESSAGES.NAME_INVALID
    if (!anonymous && mobile.trim() && !/^1[3-9]\d{9}$/.test(mobile.trim()))
      return ERROR_MESSAGES.MOBILE_INVALID
    return undefined
  }

  async function submit() {
    if (submitting) return
    const invalid = validate()
    setProblem(invalid)
    if (invalid) return
    setSubmitting(true)
    // Inside the tap: WeChat only shows the permission sheet for a user's tap.
    await askReplyNotice()
    const res = await call('feedback', 'submit', {
      requestId,
      stationId: station._id,
      kind,
      content: content.trim(),
      anonymous,
      ...(!anonymous && contactName.trim() ? { contactName: contactName.trim() } : {}),
      ...(!anonymous && mobile.trim() ? { mobile: mobile.trim() } : {})
    })
    setSubmitting(false)
    if (!res.ok) {
      setProblem(res.error.message)
      return
    }
    void Taro.redirectTo({ url: `/pages/my-voice/index?id=${res.data._id}&new=feedback` })
  }

  return (
    <>
      <View className="section-title">
        <Text>1. 写意见（意见簿）</Text>
      </View>
      <View className="voice-chips" role="radiogroup" data-testid="feedback-kinds">
        {KINDS.map((k) => (
          <View
            key={k}
            className={k === kind ? 'voice-chip voice-chip-on' : 'voice-chip'}
            role="radio"
            aria-checked={k === kind}
            onClick={() => setKind(k)}
            data-testid={`feedback-kind-${k}`}
          >
            <Text>
              {k === kind ? '✓ ' : ''}
              {FEEDBACK_KINDS[k]}
            </Text>
          </View>
        ))}
      </View>
      <View className="card voice-form">
        <View className="form-row">
          <Text className="form-label">内容（{MAX_FEEDBACK_CHARS}字以内）</Text>
          <Textarea
            className="voice-textarea"
            value={content}
            maxlength={MAX_FEEDBACK_CHARS}
            placeholder={
              kind === 'praise'
                ? '想表扬哪位民警、哪件事'
                : kind === 'complaint'
                  ? '请写明时间、事情经过，我们会认真核实'
                  : '您对窗口服务的意见和建议'
            }
            onInput={(e) => setContent(e.detail.value)}
            data-testid="feedback-content"
          />
          <Text className="voice-count" data-testid="feedback-count">
            {[...content].length}/{MAX_FEEDBACK_CHARS}
          </Text>
        </View>
        <View
          className={anonymous ? 'voice-switch voice-switch-on' : 'voice-switch'}
          role="switch"
          aria-checked={anonymous}
          onClick={() => setAnonymous((a) => !a)}
          data-testid="feedback-anonymous"
        >
          <Text>匿名提交</Text>
          <Text className="voice-switch-state">{anonymous ? '✓ 已匿名' : '不匿名（点此匿名）'}</Text>
        </View>
        {anonymous ? (
          <View className="muted voice-line" data-testid="anonymous-note">
            <Text>
              匿名提交时，民警看不到您是谁，也无法回电；答复仍会显示在“我的评价与留言”里，只有您自己能看到。
            </Text>
          </View>
        ) : (
          <>
            <View className="form-row">
              <Text className="form-label">您的称呼（可不填）</Text>
              <Input
                className="voice-input"
                value={contactName}
                maxlength={20}
                placeholder="如：王女士"
                onInput={(e) => setContactName(e.detail.value)}
                data-testid="feedback-name"
              />
            </View>
            <View className="form-row">
              <Text className="form-label">手机号（可不填，方便所领导回电）</Text>
              <Input
                className="voice-input"
                type="number"
                value={mobile}
                maxlength={11}
                placeholder="11位手机号"
                onInput={(e) => setMobile(e.detail.value)}
                data-testid="feedback-mobile"
              />
            </View>
            <View className="muted voice-line">
              <Text>称呼和手机号只用于联系您处理这条意见。</Text>
            </View>
          </>
        )}
      </View>
      {problem ? (
        <View className="voice-problem" role="alert" data-testid="feedback-problem">
          <Text>{problem}</Text>
        </View>
      ) : null}
      <View
        className={submitting ? 'button-primary voice-submit voice-busy' : 'button-primary voice-submit'}
        onClick={() => void submit()}
        data-testid="submit-feedback"
      >
        <Text>{submitting ? '正在提交…' : '提交意见'}</Text>
      </View>
    </>
  )
}

function QuestionForm({ station }: { station: Station }) {
  const [question, setQuestion] = useState('')
  const [problem, setProblem] = useState<string | undefined>()
  const [submitting, setSubmitting] = useState(false)
  const [requestId] = useState(newRequestId)

  async function submit() {
    if (submitting) return
    const invalid = !question.trim()
      ? '请写下您想咨询的问题'
      : chars(question) > MAX_QUESTION_CHARS
        ? `问题请不要超过${MAX_QUESTION_CHARS}字`
        : undefined
    setProblem(invalid)
    if (invalid) return
    setSubmitting(true)
    // Inside the tap: the answer comes as a reply notice.
    await askReplyNotice()
    const res = await call('feedback', 'ask', {
      requestId,
      stationId: station._id,
      question: question.trim()
    })
    setSubmitting(false)
    if (!res.ok) {
      setProblem(res.error.message)
      return
    }
    void Taro.redirectTo({ url: `/pages/my-voice/index?id=${res.data._id}&new=question` })
  }

  return (
    <>
      <View className="section-title">
        <Text>2. 在线咨询</Text>
      </View>
      <View className="card voice-form">
        <View className="muted">
          <Text>第一位查看您问题的民警负责答复到底（首问责任），答复后会通知您。</Text>
        </View>
        <View className="form-row">
          <Textarea
            className="voice-textarea"
            value={question}
            maxlength={MAX_QUESTION_CHARS}
            placeholder="如：孩子出生三个月了还能办落户吗？要带哪些材料？"
            onInput={(e) => setQuestion(e.detail.value)}
            data-testid="question-text"
          />
          <Text className="voice-count" data-testid="question-count">
            {[...question].length}/{MAX_QUESTION_CHARS}
          </Text>
        </View>
      </View>
      {problem ? (
        <View className="voice-problem" role="alert" data-testid="question-problem">
          <Text>{problem}</Text>
        </View>
      ) : null}
      <View
        className={submitting ? 'button-primary voice-submit voice-busy' : 'button-primary voice-submit'}
        onClick={() => void submit()}
        data-testid="submit-question"
      >
        <Text>{submitting ? '正在提交…' : '提交咨询'}</Text>
      </View>
    </>
  )
}
