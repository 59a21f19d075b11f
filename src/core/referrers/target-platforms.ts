// The platform manifests of an index, read from the target, which holds the very same index once it landed (or
// was found unchanged): a read of the ACR data plane instead of a GET of the index in the source, which Docker Hub
// would count as a pull. Undefined when the target cannot tell; then the source is asked.
import type { AcrRepositoryClients } from '../registry/acr-repository-clients.js'
import { isAbortError } from '../util/abort.js'

export type TargetPlatforms = (
  repository: string,
  digest: string,
  signal?: AbortSignal
) => Promise<string[] | undefined>

export function createTargetPlatforms(loginServer: string, clients: AcrRepositoryClients): TargetPlatforms {
  const call = clients.of(loginServer)
  return async (repository, digest, signal) => {
    try {
      const properties = await call(repository, (client) =>
        client.getArtifact(repository, digest).getManifestProperties({ abortSignal: signal })
      )
      // buildx's attestation manifests (unknown/unknown) travel inside the index; they are not platforms.
      return properties.relatedArtifacts.filter((a) => a.operatingSystem !== 'unknown').map((a) => a.digest)
    } catch (err) {
      if (isAbortError(err)) throw err
      return undefined
    }
  }
}
