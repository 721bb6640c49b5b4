import { useRef, useState } from 'react'
import type { Result } from '../../types/result'
import { newRequestId } from '../api/request-id'

/** What a form shows while and after it submits. */
export interface SubmitState {
  busy: boolean
  error: string | undefined
}

/**
 * The submission rule of one form, without React: `submit(send)` runs `send(requestId)` unless a
 * submission is already under way, in which case it returns that submission's promise — a double
 * tap sends once and both taps get the same result. The request id stays the same across retries
 * of a failed submission (the server answers a repeat with the first result) and is renewed after
 * a success, for the form's next action. `onChange` hears the busy flag and the last error.
 */
export function createSubmitter(onChange: (state: SubmitState) => void, makeId: () => string = newRequestId) {
  let requestId = makeId()
  let inflight: Promise<Result<unknown>> | undefined

  function submit<T>(send: (requestId: string) => Promise<Result<T>>): Promise<Result<T>> {
    if (inflight) return inflight as Promise<Result<T>>
    onChange({ busy: true, error: undefined })
    const running = send(requestId).then(
      (res) => {
        inflight = undefined
        if (res.ok) requestId = makeId()
        onChange({ busy: false, error: res.ok ? undefined : res.error.message })
        return res
      },
      (thrown: unknown) => {
        inflight = undefined
        onChange({ busy: false, error: undefined })
        throw thrown
      }
    )
    inflight = running
    return running
  }

  return {
    submit,
    get requestId() {
      return requestId
    }
  }
}

/**
 * Busy and error state of one form, and its request id (see createSubmitter). `setError` lets the
 * page clear or replace the message (e.g. when the resident changes their choice).
 */
export function useSubmit() {
  const [state, setState] = useState<SubmitState>({ busy: false, error: undefined })
  const submitter = useRef<ReturnType<typeof createSubmitter> | undefined>(undefined)
  if (!submitter.current) submitter.current = createSubmitter(setState)
  const { submit, requestId } = submitter.current
  const setError = (error: string | undefined) => setState((s) => ({ ...s, error }))
  return { busy: state.busy, error: state.error, setError, submit, requestId }
}
