/**
 * The reply every cloud function gives, on WeChat and locally.
 * `{ok: true, data}` or `{ok: false, error: {code, message}}` — never a stack trace.
 */
import { ERROR_MESSAGES, type ErrorCode } from './errors'

export interface ApiError {
  /** Stable, machine-readable code (see ERROR_MESSAGES). */
  code: ErrorCode
  /** Short Chinese sentence a resident understands. */
  message: string
  /** For unexpected errors: the id under which the server logged the details. */
  requestId?: string
  /** The caller's own booking that blocks the one asked for (ONE_PER_DAY): the page links to it. */
  blockingAppointmentId?: string
}

/** What a refusal may carry besides its code and message. */
export type ErrorDetails = Pick<ApiError, 'blockingAppointmentId'>

export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiError }

export function ok<T>(data: T): Result<T> {
  return { ok: true, data }
}

export function fail<T = never>(code: ErrorCode, message?: string, requestId?: string): Result<T> {
  const error: ApiError = { code, message: message ?? ERROR_MESSAGES[code] }
  if (requestId) error.requestId = requestId
  return { ok: false, error }
}
