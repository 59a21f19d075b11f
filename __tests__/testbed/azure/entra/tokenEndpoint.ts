// POST /{tenant}/oauth2/v2.0/token, grant_type=client_credentials: authenticates the app by client secret or
// client assertion and issues an access token for the one `.default` scope asked for.
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AppModel } from '../../world.js'
import { isKnownResource, type Cloud } from '../clouds.js'
import { requestHost, sendJson } from '../http.js'
import type { OidcIssuer } from '../oidc/issuer.js'
import { ACCESS_TOKEN_LIFETIME_SECONDS, type AccessTokens, type AppAuthMethod } from './accessTokens.js'
import type { AppCertificate } from './appCertificates.js'
import { verifyClientAssertion } from './clientAssertion.js'
import { EntraError, sendEntraError } from './errors.js'
import { TENANTS } from './tenants.js'

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

export interface TokenEndpointDeps {
  apps: Record<string, AppModel>
  certificates: Map<string, AppCertificate>
  issuers: OidcIssuer[]
  tokens: AccessTokens
}

const sameSecret = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/** The resource of a `<resource>/.default` scope; Entra accepts one resource per client-credentials request. */
function resourceOf(scope: string, tenantName: string): string {
  const scopes = scope.split(' ').filter((s) => s !== '')
  const resource =
    scopes.length === 1 && scopes[0].endsWith('/.default') ? scopes[0].slice(0, -'/.default'.length) : ''
  if (!resource) {
    throw new EntraError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`
    )
  }
  if (!isKnownResource(resource)) {
    throw new EntraError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`
    )
  }
  return resource
}

function authenticateClient(
  form: URLSearchParams,
  appKey: string,
  app: AppModel,
  deps: TokenEndpointDeps,
  tokenEndpoints: string[]
): AppAuthMethod {
  const secret = form.get('client_secret')
  const assertion = form.get('client_assertion')
  if (secret !== null) {
    if (!app.clientSecret || !sameSecret(secret, app.clientSecret)) {
      throw new EntraError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.appId}'.`
      )
    }
    return '1'
  }
  if (assertion !== null) {
    if (form.get('client_assertion_type') !== JWT_BEARER) {
      throw new EntraError(
        400,
        'invalid_request',
        70002,
        `The provided client_assertion_type is not supported. Only '${JWT_BEARER}' is supported.`
      )
    }
    verifyClientAssertion(assertion, {
      app,
      certificate: deps.certificates.get(appKey),
      tokenEndpoints,
      issuers: deps.issuers
    })
    return '2'
  }
  throw new EntraError(
    401,
    'invalid_client',
    7000218,
    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."
  )
}

export function handleTokenRequest(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  tenant: string,
  cloud: Cloud,
  deps: TokenEndpointDeps
): void {
  const host = requestHost(req)
  try {
    const form = new URLSearchParams(body.toString('utf8'))
    const tenantModel = TENANTS.find((t) => t.id === tenant.toLowerCase())
    if (!tenantModel) {
      throw new EntraError(
        400,
        'invalid_request',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`
      )
    }
    if (form.get('grant_type') !== 'client_credentials') {
      throw new EntraError(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${form.get('grant_type') ?? ''}'.`
      )
    }
    const clientId = form.get('client_id')
    if (!clientId) {
      throw new EntraError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_id'."
      )
    }
    const entry = Object.entries(deps.apps).find(
      ([, a]) => a.appId.toLowerCase() === clientId.toLowerCase() && a.tenantId === tenantModel.id
    )
    if (!entry) {
      throw new EntraError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`
      )
    }
    const [appKey, app] = entry
    const resource = resourceOf(form.get('scope') ?? '', tenantModel.name)
    const tokenEndpoints = cloud.loginHosts.flatMap((h) =>
      [tenant, tenantModel.id].flatMap((t) => [
        `https://${h}/${t}/oauth2/v2.0/token`,
        `https://${h}/${t}/oauth2/token`
      ])
    )
    const appidacr = authenticateClient(form, appKey, app, deps, tokenEndpoints)
    const accessToken = deps.tokens.issue(
      { tenantId: app.tenantId, objectId: app.objectId, appId: app.appId },
      resource,
      cloud,
      appidacr
    )
    sendJson(res, 200, {
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
      ext_expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
      access_token: accessToken
    })
  } catch (err) {
    if (err instanceof EntraError) return sendEntraError(res, err, host)
    throw err
  }
}
