/**
 * npm run deploy: the dry run checks the real function builds and a mini-program build, prints
 * what would be uploaded, refuses broken builds and bad settings with a message that names the
 * problem, and never uploads; the real run uploads each function, its triggers and the
 * mini-program through the uploader, and nothing when a check fails.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT, BUILD_FUNCTIONS } from '../../local-cloud/paths'
import { functionNames } from '../../scripts/lib/build-functions'
import { runDeploy, type DeployOptions } from '../../scripts/lib/deploy/run'
import { cronProblem } from '../../scripts/lib/deploy/triggers'
import type { Uploader } from '../../scripts/lib/deploy/uploader'
import { collections } from '../../database/collections'

jest.setTimeout(60_000)

const APPID = 'wx0123456789abcdef'
const ENV_ID = 'hukou-test-1a2b'
let tmp: string
let dist: string
let keyFile: string

interface SourceTrigger {
  name: string
  type: string
  config: string
}
const sourceTriggers = (name: string): SourceTrigger[] =>
  (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'cloudfunctions', name, 'config.json'), 'utf8')) as {
      triggers?: SourceTrigger[]
    }
  ).triggers ?? []

/** A small mini-program build: what the deploy checks, compiled for ENV_ID. */
function writeDist(dir: string): void {
  fs.mkdirSync(path.join(dir, 'officer', 'queue'), { recursive: true })
  fs.writeFileSync(
    path.join(dir, 'app.json'),
    JSON.stringify({
      pages: ['pages/index/index'],
      subPackages: [{ root: 'officer/', pages: ['queue/index'] }]
    })
  )
  fs.writeFileSync(
    path.join(dir, 'project.config.json'),
    JSON.stringify({ miniprogramRoot: './', appid: 'touristappid' })
  )
  fs.writeFileSync(path.join(dir, 'app.js'), `wx.cloud.init({env:"${ENV_ID}"||void 0,traceUser:!0})`)
  fs.writeFileSync(path.join(dir, 'officer', 'queue', 'index.js'), 'Page({})')
}

/** A copy of the real function builds to break. */
function copyFunctions(): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'functions-'))
  fs.cpSync(BUILD_FUNCTIONS, dir, { recursive: true })
  return dir
}

function dryRun(
  args: string[],
  env: Record<string, string> = {}
): Promise<{ code: number | null; output: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('WECHAT_') && !k.startsWith('DEPLOY_') && k !== 'CLOUD_ENV'
    )
  )
  return new Promise((resolve, reject) => {
    const child = spawn(
      'npx',
      [
        'tsx',
        'scripts/deploy.ts',
        '--dry-run',
        '--dist',
        dist,
        '--cloud-out',
        path.join(tmp, 'cloud'),
        ...args
      ],
      { cwd: ROOT, env: { ...clean, ...env } }
    )
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hukou-deploy-'))
  dist = path.join(tmp, 'dist')
  writeDist(dist)
  keyFile = path.join(tmp, `private.${APPID}.key`)
  fs.writeFileSync(keyFile, '-----BEGIN RSA PRIVATE KEY-----\nMIIEfake\n-----END RSA PRIVATE KEY-----\n')
})

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('the dry run (npx tsx scripts/deploy.ts --dry-run)', () => {
  test('without any setting, checks the builds and prints every function of cloudfunctions/ with its triggers', async () => {
    const { code, output } = await dryRun(['--functions', BUILD_FUNCTIONS])
    expect(output).toContain('WECHAT_APPID')
    expect(output).toContain('Dry run: every check passed; nothing was uploaded.')
    expect(code).toBe(0)
    const names = functionNames()
    expect(names.length).toBeGreaterThanOrEqual(8)
    for (const name of names) {
      expect(output).toMatch(new RegExp(`^  ${name} +[\\d.]+ KB`, 'm'))
      for (const t of sourceTriggers(name)) expect(output).toContain(`trigger ${t.name}: timer "${t.config}"`)
    }
    // Both timers of the product appear, each under its own function.
    expect(names.flatMap(sourceTriggers).length).toBeGreaterThanOrEqual(2)
    const appointment = output.slice(output.indexOf('  appointment '), output.indexOf('  feedback '))
    expect(appointment).toContain('needs environment variable HUKOU_DATA_KEY')
    // The database checklist is written from database/collections.ts.
    const checklist = fs.readFileSync(path.join(tmp, 'cloud', 'checklist.md'), 'utf8')
    for (const c of collections) expect(checklist).toContain(`- [ ] collection \`${c.name}\``)
  })

  test('a function folder without index.js is refused by name', async () => {
    const functions = copyFunctions()
    fs.rmSync(path.join(functions, 'guide', 'index.js'))
    const { code, output } = await dryRun(['--functions', functions])
    expect(code).toBe(1)
    expect(output).toContain('✗ guide: index.js is missing')
    expect(output).not.toContain('nothing was uploaded')
  })

  test('a timer trigger whose cron is not seven fields is refused', async () => {
    const functions = copyFunctions()
    const file = path.join(functions, 'notify', 'config.json')
    const config = JSON.parse(fs.readFileSync(file, 'utf8')) as { triggers: SourceTrigger[] }
    config.triggers[0]!.config = '0 * * * *'
    fs.writeFileSync(file, JSON.stringify(config))
    const { code, output } = await dryRun(['--functions', functions])
    expect(code).toBe(1)
    expect(output).toMatch(
      /✗ notify: config\.json: trigger "everyMinute": "0 \* \* \* \*" has 5 fields; a timer needs 7/
    )
  })

  test('an upload key file that cannot be read is refused, with where to get one', async () => {
    const { code, output } = await dryRun(['--functions', BUILD_FUNCTIONS], {
      WECHAT_APPID: APPID,
      WECHAT_PRIVATE_KEY_PATH: path.join(tmp, 'no-such.key'),
      CLOUD_ENV: ENV_ID
    })
    expect(code).toBe(1)
    expect(output).toMatch(
      /✗ WECHAT_PRIVATE_KEY_PATH: cannot read .*no-such\.key \(ENOENT\): download the code upload key/
    )
  })
})

