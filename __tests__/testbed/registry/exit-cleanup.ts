// Makes sure a test bed leaves nothing behind when its process ends without stop(): on exit and on
// SIGINT/SIGTERM the registries are killed and the temp folder removed, synchronously. (Registries also die
// on their own when this process is killed outright: see distribution.ts.)
import { rmSync } from 'node:fs'

const SIGNALS = ['SIGINT', 'SIGTERM'] as const

export function cleanUpOnExit(cleanupNow: () => void): { cancel(): void } {
  let done = false
  const runOnce = () => {
    if (!done) {
      done = true
      cleanupNow()
    }
  }
  const onSignal = (signal: NodeJS.Signals) => {
    runOnce()
    cancel()
    // With no other listener left, let the signal do what it would have done without us: end the process.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
  }
  const cancel = () => {
    process.off('exit', runOnce)
    for (const signal of SIGNALS) process.off(signal, onSignal)
  }
  process.on('exit', runOnce)
  for (const signal of SIGNALS) process.on(signal, onSignal)
  return { cancel }
}

export function removeDirNow(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}
