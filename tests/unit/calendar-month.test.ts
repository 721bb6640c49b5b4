/** The calendar page's month: kinds of day from the holiday table, closures, Monday-first columns. */
import type { Closure } from '../../types/appointment'
import { leadingBlanks, monthDays, stepMonth } from '../../src/supervisor/calendar/month'

const table = {
  days: [
    { date: '2026-10-01', kind: 'holiday' as const, name: '国庆节' },
    { date: '2026-10-10', kind: 'workday' as const, name: '国庆节' }
  ]
}
const closure: Closure = {
  _id: 'c1',
  stationId: 'st',
  date: '2026-10-13',
  start: '14:00',
  end: '16:00',
  reason: '培训'
}

test('holidays, make-up working days, weekends and weekdays; closures on their day', () => {
  const days = monthDays(2026, 10, table, [closure])
  expect(days).toHaveLength(31)
  expect(days[0]).toEqual({ date: '2026-10-01', kind: 'holiday', name: '国庆节', closures: [] })
  expect(days[3]?.kind).toBe('rest') // Sunday 4 October
  expect(days[9]).toMatchObject({ date: '2026-10-10', kind: 'makeup', name: '国庆节' }) // a Saturday worked
  expect(days[11]).toMatchObject({ date: '2026-10-12', kind: 'working', closures: [] })
  expect(days[12]?.closures).toEqual([closure])
  // 1 October 2026 is a Thursday: three empty cells before it.
  expect(leadingBlanks(days)).toBe(3)
})

test('a year with no table: weekdays and weekends only; February of a leap year; months step across years', () => {
  expect(
    monthDays(2028, 2, undefined, [])
      .map((d) => d.kind)
      .filter((k) => k === 'working')
  ).toHaveLength(21)
  expect(monthDays(2028, 2, undefined, [])).toHaveLength(29)
  expect(stepMonth(2026, 12, 1)).toEqual({ year: 2027, month: 1 })
  expect(stepMonth(2027, 1, -1)).toEqual({ year: 2026, month: 12 })
  expect(stepMonth(2027, 5, 1)).toEqual({ year: 2027, month: 6 })
})
