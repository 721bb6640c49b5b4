// Integration tests run the deployable bundles, as the local cloud does: build them (esbuild,
// about a second), and the test-only fixture functions beside them.
import { buildFunctions } from '../../scripts/lib/build-functions'
import { FIXTURE_FUNCTIONS_BUILD, FIXTURE_FUNCTIONS_SRC } from '../helpers/paths'

export default async function globalSetup(): Promise<void> {
  await buildFunctions()
  await buildFunctions(FIXTURE_FUNCTIONS_SRC, FIXTURE_FUNCTIONS_BUILD)
}
