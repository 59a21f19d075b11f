// The client assertion of a workload identity federation connection: an OIDC token that Azure DevOps issues for
// the service connection, asked for with the job's own access token (the SYSTEMVSSCONNECTION endpoint, which
// the agent gives every task, unlike the System.AccessToken variable). Azure DevOps tokens live ten minutes,
// so a fresh one is requested every time Entra ID needs an assertion.
// The request goes through the engine's HTTP pipeline: it follows HTTPS_PROXY and retries like every other call.
import { safeText, sendHttp, UserError } from '../core/index.js'

export interface OidcTokenSource {
  /** System.OidcRequestUri: .../_apis/distributedtask/hubs/<hub>/plans/<plan>/jobs/<job>/oidctoken */
  requestUri: string
  serviceConnectionId: string
  systemAccessToken: string
}

/** Returns the getAssertion callback of a federated SignIn. */
export function oidcTokenRequester(source: OidcTokenSource): () => Promise<string> {
  const url = new URL(source.requestUri)
  url.searchParams.set('api-version', '7.1')
  // Without the connection's ID the token's subject is the pipeline (p://...), which no federation matches.
  url.searchParams.set('serviceConnectionId', source.serviceConnectionId)

  return async () => {
    const response = await sendHttp({
      method: 'POST',
      url: url.toString(),
      headers: {
        authorization: `Bearer ${source.systemAccessToken}`,
        'content-type': 'application/json',
        // Azure DevOps answers an unauthorised call with a sign-in page (203) unless told not to.
        'x-tfs-fedauthredirect': 'Suppress'
      },
      body: '{}'
    })
    if (response.status !== 200)
      throw oidcRequestError(response.status, response.body, response.header('x-vss-e2eid'))
    const token = parseOidcToken(response.body)
    if (!token) throw oidcRequestError(response.status, 'the reply has no oidcToken', undefined)
    return token
  }
}

function parseOidcToken(text: string): string | undefined {
  try {
    const reply = JSON.parse(text) as { oidcToken?: unknown }
    return typeof reply.oidcToken === 'string' && reply.oidcToken ? reply.oidcToken : undefined
  } catch {
    return undefined
  }
}

function oidcRequestError(status: number, body: string, e2eId: string | null | undefined): UserError {
  let detail = body
  try {
    detail = (JSON.parse(body) as { message?: string }).message ?? body
  } catch {
    // Not JSON: the text itself is the best detail there is.
  }
  const trace = e2eId ? ` (x-vss-e2eid ${safeText(e2eId)})` : ''
  return new UserError(
    `Azure DevOps did not issue an OIDC token for the service connection: HTTP ${status}, ${safeText(detail).slice(0, 300)}${trace}`,
    'check that the service connection uses workload identity federation and that this pipeline is allowed to use it'
  )
}
