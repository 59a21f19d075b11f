// Ctrl-C (SIGINT) or a CI's stop (SIGTERM): the core aborts what it started and ends the step; this only
// remembers that it happened, for exit code 130. A second signal exits at once, with the same code (this
// listener is registered before the core's, so it runs first).
const SIGNALS = ['SIGINT', 'SIGTERM'] as const

export const EXIT_INTERRUPTED = 130

export interface Interrupt {
  received(): boolean
  dispose(): void
}

export function watchInterrupt(): Interrupt {
  let received = false
  const onSignal = (): void => {
    if (received) process.exit(EXIT_INTERRUPTED)
    received = true
  }
  SIGNALS.forEach((signal) => process.on(signal, onSignal))
  return {
    received: () => received,
    dispose: () => SIGNALS.forEach((signal) => process.off(signal, onSignal))
  }
}
