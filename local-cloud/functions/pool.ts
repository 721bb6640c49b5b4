/**
 * Runs deployable functions (the bundles in build/cloudfunctions/<name>/) the way the cloud does:
 * each instance a separate process handling one invocation at a time; new instances on demand
 * up to a limit, then queued; a time limit per invocation (config.json `timeout`, seconds,
 * default 3) after which the instance is killed and the call fails with the cloud's error.
 * A function that throws, hangs or crashes, an event or a reply the channel cannot serialise,
 * never takes the local cloud down: that call fails with the cloud's error, nothing else.
 * Instances run the runner built from instance.ts (npm run build:functions) under plain node.
 *
 * Fresh code: each instance remembers the bundle it loaded (the file's identity, size and mtime,
 * and the runner's). A call that finds the bundle rebuilt retires the function's instances — idle
 * ones at once, busy ones when their call ends — and starts a new one, so a warm instance never
 * answers with old code after a rebuild. `recycle()` does the same on demand; `warmUp()` starts
 * one instance of each function ahead of the first call (docs/local-cloud.md).
 */
import { fork, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { INSTANCE_RUNNER } from '../paths'
import type { InstanceMessage, WxIdentity } from './protocol'

export interface FunctionConfig {
  timeout?: number
  permissions?: { openapi?: string[] }
  triggers?: { name: string; type: string; config: string }[]
}

export interface InvokeOutcome {
  ok: boolean
  /** The function's return value (when ok). */
  result?: unknown
  /** The cloud's error (when not ok): -504002 execution failed, -504003 timed out. */
  errCode?: number
  errMsg?: string
  requestId: string
  durationMs: number
  coldStart: boolean
}

export interface PoolOptions {
  functionsDir: string
  /** Environment every instance gets (the SDK's endpoint, dummy secrets, env id). */
  env: Record<string, string>
  maxInstancesPerFunction?: number
  onLog?: (fn: string, line: string) => void
  /** The cloud clock's offset from the host's, read at each invocation (default 0). */
  clockOffset?: () => number
  /**
   * The SDK endpoint for a function's instances. Each function gets its own path so the local
   * cloud knows which function makes an open-API call (and checks its permissions).
   */
  adminUrl?: (fn: string) => string
}

interface Instance {
  child: ChildProcess
  busy: boolean
  ready: Promise<void>
  /** Initialised: its bundle is loaded, a call needs no cold start. */
  warm: boolean
  /** The bundle it loaded (see stampOf). */
  stamp: string
  /** Out of the pool (its bundle was rebuilt): it finishes its call, then exits. */
  retired: boolean
  /** The request id being served, if any. */
  current?: string
}

/** What callers may know of an instance (tests, the console). */
export interface InstanceInfo {
  fn: string
  pid: number | undefined
  busy: boolean
  warm: boolean
}

interface Pending {
  resolve: (msg: InstanceMessage & { type: 'result' }) => void
  reject: (err: Error) => void
}

export class FunctionPool {
  private readonly instances = new Map<string, Instance[]>()
  private readonly waiting = new Map<string, (() => void)[]>()
  private readonly pending = new Map<string, Pending>()
  /** Retired instances still finishing a call. */
  private readonly draining = new Set<Instance>()
  private readonly max: number

  constructor(private readonly options: PoolOptions) {
    this.max = options.maxInstancesPerFunction ?? 4
  }

  functionNames(): string[] {
    if (!fs.existsSync(this.options.functionsDir)) return []
    return fs
      .readdirSync(this.options.functionsDir)
      .filter((n) => fs.existsSync(path.join(this.options.functionsDir, n, 'index.js')))
      .sort()
  }

  has(name: string): boolean {
    return (
      /^[A-Za-z][A-Za-z0-9_-]*$/.test(name) &&
      fs.existsSync(path.join(this.options.functionsDir, name, 'index.js'))
    )
  }

  config(name: string): FunctionConfig {
    const file = path.join(this.options.functionsDir, name, 'config.json')
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as FunctionConfig) : {}
  }

  async invoke(name: string, event: unknown, wx: WxIdentity): Promise<InvokeOutcome> {
    const requestId = randomUUID()
    const started = Date.now()
    const timeoutMs = Math.round((this.config(name).timeout ?? 3) * 1000)
    const { instance, coldStart } = await this.acquire(name)
    const context = {
      callbackWaitsForEmptyEventLoop: false,
      memory_limit_in_mb: 256,
      time_limit_in_ms: timeoutMs,
      request_id: requestId,
      function_name: name,
      function_version: '$LATEST',
      namespace: wx.ENV
    }
    let timer: NodeJS.Timeout | undefined
    try {
      const result = await new Promise<InstanceMessage & { type: 'result' }>((resolve, reject) => {
        this.pending.set(requestId, { resolve, reject })
        instance.current = requestId
        // Initialisation (loading the bundle and wx-server-sdk) has its own, longer limit, as on
        // the cloud; the function's timeout counts from the invocation itself.
        timer = setTimeout(
          () => reject(new Error(`function initialisation took longer than ${INIT_TIMEOUT_MS / 1000} s`)),
          INIT_TIMEOUT_MS
        )
        instance.ready.then(
          () => {
            clearTimeout(timer)
            timer = setTimeout(() => reject(new TimeoutError()), timeoutMs)
            // The IPC channel serialises as JSON. An event it cannot send (too deep to stringify, a
            // BigInt) must fail this call, not throw out of this callback and take the process down.
            // Nothing reached the instance then, so it stays in the pool.
            try {
              instance.child.send(
                {
                  type: 'invoke',
                  id: requestId,
                  event,
                  context,
                  wx,
                  clockOffsetMs: this.options.clockOffset?.() ?? 0
                },
                (err: Error | null) => {
                  if (err)
                    reject(new Error(`the event could not be delivered to the instance: ${err.message}`))
                }
              )
            } catch (err) {
              reject(
                new UnsendableError(
                  `the event cannot be serialised for the function: ${(err as Error).message}`
                )
              )
            }
          },
          (err: unknown) => reject(err instanceof Error ? err : new Error(String(err)))
        )
      })
      instance.warm = true
      const durationMs = Date.now() - started
      if (result.ok) return { ok: true, result: result.value, requestId, durationMs, coldStart }
      return {
        ok: false,
        errCode: -504002,
        errMsg: `functions execute fail | ${result.error.message}`,
        requestId,
        durationMs,
        coldStart
      }
    } catch (err) {
      if (!(err instanceof UnsendableError)) this.discard(name, instance)
      const timedOut = err instanceof TimeoutError
      return {
        ok: false,
        errCode: timedOut ? -504003 : -504002,
        errMsg: timedOut
          ? `functions execute fail | Invoking task timed out after ${timeoutMs / 1000} seconds`
          : `functions execute fail | ${(err as Error).message}`,
        requestId,
        durationMs: Date.now() - started,
        coldStart
      }
    } finally {
      clearTimeout(timer)
      this.pending.delete(requestId)
      instance.current = undefined
      this.release(name, instance)
    }
  }

  private entryOf(name: string): string {
    return path.join(this.options.functionsDir, name, 'index.js')
  }

  /** Identifies the code an instance would load now: the bundle's and the runner's file identity. */
  private stampOf(name: string): string {
    const id = (file: string): string => {
      try {
        const st = fs.statSync(file)
        return `${st.ino}:${st.size}:${st.mtimeMs}`
      } catch {
        return 'missing'
      }
    }
    return `${id(this.entryOf(name))}|${id(INSTANCE_RUNNER)}`
  }

  /** Retires the function's instances that loaded other code than `stamp` (all of them without one). */
  private retire(name: string, stamp?: string): void {
    const list = this.instances.get(name) ?? []
    const stale = list.filter((i) => stamp === undefined || i.stamp !== stamp)
    if (stale.length === 0) return
    this.instances.set(
      name,
      list.filter((i) => !stale.includes(i))
    )
    for (const instance of stale) {
      instance.retired = true
      if (instance.busy) this.draining.add(instance)
      else instance.child.kill('SIGKILL')
    }
    // Room for new instances: wake the calls queued for this function.
    for (const next of this.waiting.get(name)?.splice(0) ?? []) next()
  }

  /**
   * Retires every instance of the given functions (all functions by default): idle ones exit now,
   * busy ones after their call. The next call starts a fresh instance with the bundle on disk.
   */
  recycle(names?: string[]): void {
    for (const name of names ?? [...this.instances.keys()]) this.retire(name)
  }

  /**
   * Starts one instance of each given function (every function by default) that has none, and
   * resolves when all of them have loaded their bundle: the first calls then start warm. An
   * instance that fails to start is dropped (a later call reports why).
   */
  async warmUp(names: string[] = this.functionNames()): Promise<void> {
    await Promise.all(
      names.map(async (name) => {
        if (!this.has(name)) return
        this.retire(name, this.stampOf(name))
        const list = this.instances.get(name) ?? []
        if (list.length > 0) return
        const instance = this.spawn(name)
        this.instances.set(name, [...list, instance])
        try {
          await instance.ready
          instance.warm = true
        } catch {
          this.discard(name, instance)
        }
      })
    )
  }

  /** The live instances, per function. */
  describe(): InstanceInfo[] {
    return [...this.instances.entries()].flatMap(([fn, list]) =>
      list.map((i) => ({ fn, pid: i.child.pid, busy: i.busy, warm: i.warm }))
    )
  }

  private async acquire(name: string): Promise<{ instance: Instance; coldStart: boolean }> {
    this.retire(name, this.stampOf(name))
    for (;;) {
      const list = this.instances.get(name) ?? []
      const idle = list.find((i) => !i.busy)
      if (idle) {
        idle.busy = true
        return { instance: idle, coldStart: !idle.warm }
      }
      if (list.length < this.max) {
        const instance = this.spawn(name)
        instance.busy = true
        this.instances.set(name, [...list, instance])
        return { instance, coldStart: true }
      }
      await new Promise<void>((resolve) =>
        this.waiting.set(name, [...(this.waiting.get(name) ?? []), resolve])
      )
    }
  }

  private release(name: string, instance: Instance): void {
    instance.busy = false
    instance.current = undefined
    if (instance.retired) {
      this.draining.delete(instance)
      instance.child.kill('SIGKILL')
    }
    const queue = this.waiting.get(name)
    const next = queue?.shift()
    if (next) next()
  }

  private discard(name: string, instance: Instance): void {
    instance.child.kill('SIGKILL')
    this.instances.set(
      name,
      (this.instances.get(name) ?? []).filter((i) => i !== instance)
    )
  }

  private spawn(name: string): Instance {
    const entry = this.entryOf(name)
    const stamp = this.stampOf(name)
    const child = fork(INSTANCE_RUNNER, [entry], {
      cwd: path.dirname(entry),
      env: {
        ...this.options.env,
        ...(this.options.adminUrl
          ? { TCB_CONTEXT_CNFG: JSON.stringify({ URL: this.options.adminUrl(name) }) }
          : {}),
        TZ: 'UTC',
        SCF_FUNCTIONNAME: name
      },
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc']
    })
    const log = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.options.onLog?.(name, line)
    }
    child.stdout?.on('data', log)
    child.stderr?.on('data', log)
    const ready = new Promise<void>((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', (code, signal) =>
        reject(new Error(`instance exited before it was ready (${signal ?? code})`))
      )
      child.on('message', (raw: unknown) => {
        const msg = raw as InstanceMessage
        if (msg.type === 'ready') resolve()
        else if (msg.type === 'result') this.pending.get(msg.id)?.resolve(msg)
      })
    })
    ready.catch(() => undefined)
    const instance: Instance = { child, busy: false, ready, warm: false, stamp, retired: false }
    child.once('exit', (code, signal) => {
      this.instances.set(
        name,
        (this.instances.get(name) ?? []).filter((i) => i !== instance)
      )
      this.draining.delete(instance)
      if (instance.current)
        this.pending.get(instance.current)?.reject(new Error(`instance exited (${signal ?? code})`))
    })
    return instance
  }

  /** Kills every instance of a function (a crash); calls in flight fail with -504002. */
  async killInstances(name: string): Promise<void> {
    const list = this.instances.get(name) ?? []
    await Promise.all(
      list.map(
        (i) =>
          new Promise<void>((resolve) => {
            if (i.child.exitCode !== null || i.child.signalCode !== null) return resolve()
            i.child.once('exit', () => resolve())
            i.child.kill('SIGKILL')
          })
      )
    )
  }

  async close(): Promise<void> {
    const all = [...this.instances.values()].flat().concat([...this.draining])
    this.instances.clear()
    this.draining.clear()
    await Promise.all(
      all.map(
        (i) =>
          new Promise<void>((resolve) => {
            if (i.child.exitCode !== null) return resolve()
            i.child.once('exit', () => resolve())
            i.child.kill('SIGKILL')
          })
      )
    )
  }
}

class TimeoutError extends Error {}
/** An event the channel could not serialise: nothing was sent, the instance is untouched. */
class UnsendableError extends Error {}

const INIT_TIMEOUT_MS = 30_000