describe('runDeploy with an injected uploader', () => {
  const calls: string[] = []
  const fake: Uploader = {
    uploadMiniProgram: async ({ version }) => void calls.push(`mini-program ${version}`),
    uploadFunction: async ({ name, dir }) => {
      expect(fs.existsSync(path.join(dir, 'index.js'))).toBe(true)
      calls.push(`function ${name}`)
    },
    uploadTriggers: async ({ name, triggers }) =>
      void calls.push(`triggers ${name} ${triggers.map((t) => t.config).join('|')}`)
  }
  let created = 0
  const options = (over: Partial<DeployOptions> = {}): DeployOptions => ({
    dryRun: false,
    env: {
      WECHAT_APPID: APPID,
      WECHAT_PRIVATE_KEY_PATH: keyFile,
      CLOUD_ENV: ENV_ID,
      DEPLOY_VERSION: '1.2.3'
    },
    functionNames: functionNames(),
    functionsDir: BUILD_FUNCTIONS,
    distDir: dist,
    cloudOut: path.join(tmp, 'cloud-run'),
    defaults: { version: '0.0.0', description: 'test' },
    uploader: async () => {
      created++
      return fake
    },
    log: () => {},
    ...over
  })

  beforeEach(() => {
    calls.length = 0
    created = 0
  })

  test('a dry run with every setting valid never creates the uploader', async () => {
    const result = await runDeploy(options({ dryRun: true }))
    expect(result).toMatchObject({ ok: true, problems: [], uploaded: [] })
    expect(created).toBe(0)
    expect(calls).toEqual([])
  })

  test('a deploy uploads each function once, the triggers of those that have them, then the mini-program', async () => {
    const result = await runDeploy(options())
    expect(result.ok).toBe(true)
    const names = functionNames()
    expect(calls.filter((c) => c.startsWith('function '))).toEqual(names.map((n) => `function ${n}`))
    const withTriggers = names.filter((n) => sourceTriggers(n).length)
    expect(calls.filter((c) => c.startsWith('triggers '))).toEqual(
      withTriggers.map(
        (n) =>
          `triggers ${n} ${sourceTriggers(n)
            .map((t) => t.config)
            .join('|')}`
      )
    )
    expect(calls.filter((c) => c.startsWith('mini-program'))).toEqual(['mini-program 1.2.3'])
    expect(calls[calls.length - 1]).toBe('mini-program 1.2.3')
    expect(result.uploaded).toEqual(calls.map((c) => c.split(' ').slice(0, 2).join(' ')))
  })

  test('a deploy with a setting missing refuses before building or uploading anything', async () => {
    const build = jest.fn(async () => {})
    const result = await runDeploy(
      options({ env: { WECHAT_APPID: APPID, WECHAT_PRIVATE_KEY_PATH: keyFile }, build })
    )
    expect(result.ok).toBe(false)
    expect(result.problems.join('\n')).toContain('not set: CLOUD_ENV')
    expect(build).not.toHaveBeenCalled()
    expect(created).toBe(0)
  })

  test('a mini-program built for another environment, or over the 2 MB main package limit, is not uploaded', async () => {
    const other = await runDeploy(options({ env: { ...options().env, CLOUD_ENV: 'another-env' } }))
    expect(other.ok).toBe(false)
    expect(other.problems.join('\n')).toContain('was not built for CLOUD_ENV=another-env')

    const big = path.join(tmp, 'dist-big')
    writeDist(big)
    fs.writeFileSync(path.join(big, 'vendors.js'), Buffer.alloc(2 * 1024 * 1024 + 1, 'a'))
    const over = await runDeploy(options({ distDir: big }))
    expect(over.ok).toBe(false)
    expect(over.problems.join('\n')).toMatch(/the main package is 2\.00 MB, over WeChat's 2\.00 MB/)
    expect(created).toBe(0)
    expect(calls).toEqual([])
  })

  test('an upload that fails stops the deploy and says what was uploaded before it', async () => {
    const failing: Uploader = {
      ...fake,
      uploadFunction: async ({ name }) => {
        if (name === functionNames()[1]) throw new Error('env not found')
        calls.push(`function ${name}`)
      }
    }
    const result = await runDeploy(options({ uploader: async () => failing }))
    expect(result.ok).toBe(false)
    expect(result.problems).toEqual(['upload failed: env not found'])
    expect(result.uploaded).toEqual([`function ${functionNames()[0]}`])
    expect(calls.some((c) => c.startsWith('mini-program'))).toBe(false)
  })
})

describe('timer cron expressions as WeChat reads them', () => {
  test.each([
    ['0 * * * * * *', null],
    ['0 5 * * * * *', null],
    ['0 15 3 * * MON-FRI *', null],
    ['*/10 0-30/5 1,2,3 1 JAN * 2027', null],
    ['0 * * * * *', /has 6 fields/],
    ['0 60 * * * * *', /minute field "60" is outside 0–59/],
    ['0 0 24 * * * *', /hour field "24" is outside 0–23/],
    ['0 0 0 0 * * *', /day of month field "0" is outside 1–31/],
    ['0 */0 * * * * *', /step "0" is not a positive number/],
    ['0 30-10 * * * * *', /range "30-10" runs backwards/]
  ])('%s', (cron, expected) => {
    const problem = cronProblem(cron)
    if (expected === null) expect(problem).toBeNull()
    else expect(problem).toMatch(expected)
  })
})
