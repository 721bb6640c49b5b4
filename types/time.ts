/**
 * Time on both sides: instants are stored; calendars are Asia/Shanghai, done with a fixed +8 h
 * offset (no daylight saving since 1991) through dayjs' utc plugin — never the process's TZ.
 */
import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)

export const SHANGHAI_OFFSET_MINUTES = 8 * 60

/** A calendar day in Shanghai, "YYYY-MM-DD". */
export type LocalDate = string
/** A wall-clock time in Shanghai, "HH:mm". */
export type LocalTime = string

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/

function shanghai(instant: Date | number | string) {
  return dayjs.utc(instant).utcOffset(SHANGHAI_OFFSET_MINUTES)
}

export function localDate(instant: Date | number | string): LocalDate {
  return shanghai(instant).format('YYYY-MM-DD')
}

export function localTime(instant: Date | number | string): LocalTime {
  return shanghai(instant).format('HH:mm')
}

/** "2026-12-01 09:30" */
export function localDateTime(instant: Date | number | string): string {
  return shanghai(instant).format('YYYY-MM-DD HH:mm')
}

/** The instant at which Shanghai's clocks show `time` on `date`. */
export function instantAt(date: LocalDate, time: LocalTime): Date {
  return dayjs.utc(`${date}T${time}:00Z`).subtract(SHANGHAI_OFFSET_MINUTES, 'minute').toDate()
}

export function isLocalDate(value: string): boolean {
  const m = DATE_RE.exec(value)
  if (!m) return false
  const d = dayjs.utc(`${value}T00:00:00Z`)
  return d.isValid() && d.format('YYYY-MM-DD') === value
}

export function isLocalTime(value: string): boolean {
  return TIME_RE.test(value)
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return dayjs.utc(`${date}T00:00:00Z`).add(days, 'day').format('YYYY-MM-DD')
}

/** ISO weekday: 1 Monday … 7 Sunday. */
export function isoWeekday(date: LocalDate): number {
  const d = dayjs.utc(`${date}T00:00:00Z`).day()
  return d === 0 ? 7 : d
}

/** Whole minutes elapsed from one instant to a later one (never negative): response and accept times. */
export function minutesBetween(from: Date | number | string, to: Date | number | string): number {
  return Math.max(0, Math.floor((new Date(to).getTime() - new Date(from).getTime()) / 60_000))
}

export function minutesOf(time: LocalTime): number {
  const [h, m] = time.split(':').map(Number) as [number, number]
  return h * 60 + m
}

export function timeOfMinutes(minutes: number): LocalTime {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`
}

const WEEKDAY_LABELS = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日']

/** "12月1日 周二" */
export function formatLocalDate(date: LocalDate): string {
  const [, , m, d] = DATE_RE.exec(date) ?? []
  return `${Number(m)}月${Number(d)}日 ${WEEKDAY_LABELS[isoWeekday(date)]}`
}

/**
 * A deadline as people say it: "12月1日（周二）前", or "12月1日（周二）17:30前" when it falls within a
 * day. A deadline at 00:00 is the end of the day before, so it names that day: a call-back due at
 * 2026-12-02 00:00 reads "12月1日（周二）前" — never "12月2日前", which would give a day too many.
 */
export function deadlineText(instant: Date | number | string): string {
  const at = shanghai(instant)
  const midnight = at.format('HH:mm') === '00:00'
  const day = midnight ? addDays(at.format('YYYY-MM-DD'), -1) : at.format('YYYY-MM-DD')
  const [, , m, d] = DATE_RE.exec(day) ?? []
  return `${Number(m)}月${Number(d)}日（${WEEKDAY_LABELS[isoWeekday(day)]}）${midnight ? '' : at.format('HH:mm')}前`
}
