/**
 * The local cloud as a process of its own, for tests that kill it (durability) and for the
 * benchmarks' cold start: this product's collections and secrets (as npm start has them), no demo
 * data, no functions unless FUNCTIONS_DIR is given.
 *   PORT              port to listen on (0: any)
 *   LOCAL_CLOUD_DATA  data folder (required)
 *   FUNCTIONS_DIR     deployable function bundles (default: none)
 *   COLLECTIONS       comma-separated collections to create if missing
 * Prints `listening <url>` when ready; SIGTERM closes it cleanly.
 * Run: node --import tsx tests/helpers/cloud-process.ts
 */
import path from 'node:path'
import { startLocalCloud } from '../../local-cloud/cloud'
import { productCloudOptions } from '../../scripts/lib/product-cloud'
import { TEST_DATA } from './paths'

async function main(): Promise<void> {
  const dataDir = process.env.LOCAL_CLOUD_DATA
  if (!dataDir) throw new Error('LOCAL_CLOUD_DATA is required')
  const cloud = await startLocalCloud({
    ...productCloudOptions(),
    port: Number(process.env.PORT ?? 0),
    dataDir,
    seed: false,
    functionsDir: process.env.FUNCTIONS_DIR ?? path.join(TEST_DATA, 'no-functions')
  })
  for (const name of (process.env.COLLECTIONS ?? '').split(',').filter(Boolean)) {
    if (!cloud.store.hasCollection(name)) cloud.store.ensureCollection(name)
  }
  process.stdout.write(`listening ${cloud.url}\n`)
  process.on('SIGTERM', () => {
    void cloud.close().then(() => process.exit(0))
  })
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
