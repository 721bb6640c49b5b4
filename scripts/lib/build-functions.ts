/**
 * Bundles each cloud function (<srcDir>/<name>/index.ts) with esbuild into a deployable folder
 * <outDir>/<name>/: index.js, its config.json, and a package.json that depends on wx-server-sdk
 * only. Shared code (types/, cloudfunctions/_shared/) is bundled in. Also builds the local cloud's
 * instance runner, which runs functions under plain node as the cloud does.
 *
 * A build that produced exactly what is already there leaves the folder untouched, so a running
 * local cloud keeps its warm instances; a build that changed anything swaps the folder in whole,
 * and the local cloud recycles the instances on their next call (docs/local-cloud.md).
 */
import { build } from 'esbuild'
import fs from 'node:fs'
import path from 'node:path'
import { BUILD_FUNCTIONS, FUNCTIONS_SRC, INSTANCE_RUNNER, ROOT } from '../../local-cloud/paths'

export function functionNames(srcDir = FUNCTIONS_SRC): string[] {
  return fs
    .readdirSync(srcDir)
    .filter((n) => !n.startsWith('_') && fs.existsSync(path.join(srcDir, n, 'index.ts')))
    .sort()
}

/** Writes `text` to `file` unless it already holds exactly that; atomically (a reader never sees half a file). */
function writeIfChanged(file: string, text: string | Uint8Array): void {
  const bytes = Buffer.from(text)
  if (fs.existsSync(file) && fs.readFileSync(file).equals(bytes)) return
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.tmp-${process.pid}`
  fs.writeFileSync(tmp, bytes)
  fs.renameSync(tmp, file)
}

export async function buildInstanceRunner(): Promise<void> {
  const out = await build({
    entryPoints: [path.join(ROOT, 'local-cloud', 'functions', 'instance.ts')],
    outfile: INSTANCE_RUNNER,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    write: false
  })
  const file = out.outputFiles[0]
  if (!file) throw new Error('esbuild produced no instance runner')
  writeIfChanged(INSTANCE_RUNNER, file.contents)
}

/** The files of a built functions folder, relative path → content (empty when it does not exist). */
function filesOf(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  const walk = (d: string, rel: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name
      if (e.isDirectory()) walk(path.join(d, e.name), r)
      else files.set(r, fs.readFileSync(path.join(d, e.name)))
    }
  }
  if (fs.existsSync(dir)) walk(dir, '')
  return files
}

function sameFiles(a: string, b: string): boolean {
  const x = filesOf(a)
  const y = filesOf(b)
  return x.size === y.size && [...x].every(([k, v]) => y.get(k)?.equals(v) ?? false)
}

/**
 * Returns each function's bundle size in bytes. Builds into a fresh folder beside `outDir` and
 * swaps it in at the end, so a local cloud running meanwhile (a test, `npm start`) never finds
 * the functions half-built.
 */
export async function buildFunctions(
  srcDir = FUNCTIONS_SRC,
  outDir = BUILD_FUNCTIONS
): Promise<Record<string, number>> {
  const staging = `${outDir}.building-${process.pid}`
  fs.rmSync(staging, { recursive: true, force: true })
  const sizes: Record<string, number> = {}
  try {
    await buildInto(srcDir, staging, sizes)
  } catch (err) {
    // A failed build leaves the last good one in place, and no half-built folder behind.
    fs.rmSync(staging, { recursive: true, force: true })
    throw err
  }
  if (sameFiles(staging, outDir)) fs.rmSync(staging, { recursive: true, force: true })
  else {
    const old = `${outDir}.old-${process.pid}`
    if (fs.existsSync(outDir)) fs.renameSync(outDir, old)
    fs.renameSync(staging, outDir)
    fs.rmSync(old, { recursive: true, force: true })
  }
  await buildInstanceRunner()
  return sizes
}

async function buildInto(srcDir: string, staging: string, sizes: Record<string, number>): Promise<void> {
  for (const name of functionNames(srcDir)) {
    const dest = path.join(staging, name)
    fs.mkdirSync(dest, { recursive: true })
    await build({
      entryPoints: [path.join(srcDir, name, 'index.ts')],
      outfile: path.join(dest, 'index.js'),
      bundle: true,
      platform: 'node',
      target: 'node16',
      format: 'cjs',
      external: ['wx-server-sdk'],
      minifySyntax: true,
      legalComments: 'none',
      logLevel: 'warning'
    })
    const pkg = JSON.parse(fs.readFileSync(path.join(srcDir, name, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>
    }
    const deps = Object.keys(pkg.dependencies ?? {})
    if (deps.length !== 1 || deps[0] !== 'wx-server-sdk') {
      throw new Error(
        `${name}/package.json must depend on wx-server-sdk only (found: ${deps.join(', ') || 'nothing'})`
      )
    }
    fs.writeFileSync(path.join(dest, 'package.json'), JSON.stringify(pkg, null, 2) + '\n')
    fs.copyFileSync(path.join(srcDir, name, 'config.json'), path.join(dest, 'config.json'))
    sizes[name] = fs.statSync(path.join(dest, 'index.js')).size
  }
}
