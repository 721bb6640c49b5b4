/**
 * 工作台 — where staff land: what needs doing now at their station, each counted, one tap to its
 * list. Emergencies waiting to be taken come first with the oldest one's wait ticking; then other
 * requests, today's queue, online questions and alerts WeChat could not deliver; leaders and
 * supervisors also see bad-review follow-ups (open, overdue) and the feedback box, and the links
 * to their own pages. The counts come from `staff.workbench` (docs/workbench.md) and are read
 * again whenever the page shows.
 */
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import type { ReactNode } from 'react'
import { waitText } from '../../../types/requests'
import type { StaffView } from '../../../types/staff-admin'
import { ROLE_LABELS } from '../../../types/staff-admin'
import { UNDELIVERED_DAYS, type Workbench } from '../../../types/workbench'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { manages, StaffOnly } from '../../components/staff-only'
import { Async } from '../../components/states'
import { Badge, Button, Card, cx, type BadgeTone } from '../../components/ui'
import { useResult } from '../../components/use-result'
import { navigate } from '../../navigation'
import { useServerNow } from './clock'
import '../../components/staff-ui.css'
import './index.css'

/** A supervisor who oversees every station (no station of their own) sees the demo station. */
const DEFAULT_STATION = 'st-yunxi-chengguan'

export default function OfficerWorkbench() {
  return <StaffOnly>{(me) => <Bench me={me} />}</StaffOnly>
}

function Bench({ me }: { me: StaffView }) {
  const stationId = me.stationId || DEFAULT_STATION
  const counts = useResult(() => call('staff', 'workbench', { stationId }), `workbench-${stationId}`)
  useDidShow(() => counts.reload())
  return (
    <PageShell testId="officer-workbench" className="officer-workbench staff-page">
      <View className="workbench-who">
        <View className="workbench-name">
          <Text>
            {me.name}（{ROLE_LABELS[me.role]}）
          </Text>
        </View>
        <View className="muted">
          <Text>{me.stationName ?? '本所'}</Text>
        </View>
      </View>
      <Async result={counts}>{(data) => <Rows data={data} me={me} />}</Async>
    </PageShell>
  )
}

/** One thing to do: its name, what stands behind the count, and the count as a badge. */
function Row({
  title,
  count,
  tone,
  note,
  urgent,
  testId,
  onOpen
}: {
  title: string
  count: number
  /** The badge's tone when the count is not zero (grey at zero). */
  tone: BadgeTone
  note: ReactNode
  /** Marks the row itself (a red edge): something is waiting that must not wait. */
  urgent?: boolean
  testId: string
  onOpen: () => void
}) {
  return (
    <Card
      className={cx('workbench-row', urgent && 'workbench-urgent')}
      role="button"
      testId={testId}
      onClick={onOpen}
    >
      <View className="workbench-text">
        <View className="workbench-title">
          <Text>{title}</Text>
        </View>
        <View className="workbench-note">{note}</View>
      </View>
      <Badge
        tone={count > 0 ? tone : 'plain'}
        className={cx('workbench-count', count === 0 && 'workbench-zero')}
        testId={`${testId}-count`}
      >
        {count}
      </Badge>
      <Text className="workbench-arrow" aria-hidden>
        ›
      </Text>
    </Card>
  )
}

const line = (...parts: (string | false | undefined)[]) => <Text>{parts.filter(Boolean).join(' · ')}</Text>

