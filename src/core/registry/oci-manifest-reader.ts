// Reads a manifest digest from any OCI registry (Docker Hub, MCR, private registries) with a HEAD, which
// does not count against Docker Hub's pull limit. Only an index is fetched with GET, for its platforms.
import { createHash } from 'node:crypto'
import { registryErrorSummary } from './registry-error-text.js'
import type { HttpResponse } from './http.js'
import { platformName, type ManifestRead } from './manifest-info.js'
import type { RegistryGateway } from './registry-gateway.js'
import type { RegistryCredentials } from './registry-session.js'
import { isDigest } from '../util/digest.js'

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
  credentials?: RegistryCredentials
  signal?: AbortSignal
}

/** Where a registry's API is served: Docker Hub's API host differs from its reference name. */
export function apiHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry
}

export async function readOciManifest(
  request: OciReadRequest,
  gateway: RegistryGateway
): Promise<ManifestRead> {
  const host = apiHost(request.registry)
  const url = `https://${host}/v2/${request.repository}/manifests/${request.reference}`
  const session = gateway.session(host, request.repository, request.credentials)
  const head = await session.send('HEAD', url, MANIFEST_ACCEPT, request.signal)
  if (head.status !== 200) return failure(head, request)
  const contentType = (head.header('content-type') ?? '').split(';')[0].trim()
  const headerDigest = head.header('docker-content-digest')
  if (headerDigest !== undefined && !isDigest(headerDigest)) return malformedDigest(request)
  // Asked for by digest, the registry must answer that very manifest: a pin cannot be swapped for another.
  const pinned = isDigest(request.reference) ? request.reference : undefined
  if (pinned && headerDigest && headerDigest !== pinned) return malformedDigest(request)
  if (headerDigest && !INDEX_TYPES.includes(contentType))
    return { kind: 'read', manifest: { digest: headerDigest, platforms: [] } }
  const get = await session.send('GET', url, MANIFEST_ACCEPT, request.signal)
  if (get.status !== 200) return failure(get, request)
  // The body we read is the manifest: its sha256 is its digest, whatever a header claims (registries that omit
  // Docker-Content-Digest included).
  const digest = `sha256:${createHash('sha256').update(get.body).digest('hex')}`
  const claimed = headerDigest ?? get.header('docker-content-digest')
  if (claimed?.startsWith('sha256:') && claimed !== digest) return malformedDigest(request)
  if (pinned?.startsWith('sha256:') && pinned !== digest) return malformedDigest(request)
  return { kind: 'read', manifest: { digest, platforms: indexPlatforms(get.body) } }
}

/** A digest that is not one, or not the manifest's: nothing it says can be used. */
function malformedDigest(request: OciReadRequest): ManifestRead {
  return {
    kind: 'unreadable',
    reason: `${request.registry}/${request.repository}:${request.reference} answered a digest that is not the manifest's`
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
export function registryErrorText(response: HttpResponse): string {
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
