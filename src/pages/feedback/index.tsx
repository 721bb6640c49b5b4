/**
 * 意见簿与在线咨询: write to the station (a suggestion, a complaint or praise — anonymous if the
 * resident wishes), ask a question online, or call the supervision phone. Both forms ask for the
 * reply notice inside the tap, then submit with a request id kept for the form (a retried tap
 * returns the same entry), then open 我的评价与留言 where the reply will appear.
 */
import { Input, Text, Textarea, View } from '@tarojs/components'
import { useState } from 'react'
import { ERROR_MESSAGES } from '../../../types/errors'
import { FEEDBACK_KINDS, type FeedbackKind } from '../../../types/feedback'
import type { Station } from '../../../types/guide'
import { call } from '../../api/client'
import { decisionFor, requestSubscribe } from '../../api/subscribe'
import { PageShell } from '../../components/page-shell'
import { Async, Empty } from '../../components/states'
import { useResult } from '../../components/use-result'
import { SupervisionPhoneButton, dialPhone } from '../../components/voice-station'
import { Button, Card, Chip, Field } from '../../components/ui'
import { useSubmit } from '../../components/use-submit'
import { navigate, redirect } from '../../navigation'
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
  return <Async result={stations}>{(list) => <Feedback station={list[0]} />}</Async>
}

function Feedback({ station }: { station: Station | undefined }) {
  return (
    <PageShell testId="feedback-page" supervisionPhone={false}>
      <View className="voice-page feedback">
        <Card>
          <View className="page-title">
            <Text>意见簿 · 在线咨询</Text>
          </View>
          <View className="muted voice-line">
            <Text>
              有意见建议、投诉或表扬，请写给我们，所领导会亲自答复；办事有疑问，可以在线咨询民警。
              {station ? `（${station.shortName}）` : ''}
            </Text>
          </View>
        </Card>
        {station ? (
          <>
            <FeedbackForm station={station} />
            <QuestionForm station={station} />
            <View className="section-title">
              <Text>3. 监督电话</Text>
            </View>
            <View className="muted feedback-phone-note">
              <Text>对民警的服务不满意，或发现违规违纪问题，可直接拨打监督电话：</Text>
            </View>
            <SupervisionPhoneButton station={station} />
            <Button
              variant="secondary"
              onClick={() => dialPhone(station.consultPhone)}
              testId="consult-phone"
            >
              咨询电话 {station.consultPhone}
            </Button>
          </>
        ) : (
          <View role="alert">
            <Empty>暂未开通任何派出所窗口。</Empty>
          </View>
        )}
        <Button variant="secondary" onClick={() => navigate('pages/my-voice/index')} testId="go-my-voice">
          查看我的评价与留言 ›
        </Button>
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
  const [invalid, setInvalid] = useState<string | undefined>()
  // One request id per intended entry: a retried tap returns the same entry.
  const form = useSubmit()
  const problem = invalid ?? form.error

  function validate(): string | undefined {
    if (!content.trim()) return '请写下您的意见或建议'
    if (chars(content) > MAX_FEEDBACK_CHARS) return `内容请不要超过${MAX_FEEDBACK_CHARS}字`
    if (!anonymous && chars(contactName) > 20) return ERROR_MESSAGES.NAME_INVALID
    if (!anonymous && mobile.trim() && !/^1[3-9]\d{9}$/.test(mobile.trim()))
      return ERROR_MESSAGES.MOBILE_INVALID
    return undefined
  }

  async function submit() {
    if (form.busy) return
    const problem = validate()
    setInvalid(problem)
    if (problem) return
    const res = await form.submit(async (requestId) => {
      // Inside the tap: WeChat only shows the permission sheet for a user's tap.
      await askReplyNotice()
      return call('feedback', 'submit', {
        requestId,
        stationId: station._id,
        kind,
        content: content.trim(),
        anonymous,
        ...(!anonymous && contactName.trim() ? { contactName: contactName.trim() } : {}),
        ...(!anonymous && mobile.trim() ? { mobile: mobile.trim() } : {})
      })
    })
    if (!res.ok) return
    redirect('pages/my-voice/index', { id: res.data._id, new: 'feedback' })
  }

  return (
    <>
      <View className="section-title">
        <Text>1. 写意见（意见簿）</Text>
      </View>
      <View className="chips" role="radiogroup" data-testid="feedback-kinds">
        {KINDS.map((k) => (
          <Chip
            key={k}
            on={k === kind}
            role="radio"
            ariaChecked={k === kind}
            onClick={() => setKind(k)}
            testId={`feedback-kind-${k}`}
          >
            <Text>
              {k === kind ? '✓ ' : ''}
              {FEEDBACK_KINDS[k]}
            </Text>
          </Chip>
        ))}
      </View>
      <Card className="voice-form">
        <Field label={`内容（${MAX_FEEDBACK_CHARS}字以内）`}>
          <Textarea
            className="form-textarea"
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
          <Text className="form-count" data-testid="feedback-count">
            {[...content].length}/{MAX_FEEDBACK_CHARS}
          </Text>
        </Field>
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
            <Field label="您的称呼（可不填）">
              <Input
                className="form-input"
                value={contactName}
                maxlength={20}
                placeholder="如：王女士"
                onInput={(e) => setContactName(e.detail.value)}
                data-testid="feedback-name"
              />
            </Field>
            <Field label="手机号（可不填，方便所领导回电）">
              <Input
                className="form-input"
                type="number"
                value={mobile}
                maxlength={11}
                placeholder="11位手机号"
                onInput={(e) => setMobile(e.detail.value)}
                data-testid="feedback-mobile"
              />
            </Field>
            <View className="muted voice-line">
              <Text>称呼和手机号只用于联系您处理这条意见。</Text>
            </View>
          </>
        )}
      </Card>
      {problem ? (
        <View className="voice-problem" role="alert" data-testid="feedback-problem">
          <Text>{problem}</Text>
        </View>
      ) : null}
      <Button
        className="voice-submit"
        busy={form.busy}
        onClick={() => void submit()}
        testId="submit-feedback"
      >
        {form.busy ? '正在提交…' : '提交意见'}
      </Button>
    </>
  )
}

