// npm run dev — the local cloud with the demo, and everything rebuilt on change while it runs:
//   cloud functions: cloudfunctions/, types/ and database/ watched (fs.watch); each change
//     rebuilds every function (esbuild, seconds) and recycles the instances, so the next call
//     runs the new code (warmed again);
//   the H5 app: `taro build --type h5 --watch` (reload the page after it says it compiled).
// Same settings as npm start: PORT, LOCAL_CLOUD_DATA, LOCAL_CLOUD_CLOCK (docs/local-cloud.md).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { ROOT } from '../local-cloud/paths'
import { buildFunctions } from './lib/build-functions'
import { forgetH5Fingerprint, taroEnv } from './lib/h5-build'
import { banner, closeOnSignal, demoCloudSettings, startDemoCloud } from './lib/product-cloud'

/** What the functions are bundled from. */
const FUNCTION_INPUTS = ['cloudfunctions', 'types', 'database']
const DEBOUNCE_MS = 150

function stamp(): string {
  return new Date().toTimeString().slice(0, 8)
}

async function main(): Promise<void> {
  const settings = demoCloudSettings()
  console.log('Building the cloud functions…')
  await buildFunctions()
  const cloud = await startDemoCloud(settings)

  // Functions: rebuild on change, one build at a time; a change during a build queues one more.
  let building = false
  let again = false
  let timer: NodeJS.Timeout | undefined
  const rebuild = async (): Promise<void> => {
    if (building) {
      again = true
      return
    }
    building = true
    try {
      do {
        again = false
        const started = Date.now()
        try {
          await buildFunctions()
          const ignored = await cloud.refreshFunctions()
          for (const problem of ignored) console.warn(`[dev] timer trigger ignored: ${problem}`)
          console.log(
            `[dev ${stamp()}] functions rebuilt and instances recycled (${Date.now() - started} ms)`
          )
        } catch (err) {
          // esbuild has printed the error; the cloud keeps the last good build.
          console.error(
            `[dev ${stamp()}] functions build failed: ${err instanceof Error ? err.message : err}`
          )
        }
      } while (again)
    } finally {
      building = false
    }
  }
  const watchers = FUNCTION_INPUTS.map((dir) =>
    fs.watch(path.join(ROOT, dir), { recursive: true }, (_event, file) => {
      // Compiled leftovers and editors' temporary files do not count.
      if (file && !/\.(ts|json)$/.test(file)) return
      clearTimeout(timer)
      timer = setTimeout(() => void rebuild(), DEBOUNCE_MS)
    })
  )

  // The H5 app: Taro's own watch mode. Its development builds are not what `npm start` serves,
  // so the fingerprint goes: the next npm start rebuilds the app.
  forgetH5Fingerprint()
  const taro = spawn(path.join(ROOT, 'node_modules', '.bin', 'taro'), ['build', '--type', 'h5', '--watch'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: taroEnv()
  })
  taro.on('exit', (code, signal) => {
    if (signal !== 'SIGTERM') console.error(`[dev] taro's watch stopped (${signal ?? code})`)
  })

  closeOnSignal(cloud, () => {
    clearTimeout(timer)
    for (const w of watchers) w.close()
    if (taro.exitCode === null) taro.kill('SIGTERM')
  })
  console.log(`${banner(cloud, settings.dataDir)}
  Watching:   cloudfunctions/, types/, database/ (functions) and the H5 app (taro --watch)
Press Ctrl+C to stop.`)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
