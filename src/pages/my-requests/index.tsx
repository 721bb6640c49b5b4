/**
 * 我的求助: the resident's emergency, after-hours and home-visit requests, newest first, each with
 * its status — the agreed time and place once accepted, or the reason and what to do instead
 * when declined. While nobody has accepted a request, the page says exactly what the function's
 * `reach` says (alerts on their way / an officer has it / nobody could be reached) with the duty
 * phone one tap away, and checks again every few seconds while the alerts are on their way. Each
 * request shows how long it has waited (moving on while the page is open); once accepted, the
 * officer's name, how soon it was accepted and a call button.
 */
import { Text, View } from '@tarojs/components'
import { useDidHide, useDidShow, useRouter } from '@tarojs/taro'
import { useEffect, useMemo, useState } from 'react'
import { waitText, type Reach, type RequestView } from '../../../types/requests'
import { localDateTime } from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { Async, Empty } from '../../components/states'
import { useResult } from '../../components/use-result'
import { dialPhone } from '../../components/voice-station'
import { Badge, Button, Card, StepBar, type BadgeTone } from '../../components/ui'
import { navigate } from '../../navigation'
import './index.css'

/** How often the page asks again while alerts are on their way. */
const RECHECK_MS = 5_000
/** How often the waiting times on the page move on. */
const TICK_MS = 30_000

/** The words for each reach state: never "received" before it is true. */
const REACH_TEXT: Record<Reach, string> = {
  trying: '正在通知值班民警（微信提醒，送不到时发短信）……',
  reached: '值班民警已收到提醒，会尽快与您联系。',
  unreached: '暂时没能联系上值班民警。请直接拨打值班电话，民警会马上为您处理。'
}

const REACH_CLASS: Record<Reach, string> = {
  trying: 'reach reach-trying',
  reached: 'reach reach-reached',
  unreached: 'reach reach-unreached'
}

const BADGE: Record<RequestView['status'], BadgeTone> = {
  submitted: 'orange',
  accepted: 'green',
  declined: 'orange',
  done: 'blue'
}

/** The way a request goes: accepted and finished, or declined after it was sent. */
const STEPS = [
  { key: 'submitted', label: '已提交' },
  { key: 'accepted', label: '已受理' },
  { key: 'done', label: '已完成' }
] as const
const DECLINED_STEPS = [
  { key: 'submitted', label: '已提交' },
  { key: 'declined', label: '已婉拒' }
] as const
const REACHED: Record<RequestView['status'], number> = { submitted: 0, accepted: 1, done: 2, declined: 1 }

export default function MyRequests() {
  const router = useRouter()
  const mine = useResult(() => call('requests', 'mine', {}), 'mine')
  const [visible, setVisible] = useState(true)
  useDidShow(() => {
    setVisible(true)
    mine.reload()
  })
  useDidHide(() => setVisible(false))
  const trying =
    mine.status === 'ok' && mine.data.some((r) => r.status === 'submitted' && r.reach === 'trying')
  const { reload } = mine
  useEffect(() => {
    if (!trying || !visible) return undefined
    const timer = setInterval(reload, RECHECK_MS)
    return () => clearInterval(timer)
  }, [trying, visible, reload])

  return (
    <Async result={mine}>
      {(list) => <Requests list={list} id={router.params.id} isNew={!!router.params.new} reload={reload} />}
    </Async>
  )
}

/**
 * The cloud's current time, moving on every TICK_MS while the page is open: the time the views
 * were made (`asOf`) plus what the phone's clock counted since they arrived, so a phone whose clock
 * is wrong still shows the right wait.
 */
function useCloudNow(asOf: string | undefined): number {
  // How far the cloud's clock is ahead of the phone's, taken when a view arrives.
  const offset = useMemo(() => (asOf ? Date.parse(asOf) - Date.now() : 0), [asOf])
  const [, setTick] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), TICK_MS)
    return () => clearInterval(timer)
  }, [])
  return Date.now() + offset
}

