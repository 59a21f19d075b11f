// The reads that find an image's referrers in its source repository, over the generic bearer-challenge session
// (registry/registry-session.ts): the referrers API, and manifests by tag. Tags are read with HEAD, which Docker
// Hub does not count as a pull; only a manifest that exists and must be looked into is fetched with GET.
import { createHash } from 'node:crypto'
import { readBlob, type BlobRead } from '../registry/blob-reader.js'
import type { HttpResponse } from '../registry/http.js'
import { apiHost, MANIFEST_ACCEPT, registryErrorText } from '../registry/oci-manifest-reader.js'
import { listOciTags, nextPage } from '../registry/oci-tag-lister.js'
import type { RegistryGateway } from '../registry/registry-gateway.js'
import type { SessionTarget } from '../registry/registry-session.js'
import { isDigest } from '../util/digest.js'

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
/** Referrers may also be OCI 1.1-rc artifact manifests (early Notation and ORAS pushed those). */
const ACCEPT = `${MANIFEST_ACCEPT}, application/vnd.oci.artifact.manifest.v1+json`
/** A referrers index that pages further than this is a registry that pages in circles. */
const MAX_PAGES = 100

export interface Descriptor {
  digest: string
  mediaType?: string
  artifactType?: string
}

export interface Unreadable {
  kind: 'unreadable'
  reason: string
  status?: number
}

export type ReferrersAnswer =
  { kind: 'listed'; manifests: Descriptor[] } | { kind: 'unsupported' } | Unreadable
export type TagAnswer = { kind: 'found'; digest: string } | { kind: 'absent' } | Unreadable
export type ManifestAnswer = { kind: 'found'; body: string } | { kind: 'absent' } | Unreadable

export interface ReferrerSource {
  /** `registry/repository`, for messages. */
  readonly name: string
  /** `GET /v2/<repo>/referrers/<digest>` (every page); `unsupported` when the registry lacks the API (404). */
  referrers(digest: string): Promise<ReferrersAnswer>
  /** The digest a tag points at (a HEAD). */
  tag(tag: string): Promise<TagAnswer>
  /** A manifest's JSON (a GET, which Docker Hub counts as a pull). */
  manifest(reference: string): Promise<ManifestAnswer>
  /** A blob's bytes (a signature's payload or envelope), bounded and checked against its digest. */
  blob(digest: string): Promise<BlobRead>
}

export interface SourceRepository extends SessionTarget {
  /** Registry host as in references (docker.io is read at registry-1.docker.io). */
  registry: string
  signal?: AbortSignal
}

export function referrerSource(target: SourceRepository, gateway: RegistryGateway): ReferrerSource {
  const host = apiHost(target.registry)
  const session = gateway.session(host, target.repository, target.credentials)
  const request = (method: 'GET' | 'HEAD', url: string, accept: string) =>
    session.send(method, url, accept, target.signal)
  // The repository's tags, listed once per step: cosign's and the tag schema's tags are looked up in it, so a
  // repository without them costs one listing instead of a HEAD per tag per image.
  const listing = () =>
    gateway.once(`tags ${host}/${target.repository}`, () =>
      listOciTags(target, gateway).then((listed) =>
        listed.kind === 'listed' ? new Set(listed.tags) : undefined
      )
    )
  const base = `https://${apiHost(target.registry)}/v2/${target.repository}`
  const name = `${target.registry}/${target.repository}`
  const unreadable = (response: HttpResponse, what: string): Unreadable => ({
    kind: 'unreadable',
    status: response.status,
    reason: `${name} answered HTTP ${response.status} ${registryErrorText(response)} to ${what}`.replace(
      /\s+/g,
      ' '
    )
  })
  async function listReferrers(digest: string): Promise<ReferrersAnswer> {
    // A registry without the API said so once; it is not asked again this step.
    if (gateway.withoutReferrersApi.has(host)) return { kind: 'unsupported' }
    const manifests: Descriptor[] = []
    let url: string | undefined = `${base}/referrers/${digest}`
    for (let page = 0; url; page++) {
      if (page >= MAX_PAGES)
        return { kind: 'unreadable', reason: `${name}: the referrers of ${digest} page without end` }
      const response = await request('GET', url, OCI_INDEX)
      // A registry with the API never answers 404 (OCI distribution spec 1.1): 404 means it has no such API.
      if (response.status === 404 && page === 0) {
        gateway.withoutReferrersApi.add(host)
        return { kind: 'unsupported' }
      }
      if (response.status !== 200) return unreadable(response, `the referrers of ${digest}`)
      const listed = indexManifests(response.body)
      if (!listed)
        return { kind: 'unreadable', reason: `${name}: the referrers of ${digest} are not an OCI index` }
      for (const descriptor of listed) manifests.push(descriptor)
      url = nextPage(response.header('link'), url)
    }
    return { kind: 'listed', manifests }
  }

  return {
    name,
    referrers(digest) {
      // Asked once per digest and identity for the step: tags that share an image share its referrers.
      const who = target.credentials?.username ?? ''
      return gateway.once(`referrers ${host}/${target.repository} ${who} ${digest}`, async () => {
        // The first question to a host goes alone, the others wait for its answer: a registry without the API
        // says so to one request, not to every image asked at once.
        let mine: Promise<ReferrersAnswer> | undefined
        await gateway.once(`referrers first ${host}`, () => (mine = listReferrers(digest)))
        return mine ?? listReferrers(digest)
      })
    },
    async tag(tag) {
      // A repository that could not be listed is asked tag by tag.
      const tags = await listing().catch(() => undefined)
      if (tags && !tags.has(tag)) return { kind: 'absent' }
      const response = await request('HEAD', `${base}/manifests/${tag}`, ACCEPT)
      if (response.status === 404) return { kind: 'absent' }
      if (response.status !== 200) return unreadable(response, `the tag ${tag}`)
      const digest = response.header('docker-content-digest')
      if (isDigest(digest)) return { kind: 'found', digest }
      // Registries that send no Docker-Content-Digest: the digest is that of the manifest's bytes.
      const manifest = await this.manifest(tag)
      if (manifest.kind !== 'found') return manifest
      return { kind: 'found', digest: `sha256:${createHash('sha256').update(manifest.body).digest('hex')}` }
    },
    async manifest(reference) {
      const response = await request('GET', `${base}/manifests/${reference}`, ACCEPT)
      if (response.status === 404) return { kind: 'absent' }
      if (response.status !== 200) return unreadable(response, `the manifest ${reference}`)
      return { kind: 'found', body: response.body }
    },
    blob: (digest) =>
      readBlob({
        session,
        send: gateway.send,
        repositoryUrl: base,
        name,
        digest,
        signal: target.signal,
        timeoutMs: gateway.requestTimeoutMs
      })
  }
}

/** The `manifests` of an OCI index (the referrers API's answer and the tag schema's index); undefined if not one. */
export function indexManifests(body: string): Descriptor[] | undefined {
  try {
    const parsed = JSON.parse(body) as { manifests?: unknown }
    if (!Array.isArray(parsed.manifests)) return undefined
    return parsed.manifests.filter(
      (m): m is Descriptor => typeof m === 'object' && m !== null && isDigest((m as Descriptor).digest)
    )
  } catch {
    return undefined
  }
}
