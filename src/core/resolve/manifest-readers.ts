// Which reader reads which side: ACR sources and the target with our Entra identity, sources with a password
// and other registries over the generic OCI protocol. A read never throws (but for cancellation): what could
// not be read is a ManifestRead of its own kind, because ARM may reach what the runner cannot.
import type { Cloud } from '../cloud/clouds.js'
import { describeError } from '../errors/describe-error.js'
import { sourceKey, type ResolvedEntry } from './source-access.js'
import { readAcrManifest, readAcrTagDigest } from '../registry/acr-manifest-reader.js'
import type { AcrRepositoryClients } from '../registry/acr-repository-clients.js'
import type { ManifestRead } from '../registry/manifest-info.js'
import { readOciManifest } from '../registry/oci-manifest-reader.js'
import type { RegistryGateway } from '../registry/registry-gateway.js'
import { isAbortError } from '../util/abort.js'
import { splitRepoTag } from '../util/repo-tag.js'

export interface ManifestReaders {
  readSource(source: Pick<ResolvedEntry, 'reference' | 'access'>, signal?: AbortSignal): Promise<ManifestRead>
  readTarget(
    loginServer: string,
    repository: string,
    tag: string,
    signal?: AbortSignal
  ): Promise<ManifestRead>
  /** Only the digest a target tag serves (platforms empty): the cheapest read, for comparing digests. */
  readTargetDigest(
    loginServer: string,
    repository: string,
    tag: string,
    signal?: AbortSignal
  ): Promise<ManifestRead>
}

export function createManifestReaders(
  cloud: Cloud,
  gateway: RegistryGateway,
  /** ACR reads, source and target alike, go through the step's one client per repository. */
  repositoryClients: AcrRepositoryClients
): ManifestReaders {
  const readAcr = (loginServer: string, repository: string, reference: string, signal?: AbortSignal) =>
    repositoryClients.of(loginServer)(repository, (client) =>
      readAcrManifest({ loginServer, repository, reference, signal }, client)
    )
  const readSourceNow = (
    { reference: source, access }: Pick<ResolvedEntry, 'reference' | 'access'>,
    signal?: AbortSignal
  ): Promise<ManifestRead> =>
    safely(() => {
      const { registry, repository, tag, digest } = source
      const reference = digest ?? tag ?? 'latest'
      if (access.kind === 'registryUri' && access.credentials) {
        return readOciManifest(
          { registry, repository, reference, credentials: access.credentials, signal },
          gateway
        )
      }
      if (access.kind === 'resourceId' || registry.endsWith(cloud.acrLoginSuffix))
        return readAcr(registry, repository, reference, signal)
      return readOciManifest({ registry, repository, reference, signal }, gateway)
    })
  return {
    // Entries that share a source (one image promoted to several registries) share its read: one digest.
    readSource: (source, signal) =>
      gateway.once(`source ${sourceKey(source)}`, () => readSourceNow(source, signal)),
    readTarget: (loginServer, repository, tag, signal) =>
      safely(() => readAcr(loginServer, repository, tag, signal)),
    readTargetDigest: (loginServer, repository, tag, signal) =>
      safely(() =>
        repositoryClients.of(loginServer)(repository, (client) =>
          readAcrTagDigest({ loginServer, repository, reference: tag, signal }, client)
        )
      )
  }
}

async function safely(read: () => Promise<ManifestRead>): Promise<ManifestRead> {
  try {
    return await read()
  } catch (err) {
    if (isAbortError(err)) throw err
    return { kind: 'unreadable', reason: describeError(err) }
  }
}

/** Reads a target `repo:tag` (split at its last colon, after which a tag has none); `digestOnly`: the cheaper read. */
export function readTargetTag(
  readers: ManifestReaders,
  loginServer: string,
  repoTag: string,
  signal?: AbortSignal,
  digestOnly = false
): Promise<ManifestRead> {
  const { repository, tag } = splitRepoTag(repoTag)
  return digestOnly
    ? readers.readTargetDigest(loginServer, repository, tag, signal)
    : readers.readTarget(loginServer, repository, tag, signal)
}
