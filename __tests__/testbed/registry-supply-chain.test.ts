// The supply chain in the test bed: the signed fixtures as seeded, ACR's OCI 1.1 referrers API computed from
// what a registry stores (and its absence on Docker Hub, MCR and the private registry), importImage copying a
// referrer by digest but never the referrers of what it imports.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { sha256Digest } from './registry/digest.js'
import { proxyTunnelTransport, type HttpAnswer, type Transport } from './registry/http-transport.js'
import { MEDIA_TYPES } from './registry/media-types.js'
import { DistributionClient } from './registry/oci-client.js'
import { ARTIFACT_TYPES, cosignTag, referrersTag } from './registry/supply-chain.js'
import { useSdkClient, useTestbed } from './use-testbed.js'
import type { CredentialSpec } from './azure/sdk-harness/sdkClient.js'
import { APPS, REGISTRIES, resourceIdOf, SUB_PROD, SUPPLY_CHAIN, TENANT_A } from './world.js'

const testbed = useTestbed()
const sdk = useSdkClient(testbed)

const PROD = 'prodacr.azurecr.io'
const DEV = 'devacr.azurecr.io'
const { acrSigned, acrMultiArch, dockerHubCosign, dockerHubReferrersTag } = SUPPLY_CHAIN

type App = { appId: string; clientSecret: string }

let tunnelTransport: Transport | undefined
const tunnel = (): Transport =>
  (tunnelTransport ??= proxyTunnelTransport(
    testbed.env.HTTPS_PROXY,
    readFileSync(testbed.caCertPath, 'utf8')
  ))

const basic = (app: App) => `Basic ${Buffer.from(`${app.appId}:${app.clientSecret}`).toString('base64')}`

/** An ACR access token for `scope`, bought with the app's ID and secret (ACR basic auth with a service principal). */
async function acrToken(host: string, scope: string, app: App = APPS.github): Promise<string> {
  const url = new URL(`https://${host}/oauth2/token`)
  url.searchParams.set('service', host)
  url.searchParams.set('scope', scope)
  const answer = await tunnel()(url, 'GET', { authorization: basic(app) })
  expect(answer.status).toBe(200)
  return (JSON.parse(answer.body.toString()) as { access_token: string }).access_token
}

async function get(host: string, path: string, token?: string): Promise<HttpAnswer> {
  return tunnel()(new URL(`https://${host}${path}`), 'GET', token ? { authorization: `Bearer ${token}` } : {})
}

/** GET /v2/<repo>/referrers/<digest> on an ACR with a pull token. */
async function referrers(host: string, repo: string, digest: string, query = '') {
  const answer = await get(
    host,
    `/v2/${repo}/referrers/${digest}${query}`,
    await acrToken(host, `repository:${repo}:pull`)
  )
  return {
    status: answer.status,
    contentType: answer.headers['content-type'],
    filters: answer.headers['oci-filters-applied'],
    body: JSON.parse(answer.body.toString()) as {
      schemaVersion: number
      mediaType: string
      manifests: {
        mediaType: string
        digest: string
        size: number
        artifactType?: string
        annotations?: Record<string, string>
      }[]
    }
  }
}

const front = (host: string, app: App = APPS.github) =>
  new DistributionClient(`https://${host}`, tunnel(), {
    kind: 'basic',
    username: app.appId,
    password: app.clientSecret
  })

const secret = (app: App): CredentialSpec => ({
  kind: 'secret',
  tenantId: TENANT_A,
  clientId: app.appId,
  secret: app.clientSecret
})

const importIntoProd = (app: App, parameters: unknown) =>
  sdk.run<{ status: string }>(secret(app), {
    kind: 'importImage',
    subscriptionId: SUB_PROD,
    resourceGroup: REGISTRIES.prod.resourceGroup,
    name: REGISTRIES.prod.name,
    parameters
  })

