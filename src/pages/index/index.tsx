/**
 * Resident home: the station's card (hours, phones), a search box, and the service guide by
 * category. Search filters as the resident types, on the list already loaded.
 */
import { Input, Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { useMemo, useState } from 'react'
import { formatFee, formatTimeLimit, groupByCategory, searchServices } from '../../../types/guide'
import type { CaseSummary } from '../../../types/ratings'
import { call } from '../../api/client'
import DevIdentity from '../../components/dev-identity'
import { Async, Empty } from '../../components/states'
import { Badge, Card } from '../../components/ui'
import { useResult } from '../../components/use-result'
import { StationCard } from '../../components/station-card'
import { ratingParams } from '../../components/rating-view'
import { navigate } from '../../navigation'
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
      {guide.status === 'ok' ? <StationCard station={guide.data.station} /> : null}
      {pending.status === 'ok' && pending.data[0] ? (
        <RatingPrompt first={pending.data[0]} count={pending.data.length} />
      ) : null}
      <View className="entries">
        <Card
          className="my-bookings-entry entry-wide"
          testId="help-entry"
          onClick={() => navigate('pages/help/index')}
        >
          <Text>急事求助 / 延时服务 / 上门服务 ›</Text>
        </Card>
        <Card
          className="my-bookings-entry"
          testId="my-requests-entry"
          onClick={() => navigate('pages/my-requests/index')}
        >
          <Text>我的求助 ›</Text>
        </Card>
        <Card
          className="my-bookings-entry"
          testId="my-bookings-entry"
          onClick={() => navigate('pages/my-bookings/index')}
        >
          <Text>我的预约 ›</Text>
        </Card>
        <Card
          className="my-bookings-entry"
          testId="messages-entry"
          onClick={() => navigate('pages/messages/index')}
        >
          <Text>我的消息 ›</Text>
        </Card>
        <Card
          className="my-bookings-entry"
          testId="feedback-entry"
          onClick={() => navigate('pages/feedback/index')}
        >
          <Text>意见簿 / 咨询 ›</Text>
        </Card>
        <Card
          className="my-bookings-entry"
          testId="my-voice-entry"
          onClick={() => navigate('pages/my-voice/index')}
        >
          <Text>我的评价与留言 ›</Text>
        </Card>
      </View>
      <View className="search">
        <Text className="search-icon" aria-hidden>
          ⌕
        </Text>
        <Input
          className="search-input"
          type="text"
          confirmType="search"
          value={query}
          placeholder="搜索事项，如：身份证、出生、迁户口"
          onInput={(e) => setQuery(e.detail.value)}
        />
        {query ? (
          <View className="search-clear" role="button" aria-label="清除" onClick={() => setQuery('')}>
            <Text>✕</Text>
          </View>
        ) : null}
      </View>
      <Async
        result={guide}
        isEmpty={() => groups.length === 0}
        empty={
          guide.status === 'ok' ? (
            <Empty testId="empty-search">
              <Text>
                没有找到与“{query.trim()}”相关的事项。可换个说法，或拨打咨询电话{' '}
                {guide.data.station.consultPhone}。
              </Text>
            </Empty>
          ) : null
        }
      >
        {() =>
          groups.map((group) => (
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
                  onClick={() => navigate('pages/service/index', { id: s._id })}
                >
                  <View className="service-name">
                    <Text>{s.name}</Text>
                  </View>
                  <View className="service-summary muted">
                    <Text>{s.summary}</Text>
                  </View>
                  <View className="service-tags">
                    <Badge tone="blue">{formatFee(s.feeFen)}</Badge>
                    <Badge tone="green">承诺 {formatTimeLimit(s.promisedLimit)}</Badge>
                    {s.inPerson ? <Badge tone="orange">需本人到场</Badge> : null}
                  </View>
                </View>
              ))}
            </View>
          ))
        }
      </Async>
      <View
        className="staff-entry"
        data-testid="staff-entry"
        onClick={() => navigate('supervisor/calendar/index')}
      >
        <Text>工作人员入口：节假日与停办</Text>
      </View>
      <View
        className="staff-entry"
        data-testid="officer-entry"
        onClick={() => navigate('officer/queue/index')}
      >
        <Text>值班民警：今日预约</Text>
      </View>
    </View>
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
