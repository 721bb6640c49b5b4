import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { formatOfficeHours, type Station } from '../../types/guide'
import { isoWeekday, localDate, localTime, minutesOf } from '../../types/time'
import { cx } from './ui'
import './station-card.css'

function dial(phone: string): void {
  void Taro.makePhoneCall({ phoneNumber: phone.replace(/[^0-9+]/g, '') })
}

/** What the holiday table says of today: a working day (maybe a make-up one) or a rest day. */
export interface DayKind {
  status: 'working' | 'rest'
  /** The holiday's name (国庆节), or the make-up day's. */
  name?: string
}

/**
 * Whether the window is open at `now` (Shanghai time): a working day by the holiday table when it
 * knows today (`today`), else by the station's weekdays; then within one of the office-hour ranges.
 */
export function openStatus(
  station: Pick<Station, 'officeHours'>,
  now: Date,
  today?: DayKind
): { open: boolean; text: string } {
  const date = localDate(now)
  const working = today ? today.status === 'working' : station.officeHours.weekdays.includes(isoWeekday(date))
  if (!working) return { open: false, text: today?.name ? `今日${today.name}休息` : '今日休息' }
  const minute = minutesOf(localTime(now))
  const ranges = [...station.officeHours.ranges].sort((a, b) => minutesOf(a.start) - minutesOf(b.start))
  const current = ranges.find((r) => minutesOf(r.start) <= minute && minute < minutesOf(r.end))
  if (current) return { open: true, text: `办公中 · ${current.end} 休息` }
  const next = ranges.find((r) => minute < minutesOf(r.start))
  if (next) return { open: false, text: `休息中 · ${next.start} 开始办公` }
  return { open: false, text: '今日已下班' }
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
