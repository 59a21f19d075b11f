// The ACR data-plane fronts and the import copy: @azure/container-registry (signed in through the test bed's
// Entra ID, in a child process that has the test bed's environment) reads tags and manifests; scoped tokens
// and the firewall behave like ACR; copyImage moves an index with every child, digests intact.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { startTestbed, type Testbed } from './index.js'
import { copyImage } from './registry/copy.js'
import { proxyTunnelTransport } from './registry/http-transport.js'
import { MEDIA_TYPES, type ImageIndex } from './registry/media-types.js'
import { DistributionClient } from './registry/oci-client.js'
import { runContainerRegistryProbe, type ProbeRequest } from './registry/sdk-probe/run-probe.js'
import { RegistryError, type OciClient, type RegistryAuth } from './types.js'
import { APPS, NGINX_TAGS, REGISTRIES, SUPPLY_CHAIN, TENANT_A } from './world.js'

let testbed: Testbed

beforeAll(async () => {
  testbed = await startTestbed()
})

afterAll(async () => {
  await testbed?.stop()
})

const probe = (
  app: { appId: string; clientSecret: string },
  endpoint: string,
  reads: ProbeRequest['reads']
) =>
  runContainerRegistryProbe(testbed.env, {
    tenantId: TENANT_A,
    clientId: app.appId,
    secret: app.clientSecret,
    endpoint,
    reads
  })

const frontClient = (host: string, auth: RegistryAuth) =>
  new DistributionClient(
    `https://${host}`,
    proxyTunnelTransport(testbed.env.HTTPS_PROXY, readFileSync(testbed.caCertPath, 'utf8')),
    auth
  )

describe('ACR data plane with @azure/container-registry', () => {
  it('reads devacr app:1.0.0 (an OCI index) and a Helm chart with an Entra sign-in', async () => {
    const [index, chart] = await probe(APPS.github, 'https://devacr.azurecr.io', [
      { repository: 'app', tag: '1.0.0' },
      { repository: 'charts/podinfo', tag: '6.5.0' }
    ])
    const dev = testbed.backend('devacr.azurecr.io')
    expect(index).toEqual({
      ok: true,
      value: expect.objectContaining({
        digest: await dev.headManifest('app', '1.0.0'),
        manifestDigest: await dev.headManifest('app', '1.0.0'),
        platforms: ['linux/amd64', 'linux/arm64', 'linux/arm']
      })
    })
    expect(chart).toEqual({
      ok: true,
      value: expect.objectContaining({ digest: await dev.headManifest('charts/podinfo', '6.5.0'), os: null })
    })
    // The SDK went through the ACR token exchange, through the proxy.
    const paths = testbed.requests
      .filter((r) => r.host === 'devacr.azurecr.io')
      .map((r) => `${r.method} ${r.url.split('?')[0]}`)
    expect(paths).toEqual(
      expect.arrayContaining(['POST /oauth2/exchange', 'POST /oauth2/token', 'GET /acr/v1/app/_tags/1.0.0'])
    )
  })

  it('refuses a principal without a pull role, and everyone on a registry with public access disabled', async () => {
    const [noRole] = await probe(APPS.noRoles, 'https://devacr.azurecr.io', [
      { repository: 'app', tag: '1.0.0' }
    ])
    expect(noRole).toMatchObject({ ok: false, error: { statusCode: 401 } })

    const [locked] = await probe(APPS.github, 'https://lockedacr.azurecr.io', [
      { repository: 'secure/app', tag: '1.0.0' }
    ])
    expect(locked).toMatchObject({ ok: false, error: { statusCode: 403 } })
    expect(locked.ok === false && locked.error.message).toContain(
      "client with IP '127.0.0.1' is not allowed access"
    )
  })
})

