/** Who is on duty now, in Shanghai, overnight shifts included (run under TZ=UTC and LA). */
import { onDutyAt, type RosterDay } from '../../types/duty'

const days: RosterDay[] = [
  {
    _id: 'st_2026-12-05',
    stationId: 'st',
    date: '2026-12-05',
    shifts: [
      { start: '08:30', end: '17:30', staffIds: ['li'] },
      { start: '17:30', end: '08:30', staffIds: ['wang'] }
    ]
  },
  {
    _id: 'st_2026-12-06',
    stationId: 'st',
    date: '2026-12-06',
    shifts: [{ start: '08:30', end: '17:30', staffIds: ['zhang'] }]
  },
  {
    _id: 'other_2026-12-05',
    stationId: 'other',
    date: '2026-12-05',
    shifts: [{ start: '00:00', end: '00:00', staffIds: ['x'] }]
  }
]

test('a day shift, the overnight shift before and after midnight, and the next morning', () => {
  expect(onDutyAt(days, 'st', Date.parse('2026-12-05T02:00:00Z'))).toEqual(['li']) // Sat 10:00
  expect(onDutyAt(days, 'st', Date.parse('2026-12-05T14:00:00Z'))).toEqual(['wang']) // Sat 22:00
  expect(onDutyAt(days, 'st', Date.parse('2026-12-05T20:00:00Z'))).toEqual(['wang']) // Sun 04:00
  expect(onDutyAt(days, 'st', Date.parse('2026-12-06T00:30:00Z'))).toEqual(['zhang']) // Sun 08:30
})

test('nobody when the roster has no shift, and only this station', () => {
  expect(onDutyAt(days, 'st', Date.parse('2026-12-06T10:00:00Z'))).toEqual([]) // Sun 18:00
  expect(onDutyAt(days, 'other', Date.parse('2026-12-05T02:00:00Z'))).toEqual(['x'])
})
