// Entra ID on login.microsoftonline.com (and the sovereign clouds' login hosts): OpenID metadata, MSAL's
// instance discovery, the signing keys and the v2.0 token endpoint.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { HostHandler, HostRoutes } from '../../types.js'
import { CLOUDS, type Cloud } from '../clouds.js'
import { pathSegments, requestHost, requestUrl, sendJson } from '../http.js'
import type { SigningKey } from '../signingKey.js'
import { EntraError, sendEntraError } from './errors.js'
import { TENANTS } from './tenants.js'
import { handleTokenRequest, type TokenEndpointDeps } from './tokenEndpoint.js'

const MULTI_TENANT_ALIASES = ['common', 'organizations', 'consumers']

const isKnownTenant = (tenant: string): boolean =>
  MULTI_TENANT_ALIASES.includes(tenant.toLowerCase()) || TENANTS.some((t) => t.id === tenant.toLowerCase())

function openIdConfiguration(host: string, tenant: string): Record<string, unknown> {
  const base = `https://${host}/${tenant}`
  const issuerTenant = MULTI_TENANT_ALIASES.includes(tenant.toLowerCase()) ? '{tenantid}' : tenant
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `https://${host}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'oid', 'ver'],
    tenant_region_scope: 'EU',
    cloud_instance_name: host.endsWith('.us') ? 'microsoftonline.us' : 'microsoftonline.com'
  }
}

/** MSAL's instance discovery answer: the tenant's metadata document and every cloud's host aliases. */
function instanceDiscovery(host: string, url: URL): Record<string, unknown> {
  const authorizationEndpoint = url.searchParams.get('authorization_endpoint') ?? ''
  let tenant = 'common'
  try {
    tenant = pathSegments(new URL(authorizationEndpoint))[0] ?? 'common'
  } catch {
    // No or malformed authorization_endpoint: Entra then describes the common endpoint.
  }
  return {
    tenant_discovery_endpoint: `https://${host}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: CLOUDS.map((c) => ({
      preferred_network: c.loginHosts[c.loginHosts.length - 1],
      preferred_cache: c.loginHosts[c.loginHosts.length - 1],
      aliases: c.loginHosts
    }))
  }
}

function unknownTenant(res: ServerResponse, host: string, tenant: string): void {
  sendEntraError(
    res,
    new EntraError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`
    ),
    host
  )
}

export function createEntraRoutes(key: SigningKey, deps: TokenEndpointDeps): HostRoutes {
  const handlerFor =
    (cloud: Cloud): HostHandler =>
    (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
      const host = requestHost(req)
      const url = requestUrl(req)
      const [tenant = '', ...rest] = pathSegments(url)
      const route = `${req.method} /${rest.join('/')}`
      if (tenant === 'common' && route === 'GET /discovery/instance')
        return sendJson(res, 200, instanceDiscovery(host, url))
      if (route === 'GET /discovery/v2.0/keys' || route === 'GET /discovery/keys') {
        return sendJson(res, 200, { keys: [key.jwk()] })
      }
      if (
        route === 'GET /v2.0/.well-known/openid-configuration' ||
        route === 'GET /.well-known/openid-configuration'
      ) {
        return isKnownTenant(tenant)
          ? sendJson(res, 200, openIdConfiguration(host, tenant))
          : unknownTenant(res, host, tenant)
      }
      if (route === 'POST /oauth2/v2.0/token') return handleTokenRequest(req, res, body, tenant, cloud, deps)
      sendJson(res, 404, {
        error: 'not_found',
        error_description: `No Entra ID endpoint at ${url.pathname}.`
      })
    }
  return Object.fromEntries(
    CLOUDS.flatMap((cloud) => cloud.loginHosts.map((host) => [host, handlerFor(cloud)]))
  )
}
