// How the engine talks to registries, pinned where it lives: one token request for requests that race it, a
// Link that cannot lead elsewhere, digests from outside checked, bounded answers and a deadline per request.
import { RegistryGateway } from '../../src/core/registry/registry-gateway.js'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { HttpResponse, HttpSend } from '../../src/core/registry/http.js'
import { MAX_BODY_BYTES, sendHttp } from '../../src/core/registry/http.js'
import { readOciManifest } from '../../src/core/registry/oci-manifest-reader.js'
import { nextPage } from '../../src/core/registry/oci-tag-lister.js'
import { RegistrySession } from '../../src/core/registry/registry-session.js'
import { isDigest } from '../../src/core/util/digest.js'

const response = (status: number, headers: Record<string, string> = {}, body = ''): HttpResponse => ({
  status,
  header: (name) => headers[name.toLowerCase()],
  body
})
const CHALLENGE = {
  'www-authenticate': 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"'
}

describe('RegistrySession', () => {
  it('asks for one token when parallel requests meet the challenge, and every one of them succeeds', async () => {
    let tokenRequests = 0
    let releaseToken!: () => void
    const tokenAnswered = new Promise<void>((resolve) => (releaseToken = resolve))
    const send: HttpSend = async ({ url, headers }) => {
      if (url.startsWith('https://auth.docker.io/token')) {
        tokenRequests++
        await tokenAnswered
        return response(200, {}, JSON.stringify({ token: 'tkn' }))
      }
      return headers.authorization === 'Bearer tkn' ? response(200) : response(401, CHALLENGE)
    }
    const session = new RegistrySession({ repository: 'library/hello-world' }, send)
    const url = 'https://registry-1.docker.io/v2/library/hello-world/manifests/latest'
    const answers = Promise.all([1, 2, 3].map(() => session.send('HEAD', url, '*/*')))
    // Let all three meet the 401 before the token service answers.
    await new Promise((resolve) => setImmediate(resolve))
    releaseToken()
    expect((await answers).map((a) => a.status)).toEqual([200, 200, 200])
    expect(tokenRequests).toBe(1)
  })

  it('fetches a new token once when the one it has is refused (expired), then sends again', async () => {
    const tokens = ['old', 'new']
    const send: HttpSend = async ({ url, headers }) => {
      if (url.startsWith('https://auth.docker.io/token'))
        return response(200, {}, JSON.stringify({ token: tokens.shift() }))
      return headers.authorization === 'Bearer new' ? response(200) : response(401, CHALLENGE)
    }
    const session = new RegistrySession({ repository: 'r' }, send)
    expect((await session.send('HEAD', 'https://registry-1.docker.io/v2/r/manifests/1', '*/*')).status).toBe(
      401
    )
    expect((await session.send('HEAD', 'https://registry-1.docker.io/v2/r/manifests/1', '*/*')).status).toBe(
      200
    )
  })

  it('never sends credentials to a token service over plain http', async () => {
    const seen: Record<string, string>[] = []
    const send: HttpSend = async ({ url, headers }) => {
      if (url.startsWith('http://')) {
        seen.push(headers)
        return response(200, {}, JSON.stringify({ token: 't' }))
      }
      return response(401, { 'www-authenticate': 'Bearer realm="http://evil.example/token"' })
    }
    const session = new RegistrySession(
      { repository: 'r', credentials: { username: 'u', password: 'p' } },
      send
    )
    await session.send('GET', 'https://registry.example/v2/r/tags/list', '*/*')
    expect(seen).toHaveLength(1)
    expect(seen[0].authorization).toBeUndefined()
  })
})

describe('RegistryGateway', () => {
  it("gives every request of its sessions the step's deadline", async () => {
    const deadlines: (number | undefined)[] = []
    const send: HttpSend = async ({ timeoutMs }) => {
      deadlines.push(timeoutMs)
      return response(200)
    }
    await new RegistryGateway(send, 5000)
      .session('r.example', 'a')
      .send('HEAD', 'https://r.example/v2/a/manifests/1', '*/*')
    expect(deadlines).toEqual([5000])
  })
})

describe('nextPage', () => {
  const current = 'https://registry.example/v2/r/tags/list?n=1000'
  it('keeps the registry host and scheme whatever host the Link names', () => {
    expect(nextPage('<https://evil.example/v2/r/tags/list?last=a>; rel="next"', current)).toBe(
      'https://registry.example/v2/r/tags/list?last=a'
    )
    expect(nextPage('<http://registry.example/v2/r/tags/list?last=b>; rel="next"', current)).toBe(
      'https://registry.example/v2/r/tags/list?last=b'
    )
  })
  it('resolves a relative Link against the page', () => {
    expect(nextPage('</v2/r/tags/list?last=c&n=1000>; rel="next"', current)).toBe(
      'https://registry.example/v2/r/tags/list?last=c&n=1000'
    )
  })
})

