/**
 * The booking core, pure: the holiday table, slots, and the policy. Dates are the ones the
 * calendar gets wrong most easily. Runs under TZ=UTC and TZ=America/Los_Angeles.
 */
import {
  normaliseBookingCode,
  newBookingCode,
  formatBookingCode
} from '../../cloudfunctions/_shared/domain/booking-code'
import { Calendar } from '../../cloudfunctions/_shared/domain/calendar'
import {
  bookableDates,
  checkChange,
  checkNewBooking,
  suspendedUntil,
  type BookingLike
} from '../../cloudfunctions/_shared/domain/policy'
import { daySlots } from '../../cloudfunctions/_shared/domain/slots'
import { calendarYears } from '../../database/seed/calendar'
import { stations } from '../../database/seed/stations'
import { DEFAULT_POLICY, type Closure } from '../../types/appointment'
import { instantAt } from '../../types/time'

const station = stations[0]!
const calendar = new Calendar(calendarYears)

describe('the holiday table', () => {
  test('National Day 2025-10-01 is a holiday', () => {
    expect(calendar.day('2025-10-01')).toMatchObject({ status: 'rest', name: '国庆节' })
  })

  test('Sunday 2025-09-28 is a make-up working day', () => {
    expect(calendar.day('2025-09-28')).toMatchObject({ status: 'working', makeUp: true })
  })

  test('Saturday 2026-02-14 is a make-up working day', () => {
    expect(calendar.day('2026-02-14')).toMatchObject({ status: 'working', makeUp: true })
  })

  test('2026-02-15 to 2026-02-23 are the Spring Festival holiday', () => {
    for (let d = 15; d <= 23; d++)
      expect(calendar.day(`2026-02-${d}`)).toMatchObject({ status: 'rest', name: '春节' })
    expect(calendar.day('2026-02-24').status).toBe('working')
  })

  test('a year without data is unpublished, not Monday to Friday', () => {
    expect(calendar.yearStatus(2027)).toBe('missing')
    expect(calendar.day('2027-01-04').status).toBe('unpublished')
  })

  test('an unconfirmed year stays unpublished until a supervisor confirms it', () => {
    const draft = { ...calendarYears[2]!, _id: 'cal-2027', year: 2027, days: [], confirmed: false }
    const c = new Calendar([...calendarYears, draft])
    expect(c.yearStatus(2027)).toBe('unconfirmed')
    expect(c.day('2027-01-04').status).toBe('unpublished')
    expect(new Calendar([...calendarYears, { ...draft, confirmed: true }]).day('2027-01-04').status).toBe(
      'working'
    )
  })

  test('counting working days stops at an unpublished year', () => {
    expect(calendar.workingDaysAfter('2026-12-28', 7)).toEqual(['2026-12-29', '2026-12-30', '2026-12-31'])
  })
})

describe('slots', () => {
  test('a working day: office hours in 30-minute slots per resource, plus lunch and evening extended slots', () => {
    const slots = daySlots(station, calendar.day('2026-12-01'))
    const regular = slots.filter((s) => s.kind === 'regular')
    // 08:30–12:00 (7 slots) + 14:30–17:30 (6 slots), for the windows (2 people) and the capture room (1).
    expect(regular.filter((s) => s.resource === 'window')).toHaveLength(13)
    const capture = regular.filter((s) => s.resource === 'capture')
    expect(capture).toHaveLength(13)
    expect(capture.every((s) => s.capacity === 1)).toBe(true)
    expect(slots[0]).toMatchObject({
      start: '08:30',
      end: '09:00',
      _id: 'st-yunxi-chengguan_2026-12-01_0830_capture'
    })
    expect(slots[0]?.startsAt.toISOString()).toBe('2026-12-01T00:30:00.000Z')
    const extended = slots.filter((s) => s.kind === 'extended')
    expect(extended.map((s) => s.start)).toEqual([
      '12:00',
      '12:30',
      '13:00',
      '13:30',
      '14:00',
      '17:30',
      '18:00',
      '18:30'
    ])
    expect(extended[0]).toMatchObject({ label: '午间延时', resource: 'duty', capacity: 1 })
  })

  test('a make-up Saturday keeps weekday hours; a holiday has only the duty window', () => {
    expect(
      daySlots(station, calendar.day('2026-02-14')).filter((s) => s.kind === 'regular').length
    ).toBeGreaterThan(0)
    const holiday = daySlots(station, calendar.day('2025-10-01'))
    expect(holiday.every((s) => s.kind === 'extended' && s.label === '周末值班')).toBe(true)
    expect(holiday.map((s) => s.start)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '11:30'])
  })

  test('closures remove what they cover; an unpublished day has no slots', () => {
    const training: Closure = {
      _id: 'c1',
      stationId: station._id,
      date: '2026-12-01',
      start: '14:30',
      end: '16:00',
      reason: '业务培训'
    }
    const c = new Calendar(calendarYears, [training])
    const starts = new Set(daySlots(station, c.day('2026-12-01')).map((s) => s.start))
    expect(starts.has('14:30')).toBe(false)
    expect(starts.has('15:30')).toBe(false)
    expect(starts.has('16:00')).toBe(true)
    const allDay = new Calendar(calendarYears, [{ ...training, start: undefined, end: undefined }])
    expect(daySlots(station, allDay.day('2026-12-01'))).toEqual([])
    expect(daySlots(station, calendar.day('2027-03-01'))).toEqual([])
  })
})

