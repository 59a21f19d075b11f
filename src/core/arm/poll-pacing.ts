// How often to poll ARM for long-running imports. Polls are reads, and ARM gives a subscription 250 reads at
// once and 25 a second after that; a batch of imports must leave room for everything else in the subscription.
// When ARM names a Retry-After, it wins (never poll sooner); otherwise the interval grows with the imports in
// flight so that all their polls together stay under POLL_READS_PER_SECOND. Each wait gets jitter (only ever
// longer) so that imports started together do not poll in lock-step.

/** Our share of the subscription's 25 reads a second. */
export const POLL_READS_PER_SECOND = 10
/** The fastest poll of one import when ARM does not say (the SDK's poller default is 2 s). */
export const MIN_POLL_INTERVAL_MS = 1000
/** Waits are 0-25 % longer than the base, at random. */
const JITTER = 0.25

export class PollPacing {
  private active = 0

  constructor(private readonly random: () => number = Math.random) {}

  /** Counts an operation as polling until the returned function is called. */
  begin(): () => void {
    this.active++
    let ended = false
    return () => {
      if (!ended) this.active--
      ended = true
    }
  }

  /** The wait before the next poll of one operation, given the Retry-After ARM sent (ms), if any. */
  nextPollDelayMs(retryAfterMs?: number): number {
    const budgeted = Math.max(MIN_POLL_INTERVAL_MS, (this.active * 1000) / POLL_READS_PER_SECOND)
    const base = Math.max(retryAfterMs ?? 0, budgeted)
    return Math.round(base * (1 + JITTER * this.random()))
  }
}
