import { useCallback, useEffect, useRef, useState } from 'react'
import type { ApiError, Result } from '../../types/result'

export type Loaded<T> =
  { status: 'loading' } | { status: 'ok'; data: T } | { status: 'error'; error: ApiError }

/**
 * Runs a cloud call when `key` changes; the latest call wins. `reload` runs it again, keeping
 * the current data on screen meanwhile; a new key never shows the previous key's data (a slot
 * list must not offer yesterday's times while today's load).
 */
export function useResult<T>(
  load: () => Promise<Result<T>>,
  key: string
): Loaded<T> & { reload: () => void } {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' })
  const [attempt, setAttempt] = useState(0)
  const latest = useRef(0)
  const loadRef = useRef(load)
  loadRef.current = load
  const lastKey = useRef<string | undefined>(undefined)

  useEffect(() => {
    const ticket = ++latest.current
    const sameKey = lastKey.current === key
    lastKey.current = key
    setState((s) => (sameKey && s.status === 'ok' ? s : { status: 'loading' }))
    void loadRef.current().then((res) => {
      if (ticket !== latest.current) return
      setState(res.ok ? { status: 'ok', data: res.data } : { status: 'error', error: res.error })
    })
  }, [key, attempt])

  const reload = useCallback(() => setAttempt((n) => n + 1), [])
  return { ...state, reload }
}
