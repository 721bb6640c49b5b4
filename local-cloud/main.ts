/**
 * `npm start` lands here (after scripts/start.mjs has built what was missing).
 * PORT (default 8686) and LOCAL_CLOUD_DATA (default ./.local-cloud) are honoured.
 */
import path from 'node:path'
import { startLocalCloud } from './cloud'
import { ROOT } from './paths'

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8686)
  const dataDir = path.resolve(process.env.LOCAL_CLOUD_DATA ?? path.join(ROOT, '.local-cloud'))
  const cloud = await startLocalCloud({ port, host: process.env.HOST ?? '127.0.0.1', dataDir, verbose: process.env.LOCAL_CLOUD_VERBOSE === '1' })
  console.log(`户政便民 local cloud is running.
  App (H5):   ${cloud.url}/
  Functions:  POST ${cloud.url}/api/functions/<name>   (header X-Local-OpenId = caller)
  Console:    ${cloud.url}/console
  Data:       ${dataDir}
Press Ctrl+C to stop.`)
  const stop = (): void => {
    void cloud.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
