// Our own HTTP calls (generic OCI registries, the platforms' OIDC token endpoints) go through
// @azure/core-rest-pipeline, which honours HTTPS_PROXY/NO_PROXY and retries resets, 429 (with Retry-After) and
// 5xx like the SDKs do, so every call has the same retry budget. Node's global fetch ignores proxy variables,
// so self-hosted runners behind a corporate proxy would fail with it.
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
  type PipelineResponse
} from '@azure/core-rest-pipeline'

export interface HttpResponse {
  status: number
  header(name: string): string | undefined
  body: string
}

export type HttpSend = (request: {
  method: 'GET' | 'HEAD' | 'POST'
  url: string
  headers: Record<string, string>
  body?: string
  signal?: AbortSignal
}) => Promise<HttpResponse>

let shared: { pipeline: Pipeline; client: HttpClient } | undefined

/** Sends one request through the default pipeline (proxy, retries, user agent). */
export const sendHttp: HttpSend = async ({ method, url, headers, body, signal }) => {
  shared ??= {
    pipeline: createPipelineFromOptions({ userAgentOptions: { userAgentPrefix: 'acr-import' } }),
    client: createDefaultHttpClient()
  }
  const request = createPipelineRequest({
    url,
    method,
    headers: createHttpHeaders(headers),
    body,
    abortSignal: signal,
    // Only a URL the platform itself hands us can be http (a runner's or agent's own endpoint); registries are
    // always reached over https.
    allowInsecureConnection: url.startsWith('http:')
  })
  const response: PipelineResponse = await shared.pipeline.sendRequest(shared.client, request)
  return {
    status: response.status,
    header: (name) => response.headers.get(name),
    body: response.bodyAsText ?? ''
  }
}
