// Fault injection and counters, one object shared by every front: tests call the `Faults` side, the HTTPS
// router, the Docker Hub front and the Azure half's import job read the other side.
import { ArmThrottling } from './azure/arm/throttling.js'
import type {
  ArmFaultState,
  ArmRequestKind,
  ArmThrottleDecision,
  ArmThrottlingLimits,
  Faults
} from './types.js'

export class FaultState implements Faults, ArmFaultState {
  private readonly throttling = new ArmThrottling()
  private importThrottles: { status: 429 | 503; retryAfterSeconds: number }[] = []
  private nextImportFailure: string | undefined
  private connectionResets = new Map<string, { left: number; pathIncludes?: string }>()
  private hostThrottles = new Map<
    string,
    { left: number; retryAfterSeconds: number; pathIncludes?: string }
  >()
  private latencies = new Map<string, number>()
  private tagsPageLimits = new Map<string, number>()
  private unstallWaiters: (() => void)[] = []
  private anonymousDockerHubPullLimit = Infinity
  private anonymousDockerHubPulls = 0
  private anotherWriter: { repo: string; reference: string } | undefined
  importsStalled = false
  importPollFailure: 500 | 503 | undefined
  importPolls = 1
  importRetryAfterSeconds: number | undefined
  importAcceptedRetryAfterSeconds: number | undefined
  importDurationMs = 0
  immediateImportAnswers = false

  throttleImports(count: number, status: 429 | 503, retryAfterSeconds: number): void {
    for (let i = 0; i < count; i++) this.importThrottles.push({ status, retryAfterSeconds })
  }

  resetConnections(host: string, count: number, pathIncludes?: string): void {
    this.connectionResets.set(host.toLowerCase(), { left: count, pathIncludes })
  }

  throttleHost(host: string, count: number, retryAfterSeconds: number, pathIncludes?: string): void {
    this.hostThrottles.set(host.toLowerCase(), { left: count, retryAfterSeconds, pathIncludes })
  }

  stallImports(on: boolean): void {
    this.importsStalled = on
    if (!on) for (const resume of this.unstallWaiters.splice(0)) resume()
  }

  whenImportsUnstalled(): Promise<void> {
    return this.importsStalled
      ? new Promise((resolve) => this.unstallWaiters.push(resolve))
      : Promise.resolve()
  }

  failNextImport(message: string): void {
    this.nextImportFailure = message
  }

  importTimeline(polls: number, retryAfterSeconds?: number, acceptedRetryAfterSeconds?: number): void {
    this.importPolls = polls
    this.importRetryAfterSeconds = retryAfterSeconds
    this.importAcceptedRetryAfterSeconds = acceptedRetryAfterSeconds
  }

  importDuration(ms: number): void {
    if (!(ms >= 0 && isFinite(ms))) throw new RangeError('importDuration takes a number of ms >= 0.')
    this.importDurationMs = ms
  }

  immediateImportAnswer(on: boolean): void {
    this.immediateImportAnswers = on
  }

  failImportPolls(status: 500 | 503, on: boolean): void {
    this.importPollFailure = on ? status : undefined
  }

  anotherWriterOnNextImport(image: { repo: string; reference: string }): void {
    this.anotherWriter = { ...image }
  }

  takeAnotherWriter(): { repo: string; reference: string } | undefined {
    const image = this.anotherWriter
    this.anotherWriter = undefined
    return image
  }

  latency(host: string, ms: number): void {
    this.latencies.set(host.toLowerCase(), ms)
  }

  /** Counting starts afresh with each new limit, so a test sees exactly `limit` pulls succeed. */
  dockerHubAnonymousLimit(limit: number): void {
    this.anonymousDockerHubPullLimit = limit
    this.anonymousDockerHubPulls = 0
  }

  tagsPageLimit(host: string, limit: number): void {
    if (!(limit >= 1) || (isFinite(limit) && !Number.isInteger(limit)))
      throw new RangeError('tagsPageLimit takes a whole number >= 1, or Infinity.')
    this.tagsPageLimits.set(host.toLowerCase(), limit)
  }

  armThrottling(limits: ArmThrottlingLimits): void {
    this.throttling.configure(limits)
  }

  reset(): void {
    this.throttling.configure({})
    this.importThrottles = []
    this.nextImportFailure = undefined
    this.connectionResets.clear()
    this.hostThrottles.clear()
    this.latencies.clear()
    this.tagsPageLimits.clear()
    this.anonymousDockerHubPullLimit = Infinity
    this.anonymousDockerHubPulls = 0
    this.stallImports(false)
    this.importPolls = 1
    this.importRetryAfterSeconds = undefined
    this.importAcceptedRetryAfterSeconds = undefined
    this.importDurationMs = 0
    this.immediateImportAnswers = false
    this.importPollFailure = undefined
    this.anotherWriter = undefined
  }

  takeImportThrottle(): { status: 429 | 503; retryAfterSeconds: number } | undefined {
    return this.importThrottles.shift()
  }

  takeArmRequest(request: ArmRequestKind): ArmThrottleDecision {
    return this.throttling.take(request)
  }

  takeImportFailure(): string | undefined {
    const message = this.nextImportFailure
    this.nextImportFailure = undefined
    return message
  }

  /** True when this request to `host` must be answered by a reset connection (consumes one). */
  takeConnectionReset(host: string, path = '/'): boolean {
    const reset = this.connectionResets.get(host)
    if (!reset || reset.left <= 0) return false
    if (reset.pathIncludes !== undefined && !path.includes(reset.pathIncludes)) return false
    reset.left--
    return true
  }

  /** The Retry-After (seconds) this request to `host` must be throttled with, if any (consumes one). */
  takeHostThrottle(host: string, path = '/'): number | undefined {
    const throttle = this.hostThrottles.get(host)
    if (!throttle || throttle.left <= 0) return undefined
    if (throttle.pathIncludes !== undefined && !path.includes(throttle.pathIncludes)) return undefined
    throttle.left--
    return throttle.retryAfterSeconds
  }

  tagsPageLimitFor(host: string): number {
    return this.tagsPageLimits.get(host) ?? this.tagsPageLimits.get('*') ?? Infinity
  }

  latencyFor(host: string): number {
    return this.latencies.get(host) ?? this.latencies.get('*') ?? 0
  }

  /** The anonymous Docker Hub budget as it stands, without spending any (what a manifest HEAD sees). */
  peekAnonymousDockerHubPulls(): { allowed: boolean; remaining: number; limit: number } {
    const limit = this.anonymousDockerHubPullLimit
    const remaining = Math.max(0, limit - this.anonymousDockerHubPulls)
    return { allowed: remaining > 0, remaining, limit }
  }

  /** Counts one anonymous Docker Hub manifest pull (a GET); false once the limit is used up. */
  takeAnonymousDockerHubPull(): { allowed: boolean; remaining: number; limit: number } {
    const limit = this.anonymousDockerHubPullLimit
    if (this.anonymousDockerHubPulls >= limit) return { allowed: false, remaining: 0, limit }
    this.anonymousDockerHubPulls++
    return { allowed: true, remaining: limit - this.anonymousDockerHubPulls, limit }
  }
}
