/**
 * Deterministic size budgets (npm test builds first). The main package is what every resident
 * downloads before the first screen; functions are what each cold start loads.
 */
import fs from 'node:fs'
import path from 'node:path'
import { DIST_WEAPP } from '../../local-cloud/paths'
import { BUDGETS, functionSizes, kb, weappSizes } from '../../scripts/lib/sizes'
import { PAGES, TAB_PAGES } from '../../types/routes'

test(`the weapp main package stays within ${kb(BUDGETS.mainPackageBytes)}`, () => {
  const { main } = weappSizes()
  expect(main).toBeGreaterThan(50 * 1024) // a real build, not an empty folder
  expect(main).toBeLessThanOrEqual(BUDGETS.mainPackageBytes)
})

test('each subpackage stays within the platform limit', () => {
  const { subpackages } = weappSizes()
  // The subpackages app.json declares, each built (a missing folder would weigh nothing).
  const declared = [...new Set(Object.values(PAGES).filter((p) => p !== 'main'))]
  expect(declared).toEqual(expect.arrayContaining(['officer', 'supervisor', 'pages/booking-detail']))
  expect(Object.keys(subpackages).sort()).toEqual(declared.sort())
  for (const size of Object.values(subpackages)) {
    expect(size).toBeGreaterThan(0)
    expect(size).toBeLessThanOrEqual(BUDGETS.subpackageBytes)
  }
})

test(`each bundled function's own code stays within ${kb(BUDGETS.functionBytes)}`, () => {
  const sizes = functionSizes()
  expect(Object.keys(sizes)).toContain('guide')
  for (const size of Object.values(sizes)) expect(size).toBeLessThanOrEqual(BUDGETS.functionBytes)
})

test('only the tab pages are in the main package, and the preloaded packages exist', () => {
  const app = JSON.parse(fs.readFileSync(path.join(DIST_WEAPP, 'app.json'), 'utf8')) as {
    pages: string[]
    subPackages: { root: string }[]
    preloadRule: Record<string, { packages: string[] }>
  }
  expect(app.pages).toEqual([...TAB_PAGES])
  const roots = app.subPackages.map((s) => s.root)
  const preloaded = Object.entries(app.preloadRule)
  expect(preloaded.length).toBeGreaterThan(0)
  for (const [page, rule] of preloaded) {
    expect(app.pages).toContain(page)
    for (const pkg of rule.packages) expect(roots).toContain(pkg)
  }
})
