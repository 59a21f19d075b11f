// Reads a manifest from an Azure Container Registry with our Entra identity, through a client of the repository
// (acr-repository-clients.ts) whose requests carry the step's ACR tokens (acr-tokens.ts).
import { isRestError } from '@azure/core-rest-pipeline'
import type { ContainerRegistryClient, RegistryArtifact } from '@azure/container-registry'
import { SignInError } from '../errors/sign-in-error.js'
import { describeError } from '../errors/describe-error.js'
import { safeText } from '../log/safe-text.js'
import { platformName, type ManifestRead } from './manifest-info.js'
import { registryErrorSummary } from './registry-error-text.js'
import { isAbortError } from '../util/abort.js'
import { isDigest } from '../util/digest.js'

export interface AcrReadRequest {
  loginServer: string
  repository: string
  /** Tag or digest. */
  reference: string
  signal?: AbortSignal
}

export function readAcrManifest(
  request: AcrReadRequest,
  client: ContainerRegistryClient
): Promise<ManifestRead> {
  return readAcr(request, client, async (artifact) => {
    const properties = await artifact.getManifestProperties({ abortSignal: request.signal })
    const platforms = properties.relatedArtifacts
      .map((a) => platformName(a.operatingSystem, a.architecture))
      .filter((p): p is string => p !== undefined)
    return { digest: properties.digest, platforms: [...new Set(platforms)] }
  })
}

/**
 * The digest a tag serves, and nothing more: one request (a manifest read by tag costs two, the SDK resolves the
 * tag first), for the plan, which only compares digests.
 */
export function readAcrTagDigest(
  request: AcrReadRequest,
  client: ContainerRegistryClient
): Promise<ManifestRead> {
  return readAcr(request, client, async (artifact) => {
    const { digest } = await artifact.getTagProperties(request.reference, { abortSignal: request.signal })
    return { digest, platforms: [] }
  })
}

/** One read as a ManifestRead: what it found, or why not; only cancellation throws. */
async function readAcr(
  request: AcrReadRequest,
  client: ContainerRegistryClient,
  read: (artifact: RegistryArtifact) => Promise<{ digest: string; platforms: string[] }>
): Promise<ManifestRead> {
  const where = `${request.loginServer}/${request.repository}:${request.reference}`
  try {
    const manifest = await read(client.getArtifact(request.repository, request.reference))
    if (!isDigest(manifest.digest))
      return { kind: 'unreadable', reason: `${where}: the registry answered a malformed digest` }
    if (isDigest(request.reference) && manifest.digest !== request.reference)
      return {
        kind: 'unreadable',
        reason: `${where}: the registry answered another digest than the one asked for`
      }
    return { kind: 'read', manifest }
  } catch (err) {
    if (isAbortError(err)) throw err
    if (err instanceof SignInError) {
      // A token for the data plane could not be had in the middle of a run: a sign-in problem, not a role.
      return { kind: 'unreadable', reason: `${where}: ${describeError(err)}`, signInFailed: true }
    }
    if (!isRestError(err)) return { kind: 'unreadable', reason: `${where}: ${describeError(err)}` }
    const detail = registryErrorSummary(err.message) ?? safeText(err.message)
    if (err.statusCode === 404) return { kind: 'not-found', detail: `${where}: ${detail}` }
    return {
      kind: 'unreadable',
      status: err.statusCode,
      reason: `${where} answered HTTP ${err.statusCode ?? '-'} ${detail}`
    }
  }
}
