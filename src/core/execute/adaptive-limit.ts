// How many imports may be in flight. A number the user gave is a fixed maximum. `auto` starts wide (a batch of
// 50 goes out at once) and adapts like TCP's congestion window: when ARM, Entra ID or a registry answers
// 429/503 it halves (once per throttling episode, not once per throttled request), and it grows by one with each
// entry that ends, back up to where it started. Either way, new work waits out the server's Retry-After.
// It never falls below AUTO_FLOOR: entries in flight wait out their own throttling, and a window of one would
// leave a refilling bucket unused while an import runs.

export const AUTO_START = 64
export const AUTO_FLOOR = 4
/** Throttled answers within this long (or the Retry-After, if longer) of a decrease belong to its episode. */
export const EPISODE_MS = 5000

export class AdaptiveLimit {
  private limit: number
  private pausedUntil = 0
  private lastDecreaseAt = -Infinity
  private lastPauseMs = 0

  constructor(
    private readonly concurrency: 'auto' | number,
    private readonly now: () => number
  ) {
    this.limit = concurrency === 'auto' ? AUTO_START : concurrency
  }

  get current(): number {
    return this.limit
  }

  /** When new work may start again (ms since the epoch); 0 or past when it may now. */
  get resumeAt(): number {
    return this.pausedUntil
  }

  /** A 429/503 with this Retry-After, while `running` entries were in flight. */
  throttled(retryAfterMs: number, running: number): void {
    const now = this.now()
    this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs)
    if (this.concurrency !== 'auto') return
    // Answers to requests that were already in flight belong to the same episode: decrease once for them.
    if (now - this.lastDecreaseAt < Math.max(EPISODE_MS, this.lastPauseMs)) return
    this.limit = Math.max(AUTO_FLOOR, Math.floor(Math.min(this.limit, Math.max(running, 1)) / 2))
    this.lastDecreaseAt = now
    this.lastPauseMs = retryAfterMs
  }

  /** An entry ended: the additive increase, back up to the starting width. */
  succeeded(): void {
    if (this.concurrency === 'auto') this.limit = Math.min(AUTO_START, this.limit + 1)
  }
}
