// Lists a repository's tags on an Azure Container Registry with our Entra identity, through the ACR data plane
// (`/acr/v1/<repo>/_manifests`): one listing names every manifest with its tags, so each tag's digest comes with
// it and needs no HEAD of its own. The SDK follows the pages itself.
import { isRestError } from '@azure/core-rest-pipeline'
import type { RepositoryCall } from './acr-repository-clients.js'
import { describeError } from '../errors/describe-error.js'
import { safeText } from '../log/safe-text.js'
import { registryErrorSummary } from './registry-error-text.js'
import type { TagListing } from './tag-listing.js'
import { isAbortError } from '../util/abort.js'

export interface AcrListRequest {
  loginServer: string
  repository: string
  signal?: AbortSignal
}

export async function listAcrTags(request: AcrListRequest, call: RepositoryCall): Promise<TagListing> {
  const where = `${request.loginServer}/${request.repository}`
  const digests = new Map<string, string>()
  try {
    await call(request.repository, async (client) => {
      const manifests = client
        .getRepository(request.repository)
        .listManifestProperties({ abortSignal: request.signal })
      for await (const manifest of manifests) {
        for (const tag of manifest.tags) digests.set(tag, manifest.digest)
      }
    })
    return { kind: 'listed', tags: [...digests.keys()], digests }
  } catch (err) {
    if (isAbortError(err)) throw err
    if (!isRestError(err)) return { kind: 'unlistable', reason: `${where}: ${describeError(err)}` }
    const detail = registryErrorSummary(err.message) ?? safeText(err.message)
    if (err.statusCode === 404) return { kind: 'not-found', detail: `${where}: ${detail}` }
    return {
      kind: 'unlistable',
      status: err.statusCode,
      reason: `${where} answered HTTP ${err.statusCode ?? '-'} ${detail}`
    }
  }
}