describe('supply-chain fixtures', () => {
  it('seeds every manifest of every graph byte for byte, and its tags', async () => {
    for (const graph of Object.values(SUPPLY_CHAIN)) {
      const backend = testbed.backend(graph.host)
      for (const manifest of graph.order) {
        const stored = await backend.getManifest(graph.repo, manifest.digest)
        expect(stored?.body.equals(manifest.bytes)).toBe(true)
        if (manifest.tag) expect(await backend.headManifest(graph.repo, manifest.tag)).toBe(manifest.digest)
      }
      expect(await backend.headManifest(graph.repo, graph.tag)).toBe(graph.digest)
    }
  })

  it('has referrers by subject in devacr, with the empty config, a signature on the SBOM and attested platforms', async () => {
    const dev = testbed.backend(DEV)
    const sbom = JSON.parse(
      (await dev.getManifest(acrSigned.repo, acrSigned.manifests.sbom.digest))!.body.toString()
    ) as { artifactType: string; config: { mediaType: string; digest: string }; subject: { digest: string } }
    expect(sbom.artifactType).toBe('application/spdx+json')
    expect(sbom.subject.digest).toBe(acrSigned.digest)
    expect(sbom.config.mediaType).toBe('application/vnd.oci.empty.v1+json')
    expect((await dev.getBlob(acrSigned.repo, sbom.config.digest)).toString()).toBe('{}')
    expect(acrSigned.manifests.signature.artifactType).toBe('application/vnd.cncf.notary.signature')
    expect(acrSigned.manifests.sbomSignature.subject).toBe(acrSigned.manifests.sbom.digest)

    const index = JSON.parse(
      (await dev.getManifest(acrMultiArch.repo, acrMultiArch.tag))!.body.toString()
    ) as {
      manifests: { digest: string; platform: { architecture: string } }[]
    }
    expect(index.manifests.map((m) => m.platform.architecture)).toEqual(['amd64', 'arm64'])
    for (const platform of index.manifests) {
      const attestations = acrMultiArch.referrersOf(platform.digest)
      expect(attestations.map((a) => a.artifactType)).toEqual([ARTIFACT_TYPES.inToto])
    }
  })

  it("has cosign's .sig and .att tags on Docker Hub, with cosign's layer media types", async () => {
    const hub = testbed.backend('docker.io')
    const tags = await hub.listTags(dockerHubCosign.repo)
    const hex = dockerHubCosign.digest.slice('sha256:'.length)
    expect(tags.sort()).toEqual(['1.0', `sha256-${hex}.att`, `sha256-${hex}.sig`])
    const sig = JSON.parse(
      (await hub.getManifest(dockerHubCosign.repo, cosignTag(dockerHubCosign.digest, 'sig')))!.body.toString()
    ) as {
      layers: { mediaType: string; annotations: Record<string, string> }[]
      subject?: unknown
    }
    expect(sig.layers[0].mediaType).toBe('application/vnd.dev.cosign.simplesigning.v1+json')
    expect(sig.layers[0].annotations['dev.cosignproject.cosign/signature']).toMatch(/^[A-Za-z0-9+/]+=*$/)
    expect(sig.subject).toBeUndefined()
    const att = JSON.parse(
      (await hub.getManifest(dockerHubCosign.repo, cosignTag(dockerHubCosign.digest, 'att')))!.body.toString()
    ) as {
      layers: { mediaType: string }[]
    }
    expect(att.layers[0].mediaType).toBe('application/vnd.dsse.envelope.v1+json')
  })

  it('has the referrers tag schema on Docker Hub: an index tagged sha256-<hex> listing the referrers', async () => {
    const hub = testbed.backend('docker.io')
    const tagged = await hub.getManifest(
      dockerHubReferrersTag.repo,
      referrersTag(dockerHubReferrersTag.digest)
    )
    expect(tagged?.mediaType).toBe(MEDIA_TYPES.ociIndex)
    const index = JSON.parse(tagged!.body.toString()) as {
      manifests: { digest: string; artifactType: string }[]
    }
    expect(index.manifests.map((m) => m.artifactType).sort()).toEqual([
      'application/spdx+json',
      'application/vnd.cncf.notary.signature'
    ])
    for (const listed of index.manifests) {
      const referrer = JSON.parse(
        (await hub.getManifest(dockerHubReferrersTag.repo, listed.digest))!.body.toString()
      ) as {
        subject: { digest: string }
      }
      expect(referrer.subject.digest).toBe(dockerHubReferrersTag.digest)
    }
  })
})

