/**
 * The local cloud's clock. Real time by default; tests (and a developer trying out a reminder
 * due tomorrow) can move it. Everything the local cloud stamps — serverDate, timer triggers,
 * and the time function instances see — reads this clock, so moving it moves the whole cloud.
 */
export class Clock {
  private offsetMs = 0

  now(): number {
    return Date.now() + this.offsetMs
  }

  /** How far the cloud's time is ahead of the host's (ms); sent to instances with each call. */
  get offset(): number {
    return this.offsetMs
  }

  set(instant: Date | number): void {
    this.offsetMs = (typeof instant === 'number' ? instant : instant.getTime()) - Date.now()
  }

  advance(ms: number): void {
    this.offsetMs += ms
  }

  reset(): void {
    this.offsetMs = 0
  }
}
