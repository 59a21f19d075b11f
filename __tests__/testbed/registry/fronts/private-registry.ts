// registry.contoso.com: a private, non-Azure registry. Its token service (on the same host, /token) only
// grants pulls to PRIVATE_REGISTRY's user.
import type { HostRoutes } from '../../types.js'
import type { TagsPaging } from './backend-proxy.js'
import { PRIVATE_REGISTRY } from '../../world.js'
import { TokenSigner } from './registry-tokens.js'
import {
  tokenAuthRegistryHandler,
  tokenServiceHandler,
  type TokenAuthRegistryOptions
} from './token-auth-registry.js'

export function privateRegistryRoutes(backendUrl: string, paging?: TagsPaging): HostRoutes {
  const options: TokenAuthRegistryOptions = {
    realm: `https://${PRIVATE_REGISTRY.host}/token`,
    service: PRIVATE_REGISTRY.host,
    signer: new TokenSigner(PRIVATE_REGISTRY.host),
    backendUrl,
    paging,
    signIn: (credentials) => {
      if (!credentials) return undefined
      const valid =
        credentials.username === PRIVATE_REGISTRY.username &&
        credentials.password === PRIVATE_REGISTRY.password
      return valid ? credentials.username : 'invalid'
    },
    canPull: (user) => user === PRIVATE_REGISTRY.username
  }
  const registry = tokenAuthRegistryHandler(options)
  const tokenService = tokenServiceHandler(options)
  return {
    [PRIVATE_REGISTRY.host]: (req, res, body) =>
      (req.url ?? '').startsWith('/token') ? tokenService(req, res) : registry(req, res, body)
  }
}
