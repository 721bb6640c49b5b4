/**
 * Resident home: the station's card (hours, phones), a search box, and the service guide by
 * category. Search filters as the resident types, on the list already loaded.
 */
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { SearchBar } from '@nutui/nutui-react-taro'
import { useMemo, useState } from 'react'
import {
  formatFee,
  formatTimeLimit,
  groupByCategory,
  searchServices,
  type Station
} from '../../../types/guide'
import type { CaseSummary } from '../../../types/ratings'
import { call } from '../../api/client'
import DevIdentity from '../../components/dev-identity'
import { ErrorState, Loading } from '../../components/states'
import { useResult } from '../../components/use-result'
import { StationCard } from '../../components/station-card'
import { ratingUrl } from '../../components/rating-view'
import './index.css'

async function loadGuide() {
  const stations = await call('guide', 'listStations', {})
  if (!stations.ok) return stations
  const first = stations.data[0]
  if (!first)
    return { ok: false as const, error: { code: 'NOT_FOUND' as const, message: '暂未开通任何派出所窗口' } }
  return call('guide', 'listServices', { stationId: first._id })
}

export default function Index() {
  const guide = useResult(loadGuide, 'guide')
  // The in-app rating prompt: finished cases not yet rated (hidden when none, or if it fails).
  const pending = useResult(() => call('rating', 'pending', {}), 'pending')
  useDidShow(() => pending.reload())
  const [query, setQuery] = useState('')

  const groups = useMemo(() => {
    if (guide.status !== 'ok') return []
    return groupByCategory(searchServices(guide.data.services, query))
  }, [guide, query])

  return (
    <View className="home">
      <DevIdentity />
      {guide.status === 'ok' ? <StationCard station={guide.data.station as Station} /> : null}
      {pending.status === 'ok' && pending.data[0] ? (
        <RatingPrompt first={pending.data[0]} count={pending.data.length} />
      ) : null}
      <View className="entries">
        <View
          className="card my-bookings-entry entry-wide"
          data-testid="help-entry"
          onClick={() => void Taro.navigateTo({ url: '/pages/help/index' })}
        >
          <Text>急事求助 / 延时服务 / 上门服务 ›</Text>
        </View>
        <View
          className="card my-bookings-entry"
          data-testid="my-requests-entry"
          onClick={() => void Taro.navigateTo({ url: '/pages/my-requests/index' })}
        >
          <Text>我的求助 ›</Text>
        </View>
        <View
          className="card my-bookings-entry"
          data-testid="my-bookings-entry"
          onClick={() => void Taro.navigateTo({ url: '/pages/my-bookings/index' })}
        >
          <Text>我的预约 ›</Text>
        </View>
        <View
          className="card my-bookings-entry"
          data-testid="messages-entry"
          onClick={() => void Taro.navigateTo({ url: '/pages/messages/index' })}
        >
          <Text>我的消息 ›</Text>
        </View>
        <View
          className="card my-bookings-entry"
          data-testid="feedback-entry"
          onClick={() => void Taro.navigateTo({ url: '/pages/feedback/index' })}
        >
          <Text>意见簿 / 咨询 ›</Text>
        </View>
        <View
          className="card my-bookings-entry"
          data-testid="my-voice-entry"
          onClick={() => void Taro.navigateTo({ url: '/pages/my-voice/index' })}
        >
          <Text>我的评价与留言 ›</Text>
        </View>
      </View>
      <View className="search">
        <SearchBar
          value={query}
          placeholder="搜索事项，如：身份证、出生、迁户口"
          onChange={(value: string) => setQuery(value)}
          onClear={() => setQuery('')}
        />
      </View>
      {guide.status === 'loading' ? <Loading /> : null}
      {guide.status === 'error' ? <ErrorState error={guide.error} onRetry={guide.reload} /> : null}
      {guide.status === 'ok' && groups.length === 0 ? (
        <View className="notice" data-testid="empty-search">
          <Text>
            没有找到与“{query.trim()}”相关的事项。可换个说法，或拨打咨询电话 {guide.data.station.consultPhone}
            。
          </Text>
        </View>
      ) : null}
      {groups.map((group) => (
        <View key={group.category} className="category" data-testid={`category-${group.category}`}>
          <View className="section-title">
            <Text>{group.label}</Text>
          </View>
          {group.services.map((s) => (
            <View
              key={s._id}
              className="card service-item"
              data-testid="service-item"
              hoverClass="service-item-active"
              onClick={() => void Taro.navigateTo({ url: `/pages/service/index?id=${s._id}` })}
            >
              <View className="service-name">
                <Text>{s.name}</Text>
              </View>
              <View className="service-summary muted">
                <Text>{s.summary}</Text>
              </View>
              <View className="service-tags">
                <Text className="badge badge-blue">{formatFee(s.feeFen)}</Text>
                <Text className="badge badge-green">承诺 {formatTimeLimit(s.promisedLimit)}</Text>
                {s.inPerson ? <Text className="badge badge-orange">需本人到场</Text> : null}
              </View>
            </View>
          ))}
        </View>
      ))}
      <View
        className="staff-entry"
        data-testid="staff-entry"
        onClick={() => void Taro.navigateTo({ url: '/supervisor/calendar/index' })}
      >
        <Text>工作人员入口：节假日与停办</Text>
      </View>
      <View
        className="staff-entry"
        data-testid="officer-entry"
        onClick={() => void Taro.navigateTo({ url: '/officer/queue/index' })}
      >
        <Text>值班民警：今日预约</Text>
      </View>
    </View>
  )
}

/** 您有 N 项业务待评价: opens the first case's rating page; with several, also all of them. */
function RatingPrompt({ first, count }: { first: CaseSummary; count: number }) {
  return (
    <View
      className="card rating-prompt"
      role="button"
      data-testid="rating-prompt"
      onClick={() => void Taro.navigateTo({ url: ratingUrl(first) })}
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
            void Taro.navigateTo({ url: '/pages/my-voice/index' })
          }}
        >
          <Text>查看全部 {count} 项 ›</Text>
        </View>
      ) : null}
    </View>
  )
}
