// Makes sure a test bed leaves nothing behind when its process ends without stop():
// - on SIGINT/SIGTERM/SIGHUP it runs the normal, asynchronous stop (registries end and are waited for, with a bound,
//   before the temp folder goes), then lets the signal end the process unless someone else handles it (the
//   CLI does, and awaits the same stop);
// - on a bare process exit, where nothing asynchronous can run, it kills the registries, waits for them
//   synchronously (bounded) and removes the folder.
// When this process is killed outright, nothing in it runs: a janitor process ends the registries and removes
// the folder then, see startJanitor.
import { spawn } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import type { Socket } from 'node:net'
import { stopChild } from '../stop-child.js'

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

export interface ExitCleanup {
  /** Synchronous last resort for the `exit` event. */
  now(): void
  /** The ordinary stop; must be idempotent (the CLI's own signal handler awaits it too). */
  gracefully(): Promise<void>
}

export function cleanUpOnExit(cleanup: ExitCleanup): { cancel(): void } {
  let exitCleanupDone = false
  const onExit = () => {
    if (!exitCleanupDone) {
      exitCleanupDone = true
      cleanup.now()
    }
  }
  const onSignal = (signal: NodeJS.Signals) => {
    stopListeningForSignals()
    void cleanup.gracefully().finally(() => {
      process.off('exit', onExit)
      // With no other listener left, let the signal do what it would have done without us: end the process.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
    })
  }
  const stopListeningForSignals = () => {
    for (const signal of SIGNALS) process.off(signal, onSignal)
  }
  process.on('exit', onExit)
  for (const signal of SIGNALS) process.on(signal, onSignal)
  return {
    cancel: () => {
      process.off('exit', onExit)
      stopListeningForSignals()
    }
  }
}

/**
 * Blocks until process `pid` is gone or a zombie (a zombie writes no more files), at most `timeoutMs`. Linux
 * only (reads /proc), like the Debian docker-registry it waits for; elsewhere it returns at once.
 */
export function waitForExitSync(pid: number, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs
  const pause = new Int32Array(new SharedArrayBuffer(4))
  while (Date.now() < deadline) {
    let state: string
    try {
      // /proc/<pid>/stat is "pid (comm) STATE ..."; comm may hold spaces, so read after the last ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    } catch {
      return
    }
    if (state === 'Z' || state === 'X') return
    Atomics.wait(pause, 0, 0, 10)
  }
}

export function removeDirNow(dir: string): void {
  // Retries cover a file a dying process created between the listing and the removal (ENOTEMPTY).
  rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 20 })
}

// A line on stdin dismisses it: the test bed stopped in order and removed everything itself. End of input
// without a line means this process is gone, however it ended (even SIGKILL closes the pipe): it then ends the
// folder's registries ($2 is their pgrep pattern), SIGTERM first and SIGKILL after 5 s, waits until none is
// left, and removes the folder. It ignores the signals a Ctrl-C or a hang-up sends to the whole process group:
// it must outlive this process, not die beside it.
const JANITOR = `trap '' INT TERM HUP
if read _line; then exit 0; fi
for signal in TERM KILL; do
  pkill -$signal -f "$2"
  for _ in $(seq 100); do pgrep -f "$2" >/dev/null || break; sleep 0.05; done
done
rm -rf "$1"`

/**
 * Starts a small shell that cleans up after this process when it is killed outright (tsx's CLI SIGKILLs a
 * child that does not acknowledge a relayed signal within 30 ms, which a loaded machine can miss; Jest kills a
 * worker that does not end). `dismiss()` lets it go after an ordinary stop, which has cleaned up itself, and
 * resolves once it has exited.
 */
export function startJanitor(dir: string, registryPattern: string): { dismiss(): Promise<void> } {
  const janitor = spawn('sh', ['-c', JANITOR, 'janitor', dir, registryPattern], {
    stdio: ['pipe', 'ignore', 'ignore']
  })
  janitor.on('error', () => undefined)
  janitor.stdin.on('error', () => undefined)
  // Neither the process nor its pipe keeps this process alive (stopChild refs the process while it waits).
  janitor.unref()
  ;(janitor.stdin as unknown as Socket).unref()
  return { dismiss: () => stopChild(janitor, () => janitor.stdin.end('stopped\n')) }
}
