import { useCallback, useRef, useState } from 'react'
import type { Result } from '../../types/result'
import { newRequestId } from '../api/request-id'

/**
 * Busy and error state of one form, and its request id. `submit(send)` runs `send(requestId)`
 * unless a submission is already under way, in which case it returns that submission's promise:
 * a double tap sends once and both taps get the same result. The request id stays the same
 * across retries of a failed submission (the server answers a repeat with the first result) and
 * is renewed after a success, for the form's next action. `error` is the last failure's message.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | undefined>()
  const requestId = useRef<string>('')
  if (!requestId.current) requestId.current = newRequestId()
  const inflight = useRef<Promise<Result<unknown>> | undefined>(undefined)

  const submit = useCallback(<T>(send: (requestId: string) => Promise<Result<T>>): Promise<Result<T>> => {
    if (inflight.current) return inflight.current as Promise<Result<T>>
    setBusy(true)
    setError(undefined)
    const running = send(requestId.current).then(
      (res) => {
        inflight.current = undefined
        setBusy(false)
        if (res.ok) requestId.current = newRequestId()
        else setError(res.error.message)
        return res
      },
      (thrown: unknown) => {
        inflight.current = undefined
        setBusy(false)
        throw thrown
      }
    )
    inflight.current = running
    return running
  }, [])

  return { busy, error, setError, submit, requestId: requestId.current }
}
