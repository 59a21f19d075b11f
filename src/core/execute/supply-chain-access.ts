// The referrers and lock steps read the source's referrers and write the target's tag attributes with the
// step's own identity; built once per target registry, around the step's one set of referrer sources.
import { createTargetLocker } from '../lock/target-locker.js'
import type { ReferrerSources } from '../referrers/referrer-sources.js'
import { createTargetPlatforms } from '../referrers/target-platforms.js'
import type { AcrRepositoryClients } from '../registry/acr-repository-clients.js'
import type { SupplyChainAccess } from './execution-context.js'

export function createSupplyChainAccess(
  targetLoginServer: string,
  sources: ReferrerSources,
  targetClients: AcrRepositoryClients
): SupplyChainAccess {
  return {
    sources,
    platforms: createTargetPlatforms(targetLoginServer, targetClients),
    locker: createTargetLocker(targetLoginServer, targetClients)
  }
}
