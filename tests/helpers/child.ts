/** Child processes for tests: started with tsx, awaited on a line of their output, killed by pid. */
import { spawn, type ChildProcess } from 'node:child_process'
import { ROOT } from '../../local-cloud/paths'

export interface Child {
  proc: ChildProcess
  /** Everything written to stdout and stderr so far. */
  output(): string
  /** Resolves with the first stdout line matching `pattern` (rejects if the process exits first or after `ms`). */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>
  /** Resolves with the exit code or signal. */
  exited: Promise<number | NodeJS.Signals | null>
}

/** `node --import tsx <script> ...args` from the repository root. */
export function startTsx(script: string, args: string[] = [], env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  const listeners = new Set<() => void>()
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8')
    for (const l of listeners) l()
  }
  proc.stdout?.on('data', onData)
  proc.stderr?.on('data', onData)
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    proc.once('exit', (code, signal) => resolve(signal ?? code))
  )
  return {
    proc,
    output: () => out,
    exited,
    waitFor(pattern, ms = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(pattern)
          if (m) {
            cleanup()
            resolve(m)
          }
        }
        const timer = setTimeout(() => {
          cleanup()
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${out.slice(-2000)}`))
        }, ms)
        const onExit = () => {
          check()
          cleanup()
          reject(new Error(`process exited before printing ${pattern}; output:\n${out.slice(-2000)}`))
        }
        const cleanup = () => {
          clearTimeout(timer)
          listeners.delete(check)
          proc.off('exit', onExit)
        }
        listeners.add(check)
        proc.once('exit', onExit)
        check()
      })
    }
  }
}
