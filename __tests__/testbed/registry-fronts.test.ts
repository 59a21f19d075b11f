// The registry fronts (Docker Hub, MCR, the private registry) reached the way a client reaches them: by their
// public names, through a CONNECT tunnel of the test bed's proxy, trusting the test bed's CA.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { startTestbed, type Testbed } from './index.js'
import { MANIFEST_ACCEPT, MEDIA_TYPES, type ImageIndex, type ImageManifest } from './registry/media-types.js'
import { DistributionClient } from './registry/oci-client.js'
import { proxyTunnelTransport, type Transport } from './registry/http-transport.js'
import { RegistryError, type RegistryAuth } from './types.js'
import { DOCKER_HUB_USER, NGINX_TAGS, PRIVATE_REGISTRY } from './world.js'

let testbed: Testbed
let transport: Transport

beforeAll(async () => {
  testbed = await startTestbed()
  transport = proxyTunnelTransport(testbed.env.HTTPS_PROXY, readFileSync(testbed.caCertPath, 'utf8'))
})

afterAll(async () => {
  await testbed?.stop()
})

const client = (host: string, auth: RegistryAuth = { kind: 'anonymous' }) =>
  new DistributionClient(`https://${host}`, transport, auth)
const dockerHubUser: RegistryAuth = { kind: 'basic', ...DOCKER_HUB_USER }

async function registryErrorOf(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  if (!(error instanceof RegistryError)) throw new Error(`expected a RegistryError, got ${String(error)}`)
  return error
}

describe('Docker Hub front', () => {
  it('serves the seeded multi-arch hello-world with every child and blob, after the token dance', async () => {
    const hub = client('registry-1.docker.io')
    const index = await hub.getManifest('library/hello-world', 'latest')
    expect(index?.mediaType).toBe(MEDIA_TYPES.dockerList)
    expect(index?.digest).toBe(
      await testbed.backend('docker.io').headManifest('library/hello-world', 'latest')
    )

    const children = (JSON.parse(index!.body.toString()) as ImageIndex).manifests
    expect(
      children.map((c) =>
        [c.platform?.os, c.platform?.architecture, c.platform?.variant].filter(Boolean).join('/')
      )
    ).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7'])
    for (const child of children) {
      const manifest = await hub.getManifest('library/hello-world', child.digest)
      expect(manifest?.digest).toBe(child.digest)
      const image = JSON.parse(manifest!.body.toString()) as ImageManifest
      for (const blob of [image.config, ...image.layers]) {
        expect((await hub.getBlob('library/hello-world', blob.digest)).length).toBe(blob.size)
      }
    }
    const tokenRequests = testbed.requests.filter((r) => r.host === 'auth.docker.io')
    expect(tokenRequests[0]?.url).toContain('scope=repository%3Alibrary%2Fhello-world%3Apull')
    const challenged = testbed.requests.find((r) => r.host === 'registry-1.docker.io' && r.status === 401)
    expect(challenged).toBeDefined()
  })

  it('does not normalise names: hello-world without library/ is not there', async () => {
    expect(await client('docker.io').getManifest('hello-world', 'latest')).toBeUndefined()
  })

  it('answers 429 TOOMANYREQUESTS past the anonymous limit, but not to HEAD or a signed-in user', async () => {
    testbed.faults.dockerHubAnonymousLimit(2)
    try {
      const hub = client('registry-1.docker.io')
      await hub.getManifest('library/busybox', '1.36')
      await hub.getManifest('library/alpine', '3.20')
      const error = await registryErrorOf(hub.getManifest('library/busybox', '1.36'))
      expect([error.status, error.code]).toEqual([429, 'TOOMANYREQUESTS'])
      expect(error.message).toContain('You have reached your pull rate limit')
      expect(await hub.headManifest('library/busybox', '1.36')).toMatch(/^sha256:/)
      expect(
        (await client('registry-1.docker.io', dockerHubUser).getManifest('library/busybox', '1.36'))?.digest
      ).toMatch(/^sha256:/)
    } finally {
      testbed.faults.reset()
    }
  })

  it('spends the anonymous limit on manifest GETs only: HEADs are free, answered past it, and show the budget', async () => {
    testbed.faults.dockerHubAnonymousLimit(1)
    try {
      const before = testbed.counters()
      const tokenAnswer = await transport(
        new URL(
          'https://auth.docker.io/token?service=registry.docker.io&scope=repository:library/busybox:pull'
        ),
        'GET',
        {}
      )
      const { token } = JSON.parse(tokenAnswer.body.toString()) as { token: string }
      const manifest = async (method: string) => {
        const answer = await transport(
          new URL('https://registry-1.docker.io/v2/library/busybox/manifests/1.36'),
          method,
          { authorization: `Bearer ${token}`, accept: MANIFEST_ACCEPT }
        )
        return [method, answer.status, answer.headers['ratelimit-remaining']]
      }
      expect([
        await manifest('HEAD'),
        await manifest('HEAD'),
        await manifest('HEAD'),
        await manifest('GET'),
        await manifest('GET'),
        await manifest('HEAD')
      ]).toEqual([
        ['HEAD', 200, '1;w=21600'],
        ['HEAD', 200, '1;w=21600'],
        ['HEAD', 200, '1;w=21600'],
        ['GET', 200, '0;w=21600'],
        ['GET', 429, '0;w=21600'],
        ['HEAD', 200, '0;w=21600']
      ])
      // The counters saw them all, the 429 included, by whichever Docker Hub name they came.
      await client('docker.io').headManifest('library/busybox', '1.36')
      const after = testbed.counters()
      expect(after.dockerHubManifestGets - before.dockerHubManifestGets).toBe(2)
      // The client's HEAD went twice: once unauthenticated (401 challenge), once with its token.
      expect(after.dockerHubManifestHeads - before.dockerHubManifestHeads).toBe(6)
    } finally {
      testbed.faults.reset()
    }
  })

  it('keeps contosobot/* private to its account', async () => {
    const error = await registryErrorOf(client('docker.io').getManifest('contosobot/private-app', '1.0'))
    expect([error.status, error.code]).toEqual([401, 'UNAUTHORIZED'])

    const wrong = await registryErrorOf(
      client('docker.io', {
        kind: 'basic',
        username: DOCKER_HUB_USER.username,
        password: 'wrong'
      }).getManifest('contosobot/private-app', '1.0')
    )
    expect(wrong.status).toBe(401)

    const signedIn = await client('docker.io', dockerHubUser).getManifest('contosobot/private-app', '1.0')
    expect(signedIn?.digest).toBe(
      await testbed.backend('docker.io').headManifest('contosobot/private-app', '1.0')
    )
  })
})

