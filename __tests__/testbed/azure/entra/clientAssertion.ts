// Verifies the client_assertion of a token request, as Entra does. Two kinds exist:
// - a certificate assertion (header x5t / x5t#S256): signed by the app's registered certificate, iss = sub =
//   client_id, aud = the token endpoint;
// - a federated token (no thumbprint): issued by a trusted OIDC issuer and matched against the app's federated
//   identity credentials by issuer, subject and audience, then checked for signature and lifetime.
import { timingSafeEqual } from 'node:crypto'
import type { AppModel } from '../../world.js'
import { audiencesOf, decodeJwt, hasValidSignature, nowSeconds, type DecodedJwt } from '../jwt.js'
import type { OidcIssuer } from '../oidc/issuer.js'
import type { AppCertificate } from './appCertificates.js'
import { EntraError, entraTime } from './errors.js'

/** Tolerated clock skew for assertion lifetimes, in seconds. */
const CLOCK_SKEW_SECONDS = 300

export interface AssertionContext {
  app: AppModel
  certificate?: AppCertificate
  /** Audiences a certificate assertion may carry: the token endpoint URL(s) of this tenant. */
  tokenEndpoints: string[]
  issuers: OidcIssuer[]
}

function assertValidTimeRange(jwt: DecodedJwt): void {
  const now = nowSeconds()
  const exp = typeof jwt.payload.exp === 'number' ? jwt.payload.exp : 0
  const nbf = typeof jwt.payload.nbf === 'number' ? jwt.payload.nbf : now
  if (exp + CLOCK_SKEW_SECONDS < now || nbf - CLOCK_SKEW_SECONDS > now) {
    throw new EntraError(
      401,
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${entraTime(now)}, assertion valid from ${entraTime(nbf)}, expiry time of assertion ${entraTime(exp)}. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .`
    )
  }
}

const sameString = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

function verifyCertificateAssertion(jwt: DecodedJwt, ctx: AssertionContext): void {
  const { app, certificate } = ctx
  const sha1 = typeof jwt.header.x5t === 'string' ? jwt.header.x5t : undefined
  const sha256 = typeof jwt.header['x5t#S256'] === 'string' ? jwt.header['x5t#S256'] : undefined
  const presented = sha256 ?? sha1 ?? ''
  const registered =
    certificate &&
    ((sha256 && sameString(sha256, certificate.x5tS256)) || (sha1 && sameString(sha1, certificate.x5t)))
  if (!certificate || !registered) {
    throw new EntraError(
      401,
      'invalid_client',
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${Buffer.from(presented, 'base64url').toString('hex').toUpperCase()}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.appId}'.]`
    )
  }
  if (!hasValidSignature(jwt, certificate.certificate.publicKey)) {
    throw new EntraError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.')
  }
  if (jwt.payload.iss !== app.appId || jwt.payload.sub !== app.appId) {
    throw new EntraError(
      401,
      'invalid_client',
      700021,
      "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials ."
    )
  }
  const audiences = audiencesOf(jwt.payload)
  if (!audiences.some((aud) => ctx.tokenEndpoints.includes(aud))) {
    throw new EntraError(
      401,
      'invalid_client',
      50027,
      `JWT token is invalid or malformed. The client assertion audience '${audiences.join(',')}' is not the token endpoint of this tenant.`
    )
  }
  assertValidTimeRange(jwt)
}

function verifyFederatedToken(jwt: DecodedJwt, ctx: AssertionContext): void {
  const { app } = ctx
  const iss = typeof jwt.payload.iss === 'string' ? jwt.payload.iss : ''
  const sub = typeof jwt.payload.sub === 'string' ? jwt.payload.sub : ''
  const audiences = audiencesOf(jwt.payload)
  // Matching is case-sensitive, as Entra has done since 2024.
  const byIssuer = app.federated.filter((f) => f.issuer === iss)
  if (byIssuer.length === 0) {
    throw new EntraError(
      401,
      'invalid_client',
      700211,
      `No matching federated identity record found for presented assertion issuer '${iss}'. Please note that the matching is done using a case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`
    )
  }
  const bySubject = byIssuer.filter((f) => f.subject === sub)
  if (bySubject.length === 0) {
    throw new EntraError(
      401,
      'invalid_client',
      700213,
      `No matching federated identity record found for presented assertion subject '${sub}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`
    )
  }
  if (!bySubject.some((f) => audiences.includes(f.audience))) {
    throw new EntraError(
      401,
      'invalid_client',
      700212,
      `No matching federated identity record found for presented assertion audience '${audiences.join(',')}'. Please note that the matching is done using a case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`
    )
  }
  const issuer = ctx.issuers.find((i) => i.issuer === iss)
  if (!issuer || jwt.header.kid !== issuer.key.kid || !hasValidSignature(jwt, issuer.key.publicKey)) {
    throw new EntraError(
      401,
      'invalid_client',
      700027,
      `Client assertion failed signature validation. The signing key of the assertion issued by '${iss}' was not found in the issuer's published keys.`
    )
  }
  assertValidTimeRange(jwt)
}

/** Accepts the assertion or throws the EntraError Entra would answer with. */
export function verifyClientAssertion(assertion: string, ctx: AssertionContext): void {
  const jwt = decodeJwt(assertion)
  if (!jwt) {
    throw new EntraError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.')
  }
  if ('x5t' in jwt.header || 'x5t#S256' in jwt.header) verifyCertificateAssertion(jwt, ctx)
  else verifyFederatedToken(jwt, ctx)
}
