/**
 * The station a resident deals with (the first listed, as the home page shows it), loaded once
 * per app session and shared by every page that needs it — the supervision phone in every page's
 * footer, the feedback box. A failed load is forgotten, so the next page tries again.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import type { Station } from '../../types/guide'
import { call } from '../api/client'

let stationPromise: Promise<Station | undefined> | undefined

/** The station, or undefined when none is listed or it could not be loaded. Never rejects. */
export function loadStation(): Promise<Station | undefined> {
  if (!stationPromise) {
    const loading = call('guide', 'listStations', {}).then(
      (res) => {
        if (res.ok) return res.data[0]
        if (stationPromise === loading) stationPromise = undefined
        return undefined
      },
      () => {
        if (stationPromise === loading) stationPromise = undefined
        return undefined
      }
    )
    stationPromise = loading
  }
  return stationPromise
}

/** The station once loaded; undefined while loading or when it failed. */
export function useStation(enabled = true): Station | undefined {
  const [station, setStation] = useState<Station | undefined>()
  useEffect(() => {
    if (!enabled) return
    let live = true
    void loadStation().then((s) => {
      if (live) setStation(s)
    })
    return () => {
      live = false
    }
  }, [enabled])
  return station
}

export function dialPhone(phone: string): void {
  void Taro.makePhoneCall({ phoneNumber: phone.replace(/[^0-9+]/g, '') }).catch(() => undefined)
}

/** The big tap-to-call button for the station's supervision phone (监督电话). */
export function SupervisionPhoneButton({
  station,
  testId = 'supervision-phone'
}: {
  station: Station
  testId?: string
}) {
  return (
    <View
      className="voice-phone"
      role="button"
      aria-label={`拨打监督电话 ${station.supervisionPhone}`}
      onClick={() => dialPhone(station.supervisionPhone)}
      data-testid={testId}
    >
      <Text className="voice-phone-label">☎ 拨打监督电话</Text>
      <Text className="voice-phone-number">{station.supervisionPhone}</Text>
    </View>
  )
}
