/**
 * npm run deploy: check everything locally, print the plan, then (unless a dry run) upload every
 * cloud function with its timer triggers and the mini-program through the injected uploader.
 * Nothing is uploaded while any check fails. docs/deploy.md describes it for operators.
 */
import path from 'node:path'
import { checklistSummary, writeCloudSetup } from './cloud-setup'
import { ENV_VAR_HELP, inspectFunctions, type FunctionPlan } from './functions'
import { messageWarnings } from './messages'
import { readSettings, type DeploySettings, type SettingsDefaults } from './settings'
import type { Uploader } from './uploader'
import { inspectWeapp, type WeappPlan } from './weapp'

export interface DeployOptions {
  dryRun: boolean
  env: NodeJS.ProcessEnv
  /** The source functions (cloudfunctions/<name>/): each must be built and is uploaded. */
  functionNames: string[]
  functionsDir: string
  distDir: string
  /** Where the database setup files and checklist go (build/cloud/). */
  cloudOut: string
  defaults: SettingsDefaults
  /** Builds functions and mini-program for the environment; left out, the builds are checked as they are. */
  build?: (cloudEnv: string | undefined) => Promise<void>
  /** Creates the uploader; never called by a dry run. */
  uploader: (settings: DeploySettings, distDir: string) => Promise<Uploader>
  log?: (line: string) => void
}

