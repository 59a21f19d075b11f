// ACR clients for the data plane, one per repository: the SDK's client keeps one access token, for the last
// repository it was challenged for, so a client per repository keeps each later call a single request. Every
// client gets its tokens from the step's AcrTokens (one exchange per registry, scopes asked for together).
import type { TokenCredential } from '@azure/core-auth'
import type { ContainerRegistryClient } from '@azure/container-registry'
import { newAcrClient } from './acr-client.js'
import { AcrTokens } from './acr-tokens.js'

export type RepositoryCall = <T>(
  repository: string,
  call: (client: ContainerRegistryClient) => Promise<T>
) => Promise<T>

/**
 * Calls with the repository's client. A client's first call goes alone: should ACR refuse the step's token, its
 * 401 challenge buys the token that every later call of the client reuses, while calls sent beside it would each
 * meet the challenge and each buy a token of their own.
 */
function repositoryCalls(
  loginServer: string,
  newClient: (loginServer: string) => ContainerRegistryClient
): RepositoryCall {
  const clients = new Map<string, { client: ContainerRegistryClient; first: Promise<unknown> }>()
  return async (repository, call) => {
    const found = clients.get(repository)
    if (found) {
      await found.first
      return call(found.client)
    }
    const client = newClient(loginServer)
    const answer = call(client)
    clients.set(repository, { client, first: answer.catch(() => undefined) })
    return answer
  }
}

/**
 * The step's ACR data-plane clients, one per repository of each registry, shared by every stage that reads or
 * writes there (source reads, tag listings, the plan's target reads, the landing watch, referrer checks, locks).
 */
export class AcrRepositoryClients {
  private readonly byRegistry = new Map<string, RepositoryCall>()
  /** The step's ACR tokens, also lent to the referrer reads of ACR sources. */
  readonly tokens: AcrTokens

  constructor(
    private readonly credential: TokenCredential,
    private readonly audience: string
  ) {
    this.tokens = new AcrTokens(credential, audience)
  }

  of(loginServer: string): RepositoryCall {
    let calls = this.byRegistry.get(loginServer)
    if (!calls) {
      calls = repositoryCalls(loginServer, (server) =>
        newAcrClient(server, this.credential, this.audience, this.tokens)
      )
      this.byRegistry.set(loginServer, calls)
    }
    return calls
  }
}