describe('ACR token exchange', () => {
  const transport = () =>
    proxyTunnelTransport(testbed.env.HTTPS_PROXY, readFileSync(testbed.caCertPath, 'utf8'))
  const form = (fields: Record<string, string>) => Buffer.from(new URLSearchParams(fields).toString())
  const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

  async function entraToken(scope: string): Promise<{ token: string; aud: string }> {
    const answer = await transport()(
      new URL(`https://login.microsoftonline.com/${TENANT_A}/oauth2/v2.0/token`),
      'POST',
      FORM,
      form({
        client_id: APPS.github.appId,
        client_secret: APPS.github.clientSecret,
        scope,
        grant_type: 'client_credentials'
      })
    )
    expect(answer.status).toBe(200)
    const token = (JSON.parse(answer.body.toString()) as { access_token: string }).access_token
    const aud = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { aud: string }).aud
    return { token, aud }
  }

  /** Exchange, then an access token for `repository:app:pull`, then a HEAD with it: the status of each step. */
  async function signInWith(entra: string): Promise<number[]> {
    const login = 'prodacr.azurecr.io'
    const exchange = await transport()(
      new URL(`https://${login}/oauth2/exchange?api-version=2021-07-01`),
      'POST',
      FORM,
      form({ grant_type: 'access_token', service: login, tenant: TENANT_A, access_token: entra })
    )
    if (exchange.status !== 200) return [exchange.status]
    const { refresh_token } = JSON.parse(exchange.body.toString()) as { refresh_token: string }
    const token = await transport()(
      new URL(`https://${login}/oauth2/token?api-version=2021-07-01`),
      'POST',
      FORM,
      form({ grant_type: 'refresh_token', service: login, scope: 'repository:app:pull', refresh_token })
    )
    const { access_token } = JSON.parse(token.body.toString()) as { access_token: string }
    const head = await transport()(new URL(`https://${login}/v2/app/manifests/existing`), 'HEAD', {
      authorization: `Bearer ${access_token}`,
      accept: MEDIA_TYPES.ociManifest
    })
    return [exchange.status, token.status, head.status]
  }

  it.each([
    [
      'the ACR audience',
      'https://containerregistry.azure.net/.default',
      'https://containerregistry.azure.net'
    ],
    // What `az acr login` sends: the classic ARM resource, with its trailing slash.
    [
      'the classic ARM audience (az)',
      'https://management.core.windows.net//.default',
      'https://management.core.windows.net/'
    ],
    ['the ARM audience', 'https://management.azure.com//.default', 'https://management.azure.com/'],
    [
      'the ARM audience without slash',
      'https://management.azure.com/.default',
      'https://management.azure.com'
    ]
  ])('exchanges an Entra token for %s', async (_case, scope, audience) => {
    const { token, aud } = await entraToken(scope)
    expect(aud).toBe(audience)
    expect(await signInWith(token)).toEqual([200, 200, 200])
  })

  it('refuses a token that is not an Entra access token of the test bed', async () => {
    const { token } = await entraToken('https://management.azure.com/.default')
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    expect(await signInWith(tampered)).toEqual([401])
  })
})

