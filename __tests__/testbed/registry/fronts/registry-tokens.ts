// Tokens the registry fronts mint and check: HMAC-signed JWTs, each front with its own key. Clients only need
// `exp` in the payload (the ACR SDK reads it to schedule refreshes); the fronts check signature, audience and
// expiry.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

const base64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url')

export class TokenSigner {
  private readonly key = randomBytes(32)

  constructor(private readonly issuer: string) {}

  mint(claims: Record<string, unknown>, lifetimeSeconds: number): string {
    const now = Math.floor(Date.now() / 1000)
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
    const payload = base64url(
      JSON.stringify({ iss: this.issuer, iat: now, nbf: now, exp: now + lifetimeSeconds, ...claims })
    )
    return `${header}.${payload}.${this.signature(`${header}.${payload}`)}`
  }

  /** The claims of a token this signer minted for `audience`, or undefined when forged, foreign or expired. */
  verify<T extends Record<string, unknown>>(
    token: string,
    audience: string
  ): (T & { exp: number }) | undefined {
    const [header, payload, signature] = token.split('.')
    if (!header || !payload || !signature) return undefined
    const expected = Buffer.from(this.signature(`${header}.${payload}`))
    const given = Buffer.from(signature)
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as T & {
      exp: number
      aud?: string
    }
    if (claims.aud !== audience || claims.exp * 1000 < Date.now()) return undefined
    return claims
  }

  private signature(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url')
  }
}
