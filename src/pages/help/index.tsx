/**
 * 急事求助 / 延时服务 / 上门服务: the resident's form. The confirm tap first asks WeChat for the
 * progress message (it must be inside the tap), then submits with a request id kept for this
 * form (a retried tap returns the same request), then opens "my requests".
 */
import { Input, Text, Textarea, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { ERROR_MESSAGES } from '../../../types/errors'
import {
  CATEGORIES_BY_KIND,
  EMERGENCY_NAME,
  KIND_HINTS,
  KIND_LABELS,
  REQUEST_CATEGORIES,
  REQUEST_KINDS,
  type RequestCategory,
  type RequestKind
} from '../../../types/requests'
import { addDays, instantAt, localDate } from '../../../types/time'
import type { Station } from '../../../types/guide'
import { call } from '../../api/client'
import { decisionFor, requestSubscribe } from '../../api/subscribe'
import { PageShell } from '../../components/page-shell'
import { Async } from '../../components/states'
import { useResult } from '../../components/use-result'
import { dialPhone } from '../../components/voice-station'
import { Button, Chip } from '../../components/ui'
import { useSubmit } from '../../components/use-submit'
import { navigate, redirect } from '../../navigation'
import './index.css'

interface WantedOption {
  key: string
  label: string
  at?: string
}

/** A few plain choices of when, computed in Shanghai time (a time already past is left out). */
function wantedOptions(now: number): WantedOption[] {
  const today = localDate(now)
  const tomorrow = addDays(today, 1)
  const options: WantedOption[] = [{ key: 'asap', label: '越快越好' }]
  const add = (key: string, label: string, date: string, time: string) => {
    const at = instantAt(date, time)
    if (at.getTime() > now + 10 * 60_000) options.push({ key, label, at: at.toISOString() })
  }
  add('tonight', '今天晚上 19:00', today, '19:00')
  add('morning', '明天上午 08:30', tomorrow, '08:30')
  add('noon', '明天中午 12:00', tomorrow, '12:00')
  add('evening', '明天晚上 19:00', tomorrow, '19:00')
  return options
}

function isKind(value: unknown): value is RequestKind {
  return typeof value === 'string' && (REQUEST_KINDS as readonly string[]).includes(value)
}

export default function Help() {
  const stations = useResult(() => call('guide', 'listStations', {}), 'stations')
  return <Async result={stations}>{(list) => <HelpForm station={list[0]} />}</Async>
}

function HelpForm({ station }: { station: Station | undefined }) {
  const router = useRouter()
  const [kind, setKind] = useState<RequestKind>(isKind(router.params.kind) ? router.params.kind : 'emergency')
  const [category, setCategory] = useState<RequestCategory | undefined>()
  const [description, setDescription] = useState('')
  const [contactName, setContactName] = useState('')
  const [mobile, setMobile] = useState('')
  const [address, setAddress] = useState('')
  const [wanted, setWanted] = useState('asap')
  const [invalid, setInvalid] = useState<string | undefined>()
  // Over the request limits: the refusal names the duty phone; the page offers the call and the open requests.
  const [overLimit, setOverLimit] = useState(false)
  // One request id per intended request: retries and double taps reuse it.
  const sending = useSubmit()
  const problem = invalid ?? sending.error
  const [options] = useState(() => wantedOptions(Date.now()))

  function validate(): string | undefined {
    if (!category) return '请选择要办理的事项'
    if (!description.trim()) return '请简单说明情况'
    if ([...description.trim()].length > 200) return '情况说明请不要超过200字'
    if (kind === 'home_visit' && !address.trim()) return '请填写上门地址'
    if (!contactName.trim() || contactName.trim().length > 20) return '请填写联系人姓名（不超过20个字）'
    if (!/^1[3-9]\d{9}$/.test(mobile.trim())) return ERROR_MESSAGES.MOBILE_INVALID
    return undefined
  }

  async function confirm() {
    if (sending.busy || !station) return
    const problem = validate()
    setInvalid(problem)
    setOverLimit(false)
    if (problem || !category) return
    const res = await sending.submit((requestId) => send(station, category, requestId))
    if (!res.ok) {
      setOverLimit(
        res.error.code === 'TOO_MANY_OPEN_REQUESTS' || res.error.code === 'TOO_MANY_REQUESTS_TODAY'
      )
      return
    }
    redirect('pages/my-requests/index', { id: res.data._id, new: '1' })
  }

  async function send(station: Station, category: RequestCategory, requestId: string) {
    // Must run inside the tap: WeChat only shows the permission sheet for a user's tap.
    const asked = ['requestProgress', 'ratingInvite'] as const
    const answers = await requestSubscribe(asked).catch(() => undefined)
    // The app's own count of sends left (WeChat gives the server no way to read it).
    const results = answers
      ? Object.fromEntries(
          asked.flatMap((k) => {
            const d = decisionFor(answers, k)
            return d ? [[k, d] as const] : []
          })
        )
      : {}
    if (Object.keys(results).length > 0) void call('notify', 'recordSubscribe', { results })
    const at = options.find((o) => o.key === wanted)?.at
    return call('requests', 'submit', {
      requestId,
      kind,
      category,
      description: description.trim(),
      contactName: contactName.trim(),
      mobile: mobile.trim(),
      stationId: station._id,
      ...(at ? { wantedAt: at } : {}),
      ...(kind === 'home_visit' ? { address: address.trim() } : {})
    })
  }

  return (
    <PageShell testId="help">
      <View className="help">
        <View className="card">
          <View className="page-title">
            <Text>{EMERGENCY_NAME} · 延时服务 · 上门服务</Text>
          </View>
          <View className="muted">
            <Text>
              提交后马上通知值班民警（微信提醒，送不到时发短信），是否已联系上会在“我的求助”里如实显示。
              {station ? `（${station.shortName}）` : ''}
            </Text>
          </View>
          {station ? (
            <View className="muted">
              <Text>情况紧急也可直接拨打值班电话 {station.dutyPhone}（24小时有人接听）。</Text>
            </View>
          ) : null}
        </View>

        <View className="section-title">
          <Text>1. 您需要哪种帮助</Text>
        </View>
        <View className="chips" data-testid="kinds">
          {REQUEST_KINDS.map((k) => (
            <Chip
              key={k}
              on={k === kind}
              testId={`kind-${k}`}
              onClick={() => {
                setKind(k)
                setCategory(undefined)
              }}
            >
              <Text>
                {KIND_LABELS[k]}
                {k === kind ? ' ✓' : ''}
              </Text>
              <Text className="chip-note">{KIND_HINTS[k]}</Text>
            </Chip>
          ))}
        </View>

        <View className="section-title">
          <Text>2. 办理什么事项</Text>
        </View>
        <View className="chips" data-testid="categories">
          {CATEGORIES_BY_KIND[kind].map((c) => (
            <Chip key={c} on={c === category} testId={`category-${c}`} onClick={() => setCategory(c)}>
              <Text>
                {REQUEST_CATEGORIES[c]}
                {c === category ? ' ✓' : ''}
              </Text>
            </Chip>
          ))}
        </View>

        <View className="section-title">
          <Text>3. 情况说明与联系方式</Text>
        </View>
        <View className="card form">
          <View className="form-row">
            <Text className="form-label">情况说明（200字以内）</Text>
            <Textarea
              className="form-textarea"
              value={description}
              maxlength={200}
              placeholder={
                kind === 'home_visit'
                  ? '如：母亲92岁卧床，身份证到期需要换领'
                  : '如：家中老人去世，明天火化需要办理死亡登记'
              }
              onInput={(e) => setDescription(e.detail.value)}
              data-testid="input-description"
            />
          </View>
          {kind === 'home_visit' ? (
            <View className="form-row">
              <Text className="form-label">上门地址</Text>
              <Input
                className="form-input"
                value={address}
                maxlength={100}
                placeholder="小区、楼栋、门牌号"
                onInput={(e) => setAddress(e.detail.value)}
                data-testid="input-address"
              />
            </View>
          ) : null}
          <View className="form-row">
            <Text className="form-label">联系人</Text>
            <Input
              className="form-input"
              value={contactName}
              maxlength={20}
              placeholder="您的姓名"
              onInput={(e) => setContactName(e.detail.value)}
              data-testid="input-name"
            />
          </View>
          <View className="form-row">
            <Text className="form-label">手机号</Text>
            <Input
              className="form-input"
              type="number"
              value={mobile}
              maxlength={11}
              placeholder="民警会打这个电话联系您"
              onInput={(e) => setMobile(e.detail.value)}
              data-testid="input-mobile"
            />
          </View>
        </View>

        <View className="section-title">
          <Text>4. 希望什么时间办理</Text>
        </View>
        <View className="chips" data-testid="wanted">
          {options.map((o) => (
            <Chip
              key={o.key}
              on={o.key === wanted}
              testId={`wanted-${o.key}`}
              onClick={() => setWanted(o.key)}
            >
              <Text>
                {o.label}
                {o.key === wanted ? ' ✓' : ''}
              </Text>
            </Chip>
          ))}
        </View>
        <View className="muted help-wanted-note">
          <Text>民警会根据值班情况与您确认具体时间。</Text>
        </View>

        <View className="card muted">
          <Text>您填写的姓名和手机号只用于这次办理和联系，办结后按规定期限删除。</Text>
        </View>

        {problem ? (
          <View className="form-problem" role="alert" data-testid="form-problem">
            <Text>{problem}</Text>
          </View>
        ) : null}
        {problem && overLimit && station ? (
          <View className="over-limit" data-testid="over-limit">
            <Button onClick={() => dialPhone(station.dutyPhone)} testId="over-limit-call">
              拨打值班电话 {station.dutyPhone}
            </Button>
            <Button
              variant="secondary"
              onClick={() => navigate('pages/my-requests/index')}
              testId="over-limit-mine"
            >
              查看我的求助
            </Button>
          </View>
        ) : null}
        <Button className="help-submit" busy={sending.busy} onClick={() => void confirm()} testId="confirm">
          {sending.busy ? '正在提交…' : '提交申请'}
        </Button>
      </View>
    </PageShell>
  )
}
