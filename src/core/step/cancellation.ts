/**
 * A cancelled workflow run or pipeline sends SIGINT, then SIGTERM: abort the imports in flight so the step ends
 * with a clear line instead of being killed mid-poll. A second signal exits at once.
 */
export function abortOnSignals(reason: string): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController()
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(1)
    controller.abort(new Error(reason))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}
