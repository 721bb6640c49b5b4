/**
 * A year of the holiday table as a supervisor types or pastes it from the State Council's notice:
 * one day a line, "2027-01-01 休 元旦" (a holiday) or "2027-02-07 班 春节" (a make-up working day).
 */
import { isLocalDate } from '../../../types/time'

export interface ParsedDay {
  date: string
  kind: 'holiday' | 'workday'
  name: string
}

export function parseYearText(year: number, text: string): { days: ParsedDay[] } | { problem: string } {
  const days: ParsedDay[] = []
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
  for (const [i, line] of lines.entries()) {
    const m = /^(\d{4}-\d{2}-\d{2})\s+(休|班)\s+(\S.{0,19})$/.exec(line)
    if (!m) return { problem: `第 ${i + 1} 行格式不对，应为“日期 休/班 名称”，如 ${year}-01-01 休 元旦` }
    const [, date, mark, name] = m as unknown as [string, string, string, string]
    if (!isLocalDate(date) || !date.startsWith(`${year}-`))
      return { problem: `第 ${i + 1} 行的日期不是 ${year} 年的有效日期` }
    days.push({ date, kind: mark === '休' ? 'holiday' : 'workday', name: name.trim() })
  }
  if (days.length === 0) return { problem: '请至少填写一天' }
  return { days }
}
