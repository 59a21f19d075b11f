// Stopping a child process means waiting for its 'exit' event. A stop that returns earlier is a race: the
// child may still write into a folder that is removed next, or still run when a test looks for it.
import type { ChildProcess } from 'node:child_process'

/** How long a child may take to end after a request before it gets the next, firmer one. */
const PATIENCE_MS = 3_000

/** True once the child has exited (its 'exit' event has fired or is firing). */
const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null

/**
 * Ends `child` and resolves once it has exited. First `ask`, the child's own way to end when it has one
 * (closing its stdin, say), then SIGTERM; SIGKILL only when the child ignored those for PATIENCE_MS each, and
 * its exit is awaited even then.
 */
export async function stopChild(child: ChildProcess, ask?: () => void): Promise<void> {
  // Never started (spawn failed): there is nothing to wait for.
  if (child.pid === undefined || hasExited(child)) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // A child unreferenced so as not to keep this process alive must keep it alive while it is awaited.
  child.ref()
  for (const request of [ask, () => child.kill('SIGTERM')]) {
    if (!request) continue
    request()
    if (await endsWithin(exited, PATIENCE_MS)) return
  }
  child.kill('SIGKILL')
  await exited
}

async function endsWithin(exited: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))
  try {
    return await Promise.race([exited.then(() => true), late])
  } finally {
    clearTimeout(timer)
  }
}
