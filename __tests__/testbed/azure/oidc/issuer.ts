// An OpenID Connect token issuer of the test bed (GitHub Actions, Azure DevOps): its `iss` and its signing key.
// Entra verifies federated client assertions against these, as it would fetch the issuer's JWKS.
import type { ServerResponse } from 'node:http'
import { sendJson } from '../http.js'
import { SigningKey } from '../signingKey.js'

export class OidcIssuer {
  readonly key = new SigningKey()

  constructor(readonly issuer: string) {}

  /** The discovery document, with the JWKS at `jwksUri`. */
  sendDiscovery(res: ServerResponse, jwksUri: string): void {
    sendJson(res, 200, {
      issuer: this.issuer,
      jwks_uri: jwksUri,
      subject_types_supported: ['public', 'pairwise'],
      response_types_supported: ['id_token'],
      claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid']
    })
  }

  sendJwks(res: ServerResponse): void {
    sendJson(res, 200, { keys: [this.key.jwk()] })
  }
}
