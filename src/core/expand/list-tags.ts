// Which lister lists an entry's repository: an ACR source (by resource ID, or an ACR host read without a
// password) through the ACR data plane with our Entra identity, any other registry over the distribution API,
// with the entry's credentials when it has them. The same choice the manifest readers make for the source.
import type { Cloud } from '../cloud/clouds.js'
import { describeError } from '../errors/describe-error.js'
import { listAcrTags } from '../registry/acr-tag-lister.js'
import type { AcrRepositoryClients } from '../registry/acr-repository-clients.js'
import { listOciTags } from '../registry/oci-tag-lister.js'
import type { RegistryGateway } from '../registry/registry-gateway.js'
import type { TagListing } from '../registry/tag-listing.js'
import { sourceKey, type ResolvedEntry } from '../resolve/source-access.js'
import { isAbortError } from '../util/abort.js'

export type ListTags = (
  source: Pick<ResolvedEntry, 'reference' | 'access'>,
  signal?: AbortSignal
) => Promise<TagListing>

export function createTagLister(
  cloud: Cloud,
  gateway: RegistryGateway,
  acrClients: AcrRepositoryClients
): ListTags {
  // Entries that share a source repository (one pattern promoted to several registries) share its listing.
  return (source, signal) => {
    const repository = { ...source.reference, tag: undefined, digest: undefined }
    return gateway.once(`tags ${sourceKey({ ...source, reference: repository })}`, () => list(source, signal))
  }

  async function list(
    { reference, access }: Pick<ResolvedEntry, 'reference' | 'access'>,
    signal?: AbortSignal
  ): Promise<TagListing> {
    const { registry, repository } = reference
    try {
      if (access.kind === 'registryUri' && access.credentials) {
        return await listOciTags({ registry, repository, credentials: access.credentials, signal }, gateway)
      }
      if (access.kind === 'resourceId' || registry.endsWith(cloud.acrLoginSuffix)) {
        return await listAcrTags({ loginServer: registry, repository, signal }, acrClients.of(registry))
      }
      return await listOciTags({ registry, repository, signal }, gateway)
    } catch (err) {
      if (isAbortError(err)) throw err
      return { kind: 'unlistable', reason: `${registry}/${repository}: ${describeError(err)}` }
    }
  }
}
