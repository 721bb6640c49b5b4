// Bundles each cloud function (cloudfunctions/<name>/index.ts) with esbuild into a deployable
// folder build/cloudfunctions/<name>/: index.js, its config.json, and a package.json that
// depends on wx-server-sdk only. Shared code (types/, cloudfunctions/_shared/) is bundled in.
import { build } from 'esbuild'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const srcDir = path.join(root, 'cloudfunctions')
const outDir = path.join(root, 'build', 'cloudfunctions')
export const INSTANCE_RUNNER = path.join(root, 'build', 'local-cloud', 'instance.js')

export function functionNames() {
  return fs
    .readdirSync(srcDir)
    .filter((n) => !n.startsWith('_') && fs.existsSync(path.join(srcDir, n, 'index.ts')))
    .sort()
}

export async function buildFunctions({ quiet = false } = {}) {
  fs.rmSync(outDir, { recursive: true, force: true })
  const sizes = {}
  for (const name of functionNames()) {
    const dest = path.join(outDir, name)
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
    const pkg = JSON.parse(fs.readFileSync(path.join(srcDir, name, 'package.json'), 'utf8'))
    const deps = Object.keys(pkg.dependencies ?? {})
    if (deps.length !== 1 || deps[0] !== 'wx-server-sdk') {
      throw new Error(`cloudfunctions/${name}/package.json must depend on wx-server-sdk only (found: ${deps.join(', ')})`)
    }
    fs.writeFileSync(path.join(dest, 'package.json'), JSON.stringify(pkg, null, 2) + '\n')
    fs.copyFileSync(path.join(srcDir, name, 'config.json'), path.join(dest, 'config.json'))
    sizes[name] = fs.statSync(path.join(dest, 'index.js')).size
  }
  // The local cloud's function-instance runner runs under plain node, as the cloud runs functions.
  await build({
    entryPoints: [path.join(root, 'local-cloud', 'functions', 'instance.ts')],
    outfile: INSTANCE_RUNNER,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning'
  })
  if (!quiet) {
    for (const [name, size] of Object.entries(sizes)) console.log(`  ${name.padEnd(16)} ${(size / 1024).toFixed(1)} KB`)
  }
  return sizes
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log('Building cloud functions into build/cloudfunctions/')
  buildFunctions().catch((err) => {
    console.error(err.message)
    process.exit(1)
  })
}
