/**
 * The form submission rule every page uses (src/components/use-submit.ts): a double tap sends
 * once, a retry after a failure reuses the request id, a success renews it.
 */
import type { Result } from '../../types/result'
import { createSubmitter, type SubmitState } from '../../src/components/use-submit'

function setup() {
  const states: SubmitState[] = []
  let n = 0
  const submitter = createSubmitter(
    (s) => states.push(s),
    () => `id-${++n}`
  )
  return { submitter, states }
}

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

test('a second tap while the first is under way sends nothing and gets the same result', async () => {
  const { submitter, states } = setup()
  const answer = deferred<Result<string>>()
  const sent: string[] = []
  const send = (id: string) => {
    sent.push(id)
    return answer.promise
  }
  const first = submitter.submit(send)
  const second = submitter.submit(send)
  expect(states.at(-1)).toEqual({ busy: true, error: undefined })
  answer.resolve({ ok: true, data: 'booked' })
  expect(await second).toBe(await first)
  expect(sent).toEqual(['id-1'])
  expect(states.at(-1)).toEqual({ busy: false, error: undefined })
})

test('a failed submission keeps its request id for the retry and shows the message; a success renews it', async () => {
  const { submitter, states } = setup()
  const sent: string[] = []
  const failing = (id: string) => {
    sent.push(id)
    return Promise.resolve<Result<string>>({ ok: false, error: { code: 'INTERNAL', message: '网络繁忙' } })
  }
  const succeeding = (id: string) => {
    sent.push(id)
    return Promise.resolve<Result<string>>({ ok: true, data: 'ok' })
  }
  await submitter.submit(failing)
  expect(states.at(-1)).toEqual({ busy: false, error: '网络繁忙' })
  await submitter.submit(succeeding)
  expect(states.at(-1)).toEqual({ busy: false, error: undefined })
  await submitter.submit(succeeding)
  expect(sent).toEqual(['id-1', 'id-1', 'id-2'])
  expect(submitter.requestId).toBe('id-3')
})

test('a send that throws frees the form for the next tap', async () => {
  const { submitter, states } = setup()
  await expect(submitter.submit(() => Promise.reject(new Error('offline')))).rejects.toThrow('offline')
  expect(states.at(-1)).toEqual({ busy: false, error: undefined })
  const res = await submitter.submit(() => Promise.resolve<Result<number>>({ ok: true, data: 1 }))
  expect(res).toEqual({ ok: true, data: 1 })
})
