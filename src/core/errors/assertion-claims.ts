// A federated sign-in fails when the presented assertion's issuer, subject or audience match no federated
// credential of the app. Users can only fix that when they see those three claims, so we decode them (the
// payload only, never the signature, and never print the token itself).

export interface AssertionClaims {
  iss?: string
  sub?: string
  aud?: string
  /** Expiry, in seconds since the epoch. */
  exp?: number
}

/** Decodes iss/sub/aud from a JWT's payload; undefined when the text is not a JWT. */
export function decodeAssertionClaims(jwt: string): AssertionClaims | undefined {
  const parts = jwt.split('.')
  if (parts.length !== 3) return undefined
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>
    const aud = Array.isArray(payload.aud) ? payload.aud.join(',') : payload.aud
    return {
      iss: typeof payload.iss === 'string' ? payload.iss : undefined,
      sub: typeof payload.sub === 'string' ? payload.sub : undefined,
      aud: typeof aud === 'string' ? aud : undefined,
      exp: typeof payload.exp === 'number' ? payload.exp : undefined
    }
  } catch {
    return undefined
  }
}
