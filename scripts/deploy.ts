// npm run deploy — build, check and upload every cloud function (with its timer triggers) and the
// mini-program through miniprogram-ci, configured by environment variables (docs/deploy.md):
//   WECHAT_APPID, WECHAT_PRIVATE_KEY_PATH, CLOUD_ENV; optional DEPLOY_VERSION, DEPLOY_DESCRIPTION.
// npm run deploy -- --dry-run   checks everything and prints the plan; never contacts WeChat.
// Options: --no-build (check the builds as they are), --functions <dir>, --dist <dir> (check
// other build folders; implies --no-build), --cloud-out <dir> (where the database checklist goes).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { BUILD, BUILD_FUNCTIONS, DIST_WEAPP, ROOT } from '../local-cloud/paths'
import { buildFunctions, functionNames } from './lib/build-functions'
import { runDeploy } from './lib/deploy/run'
import { miniprogramCiUploader } from './lib/deploy/uploader'

const USAGE =
  'usage: npm run deploy -- [--dry-run] [--no-build] [--functions <dir>] [--dist <dir>] [--cloud-out <dir>]'

function parseArgs(argv: string[]): {
  dryRun: boolean
  build: boolean
  functionsDir?: string
  distDir?: string
  cloudOut?: string
} {
  const out: ReturnType<typeof parseArgs> = { dryRun: false, build: true }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = (): string => {
      const v = argv[++i]
      if (!v || v.startsWith('--')) throw new Error(`${arg} needs a folder\n${USAGE}`)
      return path.resolve(v)
    }
    if (arg === '--dry-run') out.dryRun = true
    else if (arg === '--no-build') out.build = false
    else if (arg === '--functions') out.functionsDir = value()
    else if (arg === '--dist') out.distDir = value()
    else if (arg === '--cloud-out') out.cloudOut = value()
    else throw new Error(`unknown option ${arg}\n${USAGE}`)
  }
  if (out.functionsDir || out.distDir) out.build = false
  return out
}

function defaultDescription(): string {
  const git = spawnSync('git', ['log', '-1', '--format=%h %s'], { cwd: ROOT, encoding: 'utf8' })
  const line = git.status === 0 ? git.stdout.trim() : ''
  return (line || 'npm run deploy').slice(0, 80)
}

async function buildAll(cloudEnv: string | undefined): Promise<void> {
  await buildFunctions()
  const weapp = spawnSync('npx', ['tsx', 'scripts/build-weapp.ts'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, CLOUD_ENV: cloudEnv ?? '' }
  })
  if (weapp.status !== 0) throw new Error('npm run build:weapp failed (output above)')
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
  const result = await runDeploy({
    dryRun: args.dryRun,
    env: process.env,
    functionNames: functionNames(),
    functionsDir: args.functionsDir ?? BUILD_FUNCTIONS,
    distDir: args.distDir ?? DIST_WEAPP,
    cloudOut: args.cloudOut ?? path.join(BUILD, 'cloud'),
    defaults: { version: pkg.version, description: defaultDescription() },
    build: args.build ? buildAll : undefined,
    uploader: miniprogramCiUploader
  })
  process.exitCode = result.ok ? 0 : 1
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
