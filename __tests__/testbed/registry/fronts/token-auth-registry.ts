// A registry behind the distribution token protocol (what Docker Hub and most private registries do): the
// registry answers 401 with a Bearer challenge naming a token service; the token service hands out a JWT
// listing the granted `repository:<name>:<actions>`; the registry then serves what the token grants.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { basicCredentialsOf, bearerTokenOf, sendJson } from '../../net/http-io.js'
import { forwardToBackend, type TagsPaging } from './backend-proxy.js'
import { sendRegistryError } from './distribution-errors.js'
import type { TokenSigner } from './registry-tokens.js'
import { allows, repositoryOfPath, scopesOf, type RepositoryAccess } from './scopes.js'

export interface TokenClaims extends Record<string, unknown> {
  sub: string
  anonymous: boolean
  access: RepositoryAccess[]
}

export interface TokenAuthRegistryOptions {
  /** Token service URL, e.g. `https://auth.docker.io/token`. */
  realm: string
  /** The `service` of the challenge and the audience of the tokens, e.g. `registry.docker.io`. */
  service: string
  signer: TokenSigner
  backendUrl: string
  /** The user a client signs in as: undefined for anonymous, 'invalid' for wrong credentials. */
  signIn(credentials: { username: string; password: string } | undefined): string | 'invalid' | undefined
  /** May this user (undefined: anonymous) pull `repository`? */
  canPull(user: string | undefined, repository: string): boolean
  /** Page caps of tag lists (faults.tagsPageLimit). */
  paging?: TagsPaging
  /** Last check before a granted request reaches the backend (e.g. a rate limit); true when it answered. */
  intercept?(req: IncomingMessage, res: ServerResponse, claims: TokenClaims): boolean
}

const TOKEN_LIFETIME_SECONDS = 300
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

function challenge(
  options: TokenAuthRegistryOptions,
  scope?: string,
  error?: string
): Record<string, string> {
  const parts = [`realm="${options.realm}"`, `service="${options.service}"`]
  if (scope) parts.push(`scope="${scope}"`)
  if (error) parts.push(`error="${error}"`)
  return { 'www-authenticate': `Bearer ${parts.join(',')}` }
}

/** GET <realm>?service=...&scope=... with optional Basic credentials. */
export function tokenServiceHandler(options: TokenAuthRegistryOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const params = new URL(req.url ?? '/', 'https://token').searchParams
    const user = options.signIn(basicCredentialsOf(req))
    if (user === 'invalid') {
      sendJson(res, 401, { details: 'incorrect username or password' })
      return
    }
    const access = scopesOf(params).map((scope) => ({
      ...scope,
      actions: scope.type === 'repository' && options.canPull(user, scope.name) ? ['pull'] : []
    }))
    const claims: TokenClaims = { sub: user ?? '', anonymous: user === undefined, access }
    const token = options.signer.mint(
      { aud: params.get('service') ?? options.service, ...claims },
      TOKEN_LIFETIME_SECONDS
    )
    sendJson(res, 200, {
      token,
      access_token: token,
      expires_in: TOKEN_LIFETIME_SECONDS,
      issued_at: new Date().toISOString()
    })
  }
}

/** The /v2/ API, guarded by tokens of the token service above. */
export function tokenAuthRegistryHandler(options: TokenAuthRegistryOptions) {
  return async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0]
    const token = bearerTokenOf(req)
    const claims = token ? options.signer.verify<TokenClaims>(token, options.service) : undefined

    if (path === '/v2/' || path === '/v2') {
      if (claims) sendJson(res, 200, {})
      else sendRegistryError(res, 401, 'UNAUTHORIZED', 'authentication required', challenge(options))
      return
    }
    const repository = repositoryOfPath(path)
    if (!repository) {
      sendRegistryError(res, 404, 'NOT_FOUND', 'not found')
      return
    }
    const action = WRITE_METHODS.has(req.method ?? 'GET') ? 'push' : 'pull'
    const scope = `repository:${repository}:${action === 'push' ? 'pull,push' : 'pull'}`
    if (!claims) {
      sendRegistryError(res, 401, 'UNAUTHORIZED', 'authentication required', challenge(options, scope), [
        { Type: 'repository', Class: '', Name: repository, Action: action }
      ])
      return
    }
    if (!allows(claims.access, repository, action)) {
      // What Docker Hub answers for a private or missing repository: docker prints "pull access denied".
      sendRegistryError(
        res,
        401,
        'UNAUTHORIZED',
        'authentication required',
        challenge(options, scope, 'insufficient_scope'),
        [{ Type: 'repository', Class: '', Name: repository, Action: action }]
      )
      return
    }
    if (options.intercept?.(req, res, claims)) return
    await forwardToBackend(options.backendUrl, req, res, body, options.paging)
  }
}
