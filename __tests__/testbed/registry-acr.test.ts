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
import { runContainerRegistryProbe } from './registry/sdk-probe/run-probe.js'
import { RegistryError, type RegistryAuth } from './types.js'
import { APPS, REGISTRIES, TENANT_A } from './world.js'

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
  reads: { repository: string; tag: string }[]
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
