// An RSA signing key with a key id, as every token issuer of the test bed (Entra ID, GitHub, Azure DevOps) has
// its own. Verifiers look the key up by `kid`, as real relying parties do through the issuer's JWKS.
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { decodeJwt, hasValidSignature, signRs256, type DecodedJwt, type JwtClaims } from './jwt.js'

export class SigningKey {
  readonly kid: string
  private readonly privateKey: KeyObject
  readonly publicKey: KeyObject

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    this.privateKey = privateKey
    this.publicKey = publicKey
    // Like Entra, the kid is a thumbprint-shaped string derived from the public key.
    this.kid = createHash('sha1')
      .update(publicKey.export({ format: 'der', type: 'spki' }))
      .digest('base64url')
  }

  sign(payload: JwtClaims): string {
    return signRs256({ typ: 'JWT', kid: this.kid }, payload, this.privateKey)
  }

  /** The decoded token when it was signed by this key (any claims; the caller checks them). */
  verify(token: string): DecodedJwt | undefined {
    const jwt = decodeJwt(token)
    if (!jwt || jwt.header.kid !== this.kid || jwt.header.alg !== 'RS256') return undefined
    return hasValidSignature(jwt, this.publicKey) ? jwt : undefined
  }

  /** The public key as one JWKS entry. */
  jwk(): Record<string, unknown> {
    const { n, e } = this.publicKey.export({ format: 'jwk' })
    return { kty: 'RSA', use: 'sig', alg: 'RS256', kid: this.kid, n, e }
  }
}
