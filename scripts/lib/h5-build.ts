/**
 * The H5 app (`taro build --type h5` into build/h5/, about 1–2 minutes), rebuilt only when
 * something it is built from changed since the last build.
 *
 * Every build that goes through buildH5() (npm run build:h5, npm test's build step, npm start, the
 * e2e global setup) writes a fingerprint of its inputs next to the output, build/h5.fingerprint.json:
 * a SHA-256 over the content of every file under src/, types/, database/ (the app bundles the demo
 * accounts) and config/, the root files the build reads (babel.config.js, tsconfig*.json,
 * global.d.ts, package-lock.json, .env*), the build-relevant keys of package.json (dependencies,
 * browserslist), and the environment that changes the output (CLOUD_ENV, TARO_APP_*).
 *
 * Content, not modification times: a pull, a branch switch or an editor touches files without
 * changing them (and can restore an older tree with new times); hashing ~150 small files costs a
 * few milliseconds, a needless rebuild a minute or two. See docs/local-cloud.md.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { BUILD, BUILD_H5, ROOT } from '../../local-cloud/paths'

export const H5_FINGERPRINT = path.join(BUILD, 'h5.fingerprint.json')

/** Folders whose every file the H5 app is built from. */
export const H5_INPUT_DIRS = ['src', 'types', 'database', 'config']
/** Root files the build reads (matched by name). */
const ROOT_FILE = /^(babel\.config\.js|tsconfig[\w.-]*\.json|global\.d\.ts|package-lock\.json|\.env(\..+)?)$/
/** package.json keys that change the build (scripts and the like do not). */
const PACKAGE_KEYS = ['dependencies', 'devDependencies', 'browserslist'] as const

/** The environment variables that change the build's output. */
export function buildEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of Object.keys(env).sort())
    if (key === 'CLOUD_ENV' || key.startsWith('TARO_APP_')) out[key] = env[key] ?? ''
  return out
}

function walk(dir: string, rel: string, out: string[]): void {
  let entries: fs.Dirent[]
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true })
  } catch {
    return
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name === '.DS_Store') continue
    const r = rel ? `${rel}/${e.name}` : e.name
    if (e.isDirectory()) walk(path.join(dir, e.name), r, out)
    else if (e.isFile()) out.push(r)
  }
}

/** The files (relative to root, sorted) the H5 app is built from. */
export function h5Inputs(root = ROOT): string[] {
  const files: string[] = []
  for (const dir of H5_INPUT_DIRS) walk(path.join(root, dir), dir, files)
  for (const e of fs.readdirSync(root, { withFileTypes: true }))
    if (e.isFile() && ROOT_FILE.test(e.name)) files.push(e.name)
  return files.sort()
}

/** A hash of everything the H5 app is built from (see the file's comment). */
export function h5Fingerprint(root = ROOT, env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash('sha256')
  for (const rel of h5Inputs(root)) {
    hash.update(`file\0${rel}\0`)
    hash.update(fs.readFileSync(path.join(root, rel)))
    hash.update('\0')
  }
  const pkgFile = path.join(root, 'package.json')
  if (fs.existsSync(pkgFile)) {
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as Record<string, unknown>
    hash.update(`package.json\0${JSON.stringify(PACKAGE_KEYS.map((k) => pkg[k] ?? null))}\0`)
  }
  hash.update(`env\0${JSON.stringify(buildEnv(env))}`)
  return hash.digest('hex')
}

export interface H5Paths {
  root: string
  /** The build's output folder (its index.html must exist). */
  out: string
  /** Where the last build's fingerprint is kept. */
  fingerprintFile: string
}

const DEFAULT_PATHS: H5Paths = { root: ROOT, out: BUILD_H5, fingerprintFile: H5_FINGERPRINT }

/** Why the H5 build must be rebuilt, or null when it is current. */
export function h5Staleness(
  paths: H5Paths = DEFAULT_PATHS,
  env: NodeJS.ProcessEnv = process.env
): string | null {
  if (!fs.existsSync(path.join(paths.out, 'index.html'))) return 'there is no H5 build yet'
  let recorded: unknown
  try {
    recorded = (JSON.parse(fs.readFileSync(paths.fingerprintFile, 'utf8')) as { fingerprint?: unknown })
      .fingerprint
  } catch {
    return 'the H5 build has no fingerprint: it was made another way (npm run dev, taro directly)'
  }
  return recorded === h5Fingerprint(paths.root, env) ? null : 'its sources changed since it was built'
}

