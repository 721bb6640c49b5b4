import { ERROR_MESSAGES, type ErrorCode } from '../../types/errors'
import type { ErrorDetails } from '../../types/result'

/** A refusal a handler (or an access rule) throws: its code and message go back to the caller. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    /** Facts the page can act on (the booking that blocks a new one). */
    readonly details?: ErrorDetails
  ) {
    super(message ?? ERROR_MESSAGES[code])
    this.name = 'AppError'
  }
}
