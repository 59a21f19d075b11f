// Docker Hub: the registry (registry-1.docker.io and its aliases) and its token service (auth.docker.io).
// Public repositories are pullable anonymously, up to the anonymous pull limit; `contosobot/*` is private to
// the DOCKER_HUB_USER account, whose sign-in also lifts the limit. No name normalisation: `hello-world` is
// not `library/hello-world` (ACR import does not normalise either).
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FaultState } from '../../faults.js'
import type { HostRoutes } from '../../types.js'
import { DOCKER_HUB_USER } from '../../world.js'
import { sendRegistryError } from './distribution-errors.js'
import { TokenSigner } from './registry-tokens.js'
import {
  tokenAuthRegistryHandler,
  tokenServiceHandler,
  type TokenAuthRegistryOptions
} from './token-auth-registry.js'

export const DOCKER_HUB_REGISTRY_HOSTS = [
  'registry-1.docker.io',
  'index.docker.io',
  'registry.hub.docker.com',
  'docker.io'
]
const PRIVATE_NAMESPACE = `${DOCKER_HUB_USER.username}/`

const RATE_LIMIT_MESSAGE =
  'You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: ' +
  'https://www.docker.com/increase-rate-limit'

/**
 * Docker Hub counts manifest GETs of anonymous clients and answers 429 past the limit. A manifest HEAD is free
 * ("a HEAD request doesn't count", docs.docker.com "Docker Hub usage and limits") and is answered even past the
 * limit, with the same `ratelimit-*` headers, which is how clients read their budget.
 */
function anonymousPullLimit(faults: FaultState) {
  return (req: IncomingMessage, res: ServerResponse, claims: { anonymous: boolean }): boolean => {
    const isManifest = /\/manifests\//.test(req.url ?? '')
    if (!claims.anonymous || !isManifest || (req.method !== 'GET' && req.method !== 'HEAD')) return false
    const { allowed, remaining, limit } =
      req.method === 'GET' ? faults.takeAnonymousDockerHubPull() : faults.peekAnonymousDockerHubPulls()
    if (Number.isFinite(limit)) {
      res.setHeader('ratelimit-limit', `${limit};w=21600`)
      res.setHeader('ratelimit-remaining', `${remaining};w=21600`)
    }
    if (allowed || req.method === 'HEAD') return false
    sendRegistryError(res, 429, 'TOOMANYREQUESTS', RATE_LIMIT_MESSAGE)
    return true
  }
}

export function dockerHubRoutes(backendUrl: string, faults: FaultState): HostRoutes {
  const options: TokenAuthRegistryOptions = {
    realm: 'https://auth.docker.io/token',
    service: 'registry.docker.io',
    signer: new TokenSigner('auth.docker.io'),
    backendUrl,
    paging: faults,
    signIn: (credentials) => {
      if (!credentials) return undefined
      const valid =
        credentials.username === DOCKER_HUB_USER.username && credentials.password === DOCKER_HUB_USER.password
      return valid ? credentials.username : 'invalid'
    },
    canPull: (user, repository) =>
      !repository.startsWith(PRIVATE_NAMESPACE) || user === DOCKER_HUB_USER.username,
    intercept: anonymousPullLimit(faults)
  }
  const registry = tokenAuthRegistryHandler(options)
  const tokenService = tokenServiceHandler(options)
  const routes: HostRoutes = {
    'auth.docker.io': (req, res) => {
      if ((req.url ?? '').startsWith('/token')) tokenService(req, res)
      else sendRegistryError(res, 404, 'NOT_FOUND', 'not found')
    }
  }
  for (const host of DOCKER_HUB_REGISTRY_HOSTS) routes[host] = registry
  return routes
}
