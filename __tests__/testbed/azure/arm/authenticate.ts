// ARM's bearer token check: signature, lifetime, audience of this cloud's ARM, and the tenant of the
// subscription addressed. Answers carry ARM's real error codes and texts.
import type { IncomingMessage } from 'node:http'
import { normalizeResource, type Cloud } from '../clouds.js'
import type { AccessTokens } from '../entra/accessTokens.js'
import { bearerToken } from '../http.js'
import { ArmError } from './errors.js'
import { subscriptionById } from './subscriptions.js'

export interface Caller {
  oid: string
  tid: string
  /** Client ID named in authorization errors. */
  appid: string
}

const isoUtc = (seconds: number): string => new Date(seconds * 1000).toISOString()

export function authenticate(req: IncomingMessage, tokens: AccessTokens, cloud: Cloud): Caller {
  const token = bearerToken(req)
  if (!token) {
    throw new ArmError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
      {
        'www-authenticate':
          'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."'
      }
    )
  }
  const result = tokens.inspect(token)
  if (!result.valid && result.reason === 'expired' && result.claims) {
    throw new ArmError(
      401,
      'ExpiredAuthenticationToken',
      `The access token expiry UTC time '${isoUtc(result.claims.exp)}' is earlier than current UTC time '${new Date().toISOString()}'.`,
      {
        'www-authenticate': 'Bearer error="invalid_token", error_description="The access token has expired."'
      }
    )
  }
  if (!result.valid) {
    throw new ArmError(401, 'InvalidAuthenticationToken', 'The access token is invalid.', {
      'www-authenticate': 'Bearer error="invalid_token", error_description="The access token is invalid."'
    })
  }
  const { claims } = result
  const audience = normalizeResource(claims.aud).toLowerCase()
  if (!cloud.armAudiences.some((a) => a.toLowerCase() === audience)) {
    const allowed = cloud.armAudiences.flatMap((a) => [`${a}/`, a]).join("','")
    throw new ArmError(
      401,
      'InvalidAuthenticationToken',
      `The access token has been obtained for wrong audience or resource '${claims.aud}'. It should exactly match with one of the allowed audiences '${allowed}'.`
    )
  }
  return { oid: claims.oid, tid: claims.tid, appid: claims.appid ?? claims.oid }
}

/** The subscription must exist and belong to the token's tenant. */
export function assertSubscriptionAccess(caller: Caller, subscriptionId: string): void {
  const subscription = subscriptionById(subscriptionId)
  if (!subscription) {
    throw new ArmError(
      404,
      'SubscriptionNotFound',
      `The subscription '${subscriptionId}' could not be found.`
    )
  }
  if (subscription.tenantId !== caller.tid.toLowerCase()) {
    throw new ArmError(
      401,
      'InvalidAuthenticationTokenTenant',
      `The access token is from the wrong issuer 'https://sts.windows.net/${caller.tid}/'. It must match the tenant 'https://sts.windows.net/${subscription.tenantId}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${subscription.tenantId}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`
    )
  }
}

/** ARM's 403 for a missing RBAC action. */
export const authorizationFailed = (caller: Caller, action: string, scope: string): ArmError =>
  new ArmError(
    403,
    'AuthorizationFailed',
    `The client '${caller.appid}' with object id '${caller.oid}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`
  )
