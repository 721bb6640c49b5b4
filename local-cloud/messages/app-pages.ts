/**
 * The mini-program's pages, as subscribeMessage.send checks `page` (41030 when it is not one of
 * them): read from src/app.config.ts (evaluated with a stub defineAppConfig, bundled by esbuild
 * so its imports work), or from a built dist/app.json when the source is absent. Subpackages
 * count: `{root: 'officer', pages: ['requests/index']}` gives officer/requests/index.
 * Re-read whenever the file changes, so a page added while the cloud runs is known.
 */
import { buildSync } from 'esbuild'
import fs from 'node:fs'
import path from 'node:path'

interface AppConfigLike {
  pages?: unknown
  subPackages?: unknown
  subpackages?: unknown
}

export function pagesOfConfig(config: AppConfigLike): string[] {
  const pages = Array.isArray(config.pages)
    ? config.pages.filter((p): p is string => typeof p === 'string')
    : []
  const subs = [config.subPackages, config.subpackages].flatMap((s) =>
    Array.isArray(s) ? (s as unknown[]) : []
  )
  for (const sub of subs) {
    if (sub === null || typeof sub !== 'object') continue
    const { root, pages: subPages } = sub as { root?: unknown; pages?: unknown }
    if (typeof root !== 'string' || !Array.isArray(subPages)) continue
    for (const p of subPages)
      if (typeof p === 'string') pages.push(`${root.replace(/\/+$/, '')}/${p.replace(/^\/+/, '')}`)
  }
  return pages
}

function evaluateConfig(file: string): AppConfigLike {
  const out = buildSync({
    entryPoints: [file],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent'
  })
  const code = out.outputFiles[0]?.text ?? ''
  const module = { exports: {} as Record<string, unknown> }
  const identity = (c: unknown): unknown => c
  // The config is the project's own file, evaluated as Taro's build evaluates it.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- our own app.config, bundled just above
  const evaluate = new Function('module', 'exports', 'require', 'defineAppConfig', code) as (
    ...args: unknown[]
  ) => void
  evaluate(module, module.exports, require, identity)
  const exported = module.exports.default ?? module.exports
  return exported ?? {}
}

export class AppPages {
  private cache: { key: string; pages: string[] } | undefined

  constructor(
    private readonly configFile: string,
    private readonly builtAppJson: string
  ) {}

  list(): string[] {
    const source = fs.existsSync(this.configFile)
      ? this.configFile
      : fs.existsSync(this.builtAppJson)
        ? this.builtAppJson
        : undefined
    if (!source) return []
    const key = `${source}:${fs.statSync(source).mtimeMs}`
    if (this.cache?.key === key) return this.cache.pages
    try {
      const config = source.endsWith('.json')
        ? (JSON.parse(fs.readFileSync(source, 'utf8')) as AppConfigLike)
        : evaluateConfig(source)
      const pages = pagesOfConfig(config)
      this.cache = { key, pages }
      return pages
    } catch (err) {
      // A config being edited may not compile: keep the pages last read (none: every page is 41030).
      console.warn(
        `[local-cloud] cannot read the app's pages from ${path.basename(source)}: ${(err as Error).message.split('\n')[0]}`
      )
      return this.cache?.pages ?? []
    }
  }

  /** `page` as subscribeMessage.send takes it: a page path, no leading slash, optional ?query. */
  has(page: string): boolean {
    if (page.startsWith('/')) return false
    const pathPart = page.split('?')[0] ?? ''
    return this.list().includes(path.posix.normalize(pathPart)) && path.posix.normalize(pathPart) === pathPart
  }
}
