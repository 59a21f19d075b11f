// Entra ID access tokens: v1-shaped JWTs (iss https://sts.windows.net/{tid}/, aud = the resource) signed by the
// test bed's Entra key. ARM and the ACR front check them with `inspect`/`verify`.
import { randomUUID } from 'node:crypto'
import { nowSeconds } from '../jwt.js'
import type { SigningKey } from '../signingKey.js'
import { CLOUDS, type Cloud } from '../clouds.js'

/** Who a token is for: an app (service principal) or a managed identity. */
export interface Principal {
  tenantId: string
  objectId: string
  /** Client (application) ID. */
  appId: string
}

export interface AccessTokenClaims {
  oid: string
  tid: string
  appid?: string
  aud: string
  iss: string
  exp: number
}

export type TokenInspection =
  | { valid: true; claims: AccessTokenClaims }
  | { valid: false; reason: 'malformed' | 'expired'; claims?: AccessTokenClaims }

export const ACCESS_TOKEN_LIFETIME_SECONDS = 3599

/** `appidacr`: how the app authenticated (1 = client secret, 2 = certificate or assertion, 0 = none/MSI). */
export type AppAuthMethod = '0' | '1' | '2'

export class AccessTokens {
  constructor(private readonly key: SigningKey) {}

  issue(principal: Principal, audience: string, cloud: Cloud, appidacr: AppAuthMethod): string {
    const now = nowSeconds()
    const issuer = cloud.tokenIssuer(principal.tenantId)
    return this.key.sign({
      aud: audience,
      iss: issuer,
      iat: now,
      nbf: now,
      exp: now + ACCESS_TOKEN_LIFETIME_SECONDS,
      aio: randomUUID(),
      appid: principal.appId,
      appidacr,
      idp: issuer,
      idtyp: 'app',
      oid: principal.objectId,
      sub: principal.objectId,
      tid: principal.tenantId,
      uti: randomUUID().replace(/-/g, '').slice(0, 22),
      ver: '1.0'
    })
  }

  /** Checks signature, issuer and lifetime; says why a token is refused (ARM answers differently). */
  inspect(token: string): TokenInspection {
    const jwt = this.key.verify(token)
    if (!jwt) return { valid: false, reason: 'malformed' }
    const p = jwt.payload
    if (
      typeof p.oid !== 'string' ||
      typeof p.tid !== 'string' ||
      typeof p.aud !== 'string' ||
      typeof p.iss !== 'string' ||
      typeof p.exp !== 'number' ||
      !CLOUDS.some((c) => c.tokenIssuer(p.tid as string) === p.iss)
    ) {
      return { valid: false, reason: 'malformed' }
    }
    const claims: AccessTokenClaims = {
      oid: p.oid,
      tid: p.tid,
      aud: p.aud,
      iss: p.iss,
      exp: p.exp,
      ...(typeof p.appid === 'string' ? { appid: p.appid } : {})
    }
    if (typeof p.nbf === 'number' && p.nbf > nowSeconds() + 300) return { valid: false, reason: 'malformed' }
    if (p.exp <= nowSeconds()) return { valid: false, reason: 'expired', claims }
    return { valid: true, claims }
  }

  verify(token: string): AccessTokenClaims | undefined {
    const result = this.inspect(token)
    return result.valid ? result.claims : undefined
  }
}
