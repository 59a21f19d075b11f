// ACR's changeable attributes of the target, through @azure/container-registry (which does the token exchange
// for `repository:<repo>:metadata_write`): a tag or a manifest is locked when it can be neither written nor
// deleted. One client per repository, kept for the step, as the target reader does.
import type { AcrRepositoryClients } from '../registry/acr-repository-clients.js'

export interface TargetLocker {
  /** Locks `repository:tag`; false when it already was (nothing written). */
  lockTag(repository: string, tag: string, signal?: AbortSignal): Promise<boolean>
  /** Locks the manifest `digest` of `repository`; false when it already was. */
  lockManifest(repository: string, digest: string, signal?: AbortSignal): Promise<boolean>
}

const LOCKED = { canWrite: false, canDelete: false }

export function createTargetLocker(loginServer: string, clients: AcrRepositoryClients): TargetLocker {
  const call = clients.of(loginServer)
  return {
    // A read first: a lock that holds already costs no write (ACR's write operations a minute are few).
    lockTag: (repository, tag, signal) =>
      call(repository, async (client) => {
        const artifact = client.getArtifact(repository, tag)
        const now = await artifact.getTagProperties(tag, { abortSignal: signal })
        if (now.canWrite === false && now.canDelete === false) return false
        await artifact.updateTagProperties(tag, { ...LOCKED, abortSignal: signal })
        return true
      }),
    lockManifest: (repository, digest, signal) =>
      call(repository, async (client) => {
        const artifact = client.getArtifact(repository, digest)
        const now = await artifact.getManifestProperties({ abortSignal: signal })
        if (now.canWrite === false && now.canDelete === false) return false
        await artifact.updateManifestProperties({ ...LOCKED, abortSignal: signal })
        return true
      })
  }
}
