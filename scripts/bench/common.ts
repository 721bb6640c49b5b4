/** Shared by the benchmark parts: timing, percentiles, a local cloud in a process of its own. */
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { startTsx, type Child } from '../../tests/helpers/child'
import { TEST_DATA } from '../../tests/helpers/paths'

export const BENCH_DATA = path.join(TEST_DATA, 'bench')

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(port))
    })
  })
}

export interface CloudProcess {
  url: string
  child: Child
  /** From spawn to "listening", ms. */
  startMs: number
  stop(): Promise<void>
}

/** The local cloud as a separate process (tests/helpers/cloud-process.ts) on a fresh data folder. */
export async function startCloudProcess(
  name: string,
  options: { functionsDir?: string; collections?: string[]; port?: number } = {}
): Promise<CloudProcess> {
  const dataDir = path.join(BENCH_DATA, name)
  fs.rmSync(dataDir, { recursive: true, force: true })
  const port = options.port ?? (await freePort())
  const started = performance.now()
  const child = startTsx('tests/helpers/cloud-process.ts', [], {
    PORT: String(port),
    LOCAL_CLOUD_DATA: dataDir,
    COLLECTIONS: (options.collections ?? []).join(','),
    ...(options.functionsDir ? { FUNCTIONS_DIR: options.functionsDir } : {})
  })
  const [, url] = await child.waitFor(/listening (\S+)/)
  const startMs = performance.now() - started
  return {
    url: url as string,
    child,
    startMs,
    async stop() {
      child.proc.kill('SIGTERM')
      await child.exited
    }
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i] as number
}

/** Runs `op` with `concurrency` callers for `ms`; returns completed operations per second. */
export async function throughput(
  op: (i: number) => Promise<unknown>,
  options: { concurrency: number; ms: number }
): Promise<{ perSecond: number; done: number; failed: number }> {
  const end = performance.now() + options.ms
  let done = 0
  let failed = 0
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < end) {
        try {
          await op(next++)
          done++
        } catch {
          failed++
        }
      }
    })
  )
  const seconds = (performance.now() - started) / 1000
  return { perSecond: done / seconds, done, failed }
}

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

export function line(label: string, value: string): void {
  console.log(`  ${label.padEnd(58)} ${value}`)
}
