// Secrets the task reads itself: registered with the agent's masker the moment they are read, and read in a way
// that keeps them out of the log. task-lib debug-prints every input and endpoint parameter it returns
// ("password=..."), before the task could register the value, so secret ones are read with its output muted.
import { Writable } from 'node:stream'
import * as tl from 'azure-pipelines-task-lib/task.js'
import { secretLines } from '../core/index.js'

const discard = new Writable({
  write(_chunk, _encoding, done) {
    done()
  }
})

/** Runs a task-lib read with task-lib's own output muted, and registers the value it returns as a secret. */
export function readSecret(read: () => string | undefined): string | undefined {
  const value = quietly(read)
  if (value) registerSecret(value)
  return value
}

/** Runs `fn` with task-lib's output muted (nothing it prints in between reaches the log, not even a setsecret). */
export function quietly<T>(fn: () => T): T {
  tl.setStdStream(discard)
  try {
    return fn()
  } finally {
    tl.setStdStream(process.stdout)
  }
}

/** Registers a secret with the agent's masker, by the core's rule (the agent refuses multi-line values). */
export function registerSecret(value: string): void {
  secretLines(value).forEach((line) => tl.setSecret(line))
}
