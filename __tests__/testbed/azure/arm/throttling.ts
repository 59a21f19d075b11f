// ARM's request throttling as ARM does it since 2024 (learn.microsoft.com, "Understand how Azure Resource Manager
// throttles requests"): token buckets that "apply per subscription, per service principal, and per operation
// type". A bucket holds up to `capacity` tokens and gains `refillPerSecond` tokens a second; each request takes
// one. Not modelled: the per-region split (the test bed has one ARM), the global subscription buckets (15 times
// a principal's, across all principals), the tenant buckets and the delete bucket.
import type {
  ArmRequestKind,
  ArmThrottleDecision,
  ArmThrottlingLimits,
  TokenBucketLimit
} from '../../types.js'

/** Real ARM's subscription limits (2024+): writes 200 burst + 10/s, reads 250 burst + 25/s. */
export const ARM_SUBSCRIPTION_LIMITS = {
  writes: { capacity: 200, refillPerSecond: 10 },
  reads: { capacity: 250, refillPerSecond: 25 }
} as const satisfies Required<ArmThrottlingLimits>

/** Throws when a limit is not a bucket ARM could have: capacity a whole number >= 1, refill > 0. */
export function checkTokenBucketLimit(limit: TokenBucketLimit, name: string): void {
  if (!Number.isInteger(limit.capacity) || limit.capacity < 1)
    throw new RangeError(`${name}.capacity must be a whole number >= 1.`)
  if (!(
    typeof limit.refillPerSecond === 'number' &&
    limit.refillPerSecond > 0 &&
    isFinite(limit.refillPerSecond)
  ))
    throw new RangeError(`${name}.refillPerSecond must be a number > 0.`)
}

class TokenBucket {
  private tokens: number
  private at: number

  constructor(
    private readonly limit: TokenBucketLimit,
    private readonly now: () => number
  ) {
    this.tokens = limit.capacity
    this.at = now()
  }

  /** Takes a token: the tokens left, or the whole seconds until one is there. */
  take(): { remaining: number } | { retryAfterSeconds: number } {
    const now = this.now()
    this.tokens = Math.min(
      this.limit.capacity,
      this.tokens + ((now - this.at) / 1000) * this.limit.refillPerSecond
    )
    this.at = now
    if (this.tokens >= 1) {
      this.tokens -= 1
      return { remaining: Math.floor(this.tokens) }
    }
    return { retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.limit.refillPerSecond)) }
  }
}

const HEADER = {
  read: 'x-ms-ratelimit-remaining-subscription-reads',
  write: 'x-ms-ratelimit-remaining-subscription-writes'
}

export class ArmThrottling {
  private limits: ArmThrottlingLimits = {}
  private readonly buckets = new Map<string, TokenBucket>()

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** New limits, with every bucket full. */
  configure(limits: ArmThrottlingLimits): void {
    if (limits.writes) checkTokenBucketLimit(limits.writes, 'writes')
    if (limits.reads) checkTokenBucketLimit(limits.reads, 'reads')
    this.limits = { ...limits }
    this.buckets.clear()
  }

  take(request: ArmRequestKind): ArmThrottleDecision {
    const limit = request.kind === 'write' ? this.limits.writes : this.limits.reads
    if (!limit) return { allowed: true }
    const key = `${request.kind} ${request.subscriptionId.toLowerCase()} ${request.principalId.toLowerCase()}`
    let bucket = this.buckets.get(key)
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(limit, this.now)))
    const taken = bucket.take()
    return 'remaining' in taken
      ? { allowed: true, header: { name: HEADER[request.kind], remaining: taken.remaining } }
      : { allowed: false, retryAfterSeconds: taken.retryAfterSeconds }
  }
}
