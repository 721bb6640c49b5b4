/**
 * Resident home: the station's card (open now or not, navigation, phones), a notice of the coming
 * holiday, the main entries as an icon grid, and the service guide with its search box.
 */
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { type AppointmentOutputs } from '../../../types/appointment'
import type { CaseSummary } from '../../../types/ratings'
import { formatLocalDate, localDate } from '../../../types/time'
import { call } from '../../api/client'
import DevIdentity from '../../components/dev-identity'
import { PageShell } from '../../components/page-shell'
import { ratingParams } from '../../components/rating-view'
import { StationCard, type DayKind } from '../../components/station-card'
import { Card } from '../../components/ui'
import { useResult } from '../../components/use-result'
import { navigate } from '../../navigation'
import { GuideList, loadGuide } from '../guide/guide-list'
import { EMERGENCY_NAME, HomeEntries } from './entries'
import './index.css'

type DateOptions = AppointmentOutputs['options']['dates']

/** Today by the holiday table, when the booking calendar lists it. */
function todayKind(dates: DateOptions, today: string): DayKind | undefined {
  const d = dates.find((x) => x.date === today)
  return d ? { status: d.status, ...(d.name ? { name: d.name } : {}) } : undefined
}

/**
 * One line on the holidays: during one, when the window opens again; before one, when it starts
 * (or a make-up working day that comes first). Nothing when the coming days hold neither.
 */
function holidayNotice(dates: DateOptions, today: string): string | undefined {
  const now = dates.find((d) => d.date === today)
  if (now?.status === 'rest' && now.name) {
    const back = dates.find((d) => d.date > today && d.status === 'working')
    return back
      ? `${now.name}放假，窗口休息，${formatLocalDate(back.date)}恢复办公；值班民警受理${EMERGENCY_NAME}`
      : `${now.name}放假，窗口休息；值班民警受理${EMERGENCY_NAME}`
  }
  const next = dates.find((d) => d.date > today && d.name && (d.status === 'rest' || d.makeUp))
  if (!next?.name) return undefined
  if (next.status === 'working') return `${formatLocalDate(next.date)}（${next.name}调休）上班，窗口照常办公`
  return `${next.name}：${formatLocalDate(next.date)}起放假，窗口休息；值班民警受理${EMERGENCY_NAME}`
}

export default function Index() {
  const guide = useResult(loadGuide, 'guide')
  // The booking calendar of a bookable service: the holiday table of the coming days.
  const bookable = guide.status === 'ok' ? guide.data.services.find((s) => s.bookable) : undefined
  const calendar = useResult(
    () =>
      bookable
        ? call('appointment', 'options', { serviceId: bookable._id })
        : Promise.resolve({ ok: true as const, data: undefined }),
    bookable?._id ?? ''
  )
  // The in-app rating prompt: finished cases not yet rated (hidden when none, or if it fails).
  const pending = useResult(() => call('rating', 'pending', {}), 'pending')
  const [now, setNow] = useState(() => new Date())
  useDidShow(() => {
    pending.reload()
    setNow(new Date())
  })

  const today = localDate(now)
  const dates = calendar.status === 'ok' ? (calendar.data?.dates ?? []) : []
  const notice = holidayNotice(dates, today)

  return (
    <PageShell className="home" testId="home" supervisionPhone={false}>
      <DevIdentity />
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
