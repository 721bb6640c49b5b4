/**
 * Demo staff (fictional). Roles come from this collection, never from a request: a function
 * looks the caller's OPENID up here. The OPENIDs are local demo identities; on WeChat the first
 * supervisor comes from configuration and officers bind with invite codes.
 */
import type { Staff } from '../../types/staff'
import { DEMO_STATION_ID } from './stations'

export const staff: Staff[] = [
  // Mobiles are fictional (139 0000 01xx): alerts WeChat cannot deliver go to them as text messages.
  {
    _id: 'staff-officer-li',
    openid: 'demo-officer-li',
    name: '李警官',
    role: 'officer',
    stationId: DEMO_STATION_ID,
    active: true,
    mobile: '13900000101'
  },
  {
    _id: 'staff-officer-zhao',
    openid: 'demo-officer-zhao',
    name: '赵警官',
    role: 'officer',
    stationId: DEMO_STATION_ID,
    active: true,
    mobile: '13900000103'
  },
  {
    _id: 'staff-leader-zhou',
    openid: 'demo-leader-zhou',
    name: '周所长',
    role: 'leader',
    stationId: DEMO_STATION_ID,
    active: true,
    mobile: '13900000102'
  },
  {
    _id: 'staff-supervisor-chen',
    openid: 'demo-supervisor-chen',
    name: '陈督察',
    role: 'supervisor',
    stationId: DEMO_STATION_ID,
    active: true
  }
]

/** Identities offered by the local (H5-only) identity picker. */
export const DEMO_ACCOUNTS = [
  { openid: 'demo-resident-wang', label: '居民 王阿姨', role: 'resident' },
  { openid: 'demo-resident-zhao', label: '居民 赵先生', role: 'resident' },
  ...staff.map((s) => ({
    openid: s.openid,
    label: `${s.role === 'officer' ? '值班民警' : s.role === 'leader' ? '所领导' : '督察'} ${s.name}`,
    role: s.role
  }))
] as const
