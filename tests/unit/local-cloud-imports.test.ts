/**
 * The local cloud is a product of its own: nothing under local-cloud/ imports the product's
 * database declarations (database/) or its functions (cloudfunctions/); the product's specifics
 * come in as options (scripts/lib/product-cloud.ts). Imports are parsed by TypeScript itself
 * (import, export … from, import(), require()), so no syntax slips past a regular expression.
 */
import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import * as functionsCsv from '../../cloudfunctions/_shared/csv'
import * as cloudCsv from '../../local-cloud/console/csv'
import { ROOT } from '../../local-cloud/paths'

const LOCAL_CLOUD = path.join(ROOT, 'local-cloud')
const FORBIDDEN = ['database', 'cloudfunctions'].map((d) => path.join(ROOT, d))

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return sourceFiles(full)
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : []
  })
}

/** Every module a file imports, as written. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true)
  return info.importedFiles.map((f) => f.fileName)
}

/** Where a relative import points (undefined for packages and node: modules). */
function target(file: string, specifier: string): string | undefined {
  return specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) : undefined
}

function crossings(files: string[]): string[] {
  return files.flatMap((file) =>
    importsOf(file)
      .filter((spec) => {
        const to = target(file, spec)
        return to !== undefined && FORBIDDEN.some((dir) => to === dir || to.startsWith(dir + path.sep))
      })
      .map((spec) => `${path.relative(ROOT, file)} imports ${spec}`)
  )
}

test('the parser finds every kind of import, and the rule catches one into database/ or cloudfunctions/', () => {
  const probe = path.join(LOCAL_CLOUD, 'probe.ts')
  const text = [
    "import { a } from './a'",
    "export { b } from '../database/collections'",
    "const c = require('../cloudfunctions/_shared/csv')",
    "const d = import('node:fs')",
    "import type { E } from './db/store'"
  ].join('\n')
  const info = ts.preProcessFile(text, true, true)
  expect(info.importedFiles.map((f) => f.fileName)).toEqual([
    './a',
    '../database/collections',
    '../cloudfunctions/_shared/csv',
    'node:fs',
    './db/store'
  ])
  const forbidden = info.importedFiles
    .map((f) => target(probe, f.fileName))
    .filter((to) => to !== undefined && FORBIDDEN.some((dir) => to.startsWith(dir + path.sep)))
  expect(forbidden).toHaveLength(2)
})

test('nothing under local-cloud/ imports database/ or cloudfunctions/', () => {
  const files = sourceFiles(LOCAL_CLOUD)
  // Not vacuous: the local cloud's own files were read, and their imports found.
  expect(files.length).toBeGreaterThan(20)
  expect(files).toContain(path.join(LOCAL_CLOUD, 'cloud.ts'))
  const cloudImports = importsOf(path.join(LOCAL_CLOUD, 'cloud.ts'))
  expect(cloudImports).toEqual(expect.arrayContaining(['./db/store', './functions/pool', 'node:path']))
  expect(files.flatMap(importsOf).length).toBeGreaterThan(files.length)

  expect(crossings(files)).toEqual([])
})

test("the local cloud's CSV writer writes what the functions' CSV writer writes", () => {
  // The console keeps its own copy (local-cloud/console/csv.ts): the two must not drift apart.
  const values: unknown[] = [
    null,
    undefined,
    'plain',
    'a,b',
    'say "hi"',
    'line1\nline2',
    '=SUM(A1)',
    '+86 138',
    '-1',
    '@x',
    '\tTab',
    '中文，全角逗号',
    0,
    -3.5,
    true,
    BigInt(12),
    new Date('2026-01-15T01:30:00Z'),
    { a: 1, b: 'x,y' },
    [1, '2']
  ]
  for (const v of values) expect(cloudCsv.csvCell(v)).toBe(functionsCsv.csvCell(v))
  expect(cloudCsv.csvRow(values)).toBe(functionsCsv.csvRow(values))
  expect(cloudCsv.BOM).toBe(functionsCsv.BOM)
})