function Rows({ data, me }: { data: Workbench; me: StaffView }) {
  const now = useServerNow(data.at)
  const { requests, queue, questions, followUps, feedback } = data
  const lead = manages(me)
  return (
    <View>
      <Row
        title="绿色通道·急事待受理"
        count={requests.emergencies}
        tone="red"
        urgent={requests.emergencies > 0}
        testId="workbench-emergencies"
        note={
          requests.oldestEmergencyAt ? (
            <Text className="workbench-wait" data-testid="workbench-emergency-wait">
              最久的已等 {waitText(requests.oldestEmergencyAt, now)}
            </Text>
          ) : (
            line('没有等待受理的急事')
          )
        }
        onOpen={() => navigate('officer/requests/index')}
      />
      <Row
        title="延时·上门待受理"
        count={requests.waiting}
        tone="orange"
        testId="workbench-requests"
        note={line(
          requests.oldestWaitingAt && `最久的已等 ${waitText(requests.oldestWaitingAt, now)}`,
          `已受理待办结 ${requests.accepted}`
        )}
        onOpen={() => navigate('officer/requests/index')}
      />
      <Row
        title="今日预约待签到"
        count={queue.booked}
        tone="blue"
        testId="workbench-queue"
        note={line(`已签到 ${queue.checkedIn}`, `已办结 ${queue.done}`)}
        onOpen={() => navigate('officer/queue/index')}
      />
      <Row
        title="在线咨询待答复"
        count={questions.unowned + questions.inHand}
        tone="orange"
        testId="workbench-questions"
        note={line(
          `无人认领 ${questions.unowned}`,
          lead ? `答复中 ${questions.inHand}` : `我在答复 ${questions.inHand}`
        )}
        onOpen={() => navigate('officer/questions/index')}
      />
      <Row
        title="材料预审待审核"
        count={data.prereviews.waiting}
        tone="blue"
        testId="workbench-prereviews"
        note={line(data.prereviews.waiting > 0 ? '居民上传的材料照片，逐项审核' : '没有待审核的')}
        onOpen={() => navigate('officer/prereviews/index')}
      />
      <Row
        title="身份证待领取"
        count={data.cards.ready}
        tone="blue"
        testId="workbench-cards"
        note={line(
          data.cards.ready > 0 ? '已到所，等居民领取' : '没有待领取的证件',
          data.cards.toPost > 0 && `其中 ${data.cards.toPost} 张待寄出`
        )}
        onOpen={() => navigate('officer/cards/index')}
      />
      <Row
        title="微信未送达的提醒"
        count={data.undelivered}
        tone="orange"
        testId="workbench-undelivered"
        note={line(`近${UNDELIVERED_DAYS}天`, data.undelivered > 0 ? '请到值班提醒里查看' : '都已送达')}
        onOpen={() => navigate('officer/inbox/index')}
      />
      {followUps ? (
        <Row
          title="差评回访待办"
          count={followUps.open}
          tone={followUps.overdue > 0 ? 'red' : 'orange'}
          urgent={followUps.overdue > 0}
          testId="workbench-follow-ups"
          note={
            followUps.overdue > 0 ? (
              <Text className="workbench-wait" data-testid="workbench-overdue">
                已超期 {followUps.overdue} 件
              </Text>
            ) : (
              line('没有超期的')
            )
          }
          onOpen={() =>
            navigate('officer/ratings/index', {
              tab: 'followUps',
              status: followUps.overdue > 0 ? 'overdue' : 'open'
            })
          }
        />
      ) : null}
      {feedback ? (
        <Row
          title="意见簿待回复"
          count={feedback.unreplied}
          tone="orange"
          testId="workbench-feedback"
          note={line(feedback.unreplied > 0 ? '群众的意见建议、投诉与表扬' : '都已回复')}
          onOpen={() => navigate('officer/feedback/index')}
        />
      ) : null}

      <View className="section-title">
        <Text>更多</Text>
      </View>
      <View className="workbench-links">
        <Link testId="workbench-calling" onClick={() => navigate('officer/calling/index')}>
          叫号
        </Link>
        <Link testId="workbench-team" onClick={() => navigate('officer/team/index')}>
          值班表
        </Link>
        <Link testId="workbench-ratings" onClick={() => navigate('officer/ratings/index')}>
          群众评价
        </Link>
        {lead ? (
          <Link testId="workbench-dashboard" onClick={() => navigate('supervisor/dashboard/index')}>
            服务评价与业务量
          </Link>
        ) : null}
        {lead ? (
          <Link testId="workbench-audit" onClick={() => navigate('supervisor/audit/index')}>
            个人信息查阅记录
          </Link>
        ) : null}
        {lead ? (
          <Link testId="workbench-calendar" onClick={() => navigate('supervisor/calendar/index')}>
            节假日与停办
          </Link>
        ) : null}
      </View>
    </View>
  )
}

function Link({ testId, onClick, children }: { testId: string; onClick: () => void; children: string }) {
  return (
    <Button variant="secondary" className="workbench-link" testId={testId} onClick={onClick}>
      {children}
    </Button>
  )
}
