import { describe, expect, it } from '@jest/globals'
import { RegistryGateway } from '../../src/core/registry/registry-gateway.js'
import { createHash } from 'node:crypto'
import type { HttpResponse, HttpSend } from '../../src/core/registry/http.js'
import { MANIFEST_ACCEPT, readOciManifest } from '../../src/core/registry/oci-manifest-reader.js'
import { registryErrorSummary } from '../../src/core/registry/registry-error-text.js'

/** A registry's Docker-Content-Digest is the sha256 of the manifest's bytes. */
const digestOf = (body: string) => `sha256:${createHash('sha256').update(body).digest('hex')}`
const response = (status: number, headers: Record<string, string> = {}, body = ''): HttpResponse => ({
  status,
  header: (name) => headers[name.toLowerCase()],
  body
})

/** A fake registry: Docker Hub-like bearer challenge, a token endpoint, and one manifest. */
function fakeRegistry(manifest: { type: string; body: string }, expectBasic?: string) {
  const calls: { method: string; url: string; headers: Record<string, string> }[] = []
  const send: HttpSend = async ({ method, url, headers }) => {
    calls.push({ method, url, headers })
    if (url.startsWith('https://auth.docker.io/token')) {
      if (expectBasic && headers.authorization !== expectBasic) return response(401)
      return response(200, {}, JSON.stringify({ token: 'tkn' }))
    }
    if (headers.authorization !== 'Bearer tkn') {
      return response(401, {
        'www-authenticate':
          'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"'
      })
    }
    if (!url.endsWith('/v2/library/nginx/manifests/1.27')) return response(404)
    return response(
      200,
      { 'content-type': manifest.type, 'docker-content-digest': digestOf(manifest.body) },
      method === 'GET' ? manifest.body : ''
    )
  }
  return { send, calls }
}

describe('readOciManifest', () => {
  it('computes the digest from the manifest bytes when the registry sends no Docker-Content-Digest', async () => {
    const body = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}'
    const send: HttpSend = async ({ method }) =>
      response(
        200,
        { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
        method === 'GET' ? body : ''
      )
    const read = await readOciManifest(
      { registry: 'registry.contoso.com', repository: 'app', reference: '1' },
      new RegistryGateway(send)
    )
    expect(read).toEqual({
      kind: 'read',
      manifest: { digest: `sha256:${createHash('sha256').update(body).digest('hex')}`, platforms: [] }
    })
  })

  it('reads a single manifest with one HEAD after the bearer challenge', async () => {
    const registry = fakeRegistry({ type: 'application/vnd.oci.image.manifest.v1+json', body: '{}' })
    const read = await readOciManifest(
      { registry: 'docker.io', repository: 'library/nginx', reference: '1.27' },
      new RegistryGateway(registry.send)
    )
    expect(read).toEqual({ kind: 'read', manifest: { digest: digestOf('{}'), platforms: [] } })
    expect(registry.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'HEAD https://registry-1.docker.io/v2/library/nginx/manifests/1.27',
      'GET https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fnginx%3Apull',
      'HEAD https://registry-1.docker.io/v2/library/nginx/manifests/1.27'
    ])
    expect(registry.calls[0].headers.accept).toBe(MANIFEST_ACCEPT)
  })

  it('GETs an index for its platforms, skipping attestations', async () => {
    const index = {
      manifests: [
        { platform: { os: 'linux', architecture: 'amd64' } },
        { platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
        { platform: { os: 'unknown', architecture: 'unknown' } }
      ]
    }
    const registry = fakeRegistry({
      type: 'application/vnd.oci.image.index.v1+json',
      body: JSON.stringify(index)
    })
    const read = await readOciManifest(
      { registry: 'docker.io', repository: 'library/nginx', reference: '1.27' },
      new RegistryGateway(registry.send)
    )
    expect(read).toEqual({
      kind: 'read',
      manifest: { digest: digestOf(JSON.stringify(index)), platforms: ['linux/amd64', 'linux/arm/v7'] }
    })
  })

  it('asks for the token with Basic credentials when given', async () => {
    const basic = `Basic ${Buffer.from('me:tok').toString('base64')}`
    const registry = fakeRegistry({ type: 'application/vnd.oci.image.manifest.v1+json', body: '{}' }, basic)
    const read = await readOciManifest(
      {
        registry: 'docker.io',
        repository: 'library/nginx',
        reference: '1.27',
        credentials: { username: 'me', password: 'tok' }
      },
      new RegistryGateway(registry.send)
    )
    expect(read.kind).toBe('read')
  })

  it('reports not-found and unreadable answers', async () => {
    const registry = fakeRegistry({ type: 'x', body: '' })
    const missing = await readOciManifest(
      { registry: 'docker.io', repository: 'library/nginx', reference: '9' },
      new RegistryGateway(registry.send)
    )
    expect(missing.kind).toBe('not-found')
    const limited: HttpSend = async () => response(429)
    const read = await readOciManifest(
      { registry: 'docker.io', repository: 'library/nginx', reference: '1' },
      new RegistryGateway(limited)
    )
    expect(read).toMatchObject({ kind: 'unreadable', status: 429 })
  })
})

describe('registryErrorSummary', () => {
  it("shortens a registry's error body to its first code and message", () => {
    const body =
      '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":[{"Type":"repository"}]}]}'
    expect(registryErrorSummary(body)).toBe('UNAUTHORIZED authentication required')
  })

  it('says nothing for a body that is not a registry error', () => {
    expect(registryErrorSummary('<html>Bad gateway</html>')).toBeUndefined()
    expect(registryErrorSummary(undefined)).toBeUndefined()
  })
})
