/**
 * npm start and the e2e setup rebuild the H5 app only when something it is built from changed
 * since its last build (scripts/lib/h5-build.ts): on a scratch tree shaped like the repository.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  h5Fingerprint,
  h5Inputs,
  h5Staleness,
  writeH5Fingerprint,
  type H5Paths
} from '../../scripts/lib/h5-build'

let root: string
let paths: H5Paths
const env = { CLOUD_ENV: '', PATH: '/usr/bin' }

function write(rel: string, text: string): void {
  const file = path.join(root, rel)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, text)
}

/** As a build does: the output, then the fingerprint of the tree it was built from. */
function build(): void {
  write('build/h5/index.html', '<!doctype html>')
  writeH5Fingerprint(h5Fingerprint(root, env), paths)
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'h5-staleness-'))
  paths = {
    root,
    out: path.join(root, 'build', 'h5'),
    fingerprintFile: path.join(root, 'build', 'h5.fingerprint.json')
  }
  write('src/app.ts', 'export const app = 1\n')
  write('src/pages/index/index.tsx', 'export default function Index() { return null }\n')
  write('types/time.ts', 'export type LocalDate = string\n')
  write('database/seed/staff.ts', 'export const DEMO_ACCOUNTS = []\n')
  write('config/index.ts', 'export default {}\n')
  write('babel.config.js', 'module.exports = {}\n')
  write('tsconfig.json', '{}\n')
  write('package-lock.json', '{"lockfileVersion": 3}\n')
  write('package.json', JSON.stringify({ scripts: { start: 'a' }, dependencies: { react: '18.3.1' } }))
  write('README.md', '# notes\n')
  write('cloudfunctions/guide/index.ts', 'export const main = 1\n')
})

afterEach(() => fs.rmSync(root, { recursive: true, force: true }))

test('the inputs are the app, the contract, the demo data, the build configuration and the lock file', () => {
  const inputs = h5Inputs(root)
  expect(inputs).toEqual(
    expect.arrayContaining([
      'src/app.ts',
      'src/pages/index/index.tsx',
      'types/time.ts',
      'database/seed/staff.ts',
      'config/index.ts',
      'babel.config.js',
      'tsconfig.json',
      'package-lock.json'
    ])
  )
  expect(inputs).not.toContain('README.md')
  expect(inputs).not.toContain('cloudfunctions/guide/index.ts')
})

test('no build at all is stale; a build is current until a source changes', () => {
  expect(h5Staleness(paths, env)).toMatch(/no H5 build/)
  build()
  expect(h5Staleness(paths, env)).toBeNull()

  write('src/pages/index/index.tsx', 'export default function Index() { return "changed" }\n')
  expect(h5Staleness(paths, env)).toMatch(/changed/)
  build()
  expect(h5Staleness(paths, env)).toBeNull()
})

test('an untouched tree stays current, even when files are touched or rewritten with the same content', () => {
  build()
  const later = new Date(Date.now() + 60_000)
  fs.utimesSync(path.join(root, 'src', 'app.ts'), later, later)
  write('types/time.ts', 'export type LocalDate = string\n')
  expect(h5Staleness(paths, env)).toBeNull()
})

test('each kind of input makes it stale: a new page, the contract, the lock file, the build env', () => {
  const changes: (() => void)[] = [
    () => write('src/pages/new/index.tsx', 'export default 1\n'),
    () => write('types/time.ts', 'export type LocalDate = `${number}`\n'),
    () => write('config/index.ts', 'export default { h5: {} }\n'),
    () => write('package-lock.json', '{"lockfileVersion": 3, "packages": {}}\n'),
    () =>
      write('package.json', JSON.stringify({ scripts: { start: 'a' }, dependencies: { react: '18.3.2' } })),
    () => fs.rmSync(path.join(root, 'src', 'app.ts'))
  ]
  for (const change of changes) {
    build()
    change()
    expect(h5Staleness(paths, env)).not.toBeNull()
  }
  build()
  expect(h5Staleness(paths, { ...env, CLOUD_ENV: 'prod-1a2b' })).not.toBeNull()
  expect(h5Staleness(paths, { ...env, TARO_APP_API: 'x' })).not.toBeNull()
})

test('what does not go into the app leaves it current: notes, functions, package.json scripts, other env', () => {
  build()
  write('README.md', '# more notes\n')
  write('cloudfunctions/guide/index.ts', 'export const main = 2\n')
  write('package.json', JSON.stringify({ scripts: { start: 'b' }, dependencies: { react: '18.3.1' } }))
  expect(h5Staleness(paths, { ...env, PORT: '8790', NODE_ENV: 'test' })).toBeNull()
})

test('a build without a fingerprint (made another way) counts as stale', () => {
  build()
  fs.rmSync(paths.fingerprintFile)
  expect(h5Staleness(paths, env)).toMatch(/no fingerprint/)
})
