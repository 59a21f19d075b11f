// ACR clients for the target's data plane, one per repository: an ACR access token is scoped to one repository,
// so a client per repository keeps its token and each later call is a single request. Throttled answers wait and
// retry (within the entry's time) like every ARM call.
import type { TokenCredential } from '@azure/core-auth'
import { ContainerRegistryClient } from '@azure/container-registry'
import { throttleRetryPolicy } from '../arm/throttle-retry-policy.js'

export type RepositoryCall = <T>(
  repository: string,
  call: (client: ContainerRegistryClient) => Promise<T>
) => Promise<T>

/**
 * Calls with the repository's client. A client's first call goes alone: its 401 challenge buys the token that
 * every later call of the client reuses, while calls sent beside it would each meet the challenge and each buy a
 * token of their own (a batch of parallel reads of one repository would cost a token each).
 */
function repositoryCalls(loginServer: string, credential: TokenCredential, audience: string): RepositoryCall {
  const clients = new Map<string, { client: ContainerRegistryClient; first: Promise<unknown> }>()
  return async (repository, call) => {
    const found = clients.get(repository)
    if (found) {
      await found.first
      return call(found.client)
    }
    const client = new ContainerRegistryClient(`https://${loginServer}`, credential, {
      audience,
      additionalPolicies: [{ policy: throttleRetryPolicy(), position: 'perRetry' }]
    })
    const answer = call(client)
    clients.set(repository, { client, first: answer.catch(() => undefined) })
    return answer
  }
}

/**
 * The step's ACR data-plane clients, one per repository of each registry, shared by every stage that reads or
 * writes there (the plan's reads, the landing watch, referrer checks, locks): one token per repository.
 */
export class AcrRepositoryClients {
  private readonly byRegistry = new Map<string, RepositoryCall>()

  constructor(
    private readonly credential: TokenCredential,
    private readonly audience: string
  ) {}

  of(loginServer: string): RepositoryCall {
    let calls = this.byRegistry.get(loginServer)
    if (!calls) {
      calls = repositoryCalls(loginServer, this.credential, this.audience)
      this.byRegistry.set(loginServer, calls)
    }
    return calls
  }
}
