// npm start — fresh by construction: rebuilds the cloud functions (esbuild, seconds), rebuilds the
// H5 app when anything it is built from changed since its last build (scripts/lib/h5-build.ts),
// then starts the local cloud with the demo (scripts/lib/product-cloud.ts), every function warmed
// before the URL is printed. The data is kept between starts.
// Honours PORT (default 8686), LOCAL_CLOUD_DATA (default ./.local-cloud), LOCAL_CLOUD_CLOCK.
import { buildFunctions } from './lib/build-functions'
import { ensureH5 } from './lib/h5-build'
import { banner, closeOnSignal, demoCloudSettings, startDemoCloud } from './lib/product-cloud'

async function main(): Promise<void> {
  const settings = demoCloudSettings()
  console.log('Building the cloud functions…')
  await buildFunctions()
  if (!(await ensureH5()))
    console.log('The H5 app is current (its sources have not changed since its build).')
  const cloud = await startDemoCloud(settings)
  closeOnSignal(cloud)
  console.log(`${banner(cloud, settings.dataDir)}\nPress Ctrl+C to stop.`)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
