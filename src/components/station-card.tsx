import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { formatOfficeHours, type Station } from '../../types/guide'
import './station-card.css'

function dial(phone: string): void {
  void Taro.makePhoneCall({ phoneNumber: phone.replace(/[^0-9+]/g, '') })
}

export function StationCard({ station, compact = false }: { station: Station; compact?: boolean }) {
  return (
    <View className="card station-card" data-testid="station-card">
      <View className="station-name">
        <Text>{station.name}</Text>
      </View>
      {compact ? null : (
        <>
          <View className="muted">
            <Text>地址：{station.address}</Text>
          </View>
          <View className="muted">
            <Text>办公时间：{formatOfficeHours(station)}</Text>
          </View>
          <View className="muted station-extended">
            <Text>{station.extendedNote}</Text>
          </View>
        </>
      )}
      <View className="station-phones">
        <View className="phone-button" onClick={() => dial(station.consultPhone)}>
          <Text>咨询电话 {station.consultPhone}</Text>
        </View>
        <View className="phone-button phone-supervision" onClick={() => dial(station.supervisionPhone)}>
          <Text>监督电话 {station.supervisionPhone}</Text>
        </View>
      </View>
    </View>
  )
}
