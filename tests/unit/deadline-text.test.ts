/**
 * Deadlines as people say them (types/time.ts deadlineText): the wording of a follow-up alert and
 * of any page that shows a deadline. Run under TZ=UTC and America/Los_Angeles like the other
 * time tests: the day named must not depend on the host's zone.
 */
import { deadlineText, instantAt } from '../../types/time'

describe('deadlineText', () => {
  test('a deadline at 00:00 is the end of the day before, and names that day', () => {
    // Due 2026-12-02 00:00 Shanghai: the whole of Tuesday 1 December is left, not Wednesday.
    expect(deadlineText(instantAt('2026-12-02', '00:00'))).toBe('12月1日（周二）前')
    expect(deadlineText('2026-12-01T16:00:00.000Z')).toBe('12月1日（周二）前')
  })

  test('across a month and a year end, the previous day is still the right one', () => {
    expect(deadlineText(instantAt('2026-12-01', '00:00'))).toBe('11月30日（周一）前')
    expect(deadlineText(instantAt('2027-01-01', '00:00'))).toBe('12月31日（周四）前')
    expect(deadlineText(instantAt('2024-03-01', '00:00'))).toBe('2月29日（周四）前')
  })

  test('a deadline within a day keeps its clock time on that same day', () => {
    expect(deadlineText(instantAt('2026-12-01', '17:30'))).toBe('12月1日（周二）17:30前')
    expect(deadlineText(instantAt('2026-12-06', '00:01'))).toBe('12月6日（周日）00:01前')
  })

  test('fits a subscription message thing field (at most 20 characters)', () => {
    expect([...deadlineText(instantAt('2026-12-31', '23:59'))].length).toBeLessThanOrEqual(20)
  })
})
