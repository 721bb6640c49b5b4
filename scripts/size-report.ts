// npm run size — package sizes against their budgets (asserted in tests/build/budgets.test.ts).
import { BUDGETS, functionSizes, kb, weappSizes } from './lib/sizes'

const weapp = weappSizes()
console.log('Mini-program (dist/):')
console.log(
  `  main package      ${kb(weapp.main).padStart(10)}  (budget ${kb(BUDGETS.mainPackageBytes)}, platform limit 2048.0 KB)`
)
for (const [root, size] of Object.entries(weapp.subpackages)) {
  console.log(`  ${root.padEnd(17)} ${kb(size).padStart(10)}  (limit ${kb(BUDGETS.subpackageBytes)})`)
}
console.log('Cloud functions (build/cloudfunctions/, wx-server-sdk excluded):')
for (const [name, size] of Object.entries(functionSizes())) {
  console.log(`  ${name.padEnd(17)} ${kb(size).padStart(10)}  (budget ${kb(BUDGETS.functionBytes)})`)
}
