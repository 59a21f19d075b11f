// One entry's throttling: counts the 429/503 answers its requests met (for its result and its timeout message),
// passes each on to the scheduler, and bounds how long its throttled requests may wait. Reads before the import
// wait no longer than the import may take; once the import starts, its own timeout (an abort signal) ends its
// waits, and the deadline, a little later, only bounds the reads after it.
import type { ThrottlingSoFar } from '../arm/import-image.js'
import type { ThrottleObserver } from '../network/throttle-retry-policy.js'
import type { EntryLog } from '../log/entry-log.js'
import type { SchedulerSignals } from './scheduler.js'

/** The import's own timeout must fire before the throttle policy gives up on a request of it. */
const DEADLINE_GRACE_MS = 1000

export class EntryThrottling implements ThrottleObserver {
  private count = 0
  private last = { host: '', status: 0 }
  private deadlineAt: number

  constructor(
    private readonly timeoutMs: number,
    private readonly scheduler: SchedulerSignals,
    private readonly log: EntryLog
  ) {
    this.deadlineAt = Date.now() + timeoutMs
  }

  throttled({ host, status, retryAfterMs }: { host: string; status: number; retryAfterMs: number }): void {
    this.count++
    this.last = { host, status }
    this.log.debug(`${host} answered ${status}; retrying in ${Math.round(retryAfterMs)} ms`)
    this.scheduler.throttled(retryAfterMs)
  }

  deadline(): number {
    return this.deadlineAt
  }

  /** The import's POST is about to go out: from now on its timeout rules. */
  importStarting(): void {
    this.deadlineAt = Date.now() + this.timeoutMs + DEADLINE_GRACE_MS
  }

  soFar(): ThrottlingSoFar {
    return { count: this.count, ...this.last }
  }
}
