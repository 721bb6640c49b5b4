/** Who is on duty now, in Shanghai, overnight shifts included (run under TZ=UTC and LA). */
import {
  daySegments,
  gapSegments,
  onDutyAt,
  sameShifts,
  weekDates,
  weekGaps,
  weekStart,
  type RosterDay
} from '../../types/duty'

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

test('weeks run Monday to Sunday', () => {
  expect(weekStart('2026-12-07')).toBe('2026-12-07') // a Monday
  expect(weekStart('2026-12-13')).toBe('2026-12-07') // its Sunday
  expect(weekStart('2027-01-01')).toBe('2026-12-28') // across the year
  expect(weekDates('2026-12-28')).toEqual([
    '2026-12-28',
    '2026-12-29',
    '2026-12-30',
    '2026-12-31',
    '2027-01-01',
    '2027-01-02',
    '2027-01-03'
  ])
})

test('the hours a person holds on a day: its own shifts to midnight and the morning of last night’s shift', () => {
  const withCall: RosterDay[] = [
    ...days,
    {
      _id: 'st_2026-12-04',
      stationId: 'st',
      date: '2026-12-04',
      shifts: [{ start: '20:00', end: '08:00', staffIds: ['li'], onCall: true }]
    }
  ]
  expect(daySegments(withCall, '2026-12-05', 'li')).toEqual([
    { from: 0, to: 480, onCall: true }, // Friday night's on-call shift, to 08:00
    { from: 510, to: 1050, onCall: false } // 08:30–17:30 at the window
  ])
  expect(daySegments(withCall, '2026-12-05', 'wang')).toEqual([{ from: 1050, to: 1440, onCall: false }])
  expect(daySegments(withCall, '2026-12-06', 'wang')).toEqual([{ from: 0, to: 510, onCall: false }])
  // A whole-day shift (00:00 to 00:00) spills nothing into the next day.
  const other = days.filter((d) => d.stationId === 'other')
  expect(daySegments(other, '2026-12-05', 'x')).toEqual([{ from: 0, to: 1440, onCall: false }])
  expect(daySegments(other, '2026-12-06', 'x')).toEqual([])
})

test('a week’s gaps, and the part of them on each day', () => {
  const reachable = (id: string) => id !== 'zhang'
  const gaps = weekGaps(days, 'st', '2026-11-30', reachable)
  // Nothing before Saturday 08:30; then 李 and 王 to Sunday 08:30; then only 张, who cannot be reached.
  expect(gaps).toEqual([
    { start: '2026-11-29T16:00:00.000Z', end: '2026-12-05T00:30:00.000Z' },
    { start: '2026-12-06T00:30:00.000Z', end: '2026-12-06T16:00:00.000Z' }
  ])
  expect(gapSegments(gaps, '2026-12-05')).toEqual([{ from: 0, to: 510 }])
  expect(gapSegments(gaps, '2026-12-06')).toEqual([{ from: 510, to: 1440 }])
  expect(gapSegments(gaps, '2026-12-03')).toEqual([{ from: 0, to: 1440 }])
})

test('the same shifts whatever the order of people; a change of time or kind is not the same', () => {
  const a = [{ start: '08:00', end: '20:00', staffIds: ['li', 'wang'] }]
  expect(sameShifts(a, [{ start: '08:00', end: '20:00', staffIds: ['wang', 'li'] }])).toBe(true)
  expect(sameShifts(a, [{ start: '08:00', end: '20:00', staffIds: ['li', 'wang'], onCall: true }])).toBe(
    false
  )
  expect(sameShifts(a, [{ start: '08:30', end: '20:00', staffIds: ['li', 'wang'] }])).toBe(false)
  expect(sameShifts([], [])).toBe(true)
})
