// One token request per scope at a time: a batch that starts 64 imports at once, each with an ACR client of its
// own repository, asks the credential for the same ACR-audience token 64 times in the same instant, and
// @azure/identity (MSAL) sends every one of them to Entra ID before the first answer fills its cache. The same
// holds for the Azure CLI credential, which starts an `az` process per request.
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth'

/** A token this close to its expiry is asked for again (MSAL refreshes within 5 minutes of it too). */
const REFRESH_MARGIN_MS = 5 * 60_000

export class SharedTokenCredential implements TokenCredential {
  private readonly tokens = new Map<string, Promise<AccessToken | null>>()

  constructor(
    private readonly inner: TokenCredential,
    private readonly now: () => number = Date.now
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const key = JSON.stringify([scopes, options?.tenantId ?? '', options?.claims ?? ''])
    const cached = this.tokens.get(key)
    if (cached) {
      const token = await cached.catch(() => null)
      if (token && token.expiresOnTimestamp - REFRESH_MARGIN_MS > this.now()) return token
      // An answer that failed or is about to expire is asked for again, once, by whoever comes first.
      if (this.tokens.get(key) !== cached) return this.getToken(scopes, options)
    }
    const asked = this.inner.getToken(scopes, options)
    this.tokens.set(key, asked)
    asked.catch(() => {
      if (this.tokens.get(key) === asked) this.tokens.delete(key)
    })
    return asked
  }
}
