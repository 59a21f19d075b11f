// Every ACR data-plane client of the step is made here, so each one has the same policies: requests carry a
// token from the step's one exchange per registry (no 401 round trips of their own), throttled answers are waited
// out at the registry's pacer within the entry's time (the SDK alone gives up after three tries), and behind a
// proxy the tunnels are kept alive.
import type { TokenCredential } from '@azure/core-auth'
import { ContainerRegistryClient } from '@azure/container-registry'
import { clientPolicies } from '../network/client-policies.js'
import { preAuthorizationPolicy, type AcrTokens } from './acr-tokens.js'

export function newAcrClient(
  loginServer: string,
  credential: TokenCredential,
  audience: string,
  tokens: AcrTokens
): ContainerRegistryClient {
  return new ContainerRegistryClient(`https://${loginServer}`, credential, {
    audience,
    additionalPolicies: [
      ...clientPolicies('acr'),
      { policy: preAuthorizationPolicy(tokens), position: 'perCall' }
    ]
  })
}
