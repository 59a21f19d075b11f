// Reads one blob of a repository by digest (a cosign payload, a Sigstore bundle, a Notation envelope): bounded
// like every answer (4 MiB), its bytes hashed and compared with the digest asked for, so what the caller gets is
// exactly the blob that digest names. Registries serve blobs from storage elsewhere (Docker Hub's CDN, ACR's
// storage accounts) through a redirect, which is followed over https only and without the registry's token.
import { createHash } from 'node:crypto'
import { describeError } from '../errors/describe-error.js'
import { isAbortError } from '../util/abort.js'
import { isDigest } from '../util/digest.js'
import type { HttpResponse, HttpSend } from './http.js'
import { registryErrorSummary } from './registry-error-text.js'
import type { RegistrySession } from './registry-session.js'

export type BlobRead =
  | { kind: 'read'; bytes: Uint8Array }
  | { kind: 'absent' }
  | { kind: 'unreadable'; reason: string; status?: number }

export interface BlobRequest {
  /** The repository's session: the registry's own request carries its token. */
  session: RegistrySession
  /** For a redirect to storage on another host: sent without any credential. */
  send: HttpSend
  /** `https://<host>/v2/<repository>`. */
  repositoryUrl: string
  /** `registry/repository`, for messages. */
  name: string
  digest: string
  timeoutMs?: number
  signal?: AbortSignal
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
/** Registries redirect once (to storage); more is a loop. */
const MAX_REDIRECTS = 3

export async function readBlob(request: BlobRequest): Promise<BlobRead> {
  const { digest, name } = request
  if (!isDigest(digest)) return { kind: 'unreadable', reason: `${name}: '${digest}' is not a digest` }
  try {
    const response = await followRedirects(
      await request.session.send('GET', `${request.repositoryUrl}/blobs/${digest}`, '*/*', request.signal),
      request
    )
    if (typeof response === 'string') return { kind: 'unreadable', reason: response }
    if (response.status === 404) return { kind: 'absent' }
    if (response.status !== 200) {
      const detail = registryErrorSummary(response.body) ?? ''
      return {
        kind: 'unreadable',
        status: response.status,
        reason: `${name} answered HTTP ${response.status} ${detail}`.trim() + ` to the blob ${digest}`
      }
    }
    const bytes = response.bytes ?? Buffer.from(response.body, 'utf8')
    const [algorithm, hex] = digest.split(':')
    if (createHash(algorithm).update(bytes).digest('hex') !== hex)
      return { kind: 'unreadable', reason: `${name} answered a blob that is not ${digest}` }
    return { kind: 'read', bytes }
  } catch (err) {
    if (isAbortError(err)) throw err
    return {
      kind: 'unreadable',
      reason: `${name}: the blob ${digest} could not be read: ${describeError(err)}`
    }
  }
}

/** Follows a registry's redirect to its blob storage: https only, no credential, a few hops at most. */
async function followRedirects(first: HttpResponse, request: BlobRequest): Promise<HttpResponse | string> {
  let response = first
  let url = `${request.repositoryUrl}/blobs/${request.digest}`
  for (let hop = 0; REDIRECT_STATUSES.has(response.status); hop++) {
    const location = response.header('location')
    if (!location || hop >= MAX_REDIRECTS) return response
    const next = new URL(location, url)
    if (next.protocol !== 'https:')
      return `${request.name} redirected the blob ${request.digest} to ${next.protocol}, which is not followed`
    url = next.toString()
    response = await request.send({
      method: 'GET',
      url,
      headers: { accept: '*/*' },
      signal: request.signal,
      timeoutMs: request.timeoutMs
    })
  }
  return response
}
