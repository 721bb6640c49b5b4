/**
 * A per-instance cache for data that changes rarely (stations, services, the holiday table).
 * A warm instance of a cloud function serves many calls, one at a time (docs/platform.md), so
 * this saves database requests — what the cloud bills — at the cost of up to `ttlMs` staleness.
 */
export interface Cached<T> {
  get(now?: number): Promise<T>
  clear(): void
}

export function cached<T>(ttlMs: number, load: () => Promise<T>): Cached<T> {
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

/** One cache per key (a station's document, a service's), each loaded and expired on its own. */
export function cachedByKey<T>(
  ttlMs: number,
  load: (key: string) => Promise<T>
): (key: string) => Promise<T> {
  const entries = new Map<string, Cached<T>>()
  return (key) => {
    let entry = entries.get(key)
    if (!entry) entries.set(key, (entry = cached(ttlMs, () => load(key))))
    return entry.get()
  }
}
