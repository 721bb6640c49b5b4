import { ERROR_MESSAGES, type ErrorCode } from '../../types/errors'

/** A refusal a handler (or an access rule) throws: its code and message go back to the caller. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string
  ) {
    super(message ?? ERROR_MESSAGES[code])
    this.name = 'AppError'
  }
}