describe('the referrers API of ACR', () => {
  it('lists the referrers of an image as an OCI index, with artifactType and annotations', async () => {
    const answer = await referrers(DEV, acrSigned.repo, acrSigned.digest)
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe('application/vnd.oci.image.index.v1+json')
    expect(answer.filters).toBeUndefined()
    const { signature, sbom } = acrSigned.manifests
    expect(answer.body).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [signature, sbom]
        .sort((a, b) => (a.digest < b.digest ? -1 : 1))
        .map((m) => ({
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: m.digest,
          size: m.bytes.length,
          artifactType: m === sbom ? 'application/spdx+json' : 'application/vnd.cncf.notary.signature',
          annotations: expect.objectContaining({ 'org.opencontainers.image.created': '2024-05-01T00:00:00Z' })
        }))
    })
  })

  it('lists the referrers of a referrer (the signature on the SBOM)', async () => {
    const answer = await referrers(DEV, acrSigned.repo, acrSigned.manifests.sbom.digest)
    expect(answer.body.manifests.map((m) => m.digest)).toEqual([acrSigned.manifests.sbomSignature.digest])
  })

  it('filters by artifactType and says so in OCI-Filters-Applied', async () => {
    const answer = await referrers(
      DEV,
      acrSigned.repo,
      acrSigned.digest,
      '?artifactType=application%2Fspdx%2Bjson'
    )
    expect(answer.filters).toBe('artifactType')
    expect(answer.body.manifests.map((m) => m.digest)).toEqual([acrSigned.manifests.sbom.digest])
  })

  it('lists the referrers of a multi-arch index and of each platform manifest', async () => {
    const { index, amd64, arm64, indexSignature, amd64Attestation, arm64Attestation } = acrMultiArch.manifests
    const of = async (digest: string) =>
      (await referrers(DEV, acrMultiArch.repo, digest)).body.manifests.map((m) => [m.digest, m.artifactType])
    expect(await of(index.digest)).toEqual([[indexSignature.digest, ARTIFACT_TYPES.notarySignature]])
    expect(await of(amd64.digest)).toEqual([[amd64Attestation.digest, ARTIFACT_TYPES.inToto]])
    expect(await of(arm64.digest)).toEqual([[arm64Attestation.digest, ARTIFACT_TYPES.inToto]])
  })

  it('answers 200 with no manifests for a digest nothing refers to, 400 for a malformed digest', async () => {
    const none = await referrers(DEV, 'app', `sha256:${'0'.repeat(64)}`)
    expect([none.status, none.body.manifests]).toEqual([200, []])
    const token = await acrToken(DEV, 'repository:app:pull')
    expect((await get(DEV, '/v2/app/referrers/sha256:xyz', token)).status).toBe(400)
  })

  it('needs a token with pull on the repository', async () => {
    const answer = await get(DEV, `/v2/${acrSigned.repo}/referrers/${acrSigned.digest}`)
    expect(answer.status).toBe(401)
    expect(answer.headers['www-authenticate']).toContain(`scope="repository:${acrSigned.repo}:pull"`)
  })

  it('answers a referrer pushed through the front at once, its config media type standing in for artifactType', async () => {
    const prod = front(PROD)
    const subject = await prod.getManifest('app', 'existing')
    const config = Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } })
    )
    const configDigest = await prod.putBlob('app', config)
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociManifest,
        config: {
          mediaType: 'application/vnd.example.config.v1+json',
          digest: configDigest,
          size: config.length
        },
        layers: [],
        subject: { mediaType: subject!.mediaType, digest: subject!.digest, size: subject!.body.length }
      })
    )
    const before = await referrers(PROD, 'app', subject!.digest)
    expect(before.body.manifests).toEqual([])
    const digest = await prod.putManifest('app', sha256Digest(manifest), manifest, MEDIA_TYPES.ociManifest)
    const after = await referrers(PROD, 'app', subject!.digest)
    expect(after.body.manifests).toEqual([
      {
        mediaType: MEDIA_TYPES.ociManifest,
        digest,
        size: manifest.length,
        artifactType: 'application/vnd.example.config.v1+json'
      }
    ])
  })
})