function QuestionForm({ station }: { station: Station }) {
  const [question, setQuestion] = useState('')
  const [invalid, setInvalid] = useState<string | undefined>()
  const form = useSubmit()
  const problem = invalid ?? form.error

  async function submit() {
    if (form.busy) return
    const problem = !question.trim()
      ? '请写下您想咨询的问题'
      : chars(question) > MAX_QUESTION_CHARS
        ? `问题请不要超过${MAX_QUESTION_CHARS}字`
        : undefined
    setInvalid(problem)
    if (problem) return
    const res = await form.submit(async (requestId) => {
      // Inside the tap: the answer comes as a reply notice.
      await askReplyNotice()
      return call('feedback', 'ask', { requestId, stationId: station._id, question: question.trim() })
    })
    if (!res.ok) return
    redirect('pages/my-voice/index', { id: res.data._id, new: 'question' })
  }

  return (
    <>
      <View className="section-title">
        <Text>2. 在线咨询</Text>
      </View>
      <Card className="voice-form">
        <View className="muted">
          <Text>第一位查看您问题的民警负责答复到底（首问责任），答复后会通知您。</Text>
        </View>
        <View className="form-row">
          <Textarea
            className="form-textarea"
            value={question}
            maxlength={MAX_QUESTION_CHARS}
            placeholder="如：孩子出生三个月了还能办落户吗？要带哪些材料？"
            onInput={(e) => setQuestion(e.detail.value)}
            data-testid="question-text"
          />
          <Text className="form-count" data-testid="question-count">
            {[...question].length}/{MAX_QUESTION_CHARS}
          </Text>
        </View>
      </Card>
      {problem ? (
        <View className="voice-problem" role="alert" data-testid="question-problem">
          <Text>{problem}</Text>
        </View>
      ) : null}
      <Button
        className="voice-submit"
        busy={form.busy}
        onClick={() => void submit()}
        testId="submit-question"
      >
        {form.busy ? '正在提交…' : '提交咨询'}
      </Button>
    </>
  )
}
