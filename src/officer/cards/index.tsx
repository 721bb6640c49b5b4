/**
 * 制证进度 for the window: 批量更新 — a box of cards arrives, the officer types or scans their
 * receipt numbers (one per line; in WeChat each scan adds a line), picks the stage, confirms, and
 * reads an answer per number (updated / already there / out of order / unknown / not a number);
 * 登记受理 — an acceptance from one of today's checked-in ID-card bookings (its resident follows
 * the card) or for a walk-in with the holder's name and ID number; 领取寄出 — the resident shows the
 * pickup code (no appointment needed), or a card the resident chose to receive by post is posted
 * with its tracking number; 按进度查看 — the station's cards at one stage (holders masked; the
 * postal address, when needed for the label, one tap away — both reads are on the audit log).
 * The rules are in docs/materials-and-cards.md.
 */
import { Input, Text, Textarea, View } from '@tarojs/components'
import { useState } from 'react'
import {
  BATCH_OUTCOME_LABELS,
  BATCH_MAX,
  CARD_STAGE_LABELS,
  CARD_STAGES,
  splitReceipts,
  type BatchResult,
  type BatchStage,
  type CardStage,
  type FullAddress,
  type StaffCardView
} from '../../../types/cards'
import type { StaffView } from '../../../types/staff-admin'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { StaffOnly } from '../../components/staff-only'
import { Async } from '../../components/states'
import { useResult } from '../../components/use-result'
import { useSubmit } from '../../components/use-submit'
import { Badge, Button, Card, Chip, Fact, Field, FormError, type BadgeTone } from '../../components/ui'
import { canScan, scanBookingCode } from '../queue/scan'
import '../../components/staff-ui.css'
import './index.css'

const DEFAULT_STATION = 'st-yunxi-chengguan'
type Tab = 'batch' | 'accept' | 'counter' | 'list'
const TABS: { key: Tab; label: string }[] = [
  { key: 'batch', label: '批量更新' },
  { key: 'accept', label: '登记受理' },
  { key: 'counter', label: '领取寄出' },
  { key: 'list', label: '按进度查看' }
]

export default function OfficerCards() {
  return <StaffOnly>{(me) => <Panel me={me} />}</StaffOnly>
}

function Panel({ me }: { me: StaffView }) {
  const stationId = me.stationId || DEFAULT_STATION
  const [tab, setTab] = useState<Tab>('batch')
  return (
    <PageShell testId="officer-cards" className="staff-page officer-cards">
      <View className="cards-tabs">
        {TABS.map((t) => (
          <Chip key={t.key} pill on={tab === t.key} onClick={() => setTab(t.key)} testId={`tab-${t.key}`}>
            {t.label}
          </Chip>
        ))}
      </View>
      {tab === 'batch' ? <BatchBox stationId={stationId} /> : null}
      {tab === 'accept' ? <AcceptForm stationId={stationId} /> : null}
      {tab === 'counter' ? <Counter stationId={stationId} /> : null}
      {tab === 'list' ? <StageList stationId={stationId} /> : null}
    </PageShell>
  )
}

const OUTCOME_TONES: Record<keyof typeof BATCH_OUTCOME_LABELS, BadgeTone> = {
  done: 'green',
  already: 'blue',
  out_of_order: 'orange',
  unknown: 'red',
  invalid: 'red'
}

