// npm run build:functions — deployable functions into build/cloudfunctions/.
import { buildFunctions } from './lib/build-functions'

buildFunctions()
  .then((sizes) => {
    console.log('Cloud functions built into build/cloudfunctions/:')
    for (const [name, size] of Object.entries(sizes))
      console.log(`  ${name.padEnd(16)} ${(size / 1024).toFixed(1)} KB`)
  })
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
