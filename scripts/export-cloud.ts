// npm run export:cloud — what to set up in the WeChat cloud console, written as files from the
// code that the local cloud enforces (database/collections.ts, types/templates.ts):
//   build/cloud/collections.json   every collection: description, field meanings, indexes, rule
//   build/cloud/seed/<name>.json   seed documents as JSON lines (the console's import format)
//   build/cloud/templates.json     the subscription-message templates to add on mp.weixin.qq.com
import fs from 'node:fs'
import path from 'node:path'
import { collections } from '../database/collections'
import { TEMPLATES } from '../types/templates'
import { ROOT } from '../local-cloud/paths'

const out = path.join(ROOT, 'build', 'cloud')
fs.rmSync(out, { recursive: true, force: true })
fs.mkdirSync(path.join(out, 'seed'), { recursive: true })
const spec = collections.map(({ seed, ...c }) => ({ ...c, seedCount: seed.length }))
fs.writeFileSync(path.join(out, 'collections.json'), JSON.stringify(spec, null, 2) + '\n')
for (const c of collections) {
  if (c.seed.length)
    fs.writeFileSync(
      path.join(out, 'seed', `${c.name}.json`),
      c.seed.map((d) => JSON.stringify(d)).join('\n') + '\n'
    )
}
fs.writeFileSync(path.join(out, 'templates.json'), JSON.stringify(TEMPLATES, null, 2) + '\n')
console.log(
  `Wrote ${collections.length} collections, ${collections.filter((c) => c.seed.length).length} seed files and ${Object.keys(TEMPLATES).length} templates to ${path.relative(ROOT, out)}/`
)
