// The referrers and lock steps read the source's referrers and write the target's tag attributes with the
// step's own identity; built once per step.
import type { TokenCredential } from '@azure/core-auth'
import type { Cloud } from '../cloud/clouds.js'
import { createTargetLocker } from '../lock/target-locker.js'
import { createReferrerSources } from '../referrers/referrer-sources.js'
import { createTargetPlatforms } from '../referrers/target-platforms.js'
import type { AcrRepositoryClients } from '../registry/acr-repository-clients.js'
import type { RegistryGateway } from '../registry/registry-gateway.js'
import type { SupplyChainAccess } from './execution-context.js'

export function createSupplyChainAccess(
  azure: { credential: TokenCredential; cloud: Cloud },
  targetLoginServer: string,
  gateway: RegistryGateway,
  targetClients: AcrRepositoryClients
): SupplyChainAccess {
  const { credential, cloud } = azure
  return {
    sources: createReferrerSources(credential, cloud, gateway),
    platforms: createTargetPlatforms(targetLoginServer, credential, cloud.acrAudience),
    locker: createTargetLocker(targetLoginServer, targetClients)
  }
}