describe('ACR listings', () => {
  const tunnel = () => proxyTunnelTransport(testbed.env.HTTPS_PROXY, readFileSync(testbed.caCertPath, 'utf8'))
  const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
  const post = async (url: string, fields: Record<string, string>) =>
    JSON.parse(
      (
        await tunnel()(new URL(url), 'POST', FORM, Buffer.from(new URLSearchParams(fields).toString()))
      ).body.toString()
    ) as Record<string, string>

  /** An ACR access token for `scope` on devacr, for the github app (AAD token, exchange, token). */
  async function devacrToken(scope: string): Promise<string> {
    const { access_token: entra } = await post(
      `https://login.microsoftonline.com/${TENANT_A}/oauth2/v2.0/token`,
      {
        client_id: APPS.github.appId,
        client_secret: APPS.github.clientSecret,
        scope: 'https://containerregistry.azure.net/.default',
        grant_type: 'client_credentials'
      }
    )
    const service = 'devacr.azurecr.io'
    const { refresh_token } = await post(`https://${service}/oauth2/exchange`, {
      grant_type: 'access_token',
      service,
      access_token: entra
    })
    const { access_token } = await post(`https://${service}/oauth2/token`, {
      grant_type: 'refresh_token',
      service,
      scope,
      refresh_token
    })
    return access_token
  }

  it('lists every manifest of a repository, page by page, as @azure/container-registry reads them', async () => {
    const dev = testbed.backend('devacr.azurecr.io')
    const index = await dev.getManifest('app', '1.0.0')
    const children = (JSON.parse(index!.body.toString()) as ImageIndex).manifests
    const single = await dev.headManifest('app', '1.1.0')
    const expected = [
      { digest: index!.digest, tags: ['1.0.0'], platform: null },
      ...children.map((child) => ({
        digest: child.digest,
        tags: [],
        platform: `${child.platform!.os}/${child.platform!.architecture}`
      })),
      { digest: single!, tags: ['1.1.0'], platform: 'linux/amd64' }
    ].sort((a, b) => (a.digest < b.digest ? -1 : 1))

    const [listed] = await probe(APPS.github, 'https://devacr.azurecr.io', [
      { repository: 'app', listManifests: { pageSize: 2 } }
    ])
    if (!listed.ok || !('pages' in listed.value)) throw new Error(JSON.stringify(listed))
    expect(listed.value.pages.map((page) => page.length)).toEqual([2, 2, 1])
    const manifests = listed.value.pages.flat()
    expect(manifests.map(({ digest, tags, platform }) => ({ digest, tags, platform }))).toEqual(expected)
    expect(manifests.every((m) => m.createdOn && typeof m.sizeInBytes === 'number')).toBe(true)
    // The SDK followed ACR's Link: </acr/v1/app/_manifests?last=<digest>&n=2&orderby=>; rel="next"
    const pages = testbed.requests.filter(
      (r) => r.host === 'devacr.azurecr.io' && r.url.startsWith('/acr/v1/app/_manifests')
    )
    expect(pages.at(-1)?.url).toMatch(/^\/acr\/v1\/app\/_manifests\?last=sha256%3A[0-9a-f]{64}&n=2&orderby=/)
  })

  it('answers /acr/v1/<repo>/_manifests with 404 NAME_UNKNOWN for a repository that does not exist', async () => {
    const token = await devacrToken('repository:nope:metadata_read')
    const answer = await tunnel()(new URL('https://devacr.azurecr.io/acr/v1/nope/_manifests'), 'GET', {
      authorization: `Bearer ${token}`
    })
    expect([answer.status, JSON.parse(answer.body.toString()).errors[0].code]).toEqual([404, 'NAME_UNKNOWN'])
  })

  it('pages the tags of a repository on /v2/<name>/tags/list and on /acr/v1/<name>/_tags', async () => {
    const all = [
      ...NGINX_TAGS.releases,
      ...NGINX_TAGS.prereleases,
      ...NGINX_TAGS.variants,
      ...Object.keys(NGINX_TAGS.aliases)
    ].sort()
    const read = async (path: string, token: string) => {
      const answer = await tunnel()(new URL(`https://devacr.azurecr.io${path}`), 'GET', {
        authorization: `Bearer ${token}`
      })
      expect(answer.status).toBe(200)
      return {
        body: JSON.parse(answer.body.toString()) as Record<string, unknown>,
        link: answer.headers.link
      }
    }
    const pull = await devacrToken('repository:nginx:pull')
    const first = await read('/v2/nginx/tags/list?n=15', pull)
    expect(first).toEqual({
      body: { name: 'nginx', tags: all.slice(0, 15) },
      link: `</v2/nginx/tags/list?n=15&last=${all[14]}>; rel="next"`
    })
    expect((await read(`/v2/nginx/tags/list?n=15&last=${all[14]}`, pull)).body.tags).toEqual(all.slice(15))

    const metadata = await devacrToken('repository:nginx:metadata_read')
    const acrPage = await read('/acr/v1/nginx/_tags?n=15', metadata)
    expect((acrPage.body.tags as { name: string }[]).map((tag) => tag.name)).toEqual(all.slice(0, 15))
    expect(acrPage.link).toBe(
      `</acr/v1/nginx/_tags?last=${encodeURIComponent(all[14])}&n=15&orderby=>; rel="next"`
    )
    const rest = await read(`/acr/v1/nginx/_tags?last=${encodeURIComponent(all[14])}&n=15`, metadata)
    expect((rest.body.tags as { name: string }[]).map((tag) => tag.name)).toEqual(all.slice(15))
    expect(rest.link).toBeUndefined()
  })

  it('serves /v2/_catalog to a token with registry:catalog:*, paged with Link', async () => {
    const challenge = await tunnel()(new URL('https://devacr.azurecr.io/v2/_catalog'), 'GET', {})
    expect(challenge.status).toBe(401)
    expect(challenge.headers['www-authenticate']).toBe(
      'Bearer realm="https://devacr.azurecr.io/oauth2/token",service="devacr.azurecr.io",scope="registry:catalog:*"'
    )
    const authorization = `Bearer ${await devacrToken('registry:catalog:*')}`
    const repositories: string[] = []
    let next: string | undefined = '/v2/_catalog?n=1'
    const links: string[] = []
    while (next) {
      const page = await tunnel()(new URL(`https://devacr.azurecr.io${next}`), 'GET', { authorization })
      expect(page.status).toBe(200)
      repositories.push(...(JSON.parse(page.body.toString()) as { repositories: string[] }).repositories)
      const link = page.headers.link as string | undefined
      if (link) links.push(link)
      next = link ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined
    }
    expect(repositories).toEqual(['app', 'charts/podinfo', 'nginx', 'signed/app', 'signed/multiarch'])
    expect(links[0]).toBe('</v2/_catalog?last=app&n=1>; rel="next"')
  })
})

