// The ARM import itself (registries/importImage, a long-running operation), driven here rather than by the SDK's
// poller so that ARM is never polled sooner than its Retry-After, polls of many imports are spread out, and an
// import ends as soon as the data plane shows it landed (`landed`), while ARM stays the judge of failures.
// Requests go through the ARM client's own pipeline (sign-in, proxy, api-version, retries). ACR imports are known
// to hang in "Running" forever, so every import has a client-side time limit.
import type { ImportImageParameters } from '@azure/arm-containerregistry'
import { isRestError, RestError, type PipelineResponse } from '@azure/core-rest-pipeline'
import { answeringService } from '../errors/answering-service.js'
import { hintFor } from '../errors/hints.js'
import { UserError } from '../errors/user-error.js'
import { safeText } from '../log/safe-text.js'
import { sleep } from '../util/sleep.js'
import type { ArmRegistries } from './management.js'
import type { PollPacing } from './poll-pacing.js'
import type { RegistryInfo } from './registry-info.js'
import { retryAfterOf } from '../network/throttle-retry-policy.js'

/** Polls that fail in a row (each after the pipeline's own retries) before the import's end is called unknown. */
const MAX_FAILED_POLLS = 3
const PENDING = new Set(['accepted', 'inprogress', 'running', 'notstarted', 'creating', 'updating'])

export interface ImportOptions {
  wait: boolean
  timeoutSeconds: number
  signal?: AbortSignal
  /** For messages: the source as the user knows it. */
  sourceName: string
  pacing: PollPacing
  /**
   * Watches the data plane while the operation runs: resolves true once every target serves the imported digest,
   * false when the data plane cannot tell (then ARM alone decides). Aborted when the import ends.
   */
  landed?: (signal: AbortSignal) => Promise<boolean>
  /** The throttling the entry met so far, to explain a timeout by it. */
  throttling?: () => ThrottlingSoFar | undefined
}

export interface ThrottlingSoFar {
  count: number
  /** The last throttled answer: its host and status. */
  host: string
  status: number
}

export type ImportOutcome = { status: 'queued' } | { status: 'imported'; seenOn: 'ARM' | 'the data plane' }

/** Imports and waits, or only starts the import when wait is false ('queued'). */
export async function importImage(
  arm: ArmRegistries,
  target: RegistryInfo,
  parameters: ImportImageParameters,
  options: ImportOptions
): Promise<ImportOutcome> {
  const timeout = AbortSignal.timeout(options.timeoutSeconds * 1000)
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
  try {
    const accepted = await arm.send(target.subscriptionId, {
      method: 'POST',
      url: `${target.id}/importImage`,
      body: parameters,
      signal
    })
    // ARM answers 200 at once for imports that are over at once (small images).
    if (accepted.status === 200 || accepted.status === 201) return { status: 'imported', seenOn: 'ARM' }
    if (accepted.status !== 202) throw armError(accepted)
    if (!options.wait) return { status: 'queued' }
    return await followOperation(arm, target, accepted, options, signal)
  } catch (err) {
    if (timeout.aborted && !options.signal?.aborted) throw timedOut(target, options)
    throw err
  }
}

