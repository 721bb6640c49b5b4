/**
 * One service in the guide: who it is for, the materials to bring, fee, statutory and promised
 * time limits, whether to come in person, the steps, and the legal basis.
 */
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect } from 'react'
import { formatFee, formatTimeLimit } from '../../../types/guide'
import { call } from '../../api/client'
import { StationCard } from '../../components/station-card'
import { ErrorState, Loading } from '../../components/states'
import { useResult } from '../../components/use-result'
import './index.css'

export default function ServiceDetail() {
  const { params } = useRouter()
  const serviceId = params.id ?? ''
  const detail = useResult(() => call('guide', 'getService', { serviceId }), serviceId)

  useEffect(() => {
    if (detail.status === 'ok') void Taro.setNavigationBarTitle({ title: detail.data.service.name })
  }, [detail])

  if (detail.status === 'loading') return <Loading />
  if (detail.status === 'error') return <ErrorState error={detail.error} onRetry={detail.reload} />

  const { service, station } = detail.data
  return (
    <View className="service-detail" data-testid="service-detail">
      <View className="card">
        <View className="detail-title">
          <Text>{service.name}</Text>
        </View>
        <View className="muted">
          <Text>{service.summary}</Text>
        </View>
      </View>

      <View className="card facts">
        <View className="fact">
          <Text className="fact-label">收费</Text>
          <Text className="fact-value" data-testid="fee">
            {formatFee(service.feeFen)}
            {service.feeNote ? `（${service.feeNote}）` : ''}
          </Text>
        </View>
        <View className="fact">
          <Text className="fact-label">法定时限</Text>
          <Text className="fact-value">{formatTimeLimit(service.statutoryLimit)}</Text>
        </View>
        <View className="fact">
          <Text className="fact-label">承诺时限</Text>
          <Text className="fact-value">{formatTimeLimit(service.promisedLimit)}</Text>
        </View>
        <View className="fact">
          <Text className="fact-label">本人到场</Text>
          <Text className="fact-value">
            {service.inPerson
              ? `需要${service.inPersonReason ? `（${service.inPersonReason}）` : ''}`
              : '不需要，可由亲属或委托人代办'}
          </Text>
        </View>
        <View className="fact">
          <Text className="fact-label">适用对象</Text>
          <Text className="fact-value">{service.eligibility}</Text>
        </View>
      </View>

      <View className="section-title">
        <Text>所需材料</Text>
      </View>
      <View className="card" data-testid="materials">
        {service.materials.length === 0 ? (
          <Text className="muted">无需准备材料。</Text>
        ) : (
          service.materials.map((m, i) => (
            <View key={m.name} className="material" data-testid="material">
              <Text className="material-index">{i + 1}.</Text>
              <View className="material-body">
                <Text className="material-name">{m.name}</Text>
                <Text className={m.required ? 'badge badge-blue' : 'badge badge-orange'}>
                  {m.required ? '必须' : '视情况'}
                </Text>
                {m.note ? (
                  <View className="muted material-note">
                    <Text>{m.note}</Text>
                  </View>
                ) : null}
              </View>
            </View>
          ))
        )}
      </View>

      <View className="section-title">
        <Text>办理流程</Text>
      </View>
      <View className="card">
        {service.steps.map((step, i) => (
          <View key={step} className="step">
            <Text className="step-index">{i + 1}</Text>
            <Text>{step}</Text>
          </View>
        ))}
      </View>

      <View className="card muted basis">
        <Text>办理依据：{service.basis}</Text>
      </View>

      {service.bookable ? (
        <View className="book-bar">
          <View
            className="button-primary"
            data-testid="book-button"
            onClick={() => void Taro.navigateTo({ url: `/pages/book/index?serviceId=${service._id}` })}
          >
            <Text>预约办理</Text>
          </View>
        </View>
      ) : null}

      <StationCard station={station} compact />
    </View>
  )
}
