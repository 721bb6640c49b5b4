/**
 * types/routes.ts lists exactly the pages of src/app.config.ts, and the pages navigate through it.
 */
import fs from 'node:fs'
import path from 'node:path'
import { PAGE_PATHS, PAGES, isPagePath, pageUrl } from '../../types/routes'

interface AppConfig {
  pages: string[]
  subPackages?: { root: string; pages: string[] }[]
}

function appConfigPages(): Map<string, string> {
  const g = globalThis as { defineAppConfig?: (c: AppConfig) => AppConfig }
  g.defineAppConfig = (c) => c
  const config = (require('../../src/app.config') as { default: AppConfig }).default
  const pages = new Map<string, string>(config.pages.map((p) => [p, 'main']))
  for (const sub of config.subPackages ?? [])
    for (const p of sub.pages) pages.set(`${sub.root}/${p}`, sub.root)
  return pages
}

test('every page of app.config.ts is a route, in the same package, and every route is a page', () => {
  const pages = appConfigPages()
  expect(pages.size).toBeGreaterThan(15) // the main package and both subpackages were read
  expect([...pages.values()]).toEqual(expect.arrayContaining(['main', 'officer', 'supervisor']))
  expect(Object.fromEntries(pages)).toEqual(PAGES)
  expect([...PAGE_PATHS].sort()).toEqual([...pages.keys()].sort())
})

test('pageUrl builds the query a page reads, encoded, leaving out absent values', () => {
  expect(pageUrl('pages/index/index')).toBe('pages/index/index')
  expect(pageUrl('pages/booking-detail/index', { id: 'a1', new: '1' })).toBe(
    'pages/booking-detail/index?id=a1&new=1'
  )
  expect(pageUrl('pages/book/index', { serviceId: 'svc 1', reschedule: undefined })).toBe(
    'pages/book/index?serviceId=svc%201'
  )
  expect(isPagePath('/officer/requests/index?id=r1')).toBe(true)
  expect(isPagePath('pages/nowhere/index')).toBe(false)
})

test('pages and components navigate by typed route, not by a hand-written page path', () => {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (/\.tsx?$/.test(e.name) && e.name !== 'app.config.ts') files.push(p)
    }
  }
  const src = path.join(__dirname, '../../src')
  walk(src)
  expect(files.length).toBeGreaterThan(40)
  const offending = files.flatMap((f) => {
    const text = fs.readFileSync(f, 'utf8')
    const problems: string[] = []
    // A URL written by hand: '/pages/…', '/officer/…', '/supervisor/…'.
    if (/['"`]\/(pages|officer|supervisor)\//.test(text)) problems.push('hand-written page URL')
    // Taro's navigation called directly: only src/navigation.ts does, with typed routes.
    if (path.relative(src, f) !== 'navigation.ts' && /Taro\.(navigateTo|redirectTo|reLaunch)\(/.test(text))
      problems.push('Taro navigation outside src/navigation.ts')
    return problems.map((p) => `${path.relative(src, f)}: ${p}`)
  })
  expect(offending).toEqual([])
})
