// A wait that ends early, with an AbortError, when its signal aborts. Timers never take more than Node's
// limit (about 24.8 days; longer delays would fire at once), so a huge Retry-After cannot end a wait early.

const MAX_TIMER_MS = 2 ** 31 - 1

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal))
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(abortError(signal!))
    }
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      },
      Math.min(Math.max(0, ms), MAX_TIMER_MS)
    )
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  if (reason instanceof Error && (reason.name === 'AbortError' || reason.name === 'TimeoutError'))
    return reason
  const error = new Error('The operation was aborted')
  error.name = 'AbortError'
  return error
}
