// Runs a batch's entries with a bounded, adaptive number in flight (AdaptiveLimit), keeping results in input
// order. Throttling anywhere pauses the start of new work for the server's Retry-After. With fail-fast, the
// first failure stops new starts; the entries never started get `notStarted` results. With fail-fast and
// `concurrency: auto`, the first entry goes alone, as a canary: auto starts up to 64 at once, so without it every
// entry of a usual batch would have started before the first failure is known, and fail-fast would stop nothing.
// While work runs, a progress line comes at least every PROGRESS_EVERY_MS.
import { AdaptiveLimit } from './adaptive-limit.js'
import type { Clock } from '../util/clock.js'

export const PROGRESS_EVERY_MS = 10_000

export interface ScheduleOptions<R> {
  concurrency: 'auto' | number
  failFast: boolean
  clock: Clock
  /** Prints one progress line (in the step's log, outside every entry's group). */
  progress(line: string): void
  isFailure(result: R): boolean
  /** The result of an entry that fail-fast kept from starting. */
  notStarted(index: number): R
}

/** What a running entry tells the scheduler. */
export interface SchedulerSignals {
  /** A service answered 429/503 and asked for `retryAfterMs`. */
  throttled(retryAfterMs: number): void
}

export function schedule<T, R>(
  items: T[],
  options: ScheduleOptions<R>,
  work: (item: T, index: number, signals: SchedulerSignals) => Promise<R>
): Promise<R[]> {
  const { clock } = options
  const limit = new AdaptiveLimit(options.concurrency, clock.now)
  const results = new Array<R>(items.length)
  /** The summed durations of the entries that ended (for the estimate of what is left). */
  let finishedMs = 0
  let next = 0
  let running = 0
  let done = 0
  let failed = 0
  let stopped = false
  /** The canary runs: nothing else starts until it ended. */
  let canary = options.failFast && options.concurrency === 'auto' && items.length > 1
  let wakeScheduled = false
  // Ends a pending wake-up with the batch: a timer left behind would keep the process alive.
  const batchEnd = new AbortController()

  return new Promise<R[]>((resolve, reject) => {
    const progressLine = (): string => {
      const parts = [`${done}/${items.length} done`, `${running} running`, `${failed} failed`]
      // Entries not started yet: concurrency or a throttling pause holds them back.
      const waiting = items.length - next
      if (waiting > 0) parts.push(`${waiting} waiting`)
      const pausedMs = limit.resumeAt - clock.now()
      if (pausedMs > 0) parts.push(`throttled: new imports wait ${Math.ceil(pausedMs / 1000)} s`)
      if (done > 0) {
        // What is left runs `limit` at a time, each about as long as those that ended took.
        const left = items.length - done
        const leftMs = (finishedMs / done) * (left / Math.max(1, Math.min(limit.current, left)))
        parts.push(`about ${Math.max(1, Math.round(leftMs / 1000))} s left`)
      }
      return parts.join(', ')
    }
    const stopProgress = clock.every(PROGRESS_EVERY_MS, () => options.progress(progressLine()))

    const pump = (): void => {
      if (stopped) {
        for (; next < items.length; next++, done++) results[next] = options.notStarted(next)
      }
      while (next < items.length && running < (canary ? 1 : limit.current)) {
        const pausedMs = limit.resumeAt - clock.now()
        if (pausedMs > 0) {
          if (!wakeScheduled) {
            wakeScheduled = true
            clock.sleep(pausedMs, batchEnd.signal).then(
              () => {
                wakeScheduled = false
                pump()
              },
              () => undefined
            )
          }
          break
        }
        start(next++)
      }
      if (done === items.length) {
        stopProgress()
        batchEnd.abort()
        resolve(results)
      }
    }

    const start = (index: number): void => {
      running++
      const startedAt = clock.now()
      const signals: SchedulerSignals = { throttled: (ms) => limit.throttled(ms, running) }
      work(items[index], index, signals).then(
        (result) => {
          results[index] = result
          finishedMs += clock.now() - startedAt
          running--
          done++
          canary = false
          if (options.isFailure(result)) {
            failed++
            stopped ||= options.failFast
          } else {
            limit.succeeded()
          }
          pump()
        },
        (err: unknown) => {
          // Work reports failures as results; a throw is a bug or a cancellation and ends the batch.
          stopProgress()
          batchEnd.abort()
          reject(err)
        }
      )
    }

    pump()
  })
}