describe('registries without the referrers API', () => {
  it.each([
    ['Docker Hub', 'registry-1.docker.io', dockerHubReferrersTag.repo, dockerHubReferrersTag.digest],
    ['MCR', 'mcr.microsoft.com', 'windows/servercore', `sha256:${'1'.repeat(64)}`],
    ['the private registry', 'registry.contoso.com', 'team/service', `sha256:${'1'.repeat(64)}`]
  ])(
    '%s answers 404, so clients fall back to the referrers tag schema',
    async (_name, host, repo, digest) => {
      expect((await get(host, `/v2/${repo}/referrers/${digest}`)).status).toBe(404)
    }
  )
})

describe('importImage and referrers', () => {
  it('copies an image without its referrers, and a referrer by digest into untaggedTargetRepositories', async () => {
    const source = { resourceId: resourceIdOf(REGISTRIES.dev) }
    const image = await importIntoProd(APPS.github, {
      source: { ...source, sourceImage: `${acrSigned.repo}:${acrSigned.tag}` },
      targetTags: [`${acrSigned.repo}:${acrSigned.tag}`],
      mode: 'NoForce'
    })
    expect(image).toEqual({ ok: true, value: expect.objectContaining({ status: 'succeeded' }) })
    // ACR's import copies nothing that refers to the image.
    expect((await referrers(PROD, acrSigned.repo, acrSigned.digest)).body.manifests).toEqual([])

    const { sbom } = acrSigned.manifests
    const referrer = await importIntoProd(APPS.github, {
      source: { ...source, sourceImage: `${acrSigned.repo}@${sbom.digest}` },
      untaggedTargetRepositories: [acrSigned.repo],
      mode: 'NoForce'
    })
    expect(referrer).toEqual({ ok: true, value: expect.objectContaining({ status: 'succeeded' }) })
    const prod = testbed.backend(PROD)
    expect((await prod.getManifest(acrSigned.repo, sbom.digest))?.body.equals(sbom.bytes)).toBe(true)
    for (const blob of sbom.blobs)
      expect(await prod.hasBlob(acrSigned.repo, blob.descriptor.digest)).toBe(true)
    expect(await prod.listTags(acrSigned.repo)).toEqual([acrSigned.tag])
    const answer = await referrers(PROD, acrSigned.repo, acrSigned.digest)
    expect(answer.body.manifests.map((m) => [m.digest, m.artifactType])).toEqual([
      [sbom.digest, ARTIFACT_TYPES.spdx]
    ])
    // Its own referrer (the signature on the SBOM) did not come along either.
    expect((await referrers(PROD, acrSigned.repo, sbom.digest)).body.manifests).toEqual([])
  })

  it("imports cosign's signature tag from Docker Hub under the same tag name", async () => {
    const sigTag = cosignTag(dockerHubCosign.digest, 'sig')
    const answer = await importIntoProd(APPS.github, {
      source: { registryUri: 'docker.io', sourceImage: `${dockerHubCosign.repo}:${sigTag}` },
      targetTags: [`cosigned:${sigTag}`],
      mode: 'NoForce'
    })
    expect(answer).toEqual({ ok: true, value: expect.objectContaining({ status: 'succeeded' }) })
    expect(await testbed.backend(PROD).headManifest('cosigned', sigTag)).toBe(
      dockerHubCosign.manifests.sig.digest
    )
  })
})
