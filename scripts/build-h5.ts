// npm run build:h5 — the H5 app into build/h5/ (taro build --type h5; extra arguments are passed
// on), recording the fingerprint of its sources so npm start and the e2e setup know it is current.
import { buildH5 } from './lib/h5-build'

buildH5(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