describe('digests from outside', () => {
  it('accepts only the digest grammar', () => {
    expect(isDigest(`sha256:${'a'.repeat(64)}`)).toBe(true)
    expect(isDigest('sha256:0` <img src=x onerror=alert(1)> | $(touch x)')).toBe(false)
    expect(isDigest(`sha256:${'A'.repeat(64)}`)).toBe(false)
    expect(isDigest(undefined)).toBe(false)
  })

  const registry =
    (headers: Record<string, string>, body: string): HttpSend =>
    async ({ method }) =>
      response(200, headers, method === 'GET' ? body : '')

  it('refuses a Docker-Content-Digest that is not a digest', async () => {
    const send = registry(
      {
        'content-type': 'application/vnd.oci.image.manifest.v1+json',
        'docker-content-digest': 'sha256:0` <img src=x> | $(touch /tmp/x)'
      },
      '{}'
    )
    const read = await readOciManifest(
      { registry: 'r.example', repository: 'a', reference: '1' },
      new RegistryGateway(send)
    )
    expect(read.kind).toBe('unreadable')
    expect(JSON.stringify(read)).not.toContain('<img')
  })

  it('refuses another manifest than the digest asked for: a pin cannot be swapped', async () => {
    const asked = `sha256:${'a'.repeat(64)}`
    const swapped = `sha256:${'b'.repeat(64)}`
    const send = registry(
      { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': swapped },
      '{}'
    )
    const read = await readOciManifest(
      { registry: 'r.example', repository: 'a', reference: asked },
      new RegistryGateway(send)
    )
    expect(read.kind).toBe('unreadable')
  })

  it("takes an index's digest from its bytes, and refuses a header that claims another", async () => {
    const body = JSON.stringify({ manifests: [] })
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`
    const type = { 'content-type': 'application/vnd.oci.image.index.v1+json' }
    const honest = await readOciManifest(
      { registry: 'r.example', repository: 'a', reference: '1' },
      new RegistryGateway(registry({ ...type, 'docker-content-digest': digest }, body))
    )
    expect(honest).toEqual({ kind: 'read', manifest: { digest, platforms: [] } })
    const lying = await readOciManifest(
      { registry: 'r.example', repository: 'a', reference: '1' },
      new RegistryGateway(registry({ ...type, 'docker-content-digest': `sha256:${'e'.repeat(64)}` }, body))
    )
    expect(lying.kind).toBe('unreadable')
  })
})

describe('sendHttp', () => {
  let server: Server
  let base: string
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/huge') {
        res.writeHead(200, { 'content-type': 'application/json' })
        const chunk = Buffer.alloc(64 * 1024, 'a')
        // One chunk more than the cap; the client stops reading at the cap and the socket is closed.
        for (let sent = 0; sent <= MAX_BODY_BYTES; sent += chunk.length) res.write(chunk)
        res.end()
      } else if (req.url === '/throttled') {
        res.writeHead(429, { 'retry-after': '100000' })
        res.end()
      } else if (req.url === '/silent') {
        // Accepts the request and never answers.
      } else {
        res.end('ok')
      }
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('refuses an answer larger than a manifest may be, as an error of that request', async () => {
    await expect(sendHttp({ method: 'GET', url: `${base}/huge`, headers: {} })).rejects.toMatchObject({
      code: 'RESPONSE_TOO_LARGE'
    })
  })

  it('gives up on a server that never answers at the request deadline, saying so', async () => {
    await expect(
      sendHttp({ method: 'GET', url: `${base}/silent`, headers: {}, timeoutMs: 300 })
    ).rejects.toMatchObject({
      code: 'ETIMEDOUT',
      message: expect.stringContaining('No answer from 127.0.0.1')
    })
  })

  it('reads an ordinary answer whole', async () => {
    expect((await sendHttp({ method: 'GET', url: `${base}/ok`, headers: {} })).body).toBe('ok')
  })

  it('fails a read at once when a registry asks to wait longer than the read has left, saying so', async () => {
    await expect(
      sendHttp({ method: 'GET', url: `${base}/throttled`, headers: {}, timeoutMs: 30_000 })
    ).rejects.toMatchObject({
      code: 'RETRY_AFTER_TOO_LONG',
      message: expect.stringMatching(
        /^127\.0\.0\.1 asked to wait 100000 s \(Retry-After\), longer than the 30 s/
      )
    })
  })
})
