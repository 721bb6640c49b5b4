/**
 * Whether a person was reached about a resident's request — what the resident's page may claim.
 * Pure: it reads the request's state and the outcomes of its staff alerts (outbox records).
 *
 * - reached: the request was accepted, declined or finished; or a member of staff opened the
 *   list that shows it; or any alert was delivered, by WeChat or by text message.
 * - unreached: there was nobody to alert, or every alert has failed on every channel.
 * - trying: anything else (a send under way or waiting for its retry).
 */
import type { Reach, RequestStatus } from '../../../types/requests'

export interface AlertOutcome {
  /** The WeChat send: pending and sending may still succeed; failed and withdrawn are final. */
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'withdrawn'
  /** Does this alert have a text message as second channel? */
  hasSms: boolean
  smsStatus?: 'sending' | 'sent' | 'failed' | 'skipped'
  smsAt?: Date | string
}

/** A text claimed this long ago and still "sending" was interrupted: it will not arrive. */
export const SMS_STALE_MS = 5 * 60_000

function smsFinallyFailed(a: AlertOutcome, now: Date): boolean {
  if (!a.hasSms || a.smsStatus === 'failed' || a.smsStatus === 'skipped') return true
  return (
    a.smsStatus === 'sending' &&
    a.smsAt !== undefined &&
    now.getTime() - new Date(a.smsAt).getTime() > SMS_STALE_MS
  )
}

export function reachOf(
  request: { status: RequestStatus; seenAt?: Date | string | null },
  alerts: readonly AlertOutcome[],
  now: Date
): Reach {
  if (request.status !== 'submitted' || request.seenAt) return 'reached'
  if (alerts.some((a) => a.status === 'sent' || a.smsStatus === 'sent')) return 'reached'
  const final = (a: AlertOutcome) => a.status === 'failed' || a.status === 'withdrawn'
  if (alerts.every((a) => final(a) && smsFinallyFailed(a, now))) return 'unreached'
  return 'trying'
}
