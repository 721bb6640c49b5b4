/**
 * 材料预审 (staff): the station's pre-reviews waiting for review, oldest first with how long each
 * has waited (no names, no photos in the list); opening one shows its photos large — tap to
 * enlarge — and each item gets 合格 or 需补正 with a reason; 提交审核结果 records them all at once.
 * Opening one is recorded in the audit log (the photos are the resident's personal data); the
 * links expire after a few minutes. docs/materials-and-cards.md.
 */
import { Image, Text, Textarea, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { formatBookingCode } from '../../../types/booking-code'
import { REASON_MAX, type PrereviewQueueItem, type PrereviewStaffView } from '../../../types/prereview'
import { waitText } from '../../../types/requests'
import type { StaffView } from '../../../types/staff-admin'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { StaffOnly } from '../../components/staff-only'
import { Async } from '../../components/states'
import { useResult } from '../../components/use-result'
import { Badge, Button, Card, Chip, FormError } from '../../components/ui'
import './index.css'

const DEFAULT_STATION = 'st-yunxi-chengguan'

export default function Prereviews() {
  return <StaffOnly>{(me) => <Page me={me} />}</StaffOnly>
}

function Page({ me }: { me: StaffView }) {
  const { params } = useRouter()
  const stationId = me.stationId || DEFAULT_STATION
  const [openId, setOpenId] = useState<string | undefined>(params.id || undefined)
  const [done, setDone] = useState<string | undefined>()
  return (
    <PageShell testId="officer-prereviews" className="staff-page prereviews-page">
      {openId ? (
        <Review
          stationId={stationId}
          id={openId}
          onBack={(message) => {
            setDone(message)
            setOpenId(undefined)
          }}
        />
      ) : (
        <List stationId={stationId} done={done} onOpen={(id) => setOpenId(id)} />
      )}
    </PageShell>
  )
}

function List({
  stationId,
  done,
  onOpen
}: {
  stationId: string
  done?: string
  onOpen: (id: string) => void
}) {
  const queue = useResult(() => call('prereview', 'queue', { stationId }), `prq-${stationId}`)
  useDidShow(() => queue.reload())
  return (
    <View>
      <View className="section-title">
        <Text>待审核的材料预审</Text>
      </View>
      {done ? (
        <Card tone="success" testId="prq-done">
          <Text>{done}</Text>
        </Card>
      ) : null}
      <Async
        result={queue}
        isEmpty={(d) => d.items.length === 0}
        empty={<Text data-testid="prq-empty">现在没有待审核的材料预审</Text>}
      >
        {(d) => (
          <View>
            {d.items.map((it) => (
              <QueueRow key={it._id} it={it} asOf={d.asOf} onOpen={onOpen} />
            ))}
          </View>
        )}
      </Async>
    </View>
  )
}

function QueueRow({
  it,
  asOf,
  onOpen
}: {
  it: PrereviewQueueItem
  asOf: string
  onOpen: (id: string) => void
}) {
  return (
    <Card className="prq-row" testId="prq-row" dataId={it._id} onClick={() => onOpen(it._id)} role="button">
      <View className="prq-row-head">
        <Text className="prq-service">{it.serviceName}</Text>
        {it.round > 1 ? <Badge tone="orange">第{it.round}次提交</Badge> : null}
      </View>
      <Text className="muted">
        {it.itemCount}项材料 · {it.photoCount}张照片
        {it.booking ? ` · 预约 ${it.booking.date.slice(5)} ${it.booking.start}` : ' · 未预约'}
      </Text>
      <Text className={it.waitMinutes >= 240 ? 'prq-wait prq-wait-late' : 'prq-wait'} data-testid="prq-wait">
        已等候 {waitText(it.submittedAt, asOf)}
      </Text>
    </Card>
  )
}

type Choice = { verdict: 'ok' | 'fix'; reason: string }

function Review({
  stationId,
  id,
  onBack
}: {
  stationId: string
  id: string
  onBack: (message?: string) => void
}) {
  const opened = useResult(() => call('prereview', 'open', { stationId, id }), `pro-${id}`)
  return (
    <View>
      <View className="prr-back" onClick={() => onBack()} role="button" data-testid="prr-back">
        <Text>‹ 返回列表</Text>
      </View>
      <Async result={opened}>{(v) => <ReviewForm v={v} stationId={stationId} onBack={onBack} />}</Async>
    </View>
  )
}

function ReviewForm({
  v,
  stationId,
  onBack
}: {
  v: PrereviewStaffView
  stationId: string
  onBack: (message?: string) => void
}) {
  const [choices, setChoices] = useState<Record<string, Choice>>({})
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const open = v.items.filter((i) => i.editable)
  // A case that ended while waiting (its booking over) is no longer reviewed.
  const ended = v.endedAt !== undefined && v.status !== 'withdrawn'
  const reviewing = v.status === 'submitted' && !ended
  const set = (key: string, c: Partial<Choice>) =>
    setChoices((all) => ({ ...all, [key]: { verdict: 'ok', reason: '', ...all[key], ...c } }))

  async function submit() {
    const missing = open.filter((i) => !choices[i.key])
    if (missing.length) return setError(`请先审核「${missing.map((i) => i.name).join('、')}」`)
    const noReason = open.filter((i) => choices[i.key]?.verdict === 'fix' && !choices[i.key]?.reason.trim())
    if (noReason.length) return setError(`请写明「${noReason.map((i) => i.name).join('、')}」需补正的原因`)
    const fixes = open.filter((i) => choices[i.key]?.verdict === 'fix').length
    const confirm = await Taro.showModal({
      title: '提交审核结果',
      confirmText: '确定提交',
      content: fixes
        ? `${fixes}项材料需补正，居民会收到通知并重新上传。确定提交吗？`
        : v.booking
          ? '全部材料合格，预审将通过，预约会显示“材料已预审”。确定提交吗？'
          : '全部材料合格，预审将通过，居民会收到通知。确定提交吗？'
    })
    if (!confirm.confirm) return
    setBusy(true)
    const res = await call('prereview', 'review', {
      stationId,
      id: v._id,
      round: v.round,
      verdicts: open.map((i) => {
        const c = choices[i.key] as Choice
        return c.verdict === 'fix'
          ? { itemKey: i.key, verdict: 'fix' as const, reason: c.reason.trim() }
          : { itemKey: i.key, verdict: 'ok' as const }
      })
    }).catch(() => undefined)
    setBusy(false)
    if (!res) return setError('网络连接失败，请再试一次')
    if (!res.ok) return setError(res.error.message)
    onBack(
      res.data.status === 'passed'
        ? `「${v.serviceName}」预审已通过`
        : `「${v.serviceName}」已退回补正，居民会收到通知`
    )
  }

  return (
    <View data-testid="prr">
      <View className="prr-head">
        <Text className="page-title">{v.serviceName}</Text>
        <Badge
          tone={ended ? 'plain' : v.status === 'passed' ? 'green' : v.status === 'returned' ? 'red' : 'blue'}
        >
          {ended ? '已结束' : v.statusLabel}
        </Badge>
      </View>
      <Text className="muted prr-meta">
        {v.booking
          ? `预约 ${v.booking.date} ${v.booking.start} · 预约码 ${formatBookingCode(v.booking.code)}`
          : '未关联预约'}
        {v.round > 1 ? ` · 第${v.round}次提交` : ''}
      </Text>
      <Text className="muted prr-meta">
        照片链接{Math.round(v.urlSeconds / 60)}分钟内有效，本次查看已记录。
      </Text>
      {v.items.map((item) => {
        const urls = item.photos.flatMap((p) => (p.url ? [p.url] : []))
        const c = choices[item.key]
        return (
          <Card key={item.key} className="prr-item" testId={`prr-item-${item.key}`}>
            <View className="prr-item-head">
              <Text className="prr-item-name">
                {item.name}
                {item.required ? '' : '（视情况）'}
              </Text>
              {item.verdict === 'ok' ? (
                <Badge tone="green">已合格</Badge>
              ) : item.verdict === 'fix' ? (
                <Badge tone="red">需补正</Badge>
              ) : null}
            </View>
            {item.note ? <Text className="muted">{item.note}</Text> : null}
            {item.photos.length === 0 ? (
              <Text className="muted prr-none">
                {item.required ? '未上传照片' : '未上传（视情况，不需审核）'}
              </Text>
            ) : null}
            {item.photos.map((p, i) =>
              p.url ? (
                <Image
                  key={p.fileID}
                  className="prr-photo"
                  src={p.url}
                  mode="widthFix"
                  data-testid="prr-photo"
                  aria-label={`${item.name} 第${i + 1}张，点按放大`}
                  onClick={() => void Taro.previewImage({ urls, current: p.url })}
                />
              ) : (
                <Text key={p.fileID} className="muted">
                  照片暂时无法显示
                </Text>
              )
            )}
            {reviewing && item.editable ? (
              <View className="staff-form">
                <View className="prr-chips" role="radiogroup" aria-label={`${item.name}审核结论`}>
                  <Chip
                    pill
                    on={c?.verdict === 'ok'}
                    role="radio"
                    ariaChecked={c?.verdict === 'ok'}
                    onClick={() => set(item.key, { verdict: 'ok' })}
                    testId={`prr-ok-${item.key}`}
                  >
                    合格
                  </Chip>
                  <Chip
                    pill
                    tone="danger"
                    on={c?.verdict === 'fix'}
                    role="radio"
                    ariaChecked={c?.verdict === 'fix'}
                    onClick={() => set(item.key, { verdict: 'fix' })}
                    testId={`prr-fix-${item.key}`}
                  >
                    需补正
                  </Chip>
                </View>
                {c?.verdict === 'fix' ? (
                  <Textarea
                    className="form-textarea"
                    value={c.reason}
                    maxlength={REASON_MAX}
                    placeholder="需补正的原因，居民会看到（如：照片模糊、缺少本人页）"
                    onInput={(e) => set(item.key, { reason: e.detail.value })}
                    data-testid={`prr-reason-${item.key}`}
                  />
                ) : null}
              </View>
            ) : null}
          </Card>
        )
      })}
      {error ? <FormError testId="prr-error">{error}</FormError> : null}
      {reviewing ? (
        <View className="prr-submit">
          <Button busy={busy} onClick={() => void submit()} testId="prr-submit">
            {busy ? '正在提交…' : '提交审核结果'}
          </Button>
        </View>
      ) : (
        <Text className="muted prr-meta">
          {ended
            ? '这次预审已结束（预约已结束或已过期），无需审核。'
            : `这次预审${v.statusLabel}，无需审核。`}
        </Text>
      )}
    </View>
  )
}
