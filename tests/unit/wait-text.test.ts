/** How long a request has waited, in the words the resident's page uses. */
import { waitText } from '../../types/requests'

const at = (minutes: number) => Date.parse('2026-11-29T12:00:00Z') + minutes * 60_000

test.each([
  [0, '不到1分钟'],
  [0.9, '不到1分钟'],
  [1, '1分钟'],
  [59, '59分钟'],
  [60, '1小时'],
  [65, '1小时5分钟'],
  [24 * 60, '1天'],
  [27 * 60 + 10, '1天3小时']
])('%d minutes read as %s', (minutes, words) => {
  expect(waitText(at(0), at(minutes))).toBe(words)
})

test('ISO instants work as well as milliseconds, and a clock that runs behind never shows a negative wait', () => {
  expect(waitText('2026-11-29T12:00:00.000Z', '2026-11-29T12:12:30.000Z')).toBe('12分钟')
  expect(waitText(at(5), at(0))).toBe('不到1分钟')
})
