// npm run build:weapp — the mini-program into dist/. Taro copies project.config.json into dist/
// but leaves cloudfunctionRoot relative to the repo root; point it back at the built functions
// so DevTools opened on dist/ finds them too.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { DIST_WEAPP, ROOT } from '../local-cloud/paths'

const taro = spawnSync('npx', ['taro', 'build', '--type', 'weapp'], { cwd: ROOT, stdio: 'inherit' })
if (taro.status !== 0) process.exit(taro.status ?? 1)

const file = path.join(DIST_WEAPP, 'project.config.json')
const config = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
config.miniprogramRoot = './'
config.cloudfunctionRoot = '../build/cloudfunctions/'
fs.writeFileSync(file, JSON.stringify(config, null, 2) + '\n')