async function followOperation(
  arm: ArmRegistries,
  target: RegistryInfo,
  accepted: PipelineResponse,
  options: ImportOptions,
  signal: AbortSignal
): Promise<ImportOutcome> {
  let url = accepted.headers.get('azure-asyncoperation') ?? accepted.headers.get('location')
  if (!url) {
    throw new UserError(
      `ARM accepted the import of ${options.sourceName} into ${target.loginServer} but gave no address to follow it`,
      statusUnknownHint(target)
    )
  }
  const watchEnd = new AbortController()
  const landed = options.landed
    ? options.landed(AbortSignal.any([signal, watchEnd.signal])).catch(() => false)
    : Promise.resolve(false)
  // Resolves only when the data plane saw the import land; a watch that cannot tell leaves ARM to decide.
  const seenLanded = landed.then((yes) => (yes ? 'landed' : new Promise<never>(() => {})))
  const endPacing = options.pacing.begin()
  try {
    let retryAfterMs = retryAfterOf(accepted.headers)
    let failedPolls = 0
    for (;;) {
      const wait = options.pacing.nextPollDelayMs(retryAfterMs)
      // The wait ends with the operation, so no timer outlives it (a pending timer keeps the process alive).
      const waitEnd = AbortSignal.any([signal, watchEnd.signal])
      const woke = await Promise.race([sleep(wait, waitEnd).then(() => 'poll' as const), seenLanded])
      if (woke === 'landed') return { status: 'imported', seenOn: 'the data plane' }
      let response: PipelineResponse
      try {
        response = await arm.send(target.subscriptionId, { method: 'GET', url, signal })
      } catch (err) {
        if (signal.aborted) throw err
        if (++failedPolls >= MAX_FAILED_POLLS) throw statusUnknown(err, target, options)
        continue
      }
      if (response.status >= 500) {
        if (++failedPolls >= MAX_FAILED_POLLS) throw statusUnknown(armError(response), target, options)
        continue
      }
      failedPolls = 0
      if (response.status >= 300) throw armError(response)
      const state = operationState(response)
      if (state === 'pending') {
        url = response.headers.get('azure-asyncoperation') ?? response.headers.get('location') ?? url
        retryAfterMs = retryAfterOf(response.headers)
        continue
      }
      if (state === 'succeeded') return { status: 'imported', seenOn: 'ARM' }
      throw armError(response)
    }
  } finally {
    watchEnd.abort()
    endPacing()
  }
}

/** A timeout, explained by the throttling that made it (naming the service that throttled) when there was any. */
function timedOut(target: RegistryInfo, options: ImportOptions): UserError {
  const message = `Import of ${options.sourceName} into ${target.loginServer} did not finish within ${options.timeoutSeconds} s`
  const throttling = options.throttling?.()
  if (!throttling?.count) {
    return new UserError(
      message,
      'the operation may still complete in Azure; raise timeout, or check the registry for the tag'
    )
  }
  const { count, host, status } = throttling
  const hint = hintFor({ code: '', text: '', status, host, service: answeringService(host) })
  return new UserError(
    `${message}: ${host} throttled it ${count} time(s) (HTTP ${status})`,
    hint ?? 'raise timeout so throttled imports wait longer, or lower concurrency'
  )
}

/** 202, or 200 with a pending status (Azure-AsyncOperation style): pending; 200 Succeeded or no status: done. */
function operationState(response: PipelineResponse): 'pending' | 'succeeded' | 'failed' {
  if (response.status === 202) return 'pending'
  const status = String(parseBody(response)?.status ?? 'Succeeded').toLowerCase()
  if (PENDING.has(status)) return 'pending'
  return status === 'succeeded' ? 'succeeded' : 'failed'
}

/** ARM's `{"error":{"code","message"}}` as the RestError the SDK would throw (so hints see the answering host). */
export function armError(response: PipelineResponse): RestError {
  const error = parseBody(response)?.error as { code?: unknown; message?: unknown } | undefined
  const code = typeof error?.code === 'string' ? error.code : undefined
  const message =
    typeof error?.message === 'string' && error.message
      ? error.message
      : `ARM answered HTTP ${response.status}${code ? ` ${code}` : ''}`
  return new RestError(message, { code, statusCode: response.status, request: response.request, response })
}

function parseBody(response: PipelineResponse): Record<string, unknown> | undefined {
  try {
    const body: unknown = JSON.parse(response.bodyAsText ?? '')
    return body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** A poll that keeps failing says nothing about the import itself, which may well have landed. */
function statusUnknown(err: unknown, target: RegistryInfo, options: ImportOptions): UserError {
  const answer = isRestError(err)
    ? `${err.code ? `${err.code}, ` : ''}${err.statusCode ? `HTTP ${err.statusCode}` : 'no answer'} on every poll`
    : safeText(err instanceof Error ? err.message : String(err))
  return new UserError(
    `Import of ${options.sourceName} into ${target.loginServer}: ARM could not tell how it ended (${answer})`,
    statusUnknownHint(target)
  )
}

function statusUnknownHint(target: RegistryInfo): string {
  return (
    `the import may have completed in Azure; check the target tags (az acr repository show-tags --name ${target.name} ` +
    '--repository <repository>) and run the step again if they are missing'
  )
}
