/**
 * Timer triggers as the cloud runs them: each function's config.json may declare one trigger of
 * type "timer"; it fires on schedule (cron read in UTC+8, by the local cloud's clock) with the
 * cloud's timer event and the context the cloud gives a trigger: SOURCE 'wx_trigger', no OPENID,
 * and TRIGGER_SRC=timer in the environment for that invocation. Missed fires are not replayed: when the
 * clock jumps ahead, a trigger fires once and is rescheduled after the new time.
 * Tests and developers can fire a trigger on demand.
 */
import { maskId, type CloudServices } from '../context'
import { nextFire, parseCron, type Cron } from './cron'
import type { InvokeOutcome } from './pool'

export interface TimerEvent {
  Type: 'Timer'
  TriggerName: string
  /** The scheduled time, ISO 8601 in UTC. */
  Time: string
  Message: string
}

interface Scheduled {
  fn: string
  trigger: string
  cron: Cron
  next: number | null
}

export class TimerService {
  private scheduled: Scheduled[] = []
  private interval: NodeJS.Timeout | undefined
  private running = new Set<string>()

  constructor(private readonly cloud: CloudServices) {}

  /** Reads every function's config.json; a bad cron is reported, not fatal. */
  load(): string[] {
    const problems: string[] = []
    this.scheduled = []
    const now = this.cloud.clock.now()
    for (const fn of this.cloud.pool.functionNames()) {
      const triggers = (this.cloud.pool.config(fn).triggers ?? []).filter((t) => t.type === 'timer')
      if (triggers.length > 1) problems.push(`${fn}: a function may have at most one timer trigger`)
      for (const t of triggers.slice(0, 1)) {
        try {
          const cron = parseCron(t.config)
          this.scheduled.push({ fn, trigger: t.name, cron, next: nextFire(cron, now) })
        } catch (err) {
          problems.push(`${fn}: trigger ${t.name}: ${(err as Error).message}`)
        }
      }
    }
    return problems
  }

  list(): { fn: string; trigger: string; cron: string; next: Date | null }[] {
    return this.scheduled.map((s) => ({
      fn: s.fn,
      trigger: s.trigger,
      cron: s.cron.source,
      next: s.next === null ? null : new Date(s.next)
    }))
  }

  /** Checks the schedule every second. */
  start(): void {
    this.interval = setInterval(() => void this.tick(), 1000)
    this.interval.unref()
  }

  stop(): void {
    clearInterval(this.interval)
  }

  /** Fires whatever is due by the cloud clock (called by the interval; tests may call it). */
  async tick(): Promise<void> {
    const now = this.cloud.clock.now()
    const due = this.scheduled.filter((s) => s.next !== null && s.next <= now && !this.running.has(s.fn))
    await Promise.all(
      due.map(async (s) => {
        const at = s.next as number
        s.next = nextFire(s.cron, now)
        await this.fire(s.fn, at)
      })
    )
  }

  /** Fires a function's timer trigger now (or as if at `at`), as the cloud would. */
  async fire(fn: string, at = this.cloud.clock.now()): Promise<InvokeOutcome> {
    const trigger =
      this.scheduled.find((s) => s.fn === fn)?.trigger ??
      (this.cloud.pool.config(fn).triggers ?? []).find((t) => t.type === 'timer')?.name
    if (!trigger) throw new Error(`${fn} has no timer trigger`)
    const event: TimerEvent = {
      Type: 'Timer',
      TriggerName: trigger,
      Time: new Date(Math.floor(at / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
      Message: ''
    }
    this.running.add(fn)
    try {
      const outcome = await this.cloud.pool.invoke(fn, event, {
        OPENID: '',
        APPID: this.cloud.appId,
        ENV: this.cloud.envId,
        SOURCE: 'wx_trigger',
        TRIGGER_SRC: 'timer'
      })
      this.cloud.recordInvocation({
        fn,
        action: `timer:${trigger}`,
        requestId: outcome.requestId,
        caller: maskId(''),
        source: 'timer',
        ok: outcome.ok,
        errCode: outcome.errCode,
        durationMs: outcome.durationMs,
        coldStart: outcome.coldStart,
        at: new Date(this.cloud.clock.now())
      })
      return outcome
    } finally {
      this.running.delete(fn)
    }
  }
}
