/**
 * Checks the built mini-program (dist/) before it is uploaded: complete, within WeChat's package
 * size limits, and built for the cloud environment it is deployed to.
 */
import fs from 'node:fs'
import path from 'node:path'
import { weappSizes, type WeappSizes } from '../sizes'

/** WeChat's limits on an uploaded mini-program with subpackages (docs/deploy.md). */
export const PACKAGE_LIMITS = {
  mainBytes: 2 * 1024 * 1024,
  subpackageBytes: 2 * 1024 * 1024,
  totalBytes: 20 * 1024 * 1024
}

export interface WeappPlan {
  dir: string
  pages: number
  sizes: WeappSizes
  totalBytes: number
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`

function jsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? jsFiles(p) : e.name.endsWith('.js') ? [p] : []
  })
}

export function inspectWeapp(
  distDir: string,
  cloudEnv: string | undefined
): { plan?: WeappPlan; problems: string[] } {
  const problems: string[] = []
  const appJson = path.join(distDir, 'app.json')
  if (!fs.existsSync(appJson))
    return { problems: [`mini-program: ${appJson} is missing: run npm run build:weapp`] }
  let pages = 0
  try {
    const app = JSON.parse(fs.readFileSync(appJson, 'utf8')) as { pages?: unknown }
    pages = Array.isArray(app.pages) ? app.pages.length : 0
    if (!pages) problems.push('mini-program: app.json lists no pages')
  } catch (err) {
    return { problems: [`mini-program: app.json is not valid JSON (${(err as Error).message})`] }
  }
  if (!fs.existsSync(path.join(distDir, 'project.config.json')))
    problems.push(`mini-program: ${distDir}/project.config.json is missing: build with npm run build:weapp`)

  const sizes = weappSizes(distDir)
  const totalBytes = sizes.main + Object.values(sizes.subpackages).reduce((a, b) => a + b, 0)
  if (sizes.main > PACKAGE_LIMITS.mainBytes)
    problems.push(
      `mini-program: the main package is ${mb(sizes.main)}, over WeChat's ${mb(PACKAGE_LIMITS.mainBytes)}`
    )
  for (const [root, size] of Object.entries(sizes.subpackages))
    if (size > PACKAGE_LIMITS.subpackageBytes)
      problems.push(
        `mini-program: subpackage ${root} is ${mb(size)}, over WeChat's ${mb(PACKAGE_LIMITS.subpackageBytes)}`
      )
  if (totalBytes > PACKAGE_LIMITS.totalBytes)
    problems.push(
      `mini-program: all packages are ${mb(totalBytes)}, over WeChat's ${mb(PACKAGE_LIMITS.totalBytes)}`
    )

  // The environment id is compiled in (config/index.ts, CLOUD_ENV): a build for another
  // environment, or for none, would call the wrong functions.
  if (
    cloudEnv &&
    !jsFiles(distDir).some((f) => {
      const code = fs.readFileSync(f, 'utf8')
      return code.includes(`"${cloudEnv}"`) || code.includes(`'${cloudEnv}'`)
    })
  )
    problems.push(
      `mini-program: ${distDir} was not built for CLOUD_ENV=${cloudEnv}: rebuild with CLOUD_ENV=${cloudEnv} npm run build:weapp`
    )

  if (problems.length) return { problems }
  return { plan: { dir: distDir, pages, sizes, totalBytes }, problems }
}
