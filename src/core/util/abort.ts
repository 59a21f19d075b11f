// Cancellation is the one thing a read may throw: the step was cancelled, or the entry ran out of time. Both
// arrive as an AbortSignal's reason (AbortError; TimeoutError from AbortSignal.timeout).

export function isAbortError(err: unknown): err is Error {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')
}
