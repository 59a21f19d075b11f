// Minimal JWT (JWS compact) encoding, decoding and signature checks with node:crypto. The test bed signs its own
// tokens with RS256 and must verify what real clients send: RS256 federated tokens and the PS256 certificate
// assertions that MSAL builds.
import { constants, createSign, createVerify, type KeyObject } from 'node:crypto'

export type JwtClaims = Record<string, unknown>

export interface DecodedJwt {
  header: Record<string, unknown>
  payload: JwtClaims
  signingInput: string
  signature: Buffer
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url')

const parseSegment = (segment: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** Splits and parses a compact JWT without checking anything; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  const header = parseSegment(parts[0])
  const payload = parseSegment(parts[1])
  if (!header || !payload) return undefined
  return {
    header,
    payload,
    signingInput: `${parts[0]}.${parts[1]}`,
    signature: Buffer.from(parts[2], 'base64url')
  }
}

export function signRs256(header: Record<string, unknown>, payload: JwtClaims, key: KeyObject): string {
  const signingInput = `${base64url(JSON.stringify({ ...header, alg: 'RS256' }))}.${base64url(JSON.stringify(payload))}`
  const signature = createSign('RSA-SHA256').update(signingInput).sign(key)
  return `${signingInput}.${base64url(signature)}`
}

/** True when the signature is valid for `key` under the header's alg (RS256 or PS256 only). */
export function hasValidSignature(jwt: DecodedJwt, key: KeyObject): boolean {
  const verifier = createVerify('RSA-SHA256').update(jwt.signingInput)
  switch (jwt.header.alg) {
    case 'RS256':
      return verifier.verify(key, jwt.signature)
    case 'PS256':
      return verifier.verify(
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
        jwt.signature
      )
    default:
      return false
  }
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000)

/** The `aud` claim as a list (JWT allows a string or an array). */
export function audiencesOf(payload: JwtClaims): string[] {
  const aud = payload.aud
  if (typeof aud === 'string') return [aud]
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : []
}
