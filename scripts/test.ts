// npm test — every test, in the order a failure is cheapest to find:
//   typecheck (tsc: Taro's babel build ignores type errors; three tsconfigs, see tsconfig.json), lint, formatting (prettier --check),
//   builds (functions, weapp, H5), then jest: unit (under TZ=UTC and again under
//   TZ=America/Los_Angeles: calendars must not depend on the host's zone), integration,
//   build checks (wcc/wcsc, size budgets) and e2e in headless Chromium.
// Ends with one line: "summary: N passed, N failed".
// While working, run one part: npm run test:unit, test:integration, test:build or test:e2e
// (docs/testing.md).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT } from '../local-cloud/paths'

interface Step {
  name: string
  cmd: string[]
  env?: Record<string, string>
  /** Jest steps report their own counts. */
  jest?: boolean
}

const jestArgs = (projects: string[], reportFile: string): string[] => [
  'npx',
  'jest',
  '--ci',
  '--selectProjects',
  ...projects,
  '--json',
  `--outputFile=${reportFile}`
]

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hukou-test-'))
const steps: Step[] = [
  // The mini-program with browser APIs only, Node code with Node's only, then tests (everything).
  { name: 'typecheck app', cmd: ['npx', 'tsc', '-p', 'tsconfig.app.json'] },
  { name: 'typecheck node', cmd: ['npx', 'tsc', '-p', 'tsconfig.node.json'] },
  { name: 'typecheck tests', cmd: ['npx', 'tsc', '-p', 'tsconfig.json'] },
  { name: 'lint', cmd: ['npx', 'eslint', '.', '--max-warnings', '0'] },
  { name: 'format', cmd: ['npx', 'prettier', '--check', '.', '--log-level', 'warn'] },
  { name: 'build functions', cmd: ['npx', 'tsx', 'scripts/build-functions.ts'] },
  { name: 'build weapp', cmd: ['npx', 'tsx', 'scripts/build-weapp.ts'] },
  { name: 'build h5', cmd: ['npx', 'tsx', 'scripts/build-h5.ts'] },
  {
    name: 'jest (TZ=UTC)',
    cmd: jestArgs(['unit', 'integration', 'conformance', 'build', 'e2e'], path.join(tmp, 'utc.json')),
    env: { TZ: 'UTC' },
    jest: true
  },
  {
    name: 'jest unit (TZ=America/Los_Angeles)',
    cmd: jestArgs(['unit'], path.join(tmp, 'la.json')),
    env: { TZ: 'America/Los_Angeles' },
    jest: true
  }
]

let passed = 0
let failed = 0
const failures: string[] = []

for (const step of steps) {
  console.log(`\n=== ${step.name} ===`)
  const [cmd, ...args] = step.cmd
  const started = Date.now()
  const r = spawnSync(cmd as string, args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...step.env, FORCE_COLOR: '0' }
  })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (step.jest) {
    const report = step.cmd.find((a) => a.startsWith('--outputFile='))?.slice('--outputFile='.length)
    const json =
      report && fs.existsSync(report)
        ? (JSON.parse(fs.readFileSync(report, 'utf8')) as {
            numPassedTests: number
            numFailedTests: number
            numTotalTestSuites: number
            numFailedTestSuites: number
          })
        : undefined
    if (json) {
      passed += json.numPassedTests
      failed += json.numFailedTests
    }
    // A suite that failed to run (e.g. a syntax error) counts as a failure too.
    if (r.status !== 0 && (!json || json.numFailedTests === 0)) failed++
  } else if (r.status === 0) passed++
  else failed++
  if (r.status !== 0) failures.push(step.name)
  console.log(`--- ${step.name}: ${r.status === 0 ? 'ok' : 'FAILED'} (${seconds} s)`)
}

fs.rmSync(tmp, { recursive: true, force: true })
if (failures.length) console.log(`\nFailed steps: ${failures.join(', ')}`)
console.log(`\nsummary: ${passed} passed, ${failed} failed`)
process.exit(failures.length ? 1 : 0)
