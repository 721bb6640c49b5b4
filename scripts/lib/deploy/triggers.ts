/**
 * WeChat cloud timer triggers: a cron expression of seven space-separated fields — second,
 * minute, hour, day of month, month, day of week, year — each `*`, a number, a range `a-b`, a
 * list `a,b` or a step `*\/n` / `a-b/n` (docs/deploy.md).
 */
export interface TriggerSpec {
  name: string
  type: string
  config: string
}

const FIELDS: { name: string; min: number; max: number; names?: string[] }[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
  },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
  { name: 'year', min: 1970, max: 2099 }
]

function valueOf(text: string, field: (typeof FIELDS)[number]): number | null {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1
  if (named >= 0) return field.min + named
  if (!/^\d+$/.test(text)) return null
  const n = Number(text)
  return n >= field.min && n <= field.max ? n : null
}

function fieldProblem(text: string, field: (typeof FIELDS)[number]): string | null {
  for (const part of text.split(',')) {
    const [range, step, ...rest] = part.split('/')
    if (rest.length || range === undefined || range === '') return `"${part}" is not a value, range or step`
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `step "${step}" is not a positive number`
    if (range === '*') continue
    const [from, to, ...more] = range.split('-')
    if (more.length) return `"${range}" is not a range`
    const a = valueOf(from ?? '', field)
    if (a === null) return `"${from}" is outside ${field.min}–${field.max}`
    if (to !== undefined) {
      const b = valueOf(to, field)
      if (b === null) return `"${to}" is outside ${field.min}–${field.max}`
      if (b < a) return `range "${range}" runs backwards`
    }
  }
  return null
}

/** Why `cron` is not a seven-field WeChat timer expression, or null. */
export function cronProblem(cron: string): string | null {
  const parts = cron.trim().split(/\s+/)
  if (parts.length !== 7)
    return `"${cron}" has ${parts.length} fields; a timer needs 7 (second minute hour day month weekday year)`
  for (const [i, field] of FIELDS.entries()) {
    const problem = fieldProblem(parts[i] ?? '', field)
    if (problem) return `"${cron}": ${field.name} field ${problem}`
  }
  return null
}

/** Trigger names as the cloud accepts them: a letter, then letters, digits, - or _. */
const TRIGGER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/

/** Problems of a config.json `triggers` value; every trigger must be a well-formed timer. */
export function triggersProblems(value: unknown): { triggers: TriggerSpec[]; problems: string[] } {
  if (value === undefined) return { triggers: [], problems: [] }
  if (!Array.isArray(value)) return { triggers: [], problems: ['"triggers" is not a list'] }
  const triggers: TriggerSpec[] = []
  const problems: string[] = []
  const names = new Set<string>()
  value.forEach((raw: unknown, i) => {
    const t = (raw ?? {}) as Partial<Record<keyof TriggerSpec, unknown>>
    const label = typeof t.name === 'string' && t.name ? `trigger "${t.name}"` : `trigger ${i + 1}`
    if (typeof t.name !== 'string' || !TRIGGER_NAME.test(t.name))
      problems.push(`${label}: name must start with a letter and hold letters, digits, - or _ only`)
    else if (names.has(t.name)) problems.push(`${label}: the name is used twice`)
    else names.add(t.name)
    if (t.type !== 'timer') problems.push(`${label}: type must be "timer" (found ${JSON.stringify(t.type)})`)
    if (typeof t.config !== 'string') problems.push(`${label}: config must be a cron expression string`)
    else {
      const problem = cronProblem(t.config)
      if (problem) problems.push(`${label}: ${problem}`)
    }
    if (typeof t.name === 'string' && typeof t.config === 'string' && typeof t.type === 'string')
      triggers.push({ name: t.name, type: t.type, config: t.config })
  })
  return { triggers, problems }
}
