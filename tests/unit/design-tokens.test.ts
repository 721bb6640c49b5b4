/**
 * The design system's rules (docs/design-system.md): colours only as tokens defined in app.css,
 * and each shared class defined in one stylesheet.
 */
import fs from 'node:fs'
import path from 'node:path'

const SRC = path.join(__dirname, '../../src')
const APP_CSS = path.join(SRC, 'app.css')

function cssFiles(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? cssFiles(p) : e.name.endsWith('.css') ? [p] : []
  })
}

const withoutComments = (css: string) => css.replace(/\/\*[\s\S]*?\*\//g, '')
const rel = (f: string) => path.relative(SRC, f)

test('no colour literal outside app.css: pages and components use the tokens', () => {
  const files = cssFiles().filter((f) => f !== APP_CSS)
  expect(files.length).toBeGreaterThan(15) // the page and component stylesheets were scanned
  const literals = files.flatMap((f) =>
    (withoutComments(fs.readFileSync(f, 'utf8')).match(/#[0-9a-fA-F]{3,8}\b|\b(rgba?|hsla?)\(/g) ?? []).map(
      (m) => `${rel(f)}: ${m}`
    )
  )
  expect(literals).toEqual([])
})

test('every colour token used is defined in app.css, for normal mode', () => {
  const app = withoutComments(fs.readFileSync(APP_CSS, 'utf8'))
  const defined = new Set([...app.matchAll(/(--[a-z0-9-]+)\s*:/g)].map((m) => m[1]))
  expect(defined).toContain('--color-brand')
  const used = new Set(
    cssFiles().flatMap((f) =>
      [...fs.readFileSync(f, 'utf8').matchAll(/var\((--[a-z0-9-]+)/g)].map((m) => m[1])
    )
  )
  expect(used.size).toBeGreaterThan(20)
  expect([...used].filter((v) => !defined.has(v))).toEqual([])
})

test('elder mode switches the text sizes and the tap target', () => {
  const app = withoutComments(fs.readFileSync(APP_CSS, 'utf8'))
  const block = (selector: string): Record<string, string> => {
    const m = app.match(new RegExp(`(^|\\n)${selector}\\s*\\{([^}]*)\\}`))
    return Object.fromEntries(
      [...(m?.[2] ?? '').matchAll(/(--[a-z0-9-]+)\s*:\s*([^;]+);/g)].map((x) => [x[1]!, x[2]!.trim()])
    )
  }
  const normal = block('page,\\s*body')
  const elder = block('\\.elder')
  for (const token of ['--text-body', '--text-small', '--text-title', '--tap-min']) {
    expect(parseInt(elder[token] ?? '0')).toBeGreaterThan(parseInt(normal[token] ?? '0'))
  }
  expect(parseInt(elder['--text-body']!)).toBeGreaterThanOrEqual(48) // 18pt at the 750 design width
  expect(parseInt(elder['--tap-min']!)).toBeGreaterThanOrEqual(120) // 60 × 60 pt
})

test('each shared class is defined in one stylesheet only', () => {
  const shared = [
    'button-primary',
    'button-secondary',
    'button-danger',
    'chip',
    'chip-on',
    'card',
    'badge',
    'form-input',
    'form-row',
    'form-label',
    'form-problem',
    'notice',
    'page-title',
    'section-title'
  ]
  const definers = (cls: string) =>
    cssFiles().filter((f) =>
      new RegExp(`(^|[},]\\s*)\\.${cls}\\s*[,{]`, 'm').test(withoutComments(fs.readFileSync(f, 'utf8')))
    )
  for (const cls of shared) expect([cls, definers(cls).map(rel)]).toEqual([cls, ['app.css']])
})
