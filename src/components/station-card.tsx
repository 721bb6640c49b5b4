import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { formatOfficeHours, type Station } from '../../types/guide'
import { openStatus, type DayKind } from './open-status'
import { cx } from './ui'
import './station-card.css'

export type { DayKind } from './open-status'

function dial(phone: string): void {
  void Taro.makePhoneCall({ phoneNumber: phone.replace(/[^0-9+]/g, '') })
}

/** Opens the phone's map at the station (coordinates in GCJ-02, as WeChat expects). */
function openMap(station: Station): void {
  if (!station.location) return
  void Taro.openLocation({
    latitude: station.location.latitude,
    longitude: station.location.longitude,
    name: station.name,
    address: station.address,
    scale: 17
  })
}

export function StationCard({
  station,
  compact = false,
  today,
  now
}: {
  station: Station
  compact?: boolean
  /** Today by the holiday table, when known: with `now`, the card says whether the window is open. */
  today?: DayKind
  now?: Date
}) {
  const status = now ? openStatus(station, now, today) : undefined
  return (
    <View className="card station-card" data-testid="station-card">
      <View className="station-head">
        <Text className="station-name">{station.name}</Text>
        {status ? (
          <Text
            className={cx('station-status', status.open ? 'station-open' : 'station-closed')}
            data-testid="open-status"
          >
            {status.text}
          </Text>
        ) : null}
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
        {!compact && station.location ? (
          <View
            className="phone-button station-navigate"
            role="button"
            data-testid="station-navigate"
            onClick={() => openMap(station)}
          >
            <Text>导航到窗口</Text>
          </View>
        ) : null}
        <View
          className="phone-button"
          role="button"
          data-testid="station-call"
          onClick={() => dial(station.consultPhone)}
        >
          <Text>咨询电话 {station.consultPhone}</Text>
        </View>
        <View
          className="phone-button phone-supervision"
          role="button"
          onClick={() => dial(station.supervisionPhone)}
        >
          <Text>监督电话 {station.supervisionPhone}</Text>
        </View>
      </View>
    </View>
  )
}
