// The supply chain in the test bed: the signed fixtures as seeded, ACR's OCI 1.1 referrers API computed from
// what a registry stores (and its absence on Docker Hub, MCR and the private registry), importImage copying a
// referrer by digest but never the referrers of what it imports, and ACR's changeable attributes (locks) set
// with the real @azure/container-registry client, with who may set them and what they refuse.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { CONTROL_HOST } from './control/control-api.js'
import { copyImage } from './registry/copy.js'
import { sha256Digest } from './registry/digest.js'
import { proxyTunnelTransport, type HttpAnswer, type Transport } from './registry/http-transport.js'
import { MEDIA_TYPES } from './registry/media-types.js'
import { DistributionClient } from './registry/oci-client.js'
import { runContainerRegistryProbe, type ProbeRequest } from './registry/sdk-probe/run-probe.js'
import { pushGraphManifest } from './registry/fixtures.js'
import { ARTIFACT_TYPES, cosignTag, notarySignatureOn, referrersTag } from './registry/supply-chain.js'
import { RegistryError } from './types.js'
import { useSdkClient, useTestbed } from './use-testbed.js'
import type { CredentialSpec } from './azure/sdk-harness/sdkClient.js'
import { APPS, REGISTRIES, resourceIdOf, SUB_PROD, SUPPLY_CHAIN, TENANT_A } from './world.js'

const testbed = useTestbed()
const sdk = useSdkClient(testbed)

const DENIED = 'The operation is disallowed on this registry, repository or image.'
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

