// Our own HTTP calls (generic OCI registries, the platforms' OIDC token endpoints) go through
// @azure/core-rest-pipeline, which honours HTTPS_PROXY/NO_PROXY and retries resets, 429 (with Retry-After) and
// 5xx like the SDKs do, so every call has the same retry budget. Node's global fetch ignores proxy variables,
// so self-hosted runners behind a corporate proxy would fail with it.
import type { Readable } from 'node:stream'
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  RestError,
  type HttpClient,
  type Pipeline,
  type PipelineResponse
} from '@azure/core-rest-pipeline'
import {
  currentThrottleObserver,
  observeThrottling,
  throttleRetryPolicy,
  type ThrottleObserver
} from '../network/throttle-retry-policy.js'
import { keepAliveProxyPolicy } from '../network/keep-alive-proxy.js'

/** ACR's own limit for a manifest; no answer a registry gives us (manifest, tag page, token) is larger. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024
/** One request (with the pipeline's retries) that has had no answer for this long will not get one. */
export const REQUEST_TIMEOUT_MS = 60_000

export interface HttpResponse {
  status: number
  header(name: string): string | undefined
  body: string
  /** The body's bytes as received, for a blob that may be binary (a COSE envelope); absent in test fakes. */
  bytes?: Uint8Array
}

export type HttpSend = (request: {
  method: 'GET' | 'HEAD' | 'POST'
  url: string
  headers: Record<string, string>
  body?: string
  signal?: AbortSignal
  /** This request's own deadline (default REQUEST_TIMEOUT_MS). */
  timeoutMs?: number
}) => Promise<HttpResponse>

let shared: { pipeline: Pipeline; client: HttpClient } | undefined
/** Each answer's body as received: `bodyAsText` is UTF-8 text, which a binary blob does not survive. */
const receivedBytes = new WeakMap<PipelineResponse, Buffer>()

/** Sends one request through the default pipeline (proxy, retries, user agent). */
export const sendHttp: HttpSend = async ({
  method,
  url,
  headers,
  body,
  signal,
  timeoutMs = REQUEST_TIMEOUT_MS
}) => {
  shared ??= { pipeline: registryPipeline(), client: boundedBodies(createDefaultHttpClient()) }
  // A registry that accepts the connection and never answers, or asks to be retried in a day, must not hold the
  // step past its time: the request gets its own deadline besides the caller's signal.
  const requestDeadline = Date.now() + timeoutMs
  const expiry = new AbortController()
  const timer = setTimeout(() => expiry.abort(), timeoutMs)
  const abortSignal = signal ? AbortSignal.any([signal, expiry.signal]) : expiry.signal
  const request = createPipelineRequest({
    url,
    method,
    headers: createHttpHeaders(headers),
    body,
    abortSignal,
    // Only a URL the platform itself hands us can be http (a runner's or agent's own endpoint); registries are
    // always reached over https.
    allowInsecureConnection: url.startsWith('http:')
  })
  let response: PipelineResponse
  // The throttle policy may wait out a 429 only within this request's own deadline (and the entry's).
  const entry = currentThrottleObserver()
  const observer: ThrottleObserver = {
    throttled: (answer) => entry?.throttled(answer),
    deadline: () => Math.min(entry?.deadline?.() ?? Infinity, requestDeadline)
  }
  try {
    response = await observeThrottling(observer, () => shared!.pipeline.sendRequest(shared!.client, request))
  } catch (err) {
    if (expiry.signal.aborted && !signal?.aborted) {
      throw new RestError(`No answer from ${new URL(url).host} within ${timeoutMs / 1000} s`, {
        code: 'ETIMEDOUT'
      })
    }
    throw err
  } finally {
    clearTimeout(timer)
  }
  return {
    status: response.status,
    header: (name) => response.headers.get(name),
    body: response.bodyAsText ?? '',
    bytes: receivedBytes.get(response)
  }
}

/**
 * The default client, reading every answer as a stream bounded to MAX_BODY_BYTES: a registry that answers a huge
 * body fails that one request instead of the process (a string past V8's limit crashes Node).
 */
function boundedBodies(client: HttpClient): HttpClient {
  return {
    async sendRequest(request) {
      request.streamResponseStatusCodes = new Set([Number.POSITIVE_INFINITY])
      const response = await client.sendRequest(request)
      const stream = response.readableStreamBody
      response.readableStreamBody = undefined
      if (stream) {
        const bytes = await readBounded(stream, request.url)
        receivedBytes.set(response, bytes)
        response.bodyAsText = bytes.toString('utf8')
      }
      return response
    }
  }
}

async function readBounded(stream: NodeJS.ReadableStream, url: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream as Readable) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) {
      ;(stream as Readable).destroy()
      throw new RestError(`${new URL(url).host} answered more than ${MAX_BODY_BYTES / 1024 / 1024} MiB`, {
        code: 'RESPONSE_TOO_LARGE'
      })
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/**
 * The SDKs' default pipeline (proxy, user agent, retries of resets and 5xx), with the throttle policy inside its
 * retries: every attempt waits for its turn at the host's pacer, and a 429 is waited out within the request's
 * time instead of failing the read.
 */
function registryPipeline(): Pipeline {
  const pipeline = createPipelineFromOptions({ userAgentOptions: { userAgentPrefix: 'acr-import' } })
  pipeline.addPolicy(keepAliveProxyPolicy)
  pipeline.addPolicy(throttleRetryPolicy('registry'), { afterPhase: 'Retry' })
  return pipeline
}