describe('the booking policy', () => {
  const now = new Date('2026-11-27T02:00:00Z') // Friday 10:00 in Shanghai
  const policy = DEFAULT_POLICY
  const booking = (
    id: string,
    date: string,
    time: string,
    status: BookingLike['status'] = 'booked'
  ): BookingLike => ({
    _id: id,
    date,
    startsAt: instantAt(date, time),
    status
  })
  const check = (date: string, time: string, mine: BookingLike[] = [], at = now) =>
    checkNewBooking({ now: at, date, startsAt: instantAt(date, time), calendar, policy, mine })?.code ?? null

  test('bookable: today through the 7th working day ahead, weekends in between included for duty slots', () => {
    const dates = bookableDates(now, calendar, policy)
    expect(dates[0]).toBe('2026-11-27')
    expect(dates[dates.length - 1]).toBe('2026-12-08')
    expect(dates).toContain('2026-11-28')
  })

  test('same-day booking closes an hour before the slot', () => {
    expect(check('2026-11-27', '10:30')).toBe('TOO_LATE')
    expect(check('2026-11-27', '11:00')).toBeNull()
    expect(check('2026-11-27', '09:00')).toBe('SLOT_PAST')
  })

  test('outside the window, and past an unpublished year', () => {
    expect(check('2026-12-09', '09:00')).toBe('OUTSIDE_WINDOW')
    const lateDecember = new Date('2026-12-30T01:00:00Z')
    expect(check('2027-01-04', '09:00', [], lateDecember)).toBe('CALENDAR_UNPUBLISHED')
  })

  test('one active booking a day, at most three at once; cancelled ones do not count', () => {
    expect(check('2026-12-01', '09:00', [booking('a', '2026-12-01', '15:00')])).toBe('ONE_PER_DAY')
    expect(check('2026-12-01', '09:00', [booking('a', '2026-12-01', '15:00', 'cancelled')])).toBeNull()
    const three = [
      booking('a', '2026-11-30', '09:00'),
      booking('b', '2026-12-02', '09:00'),
      booking('c', '2026-12-03', '09:00')
    ]
    expect(check('2026-12-01', '09:00', three)).toBe('TOO_MANY_ACTIVE')
    expect(
      checkNewBooking({
        now,
        date: '2026-12-02',
        startsAt: instantAt('2026-12-02', '10:00'),
        calendar,
        policy,
        mine: three,
        ignoreId: 'b'
      })
    ).toBeNull()
  })

  test('two no-shows within 30 days suspend booking for 90 days from the second', () => {
    const history = [
      booking('x', '2026-11-02', '09:00', 'no_show'),
      booking('y', '2026-11-20', '09:00', 'no_show')
    ]
    const until = suspendedUntil(history, now, policy)
    expect(until?.toISOString()).toBe(
      new Date(instantAt('2026-11-20', '09:00').getTime() + 90 * 86_400_000).toISOString()
    )
    const refusal = checkNewBooking({
      now,
      date: '2026-12-01',
      startsAt: instantAt('2026-12-01', '09:00'),
      calendar,
      policy,
      mine: history
    })
    expect(refusal?.code).toBe('SUSPENDED')
    expect(refusal?.message).toContain('2027-02-18')
    // Two no-shows 40 days apart do not.
    expect(
      suspendedUntil(
        [booking('x', '2026-10-01', '09:00', 'no_show'), booking('y', '2026-11-20', '09:00', 'no_show')],
        now,
        policy
      )
    ).toBeNull()
  })

  test('cancel or reschedule until two hours before', () => {
    expect(checkChange(now, booking('a', '2026-11-27', '14:30'), policy)).toBeNull()
    expect(checkChange(now, booking('a', '2026-11-27', '11:30'), policy)?.code).toBe('TOO_LATE_TO_CHANGE')
    expect(checkChange(now, booking('a', '2026-12-01', '09:00', 'checked_in'), policy)?.code).toBe(
      'NOT_CHANGEABLE'
    )
  })
})

describe('booking codes', () => {
  test('six unambiguous characters, read back whatever the case and spacing', () => {
    const code = newBookingCode()
    expect(code).toMatch(/^[2-9A-HJKMNP-TW-Z]{6}$/)
    expect(normaliseBookingCode(formatBookingCode(code).toLowerCase())).toBe(code)
    expect(normaliseBookingCode('K7P-29X')).toBe('K7P29X')
    expect(normaliseBookingCode('K7P29')).toBeNull()
    expect(normaliseBookingCode('K7P29U')).toBeNull()
  })
})