function BatchBox({ stationId }: { stationId: string }) {
  const [stage, setStage] = useState<BatchStage>('ready')
  const [text, setText] = useState('')
  const [confirming, setConfirming] = useState(false)
  const [result, setResult] = useState<BatchResult | undefined>()
  const sending = useSubmit()
  const receipts = splitReceipts(text)
  const tooMany = receipts.length > BATCH_MAX

  /** Scans receipt after receipt, a line each, until the officer closes the scanner. */
  async function scan() {
    for (let read = await scanBookingCode(); read; read = await scanBookingCode()) {
      const line = read
      setText((t) => (t.trim() ? `${t.trim()}\n${line}` : line))
      setConfirming(false)
    }
  }
  async function send() {
    const res = await sending.submit(() => call('cards', 'batch', { stationId, stage, receipts }))
    setConfirming(false)
    if (res.ok) {
      setResult(res.data)
      setText('')
    }
  }

  return (
    <View>
      <Card className="form" testId="batch-box">
        <Text className="form-label">这批证件现在是</Text>
        <View className="cards-chips">
          {(['making', 'ready'] as const).map((s) => (
            <Chip key={s} on={stage === s} onClick={() => setStage(s)} testId={`stage-${s}`}>
              {CARD_STAGE_LABELS[s]}
            </Chip>
          ))}
        </View>
        <Text className="form-label">受理编号（每行一个{canScan ? '，或逐个扫码' : ''}）</Text>
        <Textarea
          className="form-textarea cards-codes"
          value={text}
          maxlength={-1}
          placeholder={'如：\nSZ20261228001\nSZ20261228002'}
          onInput={(e) => {
            setText(e.detail.value)
            setConfirming(false)
          }}
          data-testid="batch-codes"
        />
        <Text className={tooMany ? 'form-error' : 'muted'} data-testid="batch-count">
          {tooMany ? `一次最多 ${BATCH_MAX} 个，现有 ${receipts.length} 个` : `共 ${receipts.length} 个编号`}
        </Text>
        {canScan ? (
          <Button variant="secondary" onClick={() => void scan()} testId="batch-scan">
            连续扫码添加（扫完关闭扫码框）
          </Button>
        ) : null}
        {confirming ? (
          <View className="cards-confirm" data-testid="batch-confirm">
            <Text>
              将这 {receipts.length} 张证件标记为“{CARD_STAGE_LABELS[stage]}”
              {stage === 'ready'
                ? '，有人关注的证件会给关注人发领取消息（居民允许了提醒才收到微信通知）'
                : ''}
              。确认吗？
            </Text>
            <Button busy={sending.busy} onClick={() => void send()} testId="batch-go">
              确认更新
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              返回修改
            </Button>
          </View>
        ) : (
          <Button
            onClick={() => (receipts.length && !tooMany ? setConfirming(true) : undefined)}
            testId="batch-submit"
          >
            更新进度
          </Button>
        )}
        {sending.error ? <FormError testId="batch-error">{sending.error}</FormError> : null}
      </Card>
      {result ? <BatchResults result={result} /> : null}
    </View>
  )
}

function BatchResults({ result }: { result: BatchResult }) {
  const summary = (Object.keys(result.counts) as (keyof typeof result.counts)[])
    .filter((k) => result.counts[k] > 0)
    .map((k) => `${BATCH_OUTCOME_LABELS[k]} ${result.counts[k]}`)
    .join('，')
  return (
    <View data-testid="batch-results">
      <View className="section-title">
        <Text>更新结果（{CARD_STAGE_LABELS[result.stage]}）</Text>
      </View>
      <Card>
        <Text className="cards-summary" data-testid="batch-summary">
          {summary}
        </Text>
        {result.items.map((item, i) => (
          <View key={`${item.input}-${i}`} className="cards-result" data-testid={`result-${i}`}>
            <Text className="cards-receipt">{item.receipt ?? item.input}</Text>
            <Badge tone={OUTCOME_TONES[item.outcome]}>
              {BATCH_OUTCOME_LABELS[item.outcome]}
              {item.outcome !== 'done' && item.status ? `（${CARD_STAGE_LABELS[item.status]}）` : ''}
            </Badge>
          </View>
        ))}
      </Card>
    </View>
  )
}

