// E2E runs against the H5 build served by the local cloud, and the functions' bundles. Fresh by
// construction, as npm start: the functions are always rebuilt (seconds); the H5 app only when
// its sources changed since its last build (scripts/lib/h5-build.ts) — so right after npm test's
// own H5 build step, nothing is rebuilt here.
import { buildFunctions } from '../../scripts/lib/build-functions'
import { ensureH5 } from '../../scripts/lib/h5-build'

export default async function globalSetup(): Promise<void> {
  await buildFunctions()
  await ensureH5()
}
