// The long-running import driven against a scripted ARM: Retry-After is honoured, the data plane may end the
// wait early, ARM's failures win, and a poll that keeps failing says the import may have completed.
import { describe, expect, it } from '@jest/globals'
import {
  createHttpHeaders,
  createPipelineRequest,
  type PipelineRequest,
  type PipelineResponse
} from '@azure/core-rest-pipeline'
import { importImage } from '../../src/core/arm/import-image.js'
import type { ArmRegistries, ArmRequest } from '../../src/core/arm/management.js'
import { MIN_POLL_INTERVAL_MS, PollPacing, POLL_READS_PER_SECOND } from '../../src/core/arm/poll-pacing.js'
import type { RegistryInfo } from '../../src/core/arm/registry-info.js'
import { observeThrottling, throttleRetryPolicy } from '../../src/core/network/throttle-retry-policy.js'
import { describeError } from '../../src/core/errors/describe-error.js'

const TARGET: RegistryInfo = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/prodacr',
  name: 'prodacr',
  subscriptionId: 's',
  resourceGroup: 'rg',
  loginServer: 'prodacr.azurecr.io'
}
const LOCATION = 'https://management.azure.com/subscriptions/s/providers/x/operationResults/r1'

function answer(status: number, headers: Record<string, string> = {}, body?: unknown): PipelineResponse {
  return {
    status,
    headers: createHttpHeaders(headers),
    bodyAsText: body === undefined ? '' : JSON.stringify(body),
    request: createPipelineRequest({ url: LOCATION })
  }
}

/** An ARM that answers the POST with `accepted`, then each poll with the next of `polls` (the last repeats). */
function scriptedArm(accepted: PipelineResponse, polls: PipelineResponse[]) {
  const started = Date.now()
  const sent: { method: string; atMs: number }[] = []
  const arm = {
    send: (_sub: string, request: ArmRequest) => {
      sent.push({ method: request.method, atMs: Date.now() - started })
      if (request.method === 'POST') return Promise.resolve(accepted)
      const polled = sent.filter((s) => s.method === 'GET').length
      return Promise.resolve(polls[Math.min(polled, polls.length) - 1])
    }
  } as unknown as ArmRegistries
  return { arm, sent, polls: () => sent.filter((s) => s.method === 'GET') }
}

/** Polls as soon as ARM allows (the Retry-After, else 10 ms), without jitter. */
const fastPacing = { begin: () => () => undefined, nextPollDelayMs: (ms?: number) => ms ?? 10 } as PollPacing

const options = {
  wait: true,
  timeoutSeconds: 20,
  sourceName: 'docker.io/library/busybox:1.36',
  pacing: fastPacing
}
const PARAMETERS = {
  source: { sourceImage: 'library/busybox:1.36', registryUri: 'docker.io' },
  targetTags: ['b:1']
}

describe('importImage as a long-running operation', () => {
  it('takes a 200 on the POST as done, without polling', async () => {
    const { arm, polls } = scriptedArm(answer(200), [])
    expect(await importImage(arm, TARGET, PARAMETERS, options)).toEqual({ status: 'imported', seenOn: 'ARM' })
    expect(polls()).toHaveLength(0)
  })

  it('never polls sooner than the Retry-After, and follows a new Location', async () => {
    const { arm, polls } = scriptedArm(answer(202, { location: LOCATION, 'retry-after-ms': '300' }), [
      answer(202, { location: `${LOCATION}?2`, 'retry-after-ms': '200' }, { status: 'Accepted' }),
      answer(200, {}, { status: 'Succeeded' })
    ])
    expect(await importImage(arm, TARGET, PARAMETERS, options)).toEqual({ status: 'imported', seenOn: 'ARM' })
    const [first, second] = polls()
    expect(first.atMs).toBeGreaterThanOrEqual(300)
    expect(second.atMs - first.atMs).toBeGreaterThanOrEqual(200)
  })

  it('ends as soon as the data plane shows the import landed, long before a Retry-After of 10 s', async () => {
    const { arm, polls } = scriptedArm(answer(202, { location: LOCATION, 'retry-after': '10' }), [])
    const started = Date.now()
    const landed = () => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 50))
    const outcome = await importImage(arm, TARGET, PARAMETERS, { ...options, landed })
    expect(outcome).toEqual({ status: 'imported', seenOn: 'the data plane' })
    expect(Date.now() - started).toBeLessThan(1000)
    expect(polls()).toHaveLength(0)
  })

  it('leaves the decision to ARM when the data plane cannot tell', async () => {
    const { arm } = scriptedArm(answer(202, { location: LOCATION }), [
      answer(200, {}, { status: 'Succeeded' })
    ])
    const outcome = await importImage(arm, TARGET, PARAMETERS, { ...options, landed: async () => false })
    expect(outcome).toEqual({ status: 'imported', seenOn: 'ARM' })
  })

  it('reports ARM’s failure from the poll with its code and hint', async () => {
    const failure = {
      error: { code: 'InvalidParameters', message: 'Tag b:1 already exists in target registry.' }
    }
    const { arm } = scriptedArm(answer(202, { location: LOCATION }), [answer(400, {}, failure)])
    const error = await importImage(arm, TARGET, PARAMETERS, options).catch((err: unknown) => err)
    expect(describeError(error)).toMatch(
      /^InvalidParameters \(HTTP 400\): Tag b:1 already exists.*use force: true/
    )
  })

  it('says the import may have completed when every poll fails', async () => {
    const fault = { error: { code: 'InternalServerError', message: 'boom' } }
    const { arm, polls } = scriptedArm(answer(202, { location: LOCATION }), [answer(500, {}, fault)])
    const error = await importImage(arm, TARGET, PARAMETERS, options).catch((err: unknown) => err)
    expect(describeError(error)).toBe(
      'Import of docker.io/library/busybox:1.36 into prodacr.azurecr.io: ARM could not tell how it ended ' +
        '(InternalServerError, HTTP 500 on every poll). The import may have completed in Azure; check the target ' +
        'tags (az acr repository show-tags --name prodacr --repository <repository>) and run the step again if they are missing.'
    )
    expect(polls()).toHaveLength(3)
  })

  it('gives up at the timeout with a clear line', async () => {
    const { arm } = scriptedArm(answer(202, { location: LOCATION }), [
      answer(202, {}, { status: 'Accepted' })
    ])
    const error = await importImage(arm, TARGET, PARAMETERS, { ...options, timeoutSeconds: 0.3 }).catch(
      (err: unknown) => err
    )
    expect(describeError(error)).toMatch(
      /did not finish within 0\.3 s\. The operation may still complete in Azure/
    )
  })
})