function AcceptForm({ stationId }: { stationId: string }) {
  const [receipt, setReceipt] = useState('')
  const [appointmentId, setAppointmentId] = useState<string | undefined>()
  const [name, setName] = useState('')
  const [idNumber, setIdNumber] = useState('')
  const [done, setDone] = useState<string | undefined>()
  const saving = useSubmit()
  const today = useResult(() => call('staff', 'today', { stationId }), `today-${stationId}`)
  async function save() {
    const res = await saving.submit(() =>
      call('cards', 'accept', {
        stationId,
        receipt,
        ...(appointmentId ? { appointmentId } : { holder: { name: name.trim(), idNumber: idNumber.trim() } })
      })
    )
    if (res.ok) {
      setDone(`已登记 ${res.data.receipt}${res.data.followed ? '，预约人可在小程序查看进度' : ''}`)
      setReceipt('')
      setName('')
      setIdNumber('')
      setAppointmentId(undefined)
    }
  }
  return (
    <Card className="form" testId="accept-form">
      <Field label="受理编号（见受理回执）">
        <Input
          className="form-input"
          value={receipt}
          maxlength={40}
          onInput={(e) => setReceipt(e.detail.value)}
          data-testid="accept-receipt"
        />
      </Field>
      <Text className="form-label">办证人</Text>
      <Async result={today}>
        {(t) => {
          const items = t.slots
            .flatMap((s) => s.items)
            .filter(
              (i) => (i.status === 'checked_in' || i.status === 'done') && i.serviceName.includes('身份证')
            )
          return (
            <View className="cards-chips">
              <Chip on={!appointmentId} onClick={() => setAppointmentId(undefined)} testId="accept-walkin">
                现场办理（无预约）
              </Chip>
              {items.map((i) => (
                <Chip
                  key={i._id}
                  on={appointmentId === i._id}
                  onClick={() => setAppointmentId(i._id)}
                  testId={`accept-booking-${i.code}`}
                >
                  {i.start} {i.applicantName} {i.serviceName}
                </Chip>
              ))}
            </View>
          )
        }}
      </Async>
      {appointmentId ? (
        <Text className="muted">
          预约人会自动关注这张证件的进度；证件到所时给他发消息，允许了提醒的会收到微信通知。
        </Text>
      ) : (
        <View>
          <Field label="持证人姓名">
            <Input
              className="form-input"
              value={name}
              maxlength={20}
              onInput={(e) => setName(e.detail.value)}
              data-testid="accept-name"
            />
          </Field>
          <Field label="持证人身份证号码">
            <Input
              className="form-input"
              type="idcard"
              value={idNumber}
              maxlength={18}
              onInput={(e) => setIdNumber(e.detail.value)}
              data-testid="accept-id"
            />
          </Field>
          <Text className="muted">居民凭受理编号和身份证号码在小程序“我的 → 制证进度”关注进度。</Text>
        </View>
      )}
      {saving.error ? <FormError testId="accept-error">{saving.error}</FormError> : null}
      {done ? (
        <Text className="cards-done" data-testid="accept-done">
          {done}
        </Text>
      ) : null}
      <Button busy={saving.busy} onClick={() => void save()} testId="accept-save">
        登记受理
      </Button>
    </Card>
  )
}

function Counter({ stationId }: { stationId: string }) {
  const [receipt, setReceipt] = useState('')
  const [tracking, setTracking] = useState('')
  const [carrier, setCarrier] = useState('')
  const [done, setDone] = useState<string | undefined>()
  const acting = useSubmit()
  async function scan() {
    const read = await scanBookingCode()
    if (read) setReceipt(read)
  }
  async function pickUp() {
    const res = await acting.submit(() => call('cards', 'pickUp', { stationId, receipt }))
    if (res.ok) {
      setDone(`${res.data.receipt} 已领取`)
      setReceipt('')
    } else setDone(undefined)
  }
  async function post() {
    const res = await acting.submit(() =>
      call('cards', 'post', {
        stationId,
        receipt,
        tracking,
        ...(carrier.trim() ? { carrier: carrier.trim() } : {})
      })
    )
    if (res.ok) {
      setDone(
        res.data.followed
          ? `${res.data.receipt} 已寄出，已给关注人发快递单号消息（居民允许了提醒才收到微信通知）`
          : `${res.data.receipt} 已寄出。无人关注这张证件，请另行告知居民快递单号`
      )
      setReceipt('')
      setTracking('')
    } else setDone(undefined)
  }
  return (
    <Card className="form" testId="counter">
      <Field label="领取码 / 受理编号">
        <Input
          className="form-input"
          value={receipt}
          maxlength={40}
          onInput={(e) => setReceipt(e.detail.value)}
          data-testid="counter-receipt"
        />
      </Field>
      {canScan ? (
        <Button variant="secondary" onClick={() => void scan()} testId="counter-scan">
          扫居民的领取码
        </Button>
      ) : null}
      <Text className="muted">居民出示领取码即可领取，无需预约；请核对本人身份后交付。</Text>
      <Button busy={acting.busy} onClick={() => void pickUp()} testId="counter-pickup">
        确认已领取
      </Button>
      <View className="staff-form">
        <Text className="form-label">邮寄（居民已选择邮寄的证件）</Text>
        <Input
          className="form-input"
          value={tracking}
          maxlength={40}
          placeholder="快递单号"
          onInput={(e) => setTracking(e.detail.value)}
          data-testid="counter-tracking"
        />
        <Input
          className="form-input"
          value={carrier}
          maxlength={10}
          placeholder="快递公司（如 EMS、顺丰）"
          onInput={(e) => setCarrier(e.detail.value)}
          data-testid="counter-carrier"
        />
        <Button variant="secondary" busy={acting.busy} onClick={() => void post()} testId="counter-post">
          登记已寄出
        </Button>
      </View>
      {acting.error ? <FormError testId="counter-error">{acting.error}</FormError> : null}
      {done ? (
        <Text className="cards-done" data-testid="counter-done">
          {done}
        </Text>
      ) : null}
    </Card>
  )
}

