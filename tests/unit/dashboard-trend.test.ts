/**
 * The dashboard's trend as the page draws it: daily points grouped into Monday-to-Sunday weeks
 * (or months for a long period), each labelled with its dates as people write them, its cases
 * summed and its satisfaction weighted by the number of ratings of each day.
 */
import { groupTrend, labelOf, trendUnit, type TrendPoint } from '../../src/supervisor/dashboard/trend'
import { addDays } from '../../types/time'

const days = (from: string, n: number, each: (date: string, i: number) => Partial<TrendPoint> = () => ({})) =>
  Array.from({ length: n }, (_, i) => {
    const date = addDays(from, i)
    return { date, total: 0, satisfactionRate: null, finished: 0, ...each(date, i) }
  })

test('up to 92 days go by week, longer periods by month', () => {
  expect(trendUnit(30)).toBe('week')
  expect(trendUnit(84)).toBe('week')
  expect(trendUnit(93)).toBe('month')
})

test('weeks run Monday to Sunday; the first and last are cut at the period', () => {
  // 2026-11-26 is a Thursday: 26–29 Nov, then 30 Nov – 6 Dec, then 7–9 Dec.
  const bars = groupTrend(days('2026-11-26', 14, () => ({ finished: 2 })))
  expect(bars.map((b) => [b.label, b.start, b.end, b.finished])).toEqual([
    ['11月26日–29日', '2026-11-26', '2026-11-29', 8],
    ['11月30日–12月6日', '2026-11-30', '2026-12-06', 14],
    ['12月7日–9日', '2026-12-07', '2026-12-09', 6]
  ])
})

test("a week's satisfaction is weighted by each day's ratings; a week without ratings has none", () => {
  const bars = groupTrend(
    days('2026-12-07', 14, (_, i) =>
      i === 0 ? { total: 3, satisfactionRate: 100 } : i === 1 ? { total: 1, satisfactionRate: 0 } : {}
    )
  )
  expect(bars.map((b) => [b.total, b.satisfactionRate])).toEqual([
    [4, 75],
    [0, null]
  ])
})

test('a year goes by month; the year is named only when the period spans two', () => {
  const year = groupTrend(days('2026-01-01', 365))
  expect(year.map((b) => b.label)).toEqual([...Array(12).keys()].map((m) => `${m + 1}月`))
  const across = groupTrend(days('2025-12-01', 120))
  expect(across[0]?.label).toBe('2025年12月')
  expect(across[1]?.label).toBe('2026年1月')
  expect(labelOf('2026-12-08', '2026-12-08', 'week')).toBe('12月8日')
})
