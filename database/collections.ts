/**
 * Every collection the cloud needs, with its indexes and security rule. The local cloud creates
 * and enforces exactly these; `npm run export:cloud` writes the same as files to paste into the
 * WeChat console. All client access goes through cloud functions, so every rule denies direct
 * reads and writes from the mini-program.
 */
import type { Station, ServiceItem } from '../types/guide'
import type { StaffSeed } from './seed/staff'
import { stations } from './seed/stations'
import { services } from './seed/services'
import { staff } from './seed/staff'

export interface IndexSpec {
  name: string
  /** Field → 1 (ascending) or -1 (descending), in order. */
  keys: Record<string, 1 | -1>
  unique?: boolean
}

export interface SecurityRule {
  read: boolean | string
  write: boolean | string
}

export interface CollectionSpec<T = unknown> {
  name: string
  description: string
  indexes: IndexSpec[]
  rule: SecurityRule
  /** Demo data loaded into a fresh local database (and importable in the console). */
  seed: T[]
}

const functionsOnly: SecurityRule = { read: false, write: false }

export const collections: CollectionSpec[] = [
  {
    name: 'stations',
    description: '派出所户政窗口：名称、地址、咨询与监督电话、办公时间',
    indexes: [],
    rule: functionsOnly,
    seed: stations satisfies Station[]
  },
  {
    name: 'services',
    description: '办事指南事项：所需材料、收费、法定与承诺时限、办理步骤',
    indexes: [{ name: 'station_category_order', keys: { stationId: 1, category: 1, order: 1 } }],
    rule: functionsOnly,
    seed: services satisfies ServiceItem[]
  },
  {
    name: 'staff',
    description: '工作人员：微信身份（OPENID）、角色（民警 / 所领导 / 督察）、所属派出所',
    indexes: [{ name: 'openid_unique', keys: { openid: 1 }, unique: true }],
    rule: functionsOnly,
    seed: staff satisfies StaffSeed[]
  }
]
