// `npm start`: builds whatever is missing (cloud functions, the H5 app), then starts the local
// cloud on its embedded defaults. A second start reuses the builds and the data.
// Honours PORT (default 8686) and LOCAL_CLOUD_DATA (default ./.local-cloud).
import { spawnSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

if (!fs.existsSync(path.join(root, 'build', 'cloudfunctions')) || !fs.existsSync(path.join(root, 'build', 'local-cloud', 'instance.js'))) {
  console.log('Building cloud functions (first run)…')
  run('npm', ['run', '--silent', 'build:functions'])
}
if (!fs.existsSync(path.join(root, 'build', 'h5', 'index.html'))) {
  console.log('Building the H5 app (first run, about a minute)…')
  run('npm', ['run', '--silent', 'build:h5'])
}

const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'local-cloud', 'main.ts')], { cwd: root, stdio: 'inherit' })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code) => process.exit(code ?? 0))
