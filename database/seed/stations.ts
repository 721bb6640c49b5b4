/**
 * Demo station (fictional). Modelled on a county-town police station's household-registration
 * window; the county, the address and the phone numbers are invented.
 */
import { DEFAULT_POLICY } from '../../types/appointment'
import type { Station } from '../../types/guide'

export const DEMO_STATION_ID = 'st-yunxi-chengguan'

export const stations: Station[] = [
  {
    _id: DEMO_STATION_ID,
    name: '云溪县公安局城关派出所户政窗口',
    shortName: '城关派出所户政窗口',
    address: '云溪县城关镇人民路 88 号（县政务服务中心一楼 3 号窗口旁）',
    consultPhone: '0123-6612345',
    supervisionPhone: '0123-6612110',
    dutyPhone: '0123-6613110',
    // Fictional, in a county town of the hilly south-west (GCJ-02, for Taro.openLocation).
    location: { latitude: 27.7283, longitude: 109.1892 },
    officeHours: {
      weekdays: [1, 2, 3, 4, 5],
      ranges: [
        { start: '08:30', end: '12:00' },
        { start: '14:30', end: '17:30' }
      ]
    },
    extendedNote:
      '午间（12:00–14:30）、傍晚（17:30–19:00）和周末上午有值班民警提供延时服务；办理死亡注销等急事可走绿色通道，节假日同样受理。',
    booking: {
      slotMinutes: 30,
      resources: [
        { key: 'window', label: '综合窗口', capacity: 2 },
        { key: 'capture', label: '证件采集室', capacity: 1 }
      ],
      extended: [
        { label: '午间延时', on: 'working', start: '12:00', end: '14:30', capacity: 1 },
        { label: '傍晚延时', on: 'working', start: '17:30', end: '19:00', capacity: 1 },
        { label: '周末值班', on: 'rest', start: '09:00', end: '12:00', capacity: 1 }
      ],
      policy: DEFAULT_POLICY
    }
  }
]
