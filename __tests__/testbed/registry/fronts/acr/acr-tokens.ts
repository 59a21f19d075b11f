// ACR's own token service (docs: Azure/acr AAD-OAuth.md): an Entra access token is exchanged for an ACR
// refresh token (`POST /oauth2/exchange`), which buys access tokens for scopes (`POST /oauth2/token`); Basic
// credentials (a repository-scoped token, a service principal's app ID and secret, or the null-GUID user with
// an ACR refresh token) buy access tokens directly (`GET /oauth2/token`, or `POST` with grant_type=password).
import type { IncomingMessage, ServerResponse } from 'node:http'
import { basicCredentialsOf, formOf, sendJson } from '../../../net/http-io.js'
import type { AzureHalf, RegistryRuntime } from '../../../types.js'
import { CLOUDS } from '../../../azure/clouds.js'
import { ACR_AUDIENCE } from '../../../world.js'
import { sendRegistryError } from '../distribution-errors.js'
import type { TokenSigner } from '../registry-tokens.js'
import { scopesOf, type RepositoryAccess } from '../scopes.js'

export type AcrIdentityChecks = Pick<AzureHalf, 'verifyAccessToken' | 'can' | 'appObjectIdForSecret'>

/** Who asks for an ACR token: an Entra principal (RBAC decides) or a repository-scoped registry token. */
type Principal =
  { kind: 'entra'; objectId: string; tenantId?: string } | { kind: 'scoped'; repositories: string[] }

export interface AcrAccessClaims extends Record<string, unknown> {
  sub: string
  access: RepositoryAccess[]
}

const REFRESH_TOKEN_LIFETIME_SECONDS = 3 * 60 * 60
const ACCESS_TOKEN_LIFETIME_SECONDS = 75 * 60
/** `docker login` with an ACR refresh token uses this user name. */
const REFRESH_TOKEN_USER = '00000000-0000-0000-0000-000000000000'
// The ACR audience, and every ARM audience (`https://management.azure.com/` and the classic
// `https://management.core.windows.net/` that `az` asks for, with or without the trailing slash): ACR takes an
// ARM token for the exchange when the registry's azureADAuthenticationAsArmPolicy is enabled, which it is by
// default (the RegistryGet example and the 2025/2026 recordings; that it is the default is inferred). Real ACR
// takes only its own cloud's ARM audiences; the test bed's registries serve every cloud, so they take them all.
const ACCEPTED_AUDIENCES = new Set(
  [ACR_AUDIENCE, ...CLOUDS.flatMap((cloud) => cloud.armAudiences)].map((audience) => audience.toLowerCase())
)

/** The RBAC action each distribution action needs on the registry. */
const RBAC_ACTION: Record<string, string> = {
  pull: 'Microsoft.ContainerRegistry/registries/pull/read',
  metadata_read: 'Microsoft.ContainerRegistry/registries/pull/read',
  push: 'Microsoft.ContainerRegistry/registries/push/write',
  // Changing tag and manifest attributes (locking). ACR's docs grant it to AcrPush and the repository Writer
  // role, not to AcrPull nor to "Container Registry Data Importer and Data Reader"; that ACR checks exactly the
  // push action for it is inferred.
  metadata_write: 'Microsoft.ContainerRegistry/registries/push/write'
}

export class AcrTokenService {
  constructor(
    private readonly registry: RegistryRuntime,
    private readonly identity: AcrIdentityChecks,
    private readonly signer: TokenSigner
  ) {}

  /** Claims of an ACR access token presented to this registry, if valid. */
  verifyAccessToken(token: string): AcrAccessClaims | undefined {
    const claims = this.signer.verify<AcrAccessClaims & { grant_type?: string }>(
      token,
      this.registry.loginServer
    )
    return claims?.grant_type === 'access_token' ? claims : undefined
  }

  exchange(res: ServerResponse, body: Buffer): void {
    const form = formOf(body)
    const entra = this.identity.verifyAccessToken(form.get('access_token') ?? '')
    if (form.get('grant_type') !== 'access_token' || !entra) {
      this.unauthorized(res, 'the access token is invalid or expired')
      return
    }
    if (!ACCEPTED_AUDIENCES.has(entra.aud.replace(/\/+$/, '').toLowerCase())) {
      this.unauthorized(res, `the access token has audience '${entra.aud}', not ${ACR_AUDIENCE}`)
      return
    }
    const refreshToken = this.signer.mint(
      {
        aud: this.registry.loginServer,
        sub: entra.oid,
        tenant: entra.tid,
        grant_type: 'refresh_token',
        version: '1.0'
      },
      REFRESH_TOKEN_LIFETIME_SECONDS
    )
    sendJson(res, 200, { refresh_token: refreshToken })
  }

  token(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const params = req.method === 'POST' ? formOf(body) : new URL(req.url ?? '/', 'https://acr').searchParams
    const principal = this.principalOf(req, params)
    if (!principal) {
      this.unauthorized(
        res,
        'authentication required, visit https://aka.ms/acr/authorization for more information.'
      )
      return
    }
    const access = scopesOf(params).map((scope) => ({ ...scope, actions: this.granted(principal, scope) }))
    const sub = principal.kind === 'entra' ? principal.objectId : 'repository-scoped-token'
    const accessToken = this.signer.mint(
      { aud: this.registry.loginServer, sub, grant_type: 'access_token', version: '1.0', access },
      ACCESS_TOKEN_LIFETIME_SECONDS
    )
    sendJson(res, 200, { access_token: accessToken })
  }

  private principalOf(req: IncomingMessage, params: URLSearchParams): Principal | undefined {
    if (params.get('grant_type') === 'refresh_token')
      return this.principalOfRefreshToken(params.get('refresh_token'))
    const credentials =
      basicCredentialsOf(req) ??
      (params.get('grant_type') === 'password'
        ? { username: params.get('username') ?? '', password: params.get('password') ?? '' }
        : undefined)
    if (!credentials) return undefined
    const scopedToken = this.registry.model.tokens.find(
      (t) => t.username === credentials.username && t.password === credentials.password
    )
    if (scopedToken) return { kind: 'scoped', repositories: scopedToken.repositories }
    if (credentials.username === REFRESH_TOKEN_USER) return this.principalOfRefreshToken(credentials.password)
    const objectId = this.identity.appObjectIdForSecret(credentials.username, credentials.password)
    return objectId ? { kind: 'entra', objectId } : undefined
  }

  private principalOfRefreshToken(token: string | null): Principal | undefined {
    const claims = this.signer.verify<{ sub: string; tenant?: string; grant_type: string }>(
      token ?? '',
      this.registry.loginServer
    )
    return claims?.grant_type === 'refresh_token'
      ? { kind: 'entra', objectId: claims.sub, tenantId: claims.tenant }
      : undefined
  }

  private granted(principal: Principal, scope: RepositoryAccess): string[] {
    if (principal.kind === 'scoped') {
      const inScope = scope.type === 'repository' && principal.repositories.includes(scope.name)
      return inScope ? scope.actions.filter((action) => action === 'pull' || action === 'metadata_read') : []
    }
    const can = (action: string) => this.identity.can(principal.objectId, action, this.registry.resourceId)
    if (scope.type === 'registry') return can(RBAC_ACTION.pull) ? scope.actions : []
    return scope.actions.filter((action) => RBAC_ACTION[action] && can(RBAC_ACTION[action]))
  }

  private unauthorized(res: ServerResponse, message: string): void {
    sendRegistryError(res, 401, 'UNAUTHORIZED', message)
  }
}
