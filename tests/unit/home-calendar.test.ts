/**
 * The home page's station card and notice, from the station's calendar (guide.days): open now or
 * not on a holiday, a make-up working Sunday, a closure; the notice of a closure or a holiday.
 */
import type { StationDay } from '../../types/guide'
import { openStatus } from '../../src/components/open-status'
import { homeNotice } from '../../src/pages/index/notice'

const station = {
  officeHours: {
    weekdays: [1, 2, 3, 4, 5],
    ranges: [
      { start: '08:30', end: '12:00' },
      { start: '14:30', end: '17:30' }
    ]
  }
}
/** An instant at a Shanghai wall-clock time. */
const at = (local: string) => new Date(`${local}+08:00`)

describe('open now', () => {
  test('a weekday within office hours is open; lunch and evening say when it opens or that it closed', () => {
    const day: StationDay = { date: '2026-12-01', status: 'working' }
    expect(openStatus(station, at('2026-12-01T09:00'), day)).toEqual({
      open: true,
      text: '办公中 · 12:00 休息'
    })
    expect(openStatus(station, at('2026-12-01T12:30'), day).text).toBe('休息中 · 14:30 开始办公')
    expect(openStatus(station, at('2026-12-01T21:00'), day).text).toBe('今日已下班')
  })

  test('a statutory holiday on a weekday is closed all day, late at night too, by its name', () => {
    const day: StationDay = { date: '2026-10-02', status: 'rest', name: '国庆节' }
    expect(openStatus(station, at('2026-10-02T10:00'), day)).toEqual({ open: false, text: '今日国庆节休息' })
    expect(openStatus(station, at('2026-10-02T23:30'), day)).toEqual({ open: false, text: '今日国庆节休息' })
  })

  test('a make-up working Sunday is open', () => {
    const day: StationDay = { date: '2026-09-27', status: 'working', name: '国庆节', makeUp: true }
    expect(openStatus(station, at('2026-09-27T10:00'), day).open).toBe(true)
  })

  test('a whole-day closure closes a working day with its reason; a partial one only its hours', () => {
    const closedAllDay: StationDay = {
      date: '2026-12-02',
      status: 'working',
      closures: [{ reason: '系统升级' }]
    }
    expect(openStatus(station, at('2026-12-02T10:00'), closedAllDay)).toEqual({
      open: false,
      text: '今日暂停办公（系统升级）'
    })
    const partly: StationDay = {
      date: '2026-12-03',
      status: 'working',
      closures: [{ start: '09:00', end: '10:30', reason: '全员培训' }]
    }
    expect(openStatus(station, at('2026-12-03T09:30'), partly)).toEqual({
      open: false,
      text: '暂停办公至 10:30（全员培训）'
    })
    expect(openStatus(station, at('2026-12-03T11:00'), partly).open).toBe(true)
  })

  test('without the calendar (still loading, or a year not yet published) the weekdays decide', () => {
    expect(openStatus(station, at('2026-12-05T10:00')).open).toBe(false) // a Saturday
    expect(openStatus(station, at('2027-03-01T10:00'), { status: 'unpublished' }).open).toBe(true)
  })
})

describe('the notice line', () => {
  const days = (from: string, list: Omit<StationDay, 'date'>[]): StationDay[] =>
    list.map((d, i) => {
      const date = new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10)
      return { date, ...d }
    })

  test('a closure this week comes first, with its day and reason', () => {
    const list = days('2026-11-30', [
      { status: 'working' },
      { status: 'working' },
      { status: 'working', closures: [{ reason: '系统升级' }] },
      { status: 'working' }
    ])
    expect(homeNotice(list, '2026-11-30')).toBe(
      '12月2日 周三窗口暂停办公（系统升级）；值班民警受理绿色通道·急事求助'
    )
    expect(homeNotice(list, '2026-12-02')).toContain('今日窗口暂停办公（系统升级）')
  })

  test('during a holiday it says when the window opens again', () => {
    const list = days('2026-10-06', [
      { status: 'rest', name: '国庆节' },
      { status: 'rest', name: '国庆节' },
      { status: 'working' }
    ])
    expect(homeNotice(list, '2026-10-06')).toBe(
      '国庆节放假，窗口休息，10月8日 周四恢复办公；值班民警受理绿色通道·急事求助'
    )
  })

  test('nothing to say on ordinary weeks', () => {
    expect(homeNotice(days('2026-11-30', [{ status: 'working' }, { status: 'working' }]), '2026-11-30')).toBe(
      undefined
    )
  })
})
