// E2E runs against the H5 build served by the local cloud. npm test builds it first; when a
// developer runs this project alone, build whatever is missing.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { BUILD_H5, ROOT } from '../../local-cloud/paths'
import { buildFunctions } from '../../scripts/lib/build-functions'

export default async function globalSetup(): Promise<void> {
  await buildFunctions()
  if (!fs.existsSync(path.join(BUILD_H5, 'index.html'))) {
    const r = spawnSync('npx', ['taro', 'build', '--type', 'h5'], { cwd: ROOT, stdio: 'inherit' })
    if (r.status !== 0) throw new Error('H5 build failed')
  }
}