const probe = (app: App, reads: ProbeRequest['reads'], endpoint = `https://${PROD}`) =>
  runContainerRegistryProbe(testbed.env, {
    tenantId: TENANT_A,
    clientId: app.appId,
    secret: app.clientSecret,
    endpoint,
    reads
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

  it('lists a signature added later to a seeded image (what a skip-unchanged run must pick up)', async () => {
    const dev = testbed.backend(DEV)
    const image = (await dev.getManifest('app', '1.1.0'))!
    expect((await referrers(DEV, 'app', image.digest)).body.manifests).toEqual([])
    const signature = notarySignatureOn(
      { mediaType: image.mediaType, digest: image.digest, size: image.body.length },
      'a later signature'
    )
    expect(await pushGraphManifest(dev, 'app', signature)).toBe(signature.digest)
    const after = await referrers(DEV, 'app', image.digest)
    expect(after.body.manifests.map((m) => [m.digest, m.artifactType])).toEqual([
      [signature.digest, ARTIFACT_TYPES.notarySignature]
    ])
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

  it('lets an identity without pull on the source import from it, but not list its referrers', async () => {
    const imported = await importIntoProd(APPS.importOnly, {
      source: { resourceId: resourceIdOf(REGISTRIES.dev), sourceImage: `${acrSigned.repo}:${acrSigned.tag}` },
      targetTags: [`import-only/${acrSigned.repo}:${acrSigned.tag}`],
      mode: 'NoForce'
    })
    expect(imported).toEqual({ ok: true, value: expect.objectContaining({ status: 'succeeded' }) })
    const token = await acrToken(DEV, `repository:${acrSigned.repo}:pull`, APPS.importOnly)
    const listed = await get(DEV, `/v2/${acrSigned.repo}/referrers/${acrSigned.digest}`, token)
    expect(listed.status).toBe(401)
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

describe('changeable attributes (locks)', () => {
  /** A fresh repository in prodacr holding devacr's app:1.1.0 under the tags `1.0` and `2.0`. */
  async function lockableRepository(repo: string): Promise<string> {
    const copied = await copyImage(testbed.backend(DEV), 'app', '1.1.0', testbed.backend(PROD), repo, [
      '1.0',
      '2.0'
    ])
    return copied.digest
  }

  it("sets a tag's attributes with updateTagProperties (AcrPush), which the tag read then answers", async () => {
    await lockableRepository('locks/sdk')
    const [updated] = await probe(APPS.github, [
      { repository: 'locks/sdk', tag: '1.0', updateTag: { canWrite: false, canDelete: false } }
    ])
    expect(updated).toEqual({
      ok: true,
      value: expect.objectContaining({ canWrite: false, canDelete: false, canRead: true, canList: true })
    })
    const patch = testbed.requests.find(
      (r) => r.method === 'PATCH' && r.url.startsWith('/acr/v1/locks%2Fsdk/_tags/1.0') && r.status === 200
    )
    expect(JSON.parse(patch!.body)).toEqual({ deleteEnabled: false, writeEnabled: false })
    const read = await get(
      PROD,
      '/acr/v1/locks/sdk/_tags/1.0',
      await acrToken(PROD, 'repository:locks/sdk:metadata_read')
    )
    expect(JSON.parse(read.body.toString())).toMatchObject({
      registry: PROD,
      imageName: 'locks/sdk',
      tag: {
        name: '1.0',
        changeableAttributes: {
          deleteEnabled: false,
          writeEnabled: false,
          readEnabled: true,
          listEnabled: true
        }
      }
    })
    expect(testbed.changeableAttributes(PROD, 'locks/sdk', '2.0').writeEnabled).toBe(true)
  })

  it('refuses the lock to an identity without a push role (the importer and reader, AcrPull)', async () => {
    await lockableRepository('locks/reader')
    const [importer] = await probe(APPS.importReader, [
      { repository: 'locks/reader', tag: '1.0', updateTag: { canWrite: false } }
    ])
    expect(importer).toMatchObject({ ok: false, error: { statusCode: 401 } })
    const [puller] = await probe(
      APPS.sourceReader,
      [{ repository: 'app', tag: '1.1.0', updateTag: { canWrite: false } }],
      `https://${DEV}`
    )
    expect(puller).toMatchObject({ ok: false, error: { statusCode: 401 } })
    expect(testbed.changeableAttributes(PROD, 'locks/reader', '1.0').writeEnabled).toBe(true)
    expect(testbed.changeableAttributes(DEV, 'app', '1.1.0').writeEnabled).toBe(true)
    // The 401 names the scope a lock needs.
    const challenge = testbed.requests.find(
      (r) => r.method === 'PATCH' && r.url.startsWith('/acr/v1/locks%2Freader/_tags/1.0')
    )
    expect(challenge?.status).toBe(401)
    // The importer and reader may still import: it lacks only the lock.
    const imported = await importIntoProd(APPS.importReader, {
      source: { resourceId: resourceIdOf(REGISTRIES.dev), sourceImage: 'app:1.1.0' },
      targetTags: ['locks/reader:3.0'],
      mode: 'NoForce'
    })
    expect(imported).toEqual({ ok: true, value: expect.objectContaining({ status: 'succeeded' }) })
  })

  it('refuses a manifest PUT onto a write-disabled tag with DENIED, and takes it once unlocked', async () => {
    const digest = await lockableRepository('locks/put')
    testbed.setChangeableAttributes(PROD, 'locks/put', '1.0', { writeEnabled: false })
    const other = (await testbed.backend(PROD).getManifest('app', 'existing'))!
    await copyImage(testbed.backend(PROD), 'app', 'existing', testbed.backend(PROD), 'locks/put', [])
    const prod = front(PROD)
    const error = await prod
      .putManifest('locks/put', '1.0', other.body, other.mediaType)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RegistryError)
    expect(error).toMatchObject({ status: 405, code: 'DENIED' })
    expect((error as RegistryError).message).toContain(DENIED)
    expect(await testbed.backend(PROD).headManifest('locks/put', '1.0')).toBe(digest)
    // Another tag of the same repository is not locked.
    expect(await prod.putManifest('locks/put', '2.0', other.body, other.mediaType)).toBe(other.digest)

    testbed.setChangeableAttributes(PROD, 'locks/put', '1.0', { writeEnabled: true })
    expect(await prod.putManifest('locks/put', '1.0', other.body, other.mediaType)).toBe(other.digest)
  })

  it('fails an importImage onto a write-disabled tag with the DENIED text, in either mode', async () => {
    const digest = await lockableRepository('locks/import')
    testbed.setChangeableAttributes(PROD, 'locks/import', '1.0', { writeEnabled: false })
    for (const mode of ['NoForce', 'Force']) {
      const answer = await importIntoProd(APPS.github, {
        source: { registryUri: 'docker.io', sourceImage: 'library/alpine:3.20' },
        targetTags: ['locks/import:1.0'],
        mode
      })
      expect(answer.ok).toBe(false)
      expect(!answer.ok && answer.error.message).toContain(DENIED)
    }
    expect(await testbed.backend(PROD).headManifest('locks/import', '1.0')).toBe(digest)
    const unlocked = await importIntoProd(APPS.github, {
      source: { registryUri: 'docker.io', sourceImage: 'library/alpine:3.20' },
      targetTags: ['locks/import:2.0'],
      mode: 'Force'
    })
    expect(unlocked).toEqual({ ok: true, value: expect.objectContaining({ status: 'succeeded' }) })
  })

  it('locks a manifest with updateManifestProperties: its DELETE and PUT are refused', async () => {
    const digest = await lockableRepository('locks/manifest')
    const [updated] = await probe(APPS.github, [
      { repository: 'locks/manifest', digest, updateManifest: { canDelete: false, canWrite: false } }
    ])
    expect(updated).toEqual({
      ok: true,
      value: expect.objectContaining({ canDelete: false, canWrite: false, digest })
    })
    const token = await acrToken(PROD, 'repository:locks/manifest:pull,push')
    const deleted = await tunnel()(
      new URL(`https://${PROD}/v2/locks/manifest/manifests/${digest}`),
      'DELETE',
      {
        authorization: `Bearer ${token}`
      }
    )
    expect([deleted.status, JSON.parse(deleted.body.toString()).errors[0]]).toEqual([
      405,
      { code: 'DENIED', message: DENIED }
    ])
    const manifest = (await testbed.backend(PROD).getManifest('locks/manifest', digest))!
    await expect(
      front(PROD).putManifest('locks/manifest', digest, manifest.body, manifest.mediaType)
    ).rejects.toMatchObject({
      status: 405,
      code: 'DENIED'
    })
    const read = await get(
      PROD,
      `/acr/v1/locks/manifest/_manifests/${digest}`,
      await acrToken(PROD, 'repository:locks/manifest:metadata_read')
    )
    expect(JSON.parse(read.body.toString()).manifest.changeableAttributes).toEqual({
      deleteEnabled: false,
      writeEnabled: false,
      readEnabled: true,
      listEnabled: true
    })
  })

  it('answers 404 for a PATCH of a tag that does not exist', async () => {
    const token = await acrToken(PROD, 'repository:app:metadata_write')
    const answer = await tunnel()(
      new URL(`https://${PROD}/acr/v1/app/_tags/nope`),
      'PATCH',
      { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      Buffer.from('{"writeEnabled":false}')
    )
    expect([answer.status, JSON.parse(answer.body.toString()).errors[0].code]).toEqual([404, 'TAG_UNKNOWN'])
  })

  it('sets attributes over the control API, and refuses a request that names no ACR or no attribute', async () => {
    await lockableRepository('locks/control')
    const post = (body: unknown) =>
      tunnel()(new URL(`https://${CONTROL_HOST}/attributes`), 'POST', {}, Buffer.from(JSON.stringify(body)))
    const set = await post({
      registry: PROD,
      repository: 'locks/control',
      reference: '1.0',
      writeEnabled: false
    })
    expect([set.status, JSON.parse(set.body.toString())]).toEqual([
      200,
      { deleteEnabled: true, writeEnabled: false, readEnabled: true, listEnabled: true }
    ])
    expect(testbed.changeableAttributes(PROD, 'locks/control', '1.0').writeEnabled).toBe(false)
    expect(
      (await post({ registry: 'docker.io', repository: 'x', reference: '1', writeEnabled: false })).status
    ).toBe(400)
    expect((await post({ registry: PROD, repository: 'locks/control', reference: '1.0' })).status).toBe(400)
    expect(
      (await post({ registry: PROD, repository: 'locks/control', reference: '1.0', writeEnabled: 'no' }))
        .status
    ).toBe(400)
  })
})
