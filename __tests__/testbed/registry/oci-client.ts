// The test bed's own distribution-API client: seeds fixtures, copies images for imports, and checks results
// in tests. On a front it answers the Bearer challenge like docker does (token from the realm, anonymous or
// with Basic credentials); on a backend there is no auth at all.
import { RegistryError, type OciClient, type RegistryAuth } from '../types.js'
import { sha256Digest } from './digest.js'
import { MANIFEST_ACCEPT } from './media-types.js'
import type { HttpAnswer, Transport } from './http-transport.js'

interface Challenge {
  scheme: string
  params: Record<string, string>
}

export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined
  const scheme = header.split(' ', 1)[0]
  const params: Record<string, string> = {}
  for (const [, key, value] of header.matchAll(/(\w+)="([^"]*)"/g)) params[key] = value
  return { scheme: scheme.toLowerCase(), params }
}

const repoOfPath = (path: string): string | undefined =>
  /^\/v2\/(.+?)\/(manifests|blobs|tags)\//.exec(path)?.[1]

export class DistributionClient implements OciClient {
  /** Bearer tokens by repository, sent up front after the first challenge. */
  private readonly tokens = new Map<string, string>()

  constructor(
    private readonly baseUrl: string,
    private readonly transport: Transport,
    private readonly auth: RegistryAuth = { kind: 'anonymous' }
  ) {}

  async getManifest(
    repo: string,
    reference: string
  ): Promise<{ body: Buffer; mediaType: string; digest: string } | undefined> {
    const answer = await this.send('GET', `/v2/${repo}/manifests/${reference}`, { accept: MANIFEST_ACCEPT })
    if (answer.status === 404) return undefined
    this.check(answer, `GET manifest ${repo}:${reference}`)
    const digest = headerOf(answer, 'docker-content-digest') ?? sha256Digest(answer.body)
    const mediaType = headerOf(answer, 'content-type') ?? JSON.parse(answer.body.toString()).mediaType
    return { body: answer.body, mediaType, digest }
  }

  async headManifest(repo: string, reference: string): Promise<string | undefined> {
    const answer = await this.send('HEAD', `/v2/${repo}/manifests/${reference}`, { accept: MANIFEST_ACCEPT })
    if (answer.status === 404) return undefined
    this.check(answer, `HEAD manifest ${repo}:${reference}`)
    return headerOf(answer, 'docker-content-digest')
  }

  async putManifest(repo: string, reference: string, body: Buffer, mediaType: string): Promise<string> {
    const answer = await this.send(
      'PUT',
      `/v2/${repo}/manifests/${reference}`,
      { 'content-type': mediaType },
      body
    )
    this.check(answer, `PUT manifest ${repo}:${reference}`)
    return headerOf(answer, 'docker-content-digest') ?? sha256Digest(body)
  }

  async getBlob(repo: string, digest: string): Promise<Buffer> {
    const answer = await this.send('GET', `/v2/${repo}/blobs/${digest}`, {})
    this.check(answer, `GET blob ${repo}@${digest}`)
    if (sha256Digest(answer.body) !== digest)
      throw new Error(`Blob ${repo}@${digest} arrived with other bytes`)
    return answer.body
  }

  async hasBlob(repo: string, digest: string): Promise<boolean> {
    const answer = await this.send('HEAD', `/v2/${repo}/blobs/${digest}`, {})
    if (answer.status === 404) return false
    this.check(answer, `HEAD blob ${repo}@${digest}`)
    return true
  }

  async putBlob(repo: string, body: Buffer): Promise<string> {
    const digest = sha256Digest(body)
    const started = await this.send('POST', `/v2/${repo}/blobs/uploads/`, {})
    this.check(started, `start upload to ${repo}`)
    const location = new URL(headerOf(started, 'location') ?? '', this.baseUrl)
    location.searchParams.set('digest', digest)
    const finished = await this.send(
      'PUT',
      location.pathname + location.search,
      { 'content-type': 'application/octet-stream' },
      body
    )
    this.check(finished, `upload ${digest} to ${repo}`)
    return digest
  }

  /** Every tag, following the `Link: <...>; rel="next"` of a paged answer. */
  async listTags(repo: string): Promise<string[]> {
    const tags: string[] = []
    let path: string | undefined = `/v2/${repo}/tags/list`
    while (path) {
      const answer = await this.send('GET', path, {})
      if (answer.status === 404) return tags
      this.check(answer, `list tags of ${repo}`)
      tags.push(...((JSON.parse(answer.body.toString()) as { tags: string[] | null }).tags ?? []))
      path = /^<([^>]+)>;\s*rel="next"/.exec(headerOf(answer, 'link') ?? '')?.[1]
    }
    return tags
  }

  private async send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Buffer
  ): Promise<HttpAnswer> {
    const repo = repoOfPath(path) ?? ''
    const url = new URL(path, this.baseUrl)
    const token = this.tokens.get(repo)
    const first = await this.transport(url, method, withAuthorization(headers, token), body)
    if (first.status !== 401) return first
    const authorization = await this.answerChallenge(parseChallenge(headerOf(first, 'www-authenticate')))
    if (!authorization) return first
    if (authorization.startsWith('Bearer ')) this.tokens.set(repo, authorization.slice('Bearer '.length))
    return this.transport(url, method, { ...headers, authorization }, body)
  }

  /** The Authorization header value that answers a 401 challenge, or undefined when we cannot answer it. */
  private async answerChallenge(challenge: Challenge | undefined): Promise<string | undefined> {
    const basic =
      this.auth.kind === 'basic'
        ? 'Basic ' + Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')
        : undefined
    if (challenge?.scheme === 'basic') return basic
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm) return undefined
    const realm = new URL(challenge.params.realm)
    for (const key of ['service', 'scope']) {
      if (challenge.params[key]) realm.searchParams.set(key, challenge.params[key])
    }
    const answer = await this.transport(realm, 'GET', basic ? { authorization: basic } : {})
    this.check(answer, `token from ${realm.host}`)
    const { token, access_token } = JSON.parse(answer.body.toString()) as {
      token?: string
      access_token?: string
    }
    return `Bearer ${token ?? access_token}`
  }

  private check(answer: HttpAnswer, what: string): void {
    if (answer.status >= 200 && answer.status < 300) return
    let code: string | undefined
    let message = answer.body.toString().slice(0, 300)
    try {
      const error = (JSON.parse(answer.body.toString()) as { errors?: { code?: string; message?: string }[] })
        .errors?.[0]
      code = error?.code
      message = error?.message ?? message
    } catch {
      // Not a distribution error body: keep the text.
    }
    throw new RegistryError(`${what}: ${answer.status} ${code ?? ''} ${message}`.trim(), answer.status, code)
  }
}

function headerOf(answer: HttpAnswer, name: string): string | undefined {
  const value = answer.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function withAuthorization(
  headers: Record<string, string>,
  token: string | undefined
): Record<string, string> {
  return token ? { ...headers, authorization: `Bearer ${token}` } : headers
}
