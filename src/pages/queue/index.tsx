/**
 * 取号排队: the hall's QR code opens this page (`stationId`, `hall=1`, maybe `line`); a link
 * without `hall` takes a remote number for today. The resident picks a line and takes a number;
 * the page then shows the number big, how many are ahead, the estimated wait, and — once called — the window to go to. It
 * asks `queue.status` again every few seconds while the number is still in play and the page is
 * shown (one database read a poll; docs/queue.md says why polling). Before taking, it asks once for
 * the subscription message (叫号提醒); the page shows the same either way.
 */
import { Text, View } from '@tarojs/components'
import { useDidHide, useDidShow, useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { POLL_MS, type LinesView, type TicketView } from '../../../types/queue'
import { call } from '../../api/client'
import { decisionFor, requestSubscribe } from '../../api/subscribe'
import { PageShell } from '../../components/page-shell'
import { Async } from '../../components/states'
import { useResult } from '../../components/use-result'
import { useSubmit } from '../../components/use-submit'
import { Badge, Button, Card, FormError } from '../../components/ui'
import './index.css'

const DEFAULT_STATION = 'st-yunxi-chengguan'
const IN_PLAY = new Set<TicketView['status']>(['waiting', 'called', 'serving'])

export default function QueuePage() {
  const { params } = useRouter()
  const stationId = params.stationId || DEFAULT_STATION
  const [ticketId, setTicketId] = useState<string | undefined>(params.ticketId || undefined)
  const mine = useResult(() => call('queue', 'mine', { stationId }), `mine-${stationId}`)
  // Without a number named in the link, follow the resident's number still in play today.
  const held = mine.status === 'ok' ? mine.data.find((t) => IN_PLAY.has(t.status)) : undefined
  const followed = ticketId ?? held?.ticketId
  return (
    <PageShell testId="queue" className="queue-page">
      {followed ? (
        <Ticket
          ticketId={followed}
          onMoved={setTicketId}
          onAgain={() => {
            setTicketId(undefined)
            mine.reload()
          }}
        />
      ) : (
        <Take
          stationId={stationId}
          preselect={params.line}
          onSite={params.hall === '1'}
          onTaken={(t) => setTicketId(t.ticketId)}
        />
      )}
    </PageShell>
  )
}

function Take({
  stationId,
  preselect,
  onSite,
  onTaken
}: {
  stationId: string
  preselect?: string
  onSite: boolean
  onTaken: (t: TicketView) => void
}) {
  const lines = useResult(() => call('queue', 'lines', { stationId }), `lines-${stationId}`)
  useDidShow(() => lines.reload())
  return (
    <Async result={lines}>
      {(data) => <Lines data={data} preselect={preselect} onSite={onSite} onTaken={onTaken} />}
    </Async>
  )
}

function Lines({
  data,
  preselect,
  onSite,
  onTaken
}: {
  data: LinesView
  preselect?: string
  onSite: boolean
  onTaken: (t: TicketView) => void
}) {
  const taking = useSubmit()
  async function take(line: string) {
    // Inside the tap: WeChat shows the permission sheet only for a user's tap.
    const answers = await requestSubscribe(['queueCall']).catch(() => undefined)
    const d = answers ? decisionFor(answers, 'queueCall') : undefined
    if (d) void call('notify', 'recordSubscribe', { results: { queueCall: d } })
    const res = await taking.submit((requestId) =>
      call('queue', 'take', { requestId, stationId: data.stationId, line, onSite })
    )
    if (res.ok) onTaken(res.data)
  }
  const ordered = preselect
    ? [...data.lines].sort((a, b) => Number(b.key === preselect) - Number(a.key === preselect))
    : data.lines
  return (
    <View className="queue-take">
      <Text className="page-title queue-station">{data.stationName}</Text>
      {data.open ? (
        <Text className="muted">请选择要办理的事项取号，叫到您的号码时请到对应窗口。</Text>
      ) : (
        <Card className="card-warn" testId="queue-closed">
          <Text>{data.closedReason}</Text>
        </Card>
      )}
      {ordered.map((l) => (
        <Card key={l.key} className="queue-line" testId={`line-${l.key}`}>
          <View className="queue-line-head">
            <Text className="queue-line-key">{l.key}</Text>
            <Text className="queue-line-label">{l.label}</Text>
          </View>
          <Text className="queue-line-wait">
            {l.waiting === 0 ? '现在没有人排队' : `前面 ${l.waiting} 人，约等 ${l.waitMinutes} 分钟`}
          </Text>
          {data.open ? (
            <Button busy={taking.busy} onClick={() => void take(l.key)} testId={`take-${l.key}`}>
              取号
            </Button>
          ) : null}
        </Card>
      ))}
      {taking.error ? <FormError testId="take-error">{taking.error}</FormError> : null}
    </View>
  )
}

function Ticket({
  ticketId,
  onMoved,
  onAgain
}: {
  ticketId: string
  onMoved: (id: string) => void
  onAgain: () => void
}) {
  const status = useResult(() => call('queue', 'status', { ticketId }), ticketId)
  const [visible, setVisible] = useState(true)
  useDidShow(() => {
    setVisible(true)
    status.reload()
  })
  useDidHide(() => setVisible(false))
  const { reload } = status
  const live = status.status === 'ok' && IN_PLAY.has(status.data.status)
  const moved = status.status === 'ok' ? status.data.transferredTo?.ticketId : undefined
  useEffect(() => {
    if (moved) onMoved(moved)
  }, [moved, onMoved])
  useEffect(() => {
    if (!live || !visible) return undefined
    const timer = setInterval(reload, POLL_MS)
    return () => clearInterval(timer)
  }, [live, visible, reload])
  return (
    <Async result={status}>
      {(t) => (
        <View>
          <TicketCard t={t} />
          {IN_PLAY.has(t.status) || t.transferredTo ? null : (
            <Button variant="secondary" onClick={onAgain} testId="take-again">
              重新取号
            </Button>
          )}
        </View>
      )}
    </Async>
  )
}

function TicketCard({ t }: { t: TicketView }) {
  const called = t.status === 'called' || t.status === 'serving'
  return (
    <View className="queue-ticket" data-testid="ticket">
      <Card className={called ? 'queue-card queue-card-called' : 'queue-card'}>
        <Text className="muted">
          {t.line} {t.lineLabel}
        </Text>
        <Text className="queue-number" data-testid="ticket-number">
          {t.number}
        </Text>
        <Badge tone={called ? 'green' : t.status === 'waiting' ? 'blue' : 'orange'} testId="ticket-status">
          {t.statusLabel}
        </Badge>
        {t.status === 'waiting' ? (
          <View className="queue-facts" role="status">
            <Text className="queue-ahead" data-testid="ticket-ahead">
              {t.ahead === 0 ? '下一位就是您' : `前面还有 ${t.ahead} 人`}
            </Text>
            <Text className="queue-wait">
              {t.ahead === 0 ? '请留意叫号' : `预计等候约 ${t.waitMinutes} 分钟`}
            </Text>
            {t.ahead > 0 && t.ahead <= 3 ? <Text className="queue-near">快到您了，请在大厅等候</Text> : null}
          </View>
        ) : null}
        {called ? (
          <View role="alert">
            <Text className="queue-window" data-testid="ticket-window">
              请到 {t.window} 号窗口办理
            </Text>
          </View>
        ) : null}
        {t.status === 'no_show' ? (
          <Text className="queue-wait">叫号3次未到，已过号。需要办理请重新取号。</Text>
        ) : null}
      </Card>
      <Text className="muted queue-note">页面每隔几秒自动刷新；叫号时也会发微信提醒（如您允许）。</Text>
    </View>
  )
}
