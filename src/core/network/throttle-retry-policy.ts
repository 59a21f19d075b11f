// Throttling must never fail an entry while it clears within the entry's timeout. The SDKs' own retry policy
// retries a 429/503 only three times; this policy, placed inside it (after the Retry phase), waits what the
// server asks (Retry-After, retry-after-ms, x-ms-retry-after-ms) and sends again until the entry's time is up
// (its deadline, or the request's abort signal). Every send waits for its turn at the service's pacer
// (util/pacer.ts), which every entry shares, and every answer goes back to it, so the step as a whole backs off.
// Every throttled answer is also reported to the observer of the entry whose work sent the request
// (AsyncLocalStorage follows the async calls), which counts it and tells the scheduler.
import { AsyncLocalStorage } from 'node:async_hooks'
import {
  RestError,
  type HttpHeaders,
  type PipelinePolicy,
  type PipelineRequest
} from '@azure/core-rest-pipeline'
import { pacerFor, type Pacer } from '../util/pacer.js'
import { urlHost } from '../errors/answering-service.js'

export interface ThrottleObserver {
  /** `host` answered `status` (429 or 503); the request waits `retryAfterMs` before it is sent again. */
  throttled(answer: { status: number; host: string; retryAfterMs: number }): void
  /** When the entry's time is up (ms since the epoch): a wait past it is not started, the answer is returned. */
  deadline?(): number
}

const observers = new AsyncLocalStorage<ThrottleObserver>()

/** The observer of the requests sent from here on (the entry's), if any. */
export function currentThrottleObserver(): ThrottleObserver | undefined {
  return observers.getStore()
}

/** Runs `work` with `observer` told about every throttled answer to the requests that `work` sends. */
export function observeThrottling<T>(observer: ThrottleObserver, work: () => Promise<T>): Promise<T> {
  return observers.run(observer, work)
}

export const THROTTLE_RETRY_POLICY_NAME = 'acrImportThrottleRetryPolicy'

/** Requests outside an entry (registry lookups) have no timeout of their own: they give up after this long. */
const UNBOUNDED_REQUEST_MAX_WAIT_MS = 5 * 60_000
/** Without a header: 1 s, doubling, at most 30 s, never in lock-step with other clients. */
const FALLBACK_FIRST_MS = 1000
const FALLBACK_MAX_MS = 30_000

/**
 * Who answers: `arm`, ARM's buckets (reads and writes apart), probed first, since ARM says what is left; `acr`, an
 * ACR data plane, one bucket per host, open until it throttles; `entra`, Entra ID's token endpoint, the same;
 * `registry`, the same for any other registry, whose 503 is an outage rather than throttling.
 */
export type ThrottledService = 'arm' | 'acr' | 'entra' | 'registry'

export function throttleRetryPolicy(service: ThrottledService = 'acr'): PipelinePolicy {
  return {
    name: THROTTLE_RETRY_POLICY_NAME,
    async sendRequest(request, next) {
      const started = Date.now()
      const pacer = pacerOf(service, request.url, request.method)
      const signal = request.abortSignal as AbortSignal | undefined
      const observer = observers.getStore()
      // An entry's requests wait until its deadline; requests outside an entry get a budget of their own.
      const deadline = () => (observer ? observer.deadline?.() : started + UNBOUNDED_REQUEST_MAX_WAIT_MS)
      for (let attempt = 0; ; attempt++) {
        if (!(await pacer.turn(signal, deadline() ?? Infinity))) {
          // The service's pace leaves no turn within this request's time: a registry's read fails now, saying
          // so; an Azure request goes anyway and brings back the service's own answer.
          if (service === 'registry') throw tooLong(request, pacer.waitMs(), deadline())
          return next(request)
        }
        let response
        try {
          response = await next(request)
        } catch (err) {
          pacer.settle({})
          throw err
        }
        const remaining = remainingOf(response.headers)
        if (!isThrottled(service, response.status)) {
          pacer.settle({ remaining })
          return response
        }
        const retryAfterMs = retryAfterOf(response.headers) ?? fallbackDelay(attempt)
        pacer.settle({ throttledForMs: retryAfterMs, remaining })
        const until = deadline()
        if (until !== undefined && Date.now() + retryAfterMs > until) {
          if (service !== 'registry') return response
          throw tooLong(request, retryAfterMs, until)
        }
        observer?.throttled({ status: response.status, host: urlHost(request.url) ?? '', retryAfterMs })
      }
    }
  }
}

/**
 * Azure's services answer 429 or 503 when they throttle; a registry's 503 is an outage, left to the pipeline's
 * own retries (three), so a service that is down fails its read instead of being waited for.
 */
function isThrottled(service: ThrottledService, status: number): boolean {
  return status === 429 || (status === 503 && service !== 'registry')
}

/**
 * A registry's read is not waited for past its time: it fails now, saying so. The error carries no answer,
 * which the pipeline's own retry strategy would wait out.
 */
function tooLong(request: PipelineRequest, waitMs: number, deadline: number | undefined): RestError {
  const left = Math.max(0, Math.round(((deadline ?? Date.now()) - Date.now()) / 1000))
  return new RestError(
    `${urlHost(request.url)} asked to wait ${Math.ceil(waitMs / 1000)} s (Retry-After), longer than the ${left} s this read has left`,
    { code: 'RETRY_AFTER_TOO_LONG', statusCode: 429, request }
  )
}

/** ARM counts reads and writes in buckets of their own; any other service is one bucket per host. */
function pacerOf(service: ThrottledService, url: string, method: string): Pacer {
  const host = urlHost(url) ?? ''
  if (service !== 'arm') return pacerFor(host)
  const reads = method === 'GET' || method === 'HEAD'
  return pacerFor(`${host} ${reads ? 'reads' : 'writes'}`, true)
}

/** ARM's own count of the requests left in the bucket this one came out of. */
function remainingOf(headers: HttpHeaders): number | undefined {
  for (const name of [
    'x-ms-ratelimit-remaining-subscription-writes',
    'x-ms-ratelimit-remaining-subscription-reads'
  ]) {
    const value = Number(headers.get(name))
    if (headers.get(name) && Number.isFinite(value)) return value
  }
  return undefined
}

/** The wait a 429/503 asks for, in ms: `retry-after-ms`, `x-ms-retry-after-ms`, then `Retry-After` (s or date). */
export function retryAfterOf(headers: HttpHeaders): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(headers.get(name))
    if (headers.get(name) && Number.isFinite(ms) && ms >= 0) return ms
  }
  const value = headers.get('retry-after')?.trim()
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

function fallbackDelay(attempt: number): number {
  const base = Math.min(FALLBACK_MAX_MS, FALLBACK_FIRST_MS * 2 ** Math.min(attempt, 10))
  return base * (0.8 + Math.random() * 0.4)
}