const when = (isoText: string) => {
  const local = new Date(new Date(isoText).getTime() + 8 * 3600_000)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${local.getUTCMonth() + 1}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`
}

function StageList({ stationId }: { stationId: string }) {
  const [stage, setStage] = useState<CardStage>('ready')
  const list = useResult(() => call('cards', 'list', { stationId, stage }), `cards-${stationId}-${stage}`)
  return (
    <View>
      <View className="cards-tabs">
        {CARD_STAGES.map((s) => (
          <Chip key={s} pill on={stage === s} onClick={() => setStage(s)} testId={`list-${s}`}>
            {CARD_STAGE_LABELS[s]}
          </Chip>
        ))}
      </View>
      <Async
        result={list}
        isEmpty={(cards) => cards.length === 0}
        empty={<Text>没有处于“{CARD_STAGE_LABELS[stage]}”的证件</Text>}
      >
        {(cards) => (
          <View data-testid="cards-list">
            <Text className="muted cards-list-count">
              共 {cards.length} 张（最近更新的在前，最多显示 100 张）
            </Text>
            {cards.map((c) => (
              <ListItem key={c.cardId} card={c} stationId={stationId} />
            ))}
          </View>
        )}
      </Async>
    </View>
  )
}

function ListItem({ card, stationId }: { card: StaffCardView; stationId: string }) {
  const [address, setAddress] = useState<FullAddress | undefined>()
  const [followed, setFollowed] = useState(card.followed)
  const [unfollowing, setUnfollowing] = useState(false)
  const reading = useSubmit()
  const clearing = useSubmit()
  const last = card.stages[card.stages.length - 1]
  const ended = card.status === 'picked_up' || card.status === 'posted'
  async function show() {
    const res = await reading.submit(() => call('cards', 'address', { stationId, cardId: card.cardId }))
    if (res.ok) setAddress(res.data)
  }
  async function unfollow() {
    const res = await clearing.submit(() => call('cards', 'unfollow', { stationId, cardId: card.cardId }))
    if (res.ok) {
      setFollowed(false)
      setAddress(undefined)
      setUnfollowing(false)
    }
  }
  return (
    <Card testId={`list-card-${card.receipt}`}>
      <View className="cards-result">
        <Text className="cards-receipt">{card.receipt}</Text>
        <Badge tone={card.delivery === 'post' ? 'orange' : 'plain'}>
          {card.delivery === 'post' ? '邮寄' : '到所领取'}
        </Badge>
      </View>
      <Fact label="持证人" value={`${card.holderMasked}${card.idMasked ? ` ${card.idMasked}` : ''}`} />
      {last ? <Fact label={last.label} value={when(last.at)} /> : null}
      <Fact label="进度通知" value={followed ? '居民已关注' : '无人关注'} testId="list-card-followed" />
      {card.tracking ? <Fact label="快递单号" value={card.tracking} /> : null}
      {card.delivery === 'post' && followed && !address && !ended ? (
        <Button variant="secondary" busy={reading.busy} onClick={() => void show()} testId="show-address">
          查看邮寄地址写面单（查看后居民不能再在线修改）
        </Button>
      ) : null}
      {address ? (
        <View className="staff-form" data-testid="full-address">
          <View>
            <Text>
              收件人 {address.recipient} {address.mobile}
            </Text>
          </View>
          <View>
            <Text>
              {address.region}
              {address.street}
            </Text>
          </View>
          <View data-testid="full-address-holder">
            <Text className="muted">
              持证人 {address.holderMasked}。收件人不是持证人本人的，寄出前请先与持证人核实。
            </Text>
          </View>
        </View>
      ) : null}
      {reading.error ? <FormError>{reading.error}</FormError> : null}
      {followed && !ended ? (
        unfollowing ? (
          <View className="cards-confirm" data-testid="unfollow-confirm">
            <Text>
              解除后，这个微信号不再收到这张证件的进度，它填写的邮寄地址一并清除，证件改为到所领取；持证人可凭受理回执重新关注。此操作会记录在案。
            </Text>
            <Button busy={clearing.busy} onClick={() => void unfollow()} testId="unfollow-go">
              确认解除
            </Button>
            <Button variant="secondary" onClick={() => setUnfollowing(false)}>
              返回
            </Button>
          </View>
        ) : (
          <Button variant="secondary" onClick={() => setUnfollowing(true)} testId="unfollow">
            关注人不是持证人？解除关注
          </Button>
        )
      ) : null}
      {clearing.error ? <FormError>{clearing.error}</FormError> : null}
    </Card>
  )
}
