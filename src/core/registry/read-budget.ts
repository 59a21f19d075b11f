// The data-plane reads that watch imports land, shared by the whole batch: a token bucket sized to the target
// registry's SKU, so a batch of hundreds of imports never spends the registry's read operations a minute
// (Basic 1,000, Standard 3,000, Premium 10,000). We take half of it: the plan and verify reads, other clients
// and ACR's own import share the rest.
import { sleep } from '../util/sleep.js'

const READS_PER_MINUTE: Record<string, number> = { basic: 1000, standard: 3000, premium: 10000 }
const OUR_SHARE = 0.5

export class ReadBudget {
  private tokens: number
  private refilledAt: number

  constructor(
    readonly perSecond: number,
    private readonly capacity: number,
    private readonly now: () => number = Date.now
  ) {
    this.tokens = capacity
    this.refilledAt = now()
  }

  /** The budget for a registry of `sku` (an unknown SKU gets Basic's). */
  static forSku(sku: string | undefined, now?: () => number): ReadBudget {
    const perMinute = READS_PER_MINUTE[sku?.toLowerCase() ?? ''] ?? READS_PER_MINUTE.basic
    const perSecond = (perMinute / 60) * OUR_SHARE
    return new ReadBudget(perSecond, Math.max(1, Math.floor(perSecond)), now)
  }

  /** Takes `count` reads, waiting for the bucket to refill when it is empty. */
  async take(count: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      this.refill()
      if (this.tokens >= count) {
        this.tokens -= count
        return
      }
      await sleep(((count - this.tokens) / this.perSecond) * 1000, signal)
    }
  }

  private refill(): void {
    const now = this.now()
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond)
    this.refilledAt = now
  }
}
