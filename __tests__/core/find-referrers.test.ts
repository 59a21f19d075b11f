// Finding an image's referrers over fake HTTP: the OCI 1.1 API, its tag-schema fallback, cosign's tags, the
// platform manifests of an index, recursion and deduplication, and what it costs (no pull for a source without).
import { RegistryGateway } from '../../src/core/registry/registry-gateway.js'
import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import type { HttpResponse, HttpSend } from '../../src/core/registry/http.js'
import { describeArtifacts } from '../../src/core/referrers/artifact-kind.js'
import { findReferrers } from '../../src/core/referrers/find-referrers.js'
import { referrerSource } from '../../src/core/referrers/referrer-source.js'

const NOTARY = 'application/vnd.cncf.notary.signature'
const SPDX = 'application/spdx+json'
const IN_TOTO = 'application/vnd.in-toto+json'
const digestOf = (name: string) => `sha256:${createHash('sha256').update(name).digest('hex')}`
const tagOf = (digest: string) => digest.replace(':', '-')
const response = (status: number, headers: Record<string, string> = {}, body = ''): HttpResponse => ({
  status,
  header: (name) => headers[name.toLowerCase()],
  body
})

interface Artifact {
  digest: string
  artifactType: string
  subject?: string
}

/** A registry of one repository `app`: manifests by digest, tags, and (optionally) the referrers API. */
function fakeRegistry(options: {
  referrersApi: boolean
  artifacts?: Artifact[]
  tags?: Record<string, string>
  manifests?: Record<string, string>
  /** Status for every request (a refusal). */
  refuse?: number
  pageSize?: number
  /** The registry refuses to list the repository's tags (then each tag is asked for by HEAD). */
  noTagList?: boolean
}) {
  const calls: string[] = []
  const artifacts = options.artifacts ?? []
  const send: HttpSend = async ({ method, url }) => {
    const path = new URL(url).pathname + new URL(url).search
    calls.push(`${method} ${path}`)
    if (options.refuse) return response(options.refuse, {}, '{"errors":[{"code":"DENIED","message":"no"}]}')
    let match = /^\/v2\/app\/referrers\/([^?]+)(?:\?page=(\d+))?$/.exec(path)
    if (match) {
      if (!options.referrersApi) return response(404, {}, '{"errors":[{"code":"NOT_FOUND"}]}')
      const all = artifacts
        .filter((a) => a.subject === match![1])
        .map((a) => ({
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: a.digest,
          artifactType: a.artifactType
        }))
      const size = options.pageSize ?? all.length
      const page = Number(match[2] ?? 0)
      const slice = all.slice(page * size, (page + 1) * size)
      const more = (page + 1) * size < all.length
      const headers: Record<string, string> = more
        ? { link: `</v2/app/referrers/${match[1]}?page=${page + 1}>; rel="next"` }
        : {}
      return response(200, headers, JSON.stringify({ schemaVersion: 2, manifests: slice }))
    }
    if (path.startsWith('/v2/app/tags/list')) {
      if (options.noTagList) return response(403, {}, '{"errors":[{"code":"DENIED","message":"no"}]}')
      return response(200, {}, JSON.stringify({ name: 'app', tags: Object.keys(options.tags ?? {}) }))
    }
    match = /^\/v2\/app\/manifests\/(.+)$/.exec(path)
    if (!match) return response(404)
    const reference = match[1]
    const digest = options.tags?.[reference] ?? reference
    const body = options.manifests?.[digest]
    if (!body && !options.tags?.[reference]) return response(404)
    return response(200, { 'docker-content-digest': digest }, method === 'GET' ? (body ?? '{}') : '')
  }
  const source = referrerSource(
    { registry: 'registry.example.com', repository: 'app' },
    new RegistryGateway(send)
  )
  return { source, calls }
}

const IMAGE = digestOf('image')

