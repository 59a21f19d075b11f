// ACR clients for the target's data plane, one per repository: an ACR access token is scoped to one repository,
// so a client per repository keeps its token and each later call is a single request. Throttled answers wait and
// retry (within the entry's time) like every ARM call.
import type { TokenCredential } from '@azure/core-auth'
import { ContainerRegistryClient } from '@azure/container-registry'
import { throttleRetryPolicy } from '../arm/throttle-retry-policy.js'

export function acrRepositoryClients(
  loginServer: string,
  credential: TokenCredential,
  audience: string
): (repository: string) => ContainerRegistryClient {
  const clients = new Map<string, ContainerRegistryClient>()
  return (repository) => {
    let found = clients.get(repository)
    if (!found) {
      found = new ContainerRegistryClient(`https://${loginServer}`, credential, {
        audience,
        additionalPolicies: [{ policy: throttleRetryPolicy(), position: 'perRetry' }]
      })
      clients.set(repository, found)
    }
    return found
  }
}
