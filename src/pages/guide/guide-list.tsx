/**
 * The service guide: a search box and the services by category, filtered as the resident types
 * (types/guide.ts searchServices understands everyday words). Shown on the home page and on the
 * 办事指南 tab.
 */
import { Input, Text, View } from '@tarojs/components'
import { useMemo, useState } from 'react'
import {
  formatFee,
  formatTimeLimit,
  groupByCategory,
  searchServices,
  type GuideOutputs
} from '../../../types/guide'
import { call } from '../../api/client'
import { Async, Empty } from '../../components/states'
import { Badge } from '../../components/ui'
import type { Loaded } from '../../components/use-result'
import { navigate } from '../../navigation'
import './guide-list.css'

export async function loadGuide() {
  const stations = await call('guide', 'listStations', {})
  if (!stations.ok) return stations
  const first = stations.data[0]
  if (!first)
    return { ok: false as const, error: { code: 'NOT_FOUND' as const, message: '暂未开通任何派出所窗口' } }
  return call('guide', 'listServices', { stationId: first._id })
}

export function GuideList({
  guide
}: {
  guide: Loaded<GuideOutputs['listServices']> & { reload: () => void }
}) {
  const [query, setQuery] = useState('')
  const groups = useMemo(() => {
    if (guide.status !== 'ok') return []
    return groupByCategory(searchServices(guide.data.services, query))
  }, [guide, query])

  return (
    <View className="guide-list">
      <View className="search">
        <Text className="search-icon" aria-hidden>
          ⌕
        </Text>
        <Input
          className="search-input"
          type="text"
          confirmType="search"
          value={query}
          placeholder="搜索事项，如：身份证丢了"
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
    </View>
  )
}
