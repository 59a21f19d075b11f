// One pacer per service bucket (a host; for ARM, its reads or its writes), shared by every request of the step:
// the client-side half of the service's rate limit, so a dry bucket is met by one request, not by thirty.
//  - A service that says what is left (ARM's x-ms-ratelimit-remaining-subscription-*) is probed first: one
//    request goes alone, and then no more are in flight at once than it says are left.
//  - After a 429/503, nothing goes until its Retry-After has passed; then one request at a time, spaced by an
//    interval that starts at the Retry-After, doubles on each further 429 and shrinks while answers show slack,
//    so the rate follows the refill the service shows (the AWS SDKs' adaptive retry mode works alike).
//  - A pacer that has heard nothing for a while starts over, open.
import { sleep } from './sleep.js'

export interface PacedAnswer {
  /** 429 or 503 with how long the service asked to wait. */
  throttledForMs?: number
  /** What the service says is left in its bucket after this request. */
  remaining?: number
}

const MIN_INTERVAL_MS = 50
const MAX_INTERVAL_MS = 30_000
const SPEED_UP = 0.8
const QUIET_RESET_MS = 30_000

export class Pacer {
  private blockedUntil = 0
  private intervalMs = 0
  private lastSendAt = 0
  private lastAnswerAt = 0
  /** What the service last said is left; undefined while it has said nothing. */
  private budget?: number
  private inFlight = 0
  private probing: boolean
  private waiting: (() => void)[] = []

  constructor(
    private readonly probeFirst: boolean,
    private readonly now: () => number = Date.now
  ) {
    this.probing = probeFirst
  }

  /**
   * Resolves true when a request may be sent (every turn taken must be settled), or false at once when its turn
   * would come only after `deadline` (ms since the epoch): then no turn is taken. Rejects only when `signal` aborts.
   */
  async turn(signal?: AbortSignal, deadline = Infinity): Promise<boolean> {
    if (this.inFlight === 0 && this.now() - this.lastAnswerAt > QUIET_RESET_MS) this.startOver()
    for (;;) {
      const now = this.now()
      const waitMs = this.waitMs()
      if (waitMs <= 0 && this.mayStart()) {
        this.inFlight++
        this.lastSendAt = now
        return true
      }
      if (now + waitMs > deadline) return false
      if (waitMs > 0) await sleep(waitMs, signal)
      else await this.nextAnswer(signal)
    }
  }

  /** The answer to a request sent on a turn. */
  settle(answer: PacedAnswer): void {
    this.inFlight = Math.max(0, this.inFlight - 1)
    this.lastAnswerAt = this.now()
    this.probing = false
    if (answer.remaining !== undefined) this.budget = answer.remaining
    if (answer.throttledForMs !== undefined) {
      this.blockedUntil = Math.max(this.blockedUntil, this.now() + answer.throttledForMs)
      this.intervalMs = this.intervalMs
        ? Math.min(MAX_INTERVAL_MS, this.intervalMs * 2)
        : Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS * 2, answer.throttledForMs))
      this.budget = 0
    } else if (this.intervalMs > 0 && (answer.remaining === undefined || answer.remaining > 0)) {
      // Slack in the bucket (or no word on it): a little faster; at the service's pace already: stay.
      this.intervalMs *= SPEED_UP
      if (this.intervalMs < MIN_INTERVAL_MS) this.intervalMs = 0
    }
    const waiting = this.waiting
    this.waiting = []
    waiting.forEach((wake) => wake())
  }

  /** How long a request would wait for its turn now, at the least. */
  waitMs(): number {
    const now = this.now()
    return Math.max(
      0,
      this.blockedUntil - now,
      this.intervalMs > 0 ? this.lastSendAt + this.intervalMs - now : 0
    )
  }

  private mayStart(): boolean {
    if (this.probing || this.intervalMs > 0) return this.inFlight === 0
    return this.budget === undefined || this.inFlight < Math.max(1, this.budget)
  }

  private nextAnswer(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const onAbort = (): void => reject(signal?.reason)
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiting.push(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      })
    })
  }

  private startOver(): void {
    this.probing = this.probeFirst
    this.budget = undefined
    this.intervalMs = 0
  }
}

const pacers = new Map<string, Pacer>()

/** The process's pacer for one service bucket (`management.azure.com writes`, `registry-1.docker.io`). */
export function pacerFor(bucket: string, probeFirst = false): Pacer {
  let pacer = pacers.get(bucket)
  if (!pacer) {
    pacer = new Pacer(probeFirst)
    pacers.set(bucket, pacer)
  }
  return pacer
}