describe('tag lists', () => {
  const ALL_NGINX_TAGS = [
    ...NGINX_TAGS.releases,
    ...NGINX_TAGS.prereleases,
    ...NGINX_TAGS.variants,
    ...Object.keys(NGINX_TAGS.aliases)
  ].sort()

  async function hubAuthorization(repo: string): Promise<Record<string, string>> {
    const answer = await transport(
      new URL(`https://auth.docker.io/token?service=registry.docker.io&scope=repository:${repo}:pull`),
      'GET',
      {}
    )
    return { authorization: `Bearer ${(JSON.parse(answer.body.toString()) as { token: string }).token}` }
  }

  /** Follows Link from `first`; every page's tags and its Link header. */
  async function follow(host: string, first: string, headers: Record<string, string>) {
    const pages: { tags: string[]; link?: string }[] = []
    let next: string | undefined = first
    while (next) {
      const answer = await transport(new URL(`https://${host}${next}`), 'GET', headers)
      expect(answer.status).toBe(200)
      const link = answer.headers.link as string | undefined
      pages.push({ tags: (JSON.parse(answer.body.toString()) as { tags: string[] }).tags, link })
      next = link && /^<([^>]+)>; rel="next"$/.exec(link)?.[1]
      expect(pages.length).toBeLessThan(50)
    }
    return pages
  }

  it('serves nginx with releases, a prerelease, variants and moving aliases on their releases’ digests', async () => {
    const hub = client('registry-1.docker.io')
    const [all] = await follow(
      'registry-1.docker.io',
      '/v2/library/nginx/tags/list',
      await hubAuthorization('library/nginx')
    )
    expect(all).toEqual({ tags: ALL_NGINX_TAGS, link: undefined })
    const digestOf = (tag: string) => hub.headManifest('library/nginx', tag)
    for (const [alias, target] of Object.entries(NGINX_TAGS.aliases)) {
      expect([alias, await digestOf(alias)]).toEqual([alias, await digestOf(target)])
    }
    const images = [...NGINX_TAGS.releases, ...NGINX_TAGS.prereleases, ...NGINX_TAGS.variants]
    const digests = await Promise.all(images.map(digestOf))
    expect(new Set(digests).size).toBe(images.length)
    // devacr holds a mirror: the same tags on the same digests.
    expect(await testbed.backend('devacr.azurecr.io').headManifest('nginx', 'mainline')).toBe(
      await digestOf('1.27.3')
    )
  })

  it('pages /v2/<name>/tags/list by n and last, in lexical order, with the OCI Link header', async () => {
    const authorization = await hubAuthorization('library/nginx')
    const pages = await follow('registry-1.docker.io', '/v2/library/nginx/tags/list?n=6', authorization)
    expect(pages.map((page) => page.tags.length)).toEqual([6, 6, 6, 2])
    expect(pages.flatMap((page) => page.tags)).toEqual(ALL_NGINX_TAGS)
    expect(pages[0].link).toBe(`</v2/library/nginx/tags/list?n=6&last=${ALL_NGINX_TAGS[5]}>; rel="next"`)
    expect(pages.at(-1)?.link).toBeUndefined()

    const [fromLast] = await follow(
      'registry-1.docker.io',
      '/v2/library/nginx/tags/list?n=100&last=1.27.3',
      authorization
    )
    expect(fromLast.tags).toEqual(ALL_NGINX_TAGS.filter((tag) => tag > '1.27.3'))
    const bad = await transport(
      new URL('https://registry-1.docker.io/v2/library/nginx/tags/list?n=x'),
      'GET',
      authorization
    )
    expect([bad.status, JSON.parse(bad.body.toString()).errors[0].code]).toEqual([
      400,
      'PAGINATION_NUMBER_INVALID'
    ])
  })

  it('caps a page at tagsPageLimit, so a client that gives no n must follow Link', async () => {
    testbed.faults.tagsPageLimit('registry-1.docker.io', 8)
    try {
      const authorization = await hubAuthorization('library/nginx')
      const pages = await follow('registry-1.docker.io', '/v2/library/nginx/tags/list', authorization)
      expect(pages.map((page) => page.tags.length)).toEqual([8, 8, 4])
      expect(pages[0].link).toBe(`</v2/library/nginx/tags/list?n=8&last=${ALL_NGINX_TAGS[7]}>; rel="next"`)
      expect(pages.flatMap((page) => page.tags)).toEqual(ALL_NGINX_TAGS)
      // A smaller n still wins; another host name is not capped.
      const [small] = await follow('registry-1.docker.io', '/v2/library/nginx/tags/list?n=3', authorization)
      expect(small.tags.length).toBe(3)
      const [uncapped] = await follow('docker.io', '/v2/library/nginx/tags/list', authorization)
      expect(uncapped.tags.length).toBe(ALL_NGINX_TAGS.length)
      // The test bed's own client follows Link.
      expect(await client('registry-1.docker.io').listTags('library/nginx')).toEqual(ALL_NGINX_TAGS)
    } finally {
      testbed.faults.reset()
    }
  })
})

