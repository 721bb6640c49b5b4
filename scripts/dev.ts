// npm run dev — the local cloud with the demo, and everything rebuilt on change while it runs:
//   cloud functions: cloudfunctions/, types/ and database/ watched (fs.watch); each change
//     rebuilds every function (esbuild, seconds) and recycles the instances, so the next call
//     runs the new code (warmed again);
//   the H5 app: src/, types/, database/, config/ and the root build files watched; a change that
//     alters the app's fingerprint rebuilds it (taro build --type h5, a minute or two), then
//     reload the page. (Taro's own --watch serves from memory on a port of its own, which would
//     not reach the local cloud's functions, and wants a fast-refresh plugin this project does not
//     install — docs/local-cloud.md.)
// Same settings as npm start: PORT, LOCAL_CLOUD_DATA, LOCAL_CLOUD_CLOCK.
import fs from 'node:fs'
import path from 'node:path'
import { ROOT } from '../local-cloud/paths'
import { buildFunctions } from './lib/build-functions'
import { ensureH5, H5_INPUT_DIRS, isH5RootInput, stopH5Builds } from './lib/h5-build'
import { banner, closeOnSignal, demoCloudSettings, startDemoCloud } from './lib/product-cloud'

/** What the functions are bundled from. */
const FUNCTION_INPUTS = ['cloudfunctions', 'types', 'database']

function stamp(): string {
  return new Date().toTimeString().slice(0, 8)
}

/**
 * `job` run after changes settle (debounced), one run at a time; changes during a run queue one
 * more run.
 */
function serial(job: () => Promise<void>, debounceMs: number): { trigger(): void; cancel(): void } {
  let running = false
  let again = false
  let timer: NodeJS.Timeout | undefined
  const run = async (): Promise<void> => {
    if (running) {
      again = true
      return
    }
    running = true
    try {
      do {
        again = false
        await job()
      } while (again)
    } finally {
      running = false
    }
  }
  return {
    trigger() {
      clearTimeout(timer)
      timer = setTimeout(() => void run(), debounceMs)
    },
    cancel: () => clearTimeout(timer)
  }
}

async function main(): Promise<void> {
  const settings = demoCloudSettings()
  console.log('Building the cloud functions…')
  await buildFunctions()
  if (!(await ensureH5()))
    console.log('The H5 app is current (its sources have not changed since its build).')
  const cloud = await startDemoCloud(settings)

  const functions = serial(async () => {
    const started = Date.now()
    try {
      await buildFunctions()
      const ignored = await cloud.refreshFunctions()
      for (const problem of ignored) console.warn(`[dev] timer trigger ignored: ${problem}`)
      console.log(`[dev ${stamp()}] functions rebuilt, instances recycled (${Date.now() - started} ms)`)
    } catch (err) {
      // esbuild has printed the error; the cloud keeps the last good build.
      console.error(
        `[dev ${stamp()}] functions build failed: ${err instanceof Error ? err.message : String(err)}`
      )
    }
  }, 150)

  const h5 = serial(async () => {
    try {
      if (await ensureH5((line) => console.log(`[dev ${stamp()}] ${line}`)))
        console.log(`[dev ${stamp()}] H5 app rebuilt: reload the page`)
    } catch (err) {
      console.error(`[dev ${stamp()}] H5 build failed: ${err instanceof Error ? err.message : String(err)}`)
    }
  }, 500)

  // Compiled leftovers and editors' temporary files do not count for the functions.
  const watchers = [
    ...FUNCTION_INPUTS.map((dir) =>
      fs.watch(path.join(ROOT, dir), { recursive: true }, (_e, file) => {
        if (!file || /\.(ts|json)$/.test(file)) functions.trigger()
      })
    ),
    ...H5_INPUT_DIRS.map((dir) => fs.watch(path.join(ROOT, dir), { recursive: true }, () => h5.trigger())),
    fs.watch(ROOT, (_e, file) => {
      if (!file || isH5RootInput(file)) h5.trigger()
    })
  ]

  closeOnSignal(cloud, () => {
    functions.cancel()
    h5.cancel()
    for (const w of watchers) w.close()
    stopH5Builds()
  })
  console.log(`${banner(cloud, settings.dataDir)}
  Watching:   cloudfunctions/, types/, database/ (functions); src/, config/ and the build files (H5 app)
Press Ctrl+C to stop.`)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
