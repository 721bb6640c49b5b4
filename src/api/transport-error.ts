export class TransportError extends Error {
  constructor(
    /** 'network': the call never got an answer; 'function': the platform says the function failed. */
    readonly kind: 'network' | 'function',
    message: string,
    readonly requestId?: string
  ) {
    super(message)
    this.name = 'TransportError'
  }
}
