// npm start — builds whatever is missing (cloud functions, the H5 app), then starts the local
// cloud on its embedded defaults. A second start reuses the builds and the data.
// Honours PORT (default 8686) and LOCAL_CLOUD_DATA (default ./.local-cloud).
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { BUILD_FUNCTIONS, BUILD_H5, INSTANCE_RUNNER, ROOT } from '../local-cloud/paths'

function run(args: string[]): void {
  const r = spawnSync('npm', ['run', '--silent', ...args], { cwd: ROOT, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

if (!fs.existsSync(BUILD_FUNCTIONS) || !fs.existsSync(INSTANCE_RUNNER)) {
  console.log('Building cloud functions (first run)…')
  run(['build:functions'])
}
if (!fs.existsSync(path.join(BUILD_H5, 'index.html'))) {
  console.log('Building the H5 app (first run, about a minute)…')
  run(['build:h5'])
}

const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'local-cloud', 'main.ts')], {
  cwd: ROOT,
  stdio: 'inherit'
})
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig))
child.on('exit', (code) => process.exit(code ?? 0))