describe('PollPacing', () => {
  it('never polls sooner than Retry-After, spreads polls with jitter, and slows down as more imports poll', () => {
    const pacing = new PollPacing(() => 1)
    expect(pacing.nextPollDelayMs()).toBe(MIN_POLL_INTERVAL_MS * 1.25)
    expect(pacing.nextPollDelayMs(10_000)).toBe(12_500)
    const ends = Array.from({ length: 100 }, () => pacing.begin())
    expect(new PollPacing(() => 0).nextPollDelayMs(10_000)).toBe(10_000)
    expect(pacing.nextPollDelayMs()).toBe(Math.round(((100 * 1000) / POLL_READS_PER_SECOND) * 1.25))
    ends.forEach((end) => end())
    expect(pacing.nextPollDelayMs()).toBe(MIN_POLL_INTERVAL_MS * 1.25)
  })
})

describe('throttleRetryPolicy', () => {
  const request = (signal?: AbortSignal): PipelineRequest =>
    createPipelineRequest({ url: 'https://management.azure.com/x', abortSignal: signal })
  const throttled = (headers: Record<string, string>): PipelineResponse => ({
    ...answer(429, headers),
    request: request()
  })

  it('waits what the server asks and retries until it passes, telling the entry each time', async () => {
    const answers = [
      throttled({ 'retry-after-ms': '30' }),
      throttled({ 'x-ms-retry-after-ms': '20' }),
      answer(200)
    ]
    const seen: { status: number; host: string; retryAfterMs: number }[] = []
    const started = Date.now()
    const response = await observeThrottling({ throttled: (a) => seen.push(a) }, () =>
      throttleRetryPolicy().sendRequest(request(), () => Promise.resolve(answers.shift()!))
    )
    expect(response.status).toBe(200)
    expect(seen).toEqual([
      { status: 429, host: 'management.azure.com', retryAfterMs: 30 },
      { status: 429, host: 'management.azure.com', retryAfterMs: 20 }
    ])
    expect(Date.now() - started).toBeGreaterThanOrEqual(45)
  })

  it('retries more than the SDK’s three times, until the entry’s timeout ends it', async () => {
    let sent = 0
    // A host of its own: the pacer of a host is shared, and this one starts fresh. It spaces the retries (100 ms,
    // doubling while the host keeps answering 429), so 3 s hold five sends at the least.
    const fresh = createPipelineRequest({
      url: 'https://retries.management.example/x',
      abortSignal: AbortSignal.timeout(3000)
    })
    const error = await throttleRetryPolicy()
      .sendRequest(fresh, () => {
        sent++
        return Promise.resolve(throttled({ 'retry-after-ms': '5' }))
      })
      .catch((err: unknown) => err)
    expect((error as Error).name).toMatch(/AbortError|TimeoutError/)
    expect(sent).toBeGreaterThan(4)
  })

  it('returns the throttled answer rather than wait past the entry’s deadline', async () => {
    const observer = { throttled: () => undefined, deadline: () => Date.now() + 50 }
    const started = Date.now()
    const response = await observeThrottling(observer, () =>
      throttleRetryPolicy().sendRequest(request(), () => Promise.resolve(throttled({ 'retry-after': '1' })))
    )
    expect(response.status).toBe(429)
    expect(Date.now() - started).toBeLessThan(500)
  })
})
