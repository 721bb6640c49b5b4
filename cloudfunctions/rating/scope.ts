/** Which stations and which days a staff member's read or recount covers. */
import { MAX_PERIOD_DAYS } from '../../types/ratings'
import type { Staff } from '../../types/staff'
import type { LocalDate } from '../../types/time'
import { daysOf } from '../_shared/domain/ratings'
import { AppError } from '../_shared/handler'

/** The days of a period (both ends), refused when reversed or longer than allowed. */
export function checkPeriod(from: LocalDate, to: LocalDate): LocalDate[] {
  if (from > to) throw new AppError('INVALID_INPUT', '开始日期不能晚于结束日期')
  const days = daysOf(from, to)
  if (days.length > MAX_PERIOD_DAYS) throw new AppError('PERIOD_TOO_LONG')
  return days
}

/** Leaders act for their own station; supervisors for the one named, or all when none is. */
export function scopeOf(staff: Staff, stationId: string | undefined): string | undefined {
  if (staff.role === 'supervisor') return stationId
  return staff.stationId
}