describe('MCR and a private registry', () => {
  it('serves MCR anonymously, without a challenge', async () => {
    const before = testbed.requests.length
    expect(await client('mcr.microsoft.com').headManifest('windows/servercore', 'ltsc2019')).toMatch(
      /^sha256:/
    )
    expect(testbed.requests.slice(before).map((r) => r.status)).toEqual([200])
  })

  it('needs the private registry credentials for registry.contoso.com', async () => {
    const anonymous = await registryErrorOf(
      client(PRIVATE_REGISTRY.host).getManifest('team/service', '2.3.1')
    )
    expect(anonymous.status).toBe(401)
    const auth: RegistryAuth = {
      kind: 'basic',
      username: PRIVATE_REGISTRY.username,
      password: PRIVATE_REGISTRY.password
    }
    const manifest = await client(PRIVATE_REGISTRY.host, auth).getManifest('team/service', '2.3.1')
    expect(manifest?.mediaType).toBe(MEDIA_TYPES.ociManifest)
  })
})

describe('proxy, request log and faults', () => {
  it('never reaches a host the test bed does not serve', async () => {
    await expect(transport(new URL('https://example.com/'), 'GET', {})).rejects.toThrow(
      /refused a tunnel.*403/
    )
    expect(testbed.requests.some((r) => r.host === 'example.com')).toBe(false)
  })

  it('resets connections on demand and delays answers', async () => {
    testbed.faults.resetConnections('mcr.microsoft.com', 1)
    testbed.faults.latency('mcr.microsoft.com', 300)
    try {
      const before = testbed.requests.length
      const mcr = client('mcr.microsoft.com')
      await expect(mcr.headManifest('windows/servercore', 'ltsc2019')).rejects.toThrow(
        /socket hang up|ECONNRESET/
      )
      const started = Date.now()
      expect(await mcr.headManifest('windows/servercore', 'ltsc2019')).toMatch(/^sha256:/)
      expect(Date.now() - started).toBeGreaterThanOrEqual(300)
      expect(testbed.requests.slice(before).map((r) => r.status)).toEqual([undefined, 200])
    } finally {
      testbed.faults.reset()
    }
  })

  it('logs headers and bodies of what the fronts received', async () => {
    await client(PRIVATE_REGISTRY.host, { kind: 'basic', username: 'ci-puller', password: 'nope' })
      .headManifest('team/service', '2.3.1')
      .catch(() => undefined)
    const tokenRequest = testbed.requests
      .filter((r) => r.host === PRIVATE_REGISTRY.host && r.url.startsWith('/token'))
      .pop()
    expect(tokenRequest?.headers.authorization).toMatch(/^Basic /)
    expect(tokenRequest?.method).toBe('GET')
    expect(tokenRequest?.status).toBe(401)
  })
})
