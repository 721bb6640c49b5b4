/**
 * A per-instance cache for data that changes rarely (stations, services, the holiday table).
 * A warm instance serves many calls (DESIGN: one invocation at a time per instance), so this
 * saves database requests — what the cloud bills — at the cost of up to `ttlMs` staleness.
 */
export function cached<T>(
  ttlMs: number,
  load: () => Promise<T>
): { get(now?: number): Promise<T>; clear(): void } {
  let value: { at: number; data: Promise<T> } | undefined
  return {
    get(now = Date.now()) {
      if (!value || now - value.at > ttlMs) {
        const data = load()
        value = { at: now, data }
        data.catch(() => {
          if (value?.data === data) value = undefined
        })
      }
      return value.data
    },
    clear() {
      value = undefined
    }
  }
}
