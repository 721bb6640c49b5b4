/**
 * Deterministic size budgets (npm test builds first). The main package is what every resident
 * downloads before the first screen; functions are what each cold start loads.
 */
import { BUDGETS, functionSizes, kb, weappSizes } from '../../scripts/lib/sizes'

test(`the weapp main package stays within ${kb(BUDGETS.mainPackageBytes)}`, () => {
  const { main } = weappSizes()
  expect(main).toBeGreaterThan(50 * 1024) // a real build, not an empty folder
  expect(main).toBeLessThanOrEqual(BUDGETS.mainPackageBytes)
})

test('each subpackage stays within the platform limit', () => {
  const { subpackages } = weappSizes()
  // The subpackages app.json declares, each built (a missing folder would weigh nothing).
  expect(Object.keys(subpackages).sort()).toEqual(['officer', 'supervisor'])
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
