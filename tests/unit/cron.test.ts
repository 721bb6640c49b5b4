/** Timer-trigger crons: 7 fields, read in UTC+8 whatever the host's zone (run under TZ=UTC and LA). */
import { CronError, nextFire, parseCron } from '../../local-cloud/functions/cron'

const at = (iso: string) => Date.parse(iso)
const next = (cron: string, afterIso: string) => {
  const t = nextFire(parseCron(cron), at(afterIso))
  return t === null ? null : new Date(t).toISOString()
}

test('02:00 every day is 18:00 UTC the day before', () => {
  expect(next('0 0 2 * * * *', '2026-11-27T12:00:00Z')).toBe('2026-11-27T18:00:00.000Z')
  expect(next('0 0 2 * * * *', '2026-11-27T18:00:00Z')).toBe('2026-11-28T18:00:00.000Z')
})

test('every 5 minutes from the next boundary', () => {
  expect(next('0 */5 * * * * *', '2026-11-27T12:01:30Z')).toBe('2026-11-27T12:05:00.000Z')
})

test('weekday names and ranges: Monday to Friday at 08:00 Shanghai', () => {
  // 2026-11-28 is a Saturday in Shanghai: the next fire is Monday 2026-11-30 08:00 (+08:00).
  expect(next('0 0 8 * * MON-FRI *', '2026-11-27T01:00:00Z')).toBe('2026-11-30T00:00:00.000Z')
})

test('day of month, month by name, and a year', () => {
  expect(next('0 30 9 1 JAN * 2027', '2026-06-01T00:00:00Z')).toBe('2027-01-01T01:30:00.000Z')
  expect(next('0 0 0 1 1 * 2025', '2026-01-01T00:00:00Z')).toBeNull()
})

test('weekday 7 is Sunday as 0 is', () => {
  expect(next('0 0 12 * * 7 *', '2026-11-27T00:00:00Z')).toBe(next('0 0 12 * * 0 *', '2026-11-27T00:00:00Z'))
})

test.each([
  ['six fields', '0 0 2 * * *'],
  ['an out-of-range hour', '0 0 24 * * * *'],
  ['a bad step', '0 */0 * * * * *'],
  ['an empty range', '0 0 5-2 * * * *'],
  ['a word', '0 0 noon * * * *']
])('rejects %s', (_what, cron) => {
  expect(() => parseCron(cron)).toThrow(CronError)
})
