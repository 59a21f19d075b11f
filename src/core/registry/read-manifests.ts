// Which reader reads which side: ACR sources and the target with our Entra identity, sources with a
// password and other registries over the generic OCI protocol.
import type { TokenCredential } from '@azure/core-auth'
import type { Cloud } from '../cloud/clouds.js'
import type { PlannedImport } from '../plan/planned-import.js'
import { readAcrManifest } from './acr-manifest-reader.js'
import type { ManifestRead } from './manifest-info.js'
import { readOciManifest } from './oci-manifest-reader.js'

export interface ManifestReaders {
  readSource(plan: PlannedImport, signal?: AbortSignal): Promise<ManifestRead>
  readTarget(
    loginServer: string,
    repository: string,
    tag: string,
    signal?: AbortSignal
  ): Promise<ManifestRead>
}

export function createManifestReaders(credential: TokenCredential, cloud: Cloud): ManifestReaders {
  return {
    async readSource(plan, signal) {
      const { registry, repository, tag, digest } = plan.reference
      const reference = digest ?? tag ?? 'latest'
      const access = plan.access
      const isAcr = access.kind === 'resourceId' || registry.endsWith(cloud.acrLoginSuffix)
      if (access.kind === 'registryUri' && access.credentials) {
        return readOciManifest({ registry, repository, reference, credentials: access.credentials, signal })
      }
      if (isAcr)
        return readAcrManifest(
          { loginServer: registry, repository, reference, signal },
          credential,
          cloud.acrAudience
        )
      return readOciManifest({ registry, repository, reference, signal })
    },
    readTarget(loginServer, repository, tag, signal) {
      return readAcrManifest(
        { loginServer, repository, reference: tag, signal },
        credential,
        cloud.acrAudience
      )
    }
  }
}
