/** The home page's notice line, from the station's calendar. Plain TypeScript, unit-tested. */
import type { StationDay } from '../../../types/guide'
import { addDays, formatLocalDate } from '../../../types/time'
import { EMERGENCY_NAME } from '../../../types/requests'

type DateOptions = readonly StationDay[]

const allDay = (d: StationDay) => d.closures?.find((c) => !c.start && !c.end)

/**
 * One line on what is coming: a closure of the window in the next week, or the holidays — during
 * one, when the window opens again; before one, when it starts (or a make-up working day that
 * comes first). Nothing when the coming days hold none of these.
 */
export function homeNotice(dates: DateOptions, today: string): string | undefined {
  const week = dates.filter((d) => d.date >= today && d.date <= addDays(today, 7) && d.status === 'working')
  const closed = week.find((d) => allDay(d))
  if (closed)
    return `${closed.date === today ? '今日' : formatLocalDate(closed.date)}窗口暂停办公（${allDay(closed)?.reason ?? ''}）；值班民警受理${EMERGENCY_NAME}`
  return holidayNotice(dates, today)
}

function holidayNotice(dates: DateOptions, today: string): string | undefined {
  const now = dates.find((d) => d.date === today)
  if (now?.status === 'rest' && now.name) {
    const back = dates.find((d) => d.date > today && d.status === 'working')
    return back
      ? `${now.name}放假，窗口休息，${formatLocalDate(back.date)}恢复办公；值班民警受理${EMERGENCY_NAME}`
      : `${now.name}放假，窗口休息；值班民警受理${EMERGENCY_NAME}`
  }
  const next = dates.find((d) => d.date > today && d.name && (d.status === 'rest' || d.makeUp))
  if (!next?.name) return undefined
  if (next.status === 'working') return `${formatLocalDate(next.date)}（${next.name}调休）上班，窗口照常办公`
  return `${next.name}：${formatLocalDate(next.date)}起放假，窗口休息；值班民警受理${EMERGENCY_NAME}`
}
