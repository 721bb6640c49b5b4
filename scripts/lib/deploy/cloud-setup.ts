/**
 * The database side of a deploy, generated from database/collections.ts: every collection with
 * its indexes and security rule, as files (build/cloud/) and as an exact checklist for the cloud
 * console. miniprogram-ci cannot create collections, and the management SDK needs a Tencent
 * Cloud API secret that a WeChat cloud environment does not hand out, so this part stays a
 * console step, written out in full (docs/decisions/deploy.md).
 */
import fs from 'node:fs'
import path from 'node:path'
import { collections } from '../../../database/collections'
import { TEMPLATES } from '../../../types/templates'

/** The parts of a collection declaration the console needs. */
export interface ConsoleCollection {
  name: string
  description: string
  indexes: { name: string; keys: Record<string, 1 | -1>; unique?: boolean }[]
  rule: { read: boolean | string; write: boolean | string }
  fields?: Record<string, string>
  seed: unknown[]
}

export function declaredCollections(): ConsoleCollection[] {
  return collections
}

/** What to do with each seeded collection's data outside the local cloud. */
const SEED_NOTES: Record<string, string> = {
  calendars: 'import as is: the published holiday table (a supervisor confirms each year in the app)',
  stations: 'the fictional demo station: edit it into your own before importing',
  services: "the demo station's service guide: check every item against your station before importing",
  staff:
    'fictional demo accounts: import only into a demo environment (the first supervisor comes from HUKOU_FIRST_SUPERVISOR_OPENID)'
}

/** The security rule as typed into 数据权限 → 自定义安全规则. */
export function ruleJson(rule: ConsoleCollection['rule']): string {
  return JSON.stringify({ read: rule.read, write: rule.write })
}

function indexLine(index: ConsoleCollection['indexes'][number]): string {
  const fields = Object.entries(index.keys)
    .map(([field, dir]) => `${field} ${dir === 1 ? '升序' : '降序'}`)
    .join(', ')
  return `${index.name} — ${index.unique ? '唯一' : '非唯一'} — ${fields}`
}

/** The console checklist as Markdown: one section per collection, every step spelled out. */
export function consoleChecklist(
  list: ConsoleCollection[] = declaredCollections(),
  cloudEnv?: string
): string {
  const lines = [
    `# Cloud database setup${cloudEnv ? ` for ${cloudEnv}` : ''}`,
    '',
    'Generated from database/collections.ts by `npm run deploy` (and its dry run). In the cloud',
    'console (微信开发者工具 → 云开发, or the web console) → 数据库, for each collection below:',
    '',
    '1. 添加集合 with the name shown (skip when it exists).',
    '2. 索引管理 → 添加索引 for each index: the name, 唯一 or 非唯一, the fields in order with their direction.',
    '3. 数据权限 → 自定义安全规则: paste the rule shown, replacing what is there.',
    '',
    'Seed data: `build/cloud/seed/<name>.json` (JSON lines) → 导入, as each collection says.',
    ''
  ]
  for (const c of list) {
    lines.push(`## ${c.name}`, '', c.description, '')
    lines.push(`- [ ] collection \`${c.name}\``)
    for (const index of c.indexes) lines.push(`- [ ] index ${indexLine(index)}`)
    if (!c.indexes.length) lines.push('- (no index beyond the built-in _id)')
    lines.push(`- [ ] rule \`${ruleJson(c.rule)}\``)
    if (c.seed.length)
      lines.push(
        `- [ ] data: build/cloud/seed/${c.name}.json (${c.seed.length} document${c.seed.length === 1 ? '' : 's'}) — ${SEED_NOTES[c.name] ?? 'demo data'}`
      )
    lines.push('')
  }
  return lines.join('\n')
}

/** A one-line-per-collection summary for the terminal. */
export function checklistSummary(list: ConsoleCollection[] = declaredCollections()): string[] {
  return list.map(
    (c) =>
      `${c.name.padEnd(16)} ${String(c.indexes.length).padStart(2)} index${c.indexes.length === 1 ? '' : 'es'}, rule ${ruleJson(c.rule)}`
  )
}

/**
 * Writes build/cloud/ (or `outDir`): collections.json, seed/<name>.json as JSON lines (the
 * console's import format), templates.json, and checklist.md.
 */
export function writeCloudSetup(
  outDir: string,
  cloudEnv?: string
): { collections: number; seedFiles: number } {
  const list = declaredCollections()
  fs.rmSync(outDir, { recursive: true, force: true })
  fs.mkdirSync(path.join(outDir, 'seed'), { recursive: true })
  const spec = list.map(({ seed, ...c }) => ({ ...c, seedCount: seed.length }))
  fs.writeFileSync(path.join(outDir, 'collections.json'), JSON.stringify(spec, null, 2) + '\n')
  let seedFiles = 0
  for (const c of list) {
    if (!c.seed.length) continue
    fs.writeFileSync(
      path.join(outDir, 'seed', `${c.name}.json`),
      c.seed.map((d) => JSON.stringify(d)).join('\n') + '\n'
    )
    seedFiles++
  }
  fs.writeFileSync(path.join(outDir, 'templates.json'), JSON.stringify(TEMPLATES, null, 2) + '\n')
  fs.writeFileSync(path.join(outDir, 'checklist.md'), consoleChecklist(list, cloudEnv))
  return { collections: list.length, seedFiles }
}
