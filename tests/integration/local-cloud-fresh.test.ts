/**
 * Fresh by construction: after a rebuild the local cloud never answers with old code. A changed
 * bundle is served on the next call (the old warm instances are recycled, a busy one after its
 * call), an unchanged rebuild keeps the warm instances, and warm-up starts one loaded instance per
 * function before the first call. The functions are written and built here, into a scratch folder,
 * with the same builder as npm start.
 */
import fs from 'node:fs'
import path from 'node:path'
import { buildFunctions } from '../../scripts/lib/build-functions'
import { callFunction, freshCloud } from '../helpers/cloud'
import { TEST_DATA } from '../helpers/paths'

jest.setTimeout(60_000)

interface Reply {
  version: number
  pid: number
  calls: number
}

const scratch = path.join(TEST_DATA, `fresh-${process.pid}`)
const src = path.join(scratch, 'src')
const out = path.join(scratch, 'build')

/** Writes a function that answers its version, its process and how many calls its module has seen. */
function writeFunction(name: string, version: number): void {
  const dir = path.join(src, name)
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(
    path.join(dir, 'index.ts'),
    `let calls = 0
export async function main(event: { sleepMs?: number }) {
  calls++
  if (event.sleepMs) await new Promise((r) => setTimeout(r, event.sleepMs))
  return { version: ${version}, pid: process.pid, calls }
}
`
  )
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', main: 'index.js', dependencies: { 'wx-server-sdk': '4.0.2' } })
  )
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ timeout: 20 }))
}

async function call(cloud: { url: string }, name: string, event: object = {}): Promise<Reply> {
  const r = await callFunction<Reply>(cloud, name, event)
  expect(r.status).toBe(200)
  return r.body
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function exited(pid: number): Promise<void> {
  for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 25))
  expect(alive(pid)).toBe(false)
}

beforeEach(() => fs.rmSync(scratch, { recursive: true, force: true }))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

test('a rebuilt function answers with its new code on the very next call, from a new instance', async () => {
  writeFunction('echo', 1)
  writeFunction('other', 1)
  await buildFunctions(src, out)
  const cloud = await freshCloud({ functionsDir: out, seed: false, timers: false })
  try {
    const first = await call(cloud, 'echo')
    expect(first).toMatchObject({ version: 1, calls: 1 })
    expect(await call(cloud, 'echo')).toMatchObject({ version: 1, calls: 2, pid: first.pid })
    await call(cloud, 'other')

    writeFunction('echo', 2)
    await buildFunctions(src, out)

    const after = await call(cloud, 'echo')
    expect(after.version).toBe(2)
    // A new process with fresh module state; the old warm one is gone.
    expect(after.calls).toBe(1)
    expect(after.pid).not.toBe(first.pid)
    await exited(first.pid)
    expect(cloud.pool.describe().filter((i) => i.fn === 'echo')).toEqual([
      expect.objectContaining({ pid: after.pid })
    ])
    // The first call on the new code was a cold start, the log says so.
    expect(cloud.invocations.filter((i) => i.fn === 'echo').map((i) => i.coldStart)).toEqual([
      true,
      false,
      true
    ])
    expect(await call(cloud, 'other')).toMatchObject({ version: 1 })
  } finally {
    await cloud.close()
  }
})

test('a rebuild that changes nothing keeps the warm instances', async () => {
  writeFunction('echo', 1)
  await buildFunctions(src, out)
  const cloud = await freshCloud({ functionsDir: out, seed: false, timers: false })
  try {
    const first = await call(cloud, 'echo')
    await buildFunctions(src, out)
    expect(await call(cloud, 'echo')).toMatchObject({ version: 1, calls: 2, pid: first.pid })
  } finally {
    await cloud.close()
  }
})

test('a call in flight during a rebuild ends on the old code; its instance then leaves the pool', async () => {
  writeFunction('echo', 1)
  await buildFunctions(src, out)
  const cloud = await freshCloud({ functionsDir: out, seed: false, timers: false })
  try {
    await call(cloud, 'echo')
    // The instance is busy for a while; the function is rebuilt meanwhile.
    const inFlight = call(cloud, 'echo', { sleepMs: 1500 })
    while (!cloud.pool.describe().some((i) => i.fn === 'echo' && i.busy))
      await new Promise((r) => setTimeout(r, 10))
    writeFunction('echo', 2)
    await buildFunctions(src, out)
    const next = await call(cloud, 'echo')
    expect(next).toMatchObject({ version: 2, calls: 1 })

    const old = await inFlight
    expect(old).toMatchObject({ version: 1, calls: 2 })
    await exited(old.pid)
    expect(await call(cloud, 'echo')).toMatchObject({ version: 2, pid: next.pid, calls: 2 })
  } finally {
    await cloud.close()
  }
})

test('recycle() retires every instance on demand: the next call loads the bundle again', async () => {
  writeFunction('echo', 1)
  await buildFunctions(src, out)
  const cloud = await freshCloud({ functionsDir: out, seed: false, timers: false })
  try {
    const first = await call(cloud, 'echo')
    cloud.pool.recycle()
    await exited(first.pid)
    expect(cloud.pool.describe()).toEqual([])
    expect(await call(cloud, 'echo')).toMatchObject({ version: 1, calls: 1 })
  } finally {
    await cloud.close()
  }
})

test('warm-up starts one loaded instance per function before the cloud is ready; first calls are warm', async () => {
  writeFunction('echo', 1)
  writeFunction('other', 1)
  await buildFunctions(src, out)
  const cloud = await freshCloud({ functionsDir: out, seed: false, timers: false, warmUp: true })
  try {
    const warmed = cloud.pool.describe()
    expect(warmed.map((i) => i.fn).sort()).toEqual(['echo', 'other'])
    expect(warmed.every((i) => i.warm && !i.busy && typeof i.pid === 'number' && alive(i.pid))).toBe(true)

    const echo = await call(cloud, 'echo')
    const other = await call(cloud, 'other')
    // The warmed instances answered (same processes), and nobody waited on a cold start.
    expect(echo.pid).toBe(warmed.find((i) => i.fn === 'echo')?.pid)
    expect(other.pid).toBe(warmed.find((i) => i.fn === 'other')?.pid)
    expect(cloud.invocations.map((i) => i.coldStart)).toEqual([false, false])

    // After a rebuild, refreshFunctions() (npm run dev) recycles and warms the new bundles.
    writeFunction('echo', 2)
    await buildFunctions(src, out)
    await cloud.refreshFunctions()
    const rewarmed = cloud.pool.describe()
    expect(rewarmed.map((i) => i.fn).sort()).toEqual(['echo', 'other'])
    expect(rewarmed.every((i) => i.warm)).toBe(true)
    await exited(echo.pid)
    const echo2 = await call(cloud, 'echo')
    expect(echo2).toMatchObject({ version: 2, calls: 1, pid: rewarmed.find((i) => i.fn === 'echo')?.pid })
    expect(cloud.invocations.at(-1)?.coldStart).toBe(false)
  } finally {
    await cloud.close()
  }
})
