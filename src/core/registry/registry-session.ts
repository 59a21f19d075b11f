// Requests to one repository of an OCI registry, answering the auth challenge (`WWW-Authenticate: Bearer` with a
// token service, or Basic) once and reusing the token for every later request: the manifest reader and the tag
// lister share it, so both authenticate exactly alike.
import { parseChallenge } from './bearer-challenge.js'
import type { HttpResponse, HttpSend } from './http.js'

export interface SessionTarget {
  /** The repository the token is asked for (`repository:<name>:pull`). */
  repository: string
  credentials?: { username?: string; password: string }
  signal?: AbortSignal
}

export class RegistrySession {
  private authorization?: string

  constructor(
    private readonly target: SessionTarget,
    private readonly http: HttpSend
  ) {}

  /** Sends the request; a first 401 with a challenge is answered once, then the request is sent again. */
  async send(method: 'GET' | 'HEAD', url: string, accept: string): Promise<HttpResponse> {
    const first = await this.attempt(method, url, accept)
    if (first.status !== 401 || this.authorization) return first
    const challenge = parseChallenge(first.header('www-authenticate'))
    if (!challenge) return first
    const authorization = await this.authorize(challenge.scheme, challenge.params)
    if (!authorization) return first
    this.authorization = authorization
    return this.attempt(method, url, accept)
  }

  private attempt(method: 'GET' | 'HEAD', url: string, accept: string): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept }
    if (this.authorization) headers.authorization = this.authorization
    return this.http({ method, url, headers, signal: this.target.signal })
  }

  private async authorize(scheme: string, params: Record<string, string>): Promise<string | undefined> {
    const basic = this.basic()
    if (scheme === 'basic') return basic
    if (scheme !== 'bearer' || !params.realm) return undefined
    const tokenUrl = new URL(params.realm)
    if (params.service) tokenUrl.searchParams.set('service', params.service)
    // Some registries leave scope out of the challenge; ask for pull on the repository anyway.
    tokenUrl.searchParams.set('scope', params.scope ?? `repository:${this.target.repository}:pull`)
    const headers: Record<string, string> = { accept: 'application/json' }
    if (basic) headers.authorization = basic
    const response = await this.http({
      method: 'GET',
      url: tokenUrl.toString(),
      headers,
      signal: this.target.signal
    })
    if (response.status !== 200) return undefined
    const body = JSON.parse(response.body) as { token?: string; access_token?: string }
    const token = body.token ?? body.access_token
    return token ? `Bearer ${token}` : undefined
  }

  private basic(): string | undefined {
    const credentials = this.target.credentials
    if (!credentials) return undefined
    return `Basic ${Buffer.from(`${credentials.username ?? ''}:${credentials.password}`).toString('base64')}`
  }
}