function Requests({
  list,
  id,
  isNew,
  reload
}: {
  list: RequestView[]
  id?: string
  isNew: boolean
  reload: () => void
}) {
  const fresh = isNew ? list.find((r) => r._id === id) : undefined
  const now = useCloudNow(list[0]?.asOf)
  return (
    <PageShell testId="my-requests">
      <View className="my-requests">
        {fresh ? (
          <Card role="status" testId="submitted-notice">
            <Text>
              已提交。
              {fresh.status === 'submitted'
                ? REACH_TEXT[fresh.reach]
                : '民警已经处理了您的申请，详情见下方。'}
            </Text>
          </Card>
        ) : null}
        {list.length === 0 ? (
          <Empty testId="no-requests">还没有求助记录。</Empty>
        ) : (
          list.map((r) => <Item key={r._id} r={r} highlight={r._id === id} now={now} />)
        )}
        <Button onClick={reload} testId="refresh">
          刷新
        </Button>
        <Button onClick={() => navigate('pages/help/index')} testId="new-request">
          再提交一个求助
        </Button>
      </View>
    </PageShell>
  )
}

function Item({ r, highlight, now }: { r: RequestView; highlight: boolean; now: number }) {
  return (
    <Card className={highlight ? 'request-item request-item-new' : 'request-item'} testId="request-item">
      <View className="request-item-head">
        <Text className="request-title">
          {r.kindLabel} · {r.categoryLabel}
        </Text>
        <Badge tone={BADGE[r.status]} testId="request-status">
          {r.statusLabel}
        </Badge>
      </View>
      <StepBar
        row
        className="request-steps"
        steps={r.status === 'declined' ? DECLINED_STEPS : STEPS}
        reached={REACHED[r.status]}
        testId="request-steps"
      />
      <View className="muted request-line">
        <Text>{r.description}</Text>
      </View>
      <View className="muted request-line">
        <Text>
          提交于 {localDateTime(r.createdAt)}
          {r.wantedAt ? ` · 希望 ${localDateTime(r.wantedAt)}` : ''}
        </Text>
      </View>
      {r.address ? (
        <View className="muted request-line">
          <Text>上门地址：{r.address}</Text>
        </View>
      ) : null}
      {r.status === 'submitted' ? (
        <View className={REACH_CLASS[r.reach]} data-testid="request-reach" data-reach={r.reach}>
          <View className="request-waited" data-testid="request-waited">
            <Text>已等待 {waitText(r.createdAt, now)}</Text>
          </View>
          <View>
            <Text>{REACH_TEXT[r.reach]}</Text>
          </View>
          {r.reach !== 'unreached' ? (
            <View className="muted">
              <Text>等待民警受理；超过30分钟无人受理会再次提醒民警和所领导。</Text>
            </View>
          ) : null}
          {r.dutyPhone ? (
            <View className="duty-phone" onClick={() => dialPhone(r.dutyPhone)} data-testid="duty-phone">
              <Text>拨打值班电话 {r.dutyPhone}</Text>
            </View>
          ) : null}
        </View>
      ) : null}
      {(r.status === 'accepted' || r.status === 'done') && r.agreedAt ? (
        <View className="request-agreed" data-testid="request-agreed">
          <View>
            <Text>
              {r.kind === 'home_visit' ? '上门时间' : '约定时间'}：{localDateTime(r.agreedAt)}
            </Text>
          </View>
          <View>
            <Text>
              {r.kind === 'home_visit' ? '上门地址' : '办理地点'}：{r.place}
            </Text>
          </View>
          {r.officerName ? (
            <View data-testid="request-officer">
              <Text>负责民警：{r.officerName}</Text>
            </View>
          ) : null}
          {r.acceptedAt ? (
            <View className="muted" data-testid="request-accepted-after">
              <Text>提交后 {waitText(r.createdAt, r.acceptedAt)} 受理</Text>
            </View>
          ) : null}
          {r.status === 'accepted' && r.dutyPhone ? (
            // The station's duty line reaches whoever is on duty, the officer in charge included;
            // officers' own mobiles are not given out.
            <Button
              variant="secondary"
              className="request-call"
              testId="call-officer"
              onClick={() => dialPhone(r.dutyPhone)}
            >
              联系民警：拨打值班电话 {r.dutyPhone}
            </Button>
          ) : null}
        </View>
      ) : null}
      {r.status === 'declined' ? (
        <View className="request-declined" data-testid="request-declined">
          <View>
            <Text>原因：{r.declineReason}</Text>
          </View>
          <View>
            <Text>您可以：{r.alternative}</Text>
          </View>
        </View>
      ) : null}
      {r.status === 'done' ? (
        <View className="request-line">
          <Text>
            已于 {r.doneAt ? localDateTime(r.doneAt) : ''} 办结{r.doneNote ? `：${r.doneNote}` : ''}
          </Text>
        </View>
      ) : null}
    </Card>
  )
}
