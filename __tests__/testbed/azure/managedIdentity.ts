// Managed identity of a self-hosted runner/agent, served as the App Service identity endpoint:
// GET ${IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=<resource>[&client_id=<id>] with header
// X-IDENTITY-HEADER: ${IDENTITY_HEADER}. That source is chosen by MSAL (inside @azure/identity's
// ManagedIdentityCredential) from these two variables alone and, unlike IMDS on 169.254.169.254, can be an
// https URL on a host the test bed serves through its proxy.
import { randomBytes, randomUUID } from 'node:crypto'
import type { HostRoutes } from '../types.js'
import { MANAGED_IDENTITY } from '../world.js'
import { CLOUDS, isKnownResource } from './clouds.js'
import type { AccessTokens } from './entra/accessTokens.js'
import { ACCESS_TOKEN_LIFETIME_SECONDS } from './entra/accessTokens.js'
import { requestUrl, sendJson } from './http.js'
import { nowSeconds } from './jwt.js'

/** Host of the identity endpoint (a reserved `.internal` name: no real service has it). */
const MANAGED_IDENTITY_HOST = 'managed-identity.testbed.internal'
const ENDPOINT_PATH = '/msi/token'

export function createManagedIdentity(tokens: AccessTokens) {
  const identityHeader = randomBytes(24).toString('hex')

  const routes: HostRoutes = {
    [MANAGED_IDENTITY_HOST]: (req, res) => {
      const url = requestUrl(req)
      const fail = (status: number, message: string) =>
        sendJson(res, status, { statusCode: status, message, correlationId: randomUUID() })
      if (req.method !== 'GET' || url.pathname !== ENDPOINT_PATH) return fail(404, 'Not found.')
      if (req.headers['x-identity-header'] !== identityHeader) {
        return fail(401, 'The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.')
      }
      const resource = url.searchParams.get('resource') ?? ''
      if (!isKnownResource(resource)) return fail(400, `The resource '${resource}' is not known to Entra ID.`)
      const clientId = url.searchParams.get('client_id')
      const principalId = url.searchParams.get('principal_id') ?? url.searchParams.get('object_id')
      const matches =
        (!clientId || clientId.toLowerCase() === MANAGED_IDENTITY.clientId) &&
        (!principalId || principalId.toLowerCase() === MANAGED_IDENTITY.objectId) &&
        !url.searchParams.has('mi_res_id')
      if (!matches) {
        return fail(
          400,
          'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.'
        )
      }
      const accessToken = tokens.issue(
        {
          tenantId: MANAGED_IDENTITY.tenantId,
          objectId: MANAGED_IDENTITY.objectId,
          appId: MANAGED_IDENTITY.clientId
        },
        resource,
        CLOUDS[0],
        '0'
      )
      sendJson(res, 200, {
        access_token: accessToken,
        expires_on: String(nowSeconds() + ACCESS_TOKEN_LIFETIME_SECONDS),
        resource,
        token_type: 'Bearer',
        client_id: MANAGED_IDENTITY.clientId
      })
    }
  }

  /** The environment that selects this source in ManagedIdentityCredential. */
  const env = {
    IDENTITY_ENDPOINT: `https://${MANAGED_IDENTITY_HOST}${ENDPOINT_PATH}`,
    IDENTITY_HEADER: identityHeader
  }
  return { routes, env }
}
