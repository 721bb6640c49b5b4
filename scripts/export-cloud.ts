// npm run export:cloud — what to set up in the WeChat cloud console, written as files from the
// code that the local cloud enforces (database/collections.ts, types/templates.ts):
//   build/cloud/collections.json   every collection: description, field meanings, indexes, rule
//   build/cloud/seed/<name>.json   seed documents as JSON lines (the console's import format)
//   build/cloud/templates.json     the subscription-message templates to add on mp.weixin.qq.com
//   build/cloud/checklist.md       the console steps, collection by collection (docs/deploy.md)
// npm run deploy writes the same files.
import path from 'node:path'
import { ROOT } from '../local-cloud/paths'
import { writeCloudSetup } from './lib/deploy/cloud-setup'
import { TEMPLATES } from '../types/templates'

const out = path.join(ROOT, 'build', 'cloud')
const { collections, seedFiles } = writeCloudSetup(out, process.env.CLOUD_ENV || undefined)
console.log(
  `Wrote ${collections} collections, ${seedFiles} seed files, ${Object.keys(TEMPLATES).length} templates and the console checklist to ${path.relative(ROOT, out)}/`
)
