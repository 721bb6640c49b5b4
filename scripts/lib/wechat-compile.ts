/**
 * Compiles a weapp build's WXML and WXSS with WeChat's own compilers (wcc / wcsc, the Linux
 * binaries shipped in the npm package miniprogram-compiler, installed without their execute bit).
 * Returns the compilers' complaints, each naming file:line:col; none means it compiles.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { ROOT } from '../../local-cloud/paths'

const BIN = path.join(ROOT, 'node_modules', 'miniprogram-compiler', 'bin', 'linux')

function binary(name: 'wcc' | 'wcsc'): string {
  const file = path.join(BIN, name)
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: is miniprogram-compiler installed?`)
  fs.chmodSync(file, 0o755)
  return file
}

function list(dir: string, exts: string[]): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && exts.includes(path.extname(e.name)))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort()
}

export interface CompileReport {
  files: number
  errors: string[]
}

export function compileWxml(dir: string): CompileReport {
  const files = list(dir, ['.wxml', '.wxs'])
  const r = spawnSync(binary('wcc'), ['-d', ...files], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024
  })
  const errors = r.status === 0 ? [] : [(r.stderr || r.stdout || `wcc exited ${r.status}`).trim()]
  return { files: files.filter((f) => f.endsWith('.wxml')).length, errors }
}

export function compileWxss(dir: string): CompileReport {
  const files = list(dir, ['.wxss'])
  const errors: string[] = []
  // One root file at a time, so each error names its file; the others are given as the files it
  // may @import, as DevTools does.
  for (const file of files) {
    const r = spawnSync(binary('wcsc'), ['-db', file, ...files.filter((f) => f !== file)], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024
    })
    if (r.status !== 0) errors.push((r.stderr || r.stdout || `wcsc exited ${r.status} on ${file}`).trim())
  }
  return { files: files.length, errors }
}
