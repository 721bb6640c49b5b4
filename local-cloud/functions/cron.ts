/**
 * WeChat cloud timer triggers: 7-field cron "second minute hour day month weekday year", read in
 * UTC+8 whatever the server's zone (the cloud evaluates timer triggers in China Standard Time;
 * Shanghai has had no DST since 1991, so a fixed offset is exact — docs/platform.md). Fields take `*`, numbers, ranges `a-b`, lists `a,b`, steps `*\/n` and
 * `a-b/n`; months JAN–DEC and weekdays SUN–SAT by name too (weekday 0 or 7 is Sunday).
 * When both day and weekday are restricted, either matching fires (as classic cron); the cloud's
 * docs leave that combination open.
 */
const OFFSET_MS = 8 * 3600 * 1000

interface Field {
  min: number
  max: number
  names?: string[]
}

const FIELDS: Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  {
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
  },
  { min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
  { min: 1970, max: 2099 }
]

export interface Cron {
  source: string
  sets: Set<number>[]
  dayRestricted: boolean
  weekdayRestricted: boolean
}

export class CronError extends Error {}

function parseValue(text: string, field: Field): number {
  const upper = text.toUpperCase()
  const named = field.names?.indexOf(upper) ?? -1
  if (named >= 0) return named + (field.min === 1 ? 1 : 0)
  if (!/^\d+$/.test(text)) throw new CronError(`"${text}" is not a number`)
  const n = Number(text)
  if (n < field.min || n > field.max) throw new CronError(`${n} is outside ${field.min}-${field.max}`)
  return n
}

function parseField(text: string, field: Field): Set<number> {
  const out = new Set<number>()
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined]
    const step = stepText === undefined ? 1 : Number(stepText)
    if (!Number.isInteger(step) || step < 1) throw new CronError(`bad step in "${part}"`)
    let lo: number
    let hi: number
    if (range === '*') {
      lo = field.min
      hi = field.max
    } else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string]
      lo = parseValue(a, field)
      hi = parseValue(b, field)
      if (lo > hi) throw new CronError(`empty range "${range}"`)
    } else {
      lo = parseValue(range, field)
      hi = stepText === undefined ? lo : field.max
    }
    for (let v = lo; v <= hi; v += step) out.add(v)
  }
  return out
}

export function parseCron(source: string): Cron {
  const parts = source.trim().split(/\s+/)
  if (parts.length !== 7)
    throw new CronError(
      `a timer cron has 7 fields (second minute hour day month weekday year), got ${parts.length}: "${source}"`
    )
  const sets = parts.map((p, i) => parseField(p, FIELDS[i] as Field))
  const weekdays = sets[5] as Set<number>
  if (weekdays.has(7)) weekdays.add(0)
  return { source, sets, dayRestricted: parts[3] !== '*', weekdayRestricted: parts[5] !== '*' }
}

function dayMatches(cron: Cron, d: Date): boolean {
  const dayOk = (cron.sets[3] as Set<number>).has(d.getUTCDate())
  const weekdayOk = (cron.sets[5] as Set<number>).has(d.getUTCDay())
  if (cron.dayRestricted && cron.weekdayRestricted) return dayOk || weekdayOk
  return dayOk && weekdayOk
}

/** The first instant strictly after `after` (ms) at which the cron fires, or null within 5 years. */
export function nextFire(cron: Cron, after: number): number | null {
  // Work on "Shanghai wall-clock as if UTC": local = instant + 8 h, read with UTC getters.
  const d = new Date(Math.floor((after + OFFSET_MS) / 1000) * 1000 + 1000)
  const limit = d.getTime() + 5 * 366 * 86400 * 1000
  const [sec, min, hour, , month, , year] = cron.sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>
  ]
  while (d.getTime() <= limit) {
    if (!year.has(d.getUTCFullYear())) {
      d.setUTCFullYear(d.getUTCFullYear() + 1, 0, 1)
      d.setUTCHours(0, 0, 0, 0)
    } else if (!month.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1)
      d.setUTCHours(0, 0, 0, 0)
    } else if (!dayMatches(cron, d)) {
      d.setUTCDate(d.getUTCDate() + 1)
      d.setUTCHours(0, 0, 0, 0)
    } else if (!hour.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0)
    } else if (!min.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0)
    } else if (!sec.has(d.getUTCSeconds())) {
      d.setUTCSeconds(d.getUTCSeconds() + 1, 0)
    } else {
      return d.getTime() - OFFSET_MS
    }
  }
  return null
}
