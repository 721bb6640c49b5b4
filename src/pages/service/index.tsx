/**
 * One service in the guide: who it is for, the materials to bring, fee, statutory and promised
 * time limits, whether to come in person, the steps, and the legal basis.
 */
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect } from 'react'
import { formatFee, formatTimeLimit, type GuideOutputs } from '../../../types/guide'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { StationCard } from '../../components/station-card'
import { Async } from '../../components/states'
import { Badge, Button, Card, Fact } from '../../components/ui'
import { useResult } from '../../components/use-result'
import { navigate } from '../../navigation'
import './index.css'

export default function ServiceDetail() {
  const { params } = useRouter()
  const serviceId = params.id ?? ''
  const detail = useResult(() => call('guide', 'getService', { serviceId }), serviceId)

  useEffect(() => {
    if (detail.status === 'ok') void Taro.setNavigationBarTitle({ title: detail.data.service.name })
  }, [detail])

  // The station card below shows the supervision phone: the shell's footer would repeat it.
  return (
    <PageShell className="service" testId="service-page" supervisionPhone={false}>
      <Async result={detail}>{(data) => <Service {...data} />}</Async>
    </PageShell>
  )
}

function Service({ service, station }: GuideOutputs['getService']) {
  return (
    <View className="service-detail" data-testid="service-detail">
      <Card>
        <View className="detail-title">
          <Text>{service.name}</Text>
        </View>
        <View className="muted">
          <Text>{service.summary}</Text>
        </View>
      </Card>

      <Card className="facts">
        <Fact
          label="收费"
          value={`${formatFee(service.feeFen)}${service.feeNote ? `（${service.feeNote}）` : ''}`}
          valueTestId="fee"
        />
        <Fact label="法定时限" value={formatTimeLimit(service.statutoryLimit)} />
        <Fact label="承诺时限" value={formatTimeLimit(service.promisedLimit)} />
        <Fact
          label="本人到场"
          value={
            service.inPerson
              ? `需要${service.inPersonReason ? `（${service.inPersonReason}）` : ''}`
              : '不需要，可由亲属或委托人代办'
          }
        />
        <Fact label="适用对象" value={service.eligibility} />
      </Card>

      <View className="section-title">
        <Text>所需材料</Text>
      </View>
      <Card testId="materials">
        {service.materials.length === 0 ? (
          <Text className="muted">无需准备材料。</Text>
        ) : (
          service.materials.map((m, i) => (
            <View key={m.name} className="material" data-testid="material">
              <Text className="material-index">{i + 1}.</Text>
              <View className="material-body">
                <Text className="material-name">{m.name}</Text>
                <Badge tone={m.required ? 'blue' : 'orange'}>{m.required ? '必须' : '视情况'}</Badge>
                {m.note ? (
                  <View className="muted material-note">
                    <Text>{m.note}</Text>
                  </View>
                ) : null}
              </View>
            </View>
          ))
        )}
        {service.materials.length ? (
          <Button
            variant="secondary"
            testId="open-prereview"
            onClick={() => navigate('pages/prereview/index', { serviceId: service._id })}
          >
            拍照预审材料，少跑一趟
          </Button>
        ) : null}
      </Card>

      <View className="section-title">
        <Text>办理流程</Text>
      </View>
      <Card>
        {service.steps.map((step, i) => (
          <View key={step} className="step">
            <Text className="step-index">{i + 1}</Text>
            <Text>{step}</Text>
          </View>
        ))}
      </Card>

      {service.category === 'id_card' ? (
        <Card>
          <Text className="muted">
            在窗口受理后，可随时查看制证进度；证件到所时通知您，也可选择邮寄到家。
          </Text>
          <Button variant="secondary" testId="open-cards" onClick={() => navigate('pages/cards/index')}>
            查看制证进度
          </Button>
        </Card>
      ) : null}

      <Card className="muted basis">
        <Text>办理依据：{service.basis}</Text>
      </Card>

      {service.bookable ? (
        <View className="book-bar">
          <Button
            testId="book-button"
            onClick={() => navigate('pages/book/index', { serviceId: service._id })}
          >
            预约办理
          </Button>
        </View>
      ) : null}

      <StationCard station={station} compact />
    </View>
  )
}