describe('findReferrers', () => {
  it('costs one API call and one tag listing for an image without referrers: no HEAD, no GET', async () => {
    const { source, calls } = fakeRegistry({ referrersApi: true })
    expect(await findReferrers(source, IMAGE, false)).toEqual({ kind: 'found', referrers: [] })
    expect(calls.sort()).toEqual([`GET /v2/app/referrers/${IMAGE}`, 'GET /v2/app/tags/list?n=1000'].sort())
  })

  it("asks for cosign's tags one by one where the repository cannot be listed", async () => {
    const { source, calls } = fakeRegistry({ referrersApi: true, noTagList: true })
    expect(await findReferrers(source, IMAGE, false)).toEqual({ kind: 'found', referrers: [] })
    expect(calls.filter((c) => !c.includes('tags/list')).sort()).toEqual(
      [
        `GET /v2/app/referrers/${IMAGE}`,
        `HEAD /v2/app/manifests/${tagOf(IMAGE)}.att`,
        `HEAD /v2/app/manifests/${tagOf(IMAGE)}.sbom`,
        `HEAD /v2/app/manifests/${tagOf(IMAGE)}.sig`
      ].sort()
    )
  })

  it('follows the API recursively (a signature on the SBOM), across pages', async () => {
    const signature = { digest: digestOf('sig'), artifactType: NOTARY, subject: IMAGE }
    const sbom = { digest: digestOf('sbom'), artifactType: SPDX, subject: IMAGE }
    const sbomSignature = { digest: digestOf('sbom-sig'), artifactType: NOTARY, subject: sbom.digest }
    const { source } = fakeRegistry({
      referrersApi: true,
      artifacts: [signature, sbom, sbomSignature],
      pageSize: 1
    })
    const graph = await findReferrers(source, IMAGE, false)
    expect(graph).toEqual({
      kind: 'found',
      referrers: [signature, sbom, sbomSignature]
    })
    if (graph.kind === 'found')
      expect(describeArtifacts(graph.referrers.map((r) => r.artifactType))).toBe('2 signatures, 1 SBOM')
  })

  it('falls back to the referrers tag schema when the registry has no API (404), and asks the API only once', async () => {
    const signature = digestOf('sig')
    const sbom = digestOf('sbom')
    const index = (manifests: { digest: string; artifactType: string }[]) =>
      JSON.stringify({ schemaVersion: 2, manifests })
    const schemaIndex = digestOf('schema-index')
    const { source, calls } = fakeRegistry({
      referrersApi: false,
      tags: { [tagOf(IMAGE)]: schemaIndex },
      manifests: {
        [schemaIndex]: index([
          { digest: signature, artifactType: NOTARY },
          { digest: sbom, artifactType: SPDX }
        ])
      }
    })
    const graph = await findReferrers(source, IMAGE, false)
    expect(graph).toEqual({
      kind: 'found',
      referrers: [
        { digest: signature, artifactType: NOTARY, subject: IMAGE },
        { digest: sbom, artifactType: SPDX, subject: IMAGE }
      ]
    })
    expect(calls.filter((c) => c.includes('/referrers/'))).toHaveLength(1)
    // The tag schema's index is fetched because it exists; the referrers found have none of their own (HEADs).
    expect(calls.filter((c) => c.startsWith('GET /v2/app/manifests/'))).toEqual([
      `GET /v2/app/manifests/${schemaIndex}`
    ])
  })

  it("finds cosign's .sig and .att tags next to the image and names them by tag", async () => {
    const sig = digestOf('cosign-sig')
    const att = digestOf('cosign-att')
    const { source } = fakeRegistry({
      referrersApi: false,
      tags: { [`${tagOf(IMAGE)}.sig`]: sig, [`${tagOf(IMAGE)}.att`]: att }
    })
    const graph = await findReferrers(source, IMAGE, false)
    expect(graph).toEqual({
      kind: 'found',
      referrers: [
        {
          digest: sig,
          artifactType: 'application/vnd.dev.cosign.simplesigning.v1+json',
          subject: IMAGE,
          tag: `${tagOf(IMAGE)}.sig`
        },
        {
          digest: att,
          artifactType: 'application/vnd.dsse.envelope.v1+json',
          subject: IMAGE,
          tag: `${tagOf(IMAGE)}.att`
        }
      ]
    })
    if (graph.kind === 'found')
      expect(describeArtifacts(graph.referrers.map((r) => r.artifactType))).toBe('1 signature, 1 attestation')
  })

  it("looks at an index's platform manifests (not buildx's attestation manifests inside it), and deduplicates", async () => {
    const amd64 = digestOf('amd64')
    const arm64 = digestOf('arm64')
    const buildxAttestation = digestOf('buildx-attestation')
    const indexBody = JSON.stringify({
      schemaVersion: 2,
      manifests: [
        { digest: amd64, platform: { os: 'linux', architecture: 'amd64' } },
        { digest: arm64, platform: { os: 'linux', architecture: 'arm64' } },
        { digest: buildxAttestation, platform: { os: 'unknown', architecture: 'unknown' } }
      ]
    })
    const indexSignature = { digest: digestOf('index-sig'), artifactType: NOTARY, subject: IMAGE }
    const amdAttestation = { digest: digestOf('amd-att'), artifactType: IN_TOTO, subject: amd64 }
    const armAttestation = { digest: digestOf('arm-att'), artifactType: IN_TOTO, subject: arm64 }
    const { source, calls } = fakeRegistry({
      referrersApi: true,
      manifests: { [IMAGE]: indexBody },
      artifacts: [indexSignature, amdAttestation, armAttestation]
    })
    const graph = await findReferrers(source, IMAGE, true)
    expect(graph.kind === 'found' && graph.referrers).toEqual([
      indexSignature,
      amdAttestation,
      armAttestation
    ])
    expect(calls).not.toContain(`GET /v2/app/referrers/${buildxAttestation}`)
    // The same referrer reached twice (here: listed twice by a registry) is copied once.
    const twice = fakeRegistry({ referrersApi: true, artifacts: [indexSignature, indexSignature] })
    expect(await findReferrers(twice.source, IMAGE, false)).toEqual({
      kind: 'found',
      referrers: [indexSignature]
    })
  })

  it('says why when the source refuses, with the status for the hint', async () => {
    const { source } = fakeRegistry({ referrersApi: true, refuse: 403 })
    const graph = await findReferrers(source, IMAGE, false)
    expect(graph).toMatchObject({ kind: 'unreadable', status: 403 })
    expect(graph.kind === 'unreadable' && graph.reason).toMatch(
      /registry.example.com\/app answered HTTP 403 DENIED no/
    )
  })

  it('answers the auth challenge once before its parallel reads (each would otherwise come back refused)', async () => {
    const sig = digestOf('cosign-sig')
    let tokens = 0
    const send: HttpSend = async ({ method, url, headers }) => {
      if (url.startsWith('https://auth.example.com/')) {
        tokens++
        // Slow enough that the parallel reads, if sent at once, all meet the challenge first.
        await new Promise((done) => setTimeout(done, 20))
        return response(200, {}, JSON.stringify({ token: 'tkn' }))
      }
      if (headers.authorization !== 'Bearer tkn') {
        return response(401, {
          'www-authenticate': 'Bearer realm="https://auth.example.com/token",service="registry.example.com"'
        })
      }
      const path = new URL(url).pathname
      if (path.endsWith(`/manifests/${tagOf(IMAGE)}.sig`))
        return response(200, { 'docker-content-digest': sig })
      if (path.includes('/referrers/')) return response(404)
      return response(method === 'HEAD' ? 404 : 404)
    }
    const source = referrerSource(
      { registry: 'registry.example.com', repository: 'app' },
      new RegistryGateway(send)
    )
    const graph = await findReferrers(source, IMAGE, false)
    expect(graph.kind === 'found' && graph.referrers.map((r) => r.digest)).toEqual([sig])
    expect(tokens).toBe(1)
  })

  it('stops at a loop of referrers', async () => {
    const a = { digest: digestOf('a'), artifactType: NOTARY, subject: IMAGE }
    const b = { digest: digestOf('b'), artifactType: NOTARY, subject: a.digest }
    const back = { digest: a.digest, artifactType: NOTARY, subject: b.digest }
    const { source } = fakeRegistry({ referrersApi: true, artifacts: [a, b, back] })
    expect(await findReferrers(source, IMAGE, false)).toEqual({ kind: 'found', referrers: [a, b] })
  })
})

