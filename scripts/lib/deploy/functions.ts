/**
 * Checks a built cloud function folder (build/cloudfunctions/<name>/) before it is uploaded, and
 * reads what the plan shows about it: its triggers, timeout, OpenAPI permissions, and the
 * product's environment variables its code reads.
 */
import fs from 'node:fs'
import path from 'node:path'
import { triggersProblems, type TriggerSpec } from './triggers'

export interface FunctionPlan {
  name: string
  dir: string
  bytes: number
  timeout?: number
  openapi: string[]
  triggers: TriggerSpec[]
  /** The product's variables (HUKOU_*) the bundle reads: set them on the function in the console. */
  envVars: string[]
}

/** What each of the product's environment variables holds (docs/deploy.md has the details). */
export const ENV_VAR_HELP: Record<string, string> = {
  HUKOU_DATA_KEY:
    "32 random bytes, base64: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\" — keep it: stored ID numbers cannot be read without it",
  HUKOU_FIRST_SUPERVISOR_OPENID:
    'the OPENID of the WeChat user who becomes the first supervisor while none exists'
}

/** The cloud function timeout range, in seconds. */
export const TIMEOUT_RANGE = { min: 1, max: 60 }

function readJson(file: string, problems: string[]): Record<string, unknown> | undefined {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    problems.push(`${path.basename(file)} is missing`)
    return undefined
  }
  try {
    const value: unknown = JSON.parse(text)
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
    problems.push(`${path.basename(file)} is not a JSON object`)
  } catch (err) {
    problems.push(`${path.basename(file)} is not valid JSON (${(err as Error).message})`)
  }
  return undefined
}

/** The product's own environment variables named in a bundle (`process.env.HUKOU_…`). */
export function envVarsOf(code: string): string[] {
  const names = new Set<string>()
  for (const m of code.matchAll(/process\.env(?:\.|\[\s*["'`])(HUKOU_[A-Z0-9_]+)/g)) names.add(m[1] as string)
  return [...names].sort()
}

export function inspectFunction(dir: string): { plan?: FunctionPlan; problems: string[] } {
  const name = path.basename(dir)
  const problems: string[] = []
  const indexJs = path.join(dir, 'index.js')
  let code = ''
  if (!fs.existsSync(indexJs)) problems.push('index.js is missing')
  else {
    code = fs.readFileSync(indexJs, 'utf8')
    if (!/\bmain\b/.test(code)) problems.push('index.js does not export main')
  }

  const config = readJson(path.join(dir, 'config.json'), problems)
  let triggers: TriggerSpec[] = []
  let openapi: string[] = []
  let timeout: number | undefined
  if (config) {
    const checked = triggersProblems(config.triggers)
    triggers = checked.triggers
    problems.push(...checked.problems.map((p) => `config.json: ${p}`))
    const perms = (config.permissions ?? {}) as { openapi?: unknown }
    if (perms.openapi !== undefined) {
      if (Array.isArray(perms.openapi) && perms.openapi.every((p) => typeof p === 'string'))
        openapi = perms.openapi
      else problems.push('config.json: permissions.openapi must be a list of API names')
    }
    if (config.timeout !== undefined) {
      const t = config.timeout
      if (typeof t !== 'number' || !Number.isInteger(t) || t < TIMEOUT_RANGE.min || t > TIMEOUT_RANGE.max)
        problems.push(
          `config.json: timeout must be whole seconds from ${TIMEOUT_RANGE.min} to ${TIMEOUT_RANGE.max}`
        )
      else timeout = t
    }
  }

  const pkg = readJson(path.join(dir, 'package.json'), problems)
  if (pkg) {
    const deps = Object.keys(pkg.dependencies ?? {})
    if (deps.length !== 1 || deps[0] !== 'wx-server-sdk')
      problems.push(
        `package.json must depend on wx-server-sdk only (found: ${deps.join(', ') || 'nothing'}); the rest is bundled`
      )
    if (pkg.main !== undefined && pkg.main !== 'index.js')
      problems.push('package.json: main must be index.js')
  }

  if (problems.length) return { problems: problems.map((p) => `${name}: ${p}`) }
  const bytes = fs
    .readdirSync(dir)
    .reduce(
      (sum, f) => sum + (fs.statSync(path.join(dir, f)).isFile() ? fs.statSync(path.join(dir, f)).size : 0),
      0
    )
  return { plan: { name, dir, bytes, timeout, openapi, triggers, envVars: envVarsOf(code) }, problems }
}

/**
 * Every function of `expected` (the source folders) from `functionsDir`: a function missing from
 * the build, or a built folder without a source, is a problem (the build is stale).
 */
export function inspectFunctions(
  functionsDir: string,
  expected: string[]
): { plans: FunctionPlan[]; problems: string[] } {
  if (!fs.existsSync(functionsDir))
    return { plans: [], problems: [`${functionsDir} is missing: run npm run build:functions`] }
  const built = fs
    .readdirSync(functionsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
  const problems: string[] = []
  for (const name of expected)
    if (!built.includes(name))
      problems.push(`${name}: not built into ${functionsDir} (run npm run build:functions)`)
  for (const name of built)
    if (!expected.includes(name))
      problems.push(
        `${name}: built into ${functionsDir} but has no source in cloudfunctions/ (a stale build)`
      )
  const plans: FunctionPlan[] = []
  for (const name of expected.filter((n) => built.includes(n))) {
    const { plan, problems: p } = inspectFunction(path.join(functionsDir, name))
    problems.push(...p)
    if (plan) plans.push(plan)
  }
  return { plans, problems }
}
