// Our own HTTP calls (generic OCI registries) go through @azure/core-rest-pipeline, which honours
// HTTPS_PROXY/NO_PROXY and retries 429/5xx like the SDKs do. Node's global fetch ignores proxy variables,
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
  method: 'GET' | 'HEAD'
  url: string
  headers: Record<string, string>
  signal?: AbortSignal
}) => Promise<HttpResponse>

let shared: { pipeline: Pipeline; client: HttpClient } | undefined

/** Sends one request through the default pipeline (proxy, retries, user agent). */
export const sendHttp: HttpSend = async ({ method, url, headers, signal }) => {
  shared ??= {
    pipeline: createPipelineFromOptions({ userAgentOptions: { userAgentPrefix: 'acr-import' } }),
    client: createDefaultHttpClient()
  }
  const request = createPipelineRequest({
    url,
    method,
    headers: createHttpHeaders(headers),
    abortSignal: signal
  })
  const response: PipelineResponse = await shared.pipeline.sendRequest(shared.client, request)
  return {
    status: response.status,
    header: (name) => response.headers.get(name),
    body: response.bodyAsText ?? ''
  }
}