describe('the referrers API across the images of a step', () => {
  it('is asked once per digest, however many images (tags of one image) ask', async () => {
    const { source, calls } = fakeRegistry({ referrersApi: true })
    await Promise.all([source.referrers(IMAGE), source.referrers(IMAGE), source.referrers(IMAGE)])
    expect(calls.filter((c) => c.includes('/referrers/'))).toEqual([`GET /v2/app/referrers/${IMAGE}`])
  })

  it('is asked by one request first: a registry without it says so once, while the rest wait', async () => {
    const { source, calls } = fakeRegistry({ referrersApi: false })
    const others = [digestOf('a'), digestOf('b'), digestOf('c')]
    const answers = await Promise.all([IMAGE, ...others].map((digest) => source.referrers(digest)))
    expect(answers.map((a) => a.kind)).toEqual(['unsupported', 'unsupported', 'unsupported', 'unsupported'])
    expect(calls.filter((c) => c.includes('/referrers/'))).toEqual([`GET /v2/app/referrers/${IMAGE}`])
  })
})

describe('describeArtifacts', () => {
  it('names the kinds it knows and counts the rest as artifacts', () => {
    expect(
      describeArtifacts([
        NOTARY,
        'application/vnd.dev.cosign.simplesigning.v1+json',
        'application/vnd.dev.sigstore.bundle.v0.3+json',
        'application/vnd.cyclonedx+json',
        IN_TOTO,
        'application/x-custom'
      ])
    ).toBe('3 signatures, 1 SBOM, 1 attestation, 1 artifact')
    expect(describeArtifacts([])).toBe('')
  })
})
