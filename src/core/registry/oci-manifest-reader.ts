// Reads a manifest digest from any OCI registry (Docker Hub, MCR, private registries) with a HEAD, which
// does not count against Docker Hub's pull limit. Only an index is fetched with GET, for its platforms.
import { createHash } from 'node:crypto'
import { registryErrorSummary } from './registry-error-text.js'
import { parseChallenge } from './bearer-challenge.js'
import { sendHttp, type HttpResponse, type HttpSend } from './http.js'
import { platformName, type ManifestRead } from './manifest-info.js'

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json'
].join(', ')

const INDEX_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json'
]

export interface OciReadRequest {
  /** Registry host as in references (docker.io is read at registry-1.docker.io). */
  registry: string
  repository: string
  /** Tag or digest. */
  reference: string
  credentials?: { username?: string; password: string }
  signal?: AbortSignal
}

/** Where a registry's API is served: Docker Hub's API host differs from its reference name. */
export function apiHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry
}

export async function readOciManifest(
  request: OciReadRequest,
  send: HttpSend = sendHttp
): Promise<ManifestRead> {
  const url = `https://${apiHost(request.registry)}/v2/${request.repository}/manifests/${request.reference}`
  const session = new RegistrySession(request, send)
  const head = await session.send('HEAD', url)
  if (head.status !== 200) return failure(head, request)
  const contentType = (head.header('content-type') ?? '').split(';')[0].trim()
  const headerDigest = head.header('docker-content-digest')
  if (headerDigest && !INDEX_TYPES.includes(contentType))
    return { kind: 'read', manifest: { digest: headerDigest, platforms: [] } }
  const get = await session.send('GET', url)
  if (get.status !== 200) return failure(get, request)
  // Registries that omit Docker-Content-Digest: the digest is the sha256 of the manifest bytes.
  const digest =
    headerDigest ??
    get.header('docker-content-digest') ??
    `sha256:${createHash('sha256').update(get.body).digest('hex')}`
  return { kind: 'read', manifest: { digest, platforms: indexPlatforms(get.body) } }
}

/** Sends registry requests, answering the auth challenge once and reusing the token. */
class RegistrySession {
  private authorization?: string

  constructor(
    private readonly request: OciReadRequest,
    private readonly http: HttpSend
  ) {}

  async send(method: 'GET' | 'HEAD', url: string): Promise<HttpResponse> {
    const first = await this.attempt(method, url)
    if (first.status !== 401 || this.authorization) return first
    const challenge = parseChallenge(first.header('www-authenticate'))
    if (!challenge) return first
    const authorization = await this.authorize(challenge.scheme, challenge.params)
    if (!authorization) return first
    this.authorization = authorization
    return this.attempt(method, url)
  }

  private attempt(method: 'GET' | 'HEAD', url: string): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: MANIFEST_ACCEPT }
    if (this.authorization) headers.authorization = this.authorization
    return this.http({ method, url, headers, signal: this.request.signal })
  }

  private async authorize(scheme: string, params: Record<string, string>): Promise<string | undefined> {
    const basic = this.basic()
    if (scheme === 'basic') return basic
    if (scheme !== 'bearer' || !params.realm) return undefined
    const tokenUrl = new URL(params.realm)
    if (params.service) tokenUrl.searchParams.set('service', params.service)
    // Some registries leave scope out of the manifest challenge; ask for pull on the repository anyway.
    tokenUrl.searchParams.set('scope', params.scope ?? `repository:${this.request.repository}:pull`)
    const headers: Record<string, string> = { accept: 'application/json' }
    if (basic) headers.authorization = basic
    const response = await this.http({
      method: 'GET',
      url: tokenUrl.toString(),
      headers,
      signal: this.request.signal
    })
    if (response.status !== 200) return undefined
    const body = JSON.parse(response.body) as { token?: string; access_token?: string }
    const token = body.token ?? body.access_token
    return token ? `Bearer ${token}` : undefined
  }

  private basic(): string | undefined {
    const credentials = this.request.credentials
    if (!credentials) return undefined
    return `Basic ${Buffer.from(`${credentials.username ?? ''}:${credentials.password}`).toString('base64')}`
  }
}

function failure(response: HttpResponse, request: OciReadRequest): ManifestRead {
  const where = `${request.registry}/${request.repository}:${request.reference}`
  const detail = registryErrorText(response)
  if (response.status === 404) return { kind: 'not-found', detail: `${where}: ${detail}` }
  return {
    kind: 'unreadable',
    status: response.status,
    reason: `${where} answered HTTP ${response.status} ${detail}`.trim()
  }
}

/** The registry's error body as short text; HEAD answers carry no body, so then the status code says it. */
function registryErrorText(response: HttpResponse): string {
  const summary = registryErrorSummary(response.body)
  if (summary) return summary
  return response.status === 404 ? 'manifest unknown' : response.status === 429 ? 'TOOMANYREQUESTS' : ''
}

function indexPlatforms(body: string): string[] {
  try {
    const index = JSON.parse(body) as {
      manifests?: { platform?: { os?: string; architecture?: string; variant?: string } }[]
    }
    const names = (index.manifests ?? []).map((m) =>
      platformName(m.platform?.os, m.platform?.architecture, m.platform?.variant)
    )
    return [...new Set(names.filter((n): n is string => n !== undefined))]
  } catch {
    return []
  }
}
