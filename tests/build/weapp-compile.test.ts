/**
 * The weapp build must compile with WeChat's own WXML/WXSS compilers — Taro's build does not
 * run them, and DevTools would be the first to complain. The compilers themselves are checked
 * to reject broken input, so a green run means something.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DIST_WEAPP } from '../../local-cloud/paths'
import { compileWxml, compileWxss } from '../../scripts/lib/wechat-compile'

test('every WXML file of dist/ compiles with wcc', () => {
  const report = compileWxml(DIST_WEAPP)
  expect(report.files).toBeGreaterThanOrEqual(2)
  expect(report.errors).toEqual([])
})

test('every WXSS file of dist/ compiles with wcsc', () => {
  const report = compileWxss(DIST_WEAPP)
  expect(report.files).toBeGreaterThanOrEqual(2)
  expect(report.errors).toEqual([])
})

test('the compilers reject broken files with a file:line position', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wcc-'))
  fs.writeFileSync(path.join(dir, 'bad.wxml'), '<view>\n  <text>{{a</text>\n</view>\n')
  fs.writeFileSync(path.join(dir, 'bad.wxss'), '.a { color: red;\n .b { }\n')
  expect(compileWxml(dir).errors.join('\n')).toMatch(/bad\.wxml:\d+:\d+/)
  expect(compileWxss(dir).errors.join('\n')).toMatch(/bad\.wxss\(\d+:\d+\)/)
})

test('the weapp build carries no local-only code (identity picker, local endpoint)', () => {
  const js = fs.readdirSync(DIST_WEAPP, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'))
    .join('\n')
  expect(js).toContain('callFunction')
  expect(js).not.toMatch(/x-local-openid|\/api\/functions\/|demo-resident/)
})

test('DevTools opened on dist/ finds the deployable functions', () => {
  const config = JSON.parse(fs.readFileSync(path.join(DIST_WEAPP, 'project.config.json'), 'utf8')) as Record<string, string>
  expect(path.resolve(DIST_WEAPP, config.cloudfunctionRoot ?? '')).toBe(path.resolve(DIST_WEAPP, '..', 'build', 'cloudfunctions'))
})