describe('ACR basic auth', () => {
  it('lets a repository-scoped token pull only its repositories', async () => {
    const token = REGISTRIES.partner.tokens[0]
    const partner = frontClient('partneracr.azurecr.io', {
      kind: 'basic',
      username: token.username,
      password: token.password
    })
    expect(await partner.headManifest('partner/tool', '2.0')).toBe(
      await testbed.backend('partneracr.azurecr.io').headManifest('partner/tool', '2.0')
    )
    await expect(partner.headManifest('partner/other', '1.0')).rejects.toMatchObject({ status: 401 })
  })

  it('takes a service principal app ID and secret, then checks its roles', async () => {
    const reader = {
      kind: 'basic' as const,
      username: APPS.sourceReader.appId,
      password: APPS.sourceReader.clientSecret
    }
    expect(await frontClient('devacr.azurecr.io', reader).headManifest('app', '1.1.0')).toMatch(/^sha256:/)
    const error = await frontClient('prodacr.azurecr.io', reader)
      .headManifest('app', 'existing')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RegistryError)
    expect((error as RegistryError).status).toBe(401)
  })
})

describe('copyImage', () => {
  it('shares one upload of a blob between concurrent copies into one repository', async () => {
    // distribution answers a HEAD or upload of a blob with a 500 while the same blob is being committed into the
    // same repository; ACR does not, so concurrent imports that share a layer must not race. In-memory clients
    // and a gate on uploads make the overlap certain: both copies are waiting when the gate opens.
    const image = SUPPLY_CHAIN.acrSigned.manifests.image
    const blobs = new Map(image.blobs.map((b) => [b.descriptor.digest, b.bytes]))
    const source = {
      getManifest: () =>
        Promise.resolve({ body: image.bytes, mediaType: image.mediaType, digest: image.digest }),
      getBlob: (_repo: string, digest: string) => Promise.resolve(blobs.get(digest)!)
    } as unknown as OciClient
    const stored = new Set<string>()
    const uploads: string[] = []
    let open: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (open = resolve))
    const target = {
      hasBlob: (_repo: string, digest: string) => Promise.resolve(stored.has(digest)),
      putBlob: async (_repo: string, body: Buffer) => {
        const digest = [...blobs].find(([, bytes]) => bytes.equals(body))![0]
        uploads.push(digest)
        await gate
        stored.add(digest)
        return digest
      },
      putManifest: () => Promise.resolve(image.digest)
    } as unknown as OciClient
    const copies = [1, 2].map(() => copyImage(source, 'app', image.digest, target, 'app', []))
    await new Promise((resolve) => setImmediate(resolve))
    open()
    await Promise.all(copies)
    expect(uploads.sort()).toEqual([...blobs.keys()].sort())
  })

  it('copies the hello-world index into prodacr with its digest and every child', async () => {
    const source = testbed.backend('docker.io')
    const target = testbed.backend('prodacr.azurecr.io')
    const result = await copyImage(source, 'library/hello-world', 'latest', target, 'mirror/hello-world', [
      'latest',
      'v1'
    ])

    const sourceIndex = await source.getManifest('library/hello-world', 'latest')
    expect(result).toEqual({
      digest: sourceIndex!.digest,
      mediaType: MEDIA_TYPES.dockerList,
      manifests: 4,
      platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7']
    })
    const copied = await target.getManifest('mirror/hello-world', 'v1')
    expect(copied?.body.equals(sourceIndex!.body)).toBe(true)
    for (const child of (JSON.parse(copied!.body.toString()) as ImageIndex).manifests) {
      expect(await target.headManifest('mirror/hello-world', child.digest)).toBe(child.digest)
    }
    expect((await target.listTags('mirror/hello-world')).sort()).toEqual(['latest', 'v1'])
  })

  it('refuses an image with more manifests than allowed, and copies nothing', async () => {
    const target = testbed.backend('prodacr.azurecr.io')
    await expect(
      copyImage(testbed.backend('devacr.azurecr.io'), 'app', '1.0.0', target, 'too-many', ['1.0.0'], {
        maxManifests: 3
      })
    ).rejects.toThrow(/maximum number of manifests for an imported image is 3/)
    expect(await target.listTags('too-many')).toEqual([])
  })
})
