// The first half of ACR's token exchange (Azure/acr AAD-OAuth.md), as @azure/container-registry does it: our
// Entra token for the ACR audience buys an ACR refresh token (`POST /oauth2/exchange`). Registry clients then
// present it as the password of the null-GUID user, as `docker login` after `az acr login` does, so that reads
// the SDK has no call for (the referrers API, tags by name) go through the generic bearer-challenge session with
// the same identity and the same rights as the SDK's reads.
import type { TokenCredential } from '@azure/core-auth'
import { sendHttp, type HttpSend } from './http.js'
import { registryErrorSummary } from './registry-error-text.js'

/** The user name ACR's token service takes with a refresh token as the password. */
export const ACR_REFRESH_TOKEN_USER = '00000000-0000-0000-0000-000000000000'

export class AcrExchangeError extends Error {
  constructor(
    message: string,
    readonly status?: number
  ) {
    super(message)
    this.name = 'AcrExchangeError'
  }
}

/** An ACR refresh token for `loginServer`, bought with an Entra token for `audience`. Never print it. */
export async function acrRefreshToken(
  loginServer: string,
  credential: TokenCredential,
  audience: string,
  signal?: AbortSignal,
  send: HttpSend = sendHttp
): Promise<string> {
  const entra = await credential.getToken(`${audience}/.default`, { abortSignal: signal })
  if (!entra) throw new AcrExchangeError(`no Entra token for ${audience}`)
  const body = new URLSearchParams({
    grant_type: 'access_token',
    service: loginServer,
    access_token: entra.token
  }).toString()
  const response = await send({
    method: 'POST',
    url: `https://${loginServer}/oauth2/exchange`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body,
    signal
  })
  if (response.status !== 200) {
    const detail = registryErrorSummary(response.body) ?? ''
    throw new AcrExchangeError(
      `${loginServer} refused the token exchange (HTTP ${response.status}${detail ? ` ${detail}` : ''})`,
      response.status
    )
  }
  const token = (JSON.parse(response.body) as { refresh_token?: unknown }).refresh_token
  if (typeof token !== 'string' || !token)
    throw new AcrExchangeError(`${loginServer} answered the token exchange without a refresh token`)
  return token
}
