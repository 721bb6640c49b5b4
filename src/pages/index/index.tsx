/**
 * Resident home: the station's card (open now or not, navigation, phones), a notice of the coming
 * holiday, the main entries as an icon grid, and the service guide with its search box.
 */
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import type { StationDay } from '../../../types/guide'
import type { CaseSummary } from '../../../types/ratings'
import { localDate } from '../../../types/time'
import { call } from '../../api/client'
import DevIdentity from '../../components/dev-identity'
import { PageShell } from '../../components/page-shell'
import { ratingParams } from '../../components/rating-view'
import { StationCard, type DayKind } from '../../components/station-card'
import { Card } from '../../components/ui'
import { useResult } from '../../components/use-result'
import { navigate } from '../../navigation'
import { GuideList, loadGuide } from '../guide/guide-list'
import { HomeEntries } from './entries'
import { StaffCard } from './staff-card'
import { homeNotice } from './notice'
import './index.css'

/** Today by the station's calendar, when it has loaded. */
function todayKind(dates: readonly StationDay[], today: string): DayKind | undefined {
  return dates.find((x) => x.date === today)
}

export default function Index() {
  const guide = useResult(loadGuide, 'guide')
  // The station's calendar of the coming month: holidays, make-up days, closures.
  const stationId = guide.status === 'ok' ? guide.data.station._id : ''
  const calendar = useResult(
    () =>
      stationId
        ? call('guide', 'days', { stationId })
        : Promise.resolve({ ok: true as const, data: undefined }),
    stationId
  )
  // The in-app rating prompt: finished cases not yet rated (hidden when none, or if it fails).
  const pending = useResult(() => call('rating', 'pending', {}), 'pending')
  const [now, setNow] = useState(() => new Date())
  useDidShow(() => {
    pending.reload()
    setNow(new Date())
  })

  const today = localDate(now)
  const dates = calendar.status === 'ok' ? (calendar.data?.days ?? []) : []
  const notice = homeNotice(dates, today)

  return (
    <PageShell className="home" testId="home" supervisionPhone={false}>
      <DevIdentity />
      <StaffCard />
      {guide.status === 'ok' ? (
        <StationCard station={guide.data.station} now={now} today={todayKind(dates, today)} />
      ) : null}
      {notice ? (
        <View className="home-notice" data-testid="home-notice">
          <Text className="home-notice-tag">通知</Text>
          <Text>{notice}</Text>
        </View>
      ) : null}
      {pending.status === 'ok' && pending.data[0] ? (
        <RatingPrompt first={pending.data[0]} count={pending.data.length} />
      ) : null}
      <HomeEntries />
      <GuideList guide={guide} />
    </PageShell>
  )
}

/** 您有 N 项业务待评价: opens the first case's rating page; with several, also all of them. */
function RatingPrompt({ first, count }: { first: CaseSummary; count: number }) {
  return (
    <Card
      className="rating-prompt"
      role="button"
      testId="rating-prompt"
      onClick={() => navigate('pages/rating/index', ratingParams(first))}
    >
      <View className="rating-prompt-title">
        <Text>★ 您有 {count} 项业务待评价</Text>
      </View>
      <View className="rating-prompt-note">
        <Text>
          {first.caseType} · {first.serviceName}，请为本次服务打分，帮助我们改进。点此评价 ›
        </Text>
      </View>
      {count > 1 ? (
        <View
          className="rating-prompt-all"
          data-testid="rating-prompt-all"
          onClick={(e) => {
            e.stopPropagation()
            navigate('pages/my-voice/index')
          }}
        >
          <Text>查看全部 {count} 项 ›</Text>
        </View>
      ) : null}
    </Card>
  )
}
