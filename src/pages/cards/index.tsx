/**
 * 制证进度: the resident's ID cards, each with its stages (已受理 → 制证中 → 已到所可领取 → 已领取,
 * or 已寄出), the pickup code (the receipt number as a QR code, shown at the window, no appointment
 * needed) with the station's address and hours, or delivery by post with an address entered once
 * (shown masked). A card accepted at the window without a booking is followed with its receipt
 * number and the holder's ID number. A message link opens the page on one card (`id`). The
 * message when a card is ready asks for a one-time grant; without one, this page shows the stage
 * all the same (docs/materials-and-cards.md).
 */
import { Input, Text, View } from '@tarojs/components'
import { useDidShow, useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { type CardView, type PostalAddressInput } from '../../../types/cards'
import { call } from '../../api/client'
import { decisionFor, requestSubscribe } from '../../api/subscribe'
import { PageShell } from '../../components/page-shell'
import { QrCode } from '../../components/qr-code'
import { Async } from '../../components/states'
import { useResult } from '../../components/use-result'
import { useSubmit } from '../../components/use-submit'
import { Badge, Button, Card, Fact, Field, FormError, StepBar } from '../../components/ui'
import { cardSteps } from './steps'
import './index.css'

/** Asks (inside a tap) for the one-time grant of the card message, and records the answer. */
async function askToBeTold(): Promise<void> {
  const answers = await requestSubscribe(['cardProgress']).catch(() => undefined)
  const d = answers ? decisionFor(answers, 'cardProgress') : undefined
  if (d) void call('notify', 'recordSubscribe', { results: { cardProgress: d } })
}

const time = (isoText: string) => {
  const d = new Date(isoText)
  const local = new Date(d.getTime() + 8 * 3600_000)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${local.getUTCMonth() + 1}月${local.getUTCDate()}日 ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`
}

export default function CardsPage() {
  const { params } = useRouter()
  const mine = useResult(() => call('cards', 'mine', {}), 'cards-mine')
  useDidShow(() => mine.reload())
  return (
    <PageShell testId="cards" className="cards-page">
      <View className="cards-head">
        <Text className="page-title">身份证制证进度</Text>
        <Text className="muted">在窗口办理身份证后，可在这里查看制证进度，选择到所领取或邮寄到家。</Text>
      </View>
      <Async
        result={mine}
        isEmpty={(cards) => cards.length === 0}
        empty={
          <View className="cards-empty" data-testid="cards-empty">
            <Text>还没有您的身份证办理记录。预约办理的会自动显示；现场办理的请用下方受理回执关注。</Text>
          </View>
        }
      >
        {(cards) => (
          <View>
            {cards.map((c) => (
              <CardItem
                key={c.cardId}
                card={c}
                highlighted={c.cardId === params.id}
                onChanged={mine.reload}
              />
            ))}
          </View>
        )}
      </Async>
      <FollowForm onFollowed={mine.reload} />
    </PageShell>
  )
}

function CardItem({
  card,
  highlighted,
  onChanged
}: {
  card: CardView
  highlighted: boolean
  onChanged: () => void
}) {
  const { steps, reached } = cardSteps(card)
  const ended = card.status === 'picked_up' || card.status === 'posted'
  return (
    <Card className={highlighted ? 'card-item card-highlight' : 'card-item'} testId={`card-${card.receipt}`}>
      <View className="card-item-head">
        <Text className="card-item-title">居民身份证</Text>
        <Badge tone={card.status === 'ready' ? 'green' : ended ? 'plain' : 'blue'} testId="card-status">
          {card.statusLabel}
        </Badge>
      </View>
      <Fact label="受理编号" value={card.receipt} valueTestId="card-receipt" />
      <Fact label="持证人" value={`${card.holderMasked}${card.idMasked ? `（${card.idMasked}）` : ''}`} />
      <StepBar steps={steps} reached={reached} row testId="card-steps" />
      <View className="card-times">
        {card.stages.map((s) => (
          <Text key={s.stage} className="muted card-time">
            {s.label} {time(s.at)}
          </Text>
        ))}
      </View>
      {card.status === 'posted' ? (
        <View className="card-posted" data-testid="card-posted">
          <Fact label="快递单号" value={`${card.carrier ? `${card.carrier} ` : ''}${card.tracking ?? ''}`} />
          {card.addressMasked ? <Fact label="寄往" value={card.addressMasked} /> : null}
        </View>
      ) : null}
      {card.status === 'picked_up' ? <Text className="muted">证件已领取，本次办理完成。</Text> : null}
      {card.addressLocked ? (
        <View className="card-post-locked" data-testid="card-address-locked">
          <Fact label="收件地址" value={card.addressMasked ?? ''} valueTestId="card-address" />
          <Text className="muted">
            派出所已按这个地址准备寄出，地址和领取方式不能再在线更改。如需更改，请致电{card.station.name}
            {card.station.phone}。
          </Text>
        </View>
      ) : null}
      {card.changeable ? <Delivery card={card} onChanged={onChanged} /> : null}
    </Card>
  )
}

function Delivery({ card, onChanged }: { card: CardView; onChanged: () => void }) {
  const [editing, setEditing] = useState(false)
  const saving = useSubmit()
  async function choosePickup() {
    const res = await saving.submit(() =>
      call('cards', 'choose', { cardId: card.cardId, delivery: 'pickup' })
    )
    if (res.ok) onChanged()
  }
  if (editing)
    return (
      <AddressForm
        card={card}
        onDone={() => {
          setEditing(false)
          onChanged()
        }}
        onCancel={() => setEditing(false)}
      />
    )
  return (
    <View className="card-delivery" data-testid="card-delivery">
      {card.delivery === 'pickup' ? (
        <View>
          {card.status === 'ready' ? (
            <View className="card-pickup" data-testid="card-pickup">
              <Text className="card-pickup-title">证件已到所，请到窗口领取</Text>
              <Text className="muted">
                到窗口出示下面的领取码（或受理回执），无需预约。请本人带好身份证明。
              </Text>
              <QrCode text={card.receipt} max={200} />
              <Text className="card-pickup-code">{card.receipt}</Text>
            </View>
          ) : (
            <Text className="muted">证件到所后可凭受理编号到窗口领取，无需预约。</Text>
          )}
          <Fact label="领取地点" value={`${card.station.name}（${card.station.address}）`} />
          <Fact label="办公时间" value={card.station.hours} />
          <View className="card-actions">
            <Button variant="secondary" onClick={() => setEditing(true)} testId="choose-post">
              改为邮寄到家
            </Button>
            {card.status !== 'ready' ? (
              <Button variant="secondary" onClick={() => void askToBeTold()} testId="ask-notice">
                证件到所时提醒我
              </Button>
            ) : null}
          </View>
        </View>
      ) : (
        <View data-testid="card-post-choice">
          <Text className="card-pickup-title">已选择邮寄</Text>
          <Fact label="收件地址" value={card.addressMasked ?? ''} valueTestId="card-address" />
          <Text className="muted">
            证件到所后由民警寄出，快递单号会显示在这里；如您允许了提醒，寄出时还会收到消息。
          </Text>
          <View className="card-actions">
            <Button variant="secondary" onClick={() => setEditing(true)} testId="change-address">
              修改地址
            </Button>
            <Button
              variant="secondary"
              busy={saving.busy}
              onClick={() => void choosePickup()}
              testId="choose-pickup"
            >
              改为到所领取
            </Button>
          </View>
        </View>
      )}
      {saving.error ? <FormError>{saving.error}</FormError> : null}
    </View>
  )
}

function AddressForm({
  card,
  onDone,
  onCancel
}: {
  card: CardView
  onDone: () => void
  onCancel: () => void
}) {
  const [a, setA] = useState<PostalAddressInput>({ recipient: '', mobile: '', region: '', street: '' })
  const saving = useSubmit()
  const set = (k: keyof PostalAddressInput) => (e: { detail: { value: string } }) =>
    setA((prev) => ({ ...prev, [k]: e.detail.value }))
  async function save() {
    await askToBeTold()
    const res = await saving.submit(() =>
      call('cards', 'choose', { cardId: card.cardId, delivery: 'post', address: a })
    )
    if (res.ok) onDone()
  }
  return (
    <View className="form card-address-form" data-testid="address-form">
      <Text className="card-pickup-title">邮寄地址</Text>
      <Text className="muted">地址加密保存，只用于寄送这张证件，领取或寄出后按期清除。</Text>
      <Field label="收件人">
        <Input
          className="form-input"
          value={a.recipient}
          maxlength={20}
          onInput={set('recipient')}
          data-testid="input-recipient"
        />
      </Field>
      <Field label="手机号">
        <Input
          className="form-input"
          type="number"
          value={a.mobile}
          maxlength={11}
          onInput={set('mobile')}
          data-testid="input-mobile"
        />
      </Field>
      <Field label="所在地区">
        <Input
          className="form-input"
          value={a.region}
          maxlength={40}
          placeholder="如：湖北省十堰市郧西县"
          onInput={set('region')}
          data-testid="input-region"
        />
      </Field>
      <Field label="详细地址">
        <Input
          className="form-input"
          value={a.street}
          maxlength={80}
          placeholder="街道、小区、楼栋、门牌号"
          onInput={set('street')}
          data-testid="input-street"
        />
      </Field>
      {saving.error ? <FormError testId="address-error">{saving.error}</FormError> : null}
      <View className="card-actions">
        <Button busy={saving.busy} onClick={() => void save()} testId="save-address">
          保存并选择邮寄
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          取消
        </Button>
      </View>
    </View>
  )
}

function FollowForm({ onFollowed }: { onFollowed: () => void }) {
  const [receipt, setReceipt] = useState('')
  const [idNumber, setIdNumber] = useState('')
  const following = useSubmit()
  async function follow() {
    await askToBeTold()
    const res = await following.submit(() => call('cards', 'follow', { receipt, idNumber: idNumber.trim() }))
    if (res.ok) {
      setReceipt('')
      setIdNumber('')
      onFollowed()
    }
  }
  return (
    <View>
      <View className="section-title">
        <Text>关注现场办理的证件</Text>
      </View>
      <View className="card form" data-testid="follow-form">
        <Text className="muted">请输入受理回执上的受理编号和持证人的身份证号码。</Text>
        <Field label="受理编号">
          <Input
            className="form-input"
            value={receipt}
            maxlength={40}
            onInput={(e) => setReceipt(e.detail.value)}
            data-testid="input-receipt"
          />
        </Field>
        <Field label="持证人身份证号码">
          <Input
            className="form-input"
            type="idcard"
            value={idNumber}
            maxlength={18}
            onInput={(e) => setIdNumber(e.detail.value)}
            data-testid="input-id-number"
          />
        </Field>
        {following.error ? <FormError testId="follow-error">{following.error}</FormError> : null}
        <Button busy={following.busy} onClick={() => void follow()} testId="follow">
          关注进度
        </Button>
      </View>
    </View>
  )
}