export interface DeployResult {
  ok: boolean
  /** Why the deploy was refused (empty when ok). */
  problems: string[]
  warnings: string[]
  /** What was uploaded, in order: "function appointment", "triggers notify", "mini-program 0.1.0". */
  uploaded: string[]
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`

function planLines(
  settings: DeploySettings | undefined,
  env: NodeJS.ProcessEnv,
  defaults: SettingsDefaults,
  weapp: WeappPlan | undefined,
  functions: FunctionPlan[],
  functionsDir: string,
  cloudOut: string
): string[] {
  const shown = (name: string): string => env[name]?.trim() || '(not set)'
  const version = settings?.version ?? (env.DEPLOY_VERSION?.trim() || defaults.version)
  const description = settings?.description ?? (env.DEPLOY_DESCRIPTION?.trim() || defaults.description)
  const lines = [
    `  AppID            ${shown('WECHAT_APPID')}`,
    `  upload key       ${shown('WECHAT_PRIVATE_KEY_PATH')}`,
    `  cloud env        ${shown('CLOUD_ENV')}`,
    '',
    `Mini-program (${weapp ? path.relative(process.cwd(), weapp.dir) || '.' : 'not checked'}): version ${version}, "${description}"`
  ]
  if (weapp) {
    lines.push(`  ${weapp.pages} pages, main package ${kb(weapp.sizes.main)} (limit 2048.0 KB)`)
    for (const [root, size] of Object.entries(weapp.sizes.subpackages))
      lines.push(`  subpackage ${root.padEnd(12)} ${kb(size)} (limit 2048.0 KB)`)
    lines.push(`  all packages ${kb(weapp.totalBytes)} (limit 20480.0 KB)`)
  }
  lines.push(
    '',
    `Cloud functions (${path.relative(process.cwd(), functionsDir) || functionsDir}), each with 云端安装依赖 (wx-server-sdk):`
  )
  for (const f of functions) {
    const timeout = f.timeout ? `timeout ${f.timeout} s` : 'default timeout'
    lines.push(`  ${f.name.padEnd(12)} ${kb(f.bytes).padStart(9)}  ${timeout}`)
    lines.push(`    openapi: ${f.openapi.length ? f.openapi.join(', ') : 'none'}`)
    for (const t of f.triggers) lines.push(`    trigger ${t.name}: ${t.type} "${t.config}"`)
    for (const v of f.envVars) lines.push(`    needs environment variable ${v}`)
  }
  lines.push(
    '',
    `Database, by hand in the cloud console (checklist: ${path.join(cloudOut, 'checklist.md')}):`
  )
  lines.push(...checklistSummary().map((l) => `  ${l}`))
  return lines
}

function manualSteps(functions: FunctionPlan[]): string[] {
  const steps: string[] = []
  for (const f of functions)
    for (const v of f.envVars)
      steps.push(`set ${v} on ${f.name} (once per environment): ${ENV_VAR_HELP[v] ?? 'see docs/deploy.md'}`)
  steps.push(
    'a function created by this deploy gets the platform defaults: set its runtime (Node.js 16 or newer) and the timeout shown above in the console (云函数 → 版本与配置)',
    'create the collections, indexes and rules of the checklist (new collections only)',
    'submit the uploaded version for review on mp.weixin.qq.com (版本管理), then release it'
  )
  return steps
}

export async function runDeploy(options: DeployOptions): Promise<DeployResult> {
  const log = options.log ?? ((line: string) => console.log(line))
  const check = readSettings(options.env, options.defaults)
  const problems = [...check.errors]
  const warnings: string[] = []
  const uploaded: string[] = []
  const refuse = (): DeployResult => {
    log('')
    log(`Deploy refused${options.dryRun ? ' (dry run)' : ''}; fix these first:`)
    for (const p of problems) log(`  ✗ ${p}`)
    return { ok: false, problems, warnings, uploaded }
  }

  if (check.missing.length) {
    if (options.dryRun) {
      log('Not set (the real deploy needs them; this dry run checks everything else):')
      for (const m of check.missing) log(`  - ${m}`)
      log('')
    } else problems.push(...check.missing.map((m) => `not set: ${m}`))
  }
  if (!options.dryRun && problems.length) return refuse()

  if (options.build) {
    log(`Building the functions and the mini-program${check.cloudEnv ? ` for ${check.cloudEnv}` : ''}…`)
    try {
      await options.build(check.cloudEnv)
    } catch (err) {
      problems.push(`build failed: ${err instanceof Error ? err.message : String(err)}`)
      return refuse()
    }
  }

  const fns = inspectFunctions(options.functionsDir, options.functionNames)
  const weapp = inspectWeapp(options.distDir, check.cloudEnv)
  problems.push(...fns.problems, ...weapp.problems)
  warnings.push(...messageWarnings(check.cloudEnv))
  writeCloudSetup(options.cloudOut, check.cloudEnv)

  log(options.dryRun ? 'Deploy plan (dry run: nothing is uploaded)' : 'Deploy plan')
  for (const line of planLines(
    check.settings,
    options.env,
    options.defaults,
    weapp.plan,
    fns.plans,
    options.functionsDir,
    options.cloudOut
  ))
    log(line)
  if (warnings.length) {
    log('')
    log('Warnings:')
    for (const w of warnings) log(`  ! ${w}`)
  }
  if (problems.length) return refuse()

  log('')
  log('By hand (docs/deploy.md):')
  for (const s of manualSteps(fns.plans)) log(`  - ${s}`)

  if (options.dryRun || !check.settings) {
    log('')
    log('Dry run: every check passed; nothing was uploaded.')
    return { ok: true, problems, warnings, uploaded }
  }

  const settings = check.settings
  const uploader = await options.uploader(settings, options.distDir)
  log('')
  try {
    for (const f of fns.plans) {
      log(`Uploading function ${f.name}…`)
      await uploader.uploadFunction({ name: f.name, dir: f.dir })
      uploaded.push(`function ${f.name}`)
      if (f.triggers.length) {
        log(`Creating the triggers of ${f.name}: ${f.triggers.map((t) => t.name).join(', ')}`)
        await uploader.uploadTriggers({ name: f.name, triggers: f.triggers })
        uploaded.push(`triggers ${f.name}`)
      }
    }
    // Last: the new version may call actions only the new functions have.
    log(`Uploading the mini-program, version ${settings.version}…`)
    await uploader.uploadMiniProgram({
      projectPath: options.distDir,
      version: settings.version,
      description: settings.description
    })
    uploaded.push(`mini-program ${settings.version}`)
  } catch (err) {
    problems.push(`upload failed: ${err instanceof Error ? err.message : String(err)}`)
    log('')
    log(`Uploaded before the failure: ${uploaded.join(', ') || 'nothing'}`)
    return refuse()
  }
  log('')
  log(`Deployed to ${settings.cloudEnv}: ${uploaded.join(', ')}.`)
  return { ok: true, problems, warnings, uploaded }
}
