/**
 * Package sizes as WeChat counts them: every file of the main package (dist/ minus the
 * subpackage roots declared in app.json), each subpackage on its own; and each bundled
 * function's own code (wx-server-sdk is installed in the cloud, not shipped).
 */
import fs from 'node:fs'
import path from 'node:path'
import { BUILD_FUNCTIONS, DIST_WEAPP } from '../../local-cloud/paths'

export const BUDGETS = {
  /**
   * What a resident downloads before the first screen. Platform limit 2 MB; a bare Taro React app
   * is about 310 KB; ours is about 413 KB since only the tab pages live in the main package.
   */
  mainPackageBytes: 450 * 1024,
  subpackageBytes: 2 * 1024 * 1024,
  /**
   * Each function's own code, bundled without whitespace minification so cloud logs' stack traces
   * stay readable. The largest (rating, every 好差评 concern) is about 185 KB: zod and dayjs are
   * about 60 KB of it; the contract's tables every function carries (all error messages, all
   * message templates: about 24 KB together) grow with each capability. A library bundled by
   * mistake adds hundreds of KB, which this catches. (150 KB until the access and routes layers
   * landed; 180 KB until pre-review and card progress added their codes and templates.)
   */
  functionBytes: 200 * 1024
}

/** Files DevTools does not upload as part of the code package. */
const NOT_UPLOADED = new Set(['project.config.json', 'project.private.config.json'])

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? filesUnder(p) : [p]
  })
}

export interface WeappSizes {
  main: number
  subpackages: Record<string, number>
}

export function weappSizes(distDir = DIST_WEAPP): WeappSizes {
  const appJson = path.join(distDir, 'app.json')
  if (!fs.existsSync(appJson)) throw new Error(`${appJson} is missing: run npm run build:weapp`)
  const app = JSON.parse(fs.readFileSync(appJson, 'utf8')) as {
    subPackages?: { root: string }[]
    subpackages?: { root: string }[]
  }
  const roots = (app.subPackages ?? app.subpackages ?? []).map((s) => s.root.replace(/\/$/, ''))
  const subpackages: Record<string, number> = Object.fromEntries(roots.map((r) => [r, 0]))
  let main = 0
  for (const file of filesUnder(distDir)) {
    const rel = path.relative(distDir, file).split(path.sep).join('/')
    if (NOT_UPLOADED.has(rel)) continue
    const size = fs.statSync(file).size
    const root = roots.find((r) => rel.startsWith(`${r}/`))
    if (root) subpackages[root] = (subpackages[root] ?? 0) + size
    else main += size
  }
  return { main, subpackages }
}

export function functionSizes(functionsDir = BUILD_FUNCTIONS): Record<string, number> {
  if (!fs.existsSync(functionsDir)) throw new Error(`${functionsDir} is missing: run npm run build:functions`)
  return Object.fromEntries(
    fs
      .readdirSync(functionsDir)
      .filter((n) => fs.existsSync(path.join(functionsDir, n, 'index.js')))
      .map((n) => [
        n,
        filesUnder(path.join(functionsDir, n)).reduce((sum, f) => sum + fs.statSync(f).size, 0)
      ])
  )
}

export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`