/** Records that the build in `paths.out` was made from the tree whose fingerprint is given. */
export function writeH5Fingerprint(fingerprint: string, paths: H5Paths = DEFAULT_PATHS): void {
  fs.mkdirSync(path.dirname(paths.fingerprintFile), { recursive: true })
  fs.writeFileSync(
    paths.fingerprintFile,
    JSON.stringify({ fingerprint, builtAt: new Date().toISOString() }, null, 2) + '\n'
  )
}

/** Forgets the last build's fingerprint: the next start rebuilds (npm run dev's watch builds differ). */
export function forgetH5Fingerprint(paths: H5Paths = DEFAULT_PATHS): void {
  fs.rmSync(paths.fingerprintFile, { force: true })
}

/** The environment Taro builds in: NODE_ENV left to Taro (production), whatever the caller runs under (jest sets "test"). */
export function taroEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = { ...env }
  delete out.NODE_ENV
  return out
}

const TARO = path.join(ROOT, 'node_modules', '.bin', 'taro')

/** Held while an H5 build runs: two builds writing into build/h5 at once would mix their files. */
export const H5_LOCK = path.join(BUILD, 'h5.building.lock')

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes the H5 build lock if it is free (a lock left by a process that died is free); otherwise
 * returns the process holding it.
 */
function tryLock(): { taken: true } | { taken: false; holder: number } {
  fs.mkdirSync(path.dirname(H5_LOCK), { recursive: true })
  for (;;) {
    try {
      fs.writeFileSync(H5_LOCK, String(process.pid), { flag: 'wx' })
      return { taken: true }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    let holder = NaN
    let age = 0
    try {
      holder = Number(fs.readFileSync(H5_LOCK, 'utf8'))
      age = Date.now() - fs.statSync(H5_LOCK).mtimeMs
    } catch {
      continue // released meanwhile
    }
    if (holder > 0 && alive(holder)) return { taken: false, holder }
    if (!(holder > 0) && age < 5000) return { taken: false, holder } // created, its pid not written yet
    fs.rmSync(H5_LOCK, { force: true })
  }
}

function unlock(): void {
  fs.rmSync(H5_LOCK, { force: true })
}

/**
 * Runs `fn` holding the H5 build lock: one H5 build at a time in a checkout (npm start, the e2e
 * setup, npm run build:h5 and npm run dev may run together). Waits while another process holds it.
 */
async function withBuildLock<T>(fn: () => Promise<T>, log: (line: string) => void): Promise<T> {
  let waiting = false
  for (;;) {
    const lock = tryLock()
    if (lock.taken) break
    if (!waiting) log(`Waiting for the H5 build already running in this checkout (process ${lock.holder})…`)
    waiting = true
    await new Promise((r) => setTimeout(r, 1000))
  }
  try {
    return await fn()
  } finally {
    unlock()
  }
}

const running = new Set<ChildProcess>()

/** Stops the H5 builds this process started (npm run dev on Ctrl+C); their lock is released. */
export function stopH5Builds(): void {
  for (const child of running) child.kill('SIGTERM')
  if (running.size > 0) unlock()
}

async function runTaroBuild(extraArgs: string[]): Promise<void> {
  const fingerprint = h5Fingerprint()
  forgetH5Fingerprint()
  const child = spawn(TARO, ['build', '--type', 'h5', ...extraArgs], {
    cwd: ROOT,
    stdio: 'inherit',
    env: taroEnv()
  })
  running.add(child)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (c, s) => resolve([c, s]))
  }).finally(() => running.delete(child))
  if (code !== 0) throw new Error(`taro build --type h5 failed (${signal ?? code})`)
  // Extra arguments may change what is built: such a build is not the one npm start would serve.
  if (extraArgs.length === 0) writeH5Fingerprint(fingerprint)
}

/**
 * Builds the H5 app and records its fingerprint; rejects when the build fails. The fingerprint is
 * taken before the build starts, so a file edited during the build makes the next check stale.
 */
export function buildH5(extraArgs: string[] = [], log: (line: string) => void = console.log): Promise<void> {
  return withBuildLock(() => runTaroBuild(extraArgs), log)
}

/**
 * Builds the H5 app when it is stale, and says why; resolves whether it built. After waiting for
 * a build another process was running, it checks again (that build is usually the one needed).
 */
export function ensureH5(log: (line: string) => void = console.log): Promise<boolean> {
  return withBuildLock(async () => {
    const reason = h5Staleness()
    if (reason === null) return false
    log(`Building the H5 app — ${reason} (a minute or two)…`)
    await runTaroBuild([])
    return true
  }, log)
}

/** Whether a file at the repository's root is one the H5 app is built from. */
export function isH5RootInput(name: string): boolean {
  return ROOT_FILE.test(name) || name === 'package.json'
}
