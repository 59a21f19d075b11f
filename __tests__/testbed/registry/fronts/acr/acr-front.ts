// The data plane of one fake ACR (<name>.azurecr.io): ACR's token endpoints, the distribution API, the OCI 1.1
// referrers API and the /acr/v1 metadata API (reads, and PATCH of changeable attributes) in front of the
// registry's backing distribution server. Every data request needs an ACR access token whose scope grants it
// (`pull`, `push`, `metadata_read`, `metadata_write`); a write that a lock forbids (acr-attributes.ts) is
// refused with DENIED; registries with public network access disabled refuse every client (trusted Azure
// services reach the backend directly).
import type { IncomingMessage, ServerResponse } from 'node:http'
import { bearerTokenOf, sendJson } from '../../../net/http-io.js'
import type { HostHandler, RegistryRuntime } from '../../../types.js'
import { forwardToBackend, type TagsPaging } from '../backend-proxy.js'
import { sendRegistryError } from '../distribution-errors.js'
import { TokenSigner } from '../registry-tokens.js'
import { allows, repositoryOfPath } from '../scopes.js'
import { DENIED_MESSAGE } from './acr-attributes.js'
import { AcrMetadata, parseAcrMetadataPath } from './acr-metadata.js'
import { AcrReferrers, parseReferrersPath } from './acr-referrers.js'
import { AcrTokenService, type AcrAccessClaims, type AcrIdentityChecks } from './acr-tokens.js'

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function acrFront(
  registry: RegistryRuntime,
  backendUrl: string,
  identity: AcrIdentityChecks,
  /** The backing distribution server's storage root (the manifest list reads it). */
  storageDir?: string,
  paging?: TagsPaging
): HostHandler {
  const tokens = new AcrTokenService(registry, identity, new TokenSigner('Azure Container Registry'))
  const metadata = new AcrMetadata(registry, storageDir)
  const referrers = new AcrReferrers(registry.backend, storageDir)
  const login = registry.loginServer

  const challenge = (scope?: string): Record<string, string> => ({
    'www-authenticate': `Bearer realm="https://${login}/oauth2/token",service="${login}"${scope ? `,scope="${scope}"` : ''}`
  })
  const unauthorized = (res: ServerResponse, scope: string, detail: unknown) =>
    sendRegistryError(
      res,
      401,
      'UNAUTHORIZED',
      'authentication required, visit https://aka.ms/acr/authorization for more information.',
      challenge(scope),
      detail
    )

  /** True when the token grants `action` on `repository` ('metadata_read' is also granted by 'pull'). */
  const grants = (claims: AcrAccessClaims | undefined, repository: string, action: string) =>
    allows(claims?.access, repository, action) ||
    (action === 'metadata_read' && allows(claims?.access, repository, 'pull'))

  const grantsCatalog = (claims: AcrAccessClaims | undefined) =>
    (claims?.access ?? []).some(
      (a) => a.type === 'registry' && a.name === 'catalog' && a.actions.includes('*')
    )

  return async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    if (registry.model.publicNetworkAccess === 'Disabled') {
      sendRegistryError(
        res,
        403,
        'DENIED',
        `client with IP '${req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1'}' is not allowed access. ` +
          'Refer https://aka.ms/acr/firewall to grant access.'
      )
      return
    }
    const path = (req.url ?? '/').split('?')[0]
    if (path === '/oauth2/exchange' && req.method === 'POST') return tokens.exchange(res, body)
    if (path === '/oauth2/token') return tokens.token(req, res, body)

    const token = bearerTokenOf(req)
    const claims = token ? tokens.verifyAccessToken(token) : undefined

    if (path === '/v2/' || path === '/v2') {
      if (claims) sendJson(res, 200, {})
      else sendRegistryError(res, 401, 'UNAUTHORIZED', 'authentication required', challenge())
      return
    }

    // The distribution catalog (paged by distribution itself: n, last, Link), for a token with registry:catalog:*.
    if (path === '/v2/_catalog' && req.method === 'GET') {
      if (!grantsCatalog(claims)) {
        return sendRegistryError(
          res,
          401,
          'UNAUTHORIZED',
          'authentication required, visit https://aka.ms/acr/authorization for more information.',
          challenge('registry:catalog:*'),
          [{ Type: 'registry', Name: 'catalog', Action: '*' }]
        )
      }
      await forwardToBackend(backendUrl, req, res, body)
      return
    }

    const metadataRoute = parseAcrMetadataPath(req.url ?? '/')
    if (metadataRoute && metadataRoute.kind !== 'catalog' && req.method === 'PATCH') {
      const { repository } = metadataRoute
      if (!grants(claims, repository, 'metadata_write')) {
        return unauthorized(res, `repository:${repository}:metadata_write`, [
          { Type: 'repository', Name: repository, Action: 'metadata_write' }
        ])
      }
      await metadata.patch(metadataRoute, res, body)
      return
    }
    if (metadataRoute && req.method === 'GET') {
      const [resource, action, scope] =
        metadataRoute.kind === 'catalog'
          ? ['catalog', '*', 'registry:catalog:*']
          : [
              metadataRoute.repository,
              'metadata_read',
              `repository:${metadataRoute.repository}:metadata_read`
            ]
      const allowed =
        metadataRoute.kind === 'catalog' ? grantsCatalog(claims) : grants(claims, resource, action)
      if (!allowed) return unauthorized(res, scope, [{ Type: 'repository', Name: resource, Action: action }])
      const query = new URL(req.url ?? '/', 'https://acr').searchParams
      await metadata.answer(metadataRoute, res, () => catalogOf(backendUrl), query)
      return
    }

    const referrersRoute = parseReferrersPath(path)
    if (referrersRoute && req.method === 'GET') {
      if (!grants(claims, referrersRoute.repository, 'pull')) {
        return unauthorized(res, `repository:${referrersRoute.repository}:pull`, [
          { Type: 'repository', Name: referrersRoute.repository, Action: 'pull' }
        ])
      }
      const query = new URL(req.url ?? '/', 'https://acr').searchParams
      await referrers.answer(res, referrersRoute.repository, referrersRoute.digest, query)
      return
    }

    const repository = repositoryOfPath(path)
    if (!repository) {
      sendRegistryError(res, 404, 'NOT_FOUND', 'not found')
      return
    }
    const action = WRITE_METHODS.has(req.method ?? 'GET') ? 'push' : 'pull'
    if (!grants(claims, repository, action)) {
      return unauthorized(res, `repository:${repository}:${action === 'push' ? 'pull,push' : 'pull'}`, [
        { Type: 'repository', Name: repository, Action: action }
      ])
    }
    if (lockForbids(registry, req.method ?? 'GET', path, repository)) {
      sendRegistryError(res, 405, 'DENIED', DENIED_MESSAGE)
      return
    }
    await forwardToBackend(backendUrl, req, res, body, paging)
  }
}

/**
 * True when the changeable attributes forbid this distribution request: a manifest PUT under a write-disabled
 * tag or of a write-disabled digest, a manifest DELETE of a delete-disabled digest. Whether ACR refuses a PUT
 * that would leave a locked tag where it is (the same bytes again) is not known; the test bed refuses it.
 */
function lockForbids(registry: RegistryRuntime, method: string, path: string, repository: string): boolean {
  const reference = /^\/v2\/.+?\/manifests\/([^/]+)$/.exec(path)?.[1]
  if (!reference) return false
  const isDigest = reference.startsWith('sha256:')
  const attributes = isDigest
    ? registry.attributes.manifest(repository, reference)
    : registry.attributes.tag(repository, reference)
  if (method === 'PUT') return !attributes.writeEnabled
  if (method === 'DELETE') return !attributes.deleteEnabled
  return false
}

async function catalogOf(backendUrl: string): Promise<string[]> {
  const answer = await fetch(`${backendUrl}/v2/_catalog`)
  return ((await answer.json()) as { repositories?: string[] }).repositories ?? []
}
