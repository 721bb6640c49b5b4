import { services } from '../../database/seed/services'
import { stations } from '../../database/seed/stations'
import {
  CATEGORY_LABELS,
  DocId,
  formatFee,
  formatOfficeHours,
  formatTimeLimit,
  groupByCategory,
  guideInputs,
  searchServices,
  SERVICE_CATEGORIES,
  type ServiceItem,
  type TimeLimit
} from '../../types/guide'

describe('formatting for residents', () => {
  test('fees in yuan, free when zero', () => {
    expect(formatFee(0)).toBe('免费')
    expect(formatFee(2000)).toBe('20 元')
    expect(formatFee(4050)).toBe('40.50 元')
  })

  test('time limits say working or calendar days, or at once', () => {
    expect(formatTimeLimit({ kind: 'instant' })).toBe('即时办结')
    expect(formatTimeLimit({ kind: 'days', days: 15, working: true })).toBe('15 个工作日')
    expect(formatTimeLimit({ kind: 'days', days: 60, working: false })).toBe('60 个自然日')
  })

  test('office hours as a sentence', () => {
    expect(
      formatOfficeHours({
        officeHours: {
          weekdays: [5, 1, 2, 3, 4],
          ranges: [
            { start: '08:30', end: '12:00' },
            { start: '14:30', end: '17:30' }
          ]
        }
      })
    ).toBe('周一至周五 08:30–12:00，14:30–17:30')
    expect(
      formatOfficeHours({ officeHours: { weekdays: [6, 7], ranges: [{ start: '09:00', end: '12:00' }] } })
    ).toBe('周六、周日 09:00–12:00')
  })
})

describe('search', () => {
  test('an empty query lists everything in category order', () => {
    const all = searchServices(services, '  ')
    expect(all).toHaveLength(services.length)
    const order = all.map((s) => SERVICE_CATEGORIES.indexOf(s.category))
    expect(order).toEqual([...order].sort((a, b) => a - b))
  })

  test('matches names, keywords, summaries and category labels', () => {
    expect(searchServices(services, '丢失').map((s) => s._id)).toEqual(['svc-idcard-replace'])
    expect(searchServices(services, '新生儿').map((s) => s._id)).toEqual(['svc-reg-birth'])
    expect(searchServices(services, CATEGORY_LABELS.correction).map((s) => s.category)).toEqual([
      'correction',
      'correction'
    ])
  })

  test('a category name finds the whole category', () => {
    const groups = groupByCategory(searchServices(services, '迁'))
    expect(groups.map((g) => g.category)).toEqual(['registration', 'consultation'])
    expect(groups[0]?.services).toHaveLength(services.filter((s) => s.category === 'registration').length)
  })

  test('every term must match, in any order, ignoring width and case', () => {
    expect(searchServices(services, '身份证 临时').map((s) => s._id)).toEqual(['svc-idcard-temporary'])
    expect(searchServices(services, '１６岁').map((s) => s._id)).toContain('svc-idcard-first')
    expect(searchServices(services, '身份证 驾驶证')).toEqual([])
  })

  test('groups keep the fixed category order and drop empty categories', () => {
    const groups = groupByCategory(searchServices(services, '迁入'))
    expect(groups.map((g) => g.category)).toEqual(['registration'])
    expect(groups[0]?.label).toBe('户口登记与迁移')
    expect(groups[0]?.services.map((s) => s._id)).toEqual(['svc-reg-move-in', 'svc-reg-move-out'])
  })
})

describe('the guide contract', () => {
  test('accepts what the pages send', () => {
    expect(guideInputs.listServices.safeParse({ stationId: 'st-yunxi-chengguan', q: '身份证' }).success).toBe(
      true
    )
    expect(guideInputs.getService.safeParse({ serviceId: 'svc-reg-death' }).success).toBe(true)
  })

  test.each([
    ['unknown keys', guideInputs.listStations, { x: 1 }],
    ['too long a query', guideInputs.listServices, { stationId: 'st', q: 'x'.repeat(31) }],
    ['an id with a slash', guideInputs.getService, { serviceId: 'a/b' }],
    ['an empty id', guideInputs.getService, { serviceId: '' }],
    ['a number for an id', guideInputs.getService, { serviceId: 7 }]
  ])('rejects %s', (_what, schema, input) => {
    expect(schema.safeParse(input).success).toBe(false)
  })
})

describe('the demo guide data', () => {
  const days = (l: TimeLimit): number =>
    l.kind === 'instant' ? 0 : l.working ? Math.ceil((l.days * 7) / 5) : l.days

  test.each(services.map((s) => [s.name, s] as [string, ServiceItem]))(
    '%s is complete and consistent',
    (_name, s) => {
      expect(DocId.safeParse(s._id).success).toBe(true)
      expect(SERVICE_CATEGORIES).toContain(s.category)
      expect(stations.map((st) => st._id)).toContain(s.stationId)
      expect(s.steps.length).toBeGreaterThan(0)
      expect(s.basis.length).toBeGreaterThan(0)
      expect(Number.isInteger(s.feeFen) && s.feeFen >= 0).toBe(true)
      // The station never promises more time than the law allows.
      expect(days(s.promisedLimit)).toBeLessThanOrEqual(days(s.statutoryLimit))
      if (s.inPerson) expect(s.inPersonReason).toBeTruthy()
    }
  )

  test('service ids are unique and the national fees hold', () => {
    expect(new Set(services.map((s) => s._id)).size).toBe(services.length)
    const fee = (id: string) => services.find((s) => s._id === id)?.feeFen
    expect(fee('svc-idcard-first')).toBe(2000)
    expect(fee('svc-idcard-replace')).toBe(4000)
    expect(fee('svc-idcard-temporary')).toBe(1000)
    expect(fee('svc-reg-death')).toBe(0)
  })
})
