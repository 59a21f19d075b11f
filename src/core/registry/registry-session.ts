// Requests to one repository of an OCI registry, answering the auth challenge (`WWW-Authenticate: Bearer` with a
// token service, or Basic) once and reusing the token for every later request: the manifest reader and the tag
// lister share it, so both authenticate exactly alike.
import { parseChallenge } from './bearer-challenge.js'
import type { HttpResponse, HttpSend } from './http.js'

export interface RegistryCredentials {
  username?: string
  password: string
}

export interface SessionTarget {
  /** The repository the token is asked for (`repository:<name>:pull`). */
  repository: string
  credentials?: RegistryCredentials
  /** Each request's deadline (the HTTP layer's default when absent). */
  timeoutMs?: number
}

export class RegistrySession {
  private authorization?: string
  /** The token request under way: every request that meets a 401 meanwhile waits for it instead of asking again. */
  private refreshing?: Promise<string | undefined>

  constructor(
    private readonly target: SessionTarget,
    private readonly http: HttpSend
  ) {}

  /**
   * Sends the request with the session's token. A 401 with a challenge is answered by one token request,
   * shared by every request that meets it at the same time, and the request is sent again once; so is a request
   * that went out while another one was fetching the token it lacked.
   */
  async send(
    method: 'GET' | 'HEAD',
    url: string,
    accept: string,
    signal?: AbortSignal
  ): Promise<HttpResponse> {
    if (this.refreshing) await this.refreshing
    const sentWith = this.authorization
    const first = await this.attempt(method, url, accept, sentWith, signal)
    if (first.status !== 401) return first
    let authorization = this.authorization
    if (authorization === sentWith) {
      const challenge = parseChallenge(first.header('www-authenticate'))
      if (!challenge) return first
      authorization = await this.refresh(challenge.scheme, challenge.params, signal)
    }
    if (!authorization || authorization === sentWith) return first
    return this.attempt(method, url, accept, authorization, signal)
  }

  private refresh(
    scheme: string,
    params: Record<string, string>,
    signal?: AbortSignal
  ): Promise<string | undefined> {
    this.refreshing ??= this.authorize(scheme, params, signal)
      .then((authorization) => {
        if (authorization) this.authorization = authorization
        return authorization
      })
      .finally(() => {
        this.refreshing = undefined
      })
    return this.refreshing
  }

  private attempt(
    method: 'GET' | 'HEAD',
    url: string,
    accept: string,
    authorization: string | undefined,
    signal?: AbortSignal
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept }
    if (authorization) headers.authorization = authorization
    return this.http({ method, url, headers, signal, timeoutMs: this.target.timeoutMs })
  }

  private async authorize(
    scheme: string,
    params: Record<string, string>,
    signal?: AbortSignal
  ): Promise<string | undefined> {
    const basic = this.basic()
    if (scheme === 'basic') return basic
    if (scheme !== 'bearer' || !params.realm) return undefined
    const tokenUrl = new URL(params.realm)
    if (params.service) tokenUrl.searchParams.set('service', params.service)
    // Some registries leave scope out of the challenge; ask for pull on the repository anyway.
    tokenUrl.searchParams.set('scope', params.scope ?? `repository:${this.target.repository}:pull`)
    const headers: Record<string, string> = { accept: 'application/json' }
    // A token service on another https host is normal (Docker Hub's is auth.docker.io); one over plain http
    // never receives the credentials.
    if (basic && tokenUrl.protocol === 'https:') headers.authorization = basic
    const response = await this.http({
      method: 'GET',
      url: tokenUrl.toString(),
      headers,
      signal,
      timeoutMs: this.target.timeoutMs
    })
    if (response.status !== 200) return undefined
    const token = tokenOf(response.body)
    return token ? `Bearer ${token}` : undefined
  }

  private basic(): string | undefined {
    const credentials = this.target.credentials
    if (!credentials) return undefined
    return `Basic ${Buffer.from(`${credentials.username ?? ''}:${credentials.password}`).toString('base64')}`
  }
}

/** `{"token": ...}` or `{"access_token": ...}`; undefined for anything else, malformed JSON included. */
function tokenOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { token?: unknown; access_token?: unknown }
    const token = parsed.token ?? parsed.access_token
    return typeof token === 'string' && token ? token : undefined
  } catch {
    return undefined
  }
}
