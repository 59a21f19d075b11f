// The OCI 1.1 referrers API that ACR serves (`GET /v2/<name>/referrers/<digest>[?artifactType=]`), computed
// from what the backing registry stores: distribution 2.8 keeps a manifest's `subject` in its bytes but knows
// nothing of it, so every answer scans the repository's manifests (the storage's revision links, which hold
// every manifest however it arrived: a PUT through the front, a seed, an import copy) and lists those whose
// `subject.digest` is the digest. Manifests are content-addressed, so what was parsed once is cached by digest.
//
// Shape (distribution-spec 1.1, "Listing Referrers"): 200, Content-Type application/vnd.oci.image.index.v1+json,
// `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{mediaType, digest,
// size, artifactType, annotations}]}`, `artifactType` being the manifest's own or else its config's media type;
// with `?artifactType=` only those of that type and the header `OCI-Filters-Applied: artifactType`. A digest
// that nothing refers to (even one the registry does not hold) is answered 200 with no manifests, never 404, as
// the spec requires. Not known of real ACR: the order of `manifests` (here by digest), whether it pages large
// answers with `Link` (here never), its error code for a malformed digest (here 400 DIGEST_INVALID), and
// Azure/acr#784 reports referrers listed without `artifactType` in some cases, which is not modelled.
import type { ServerResponse } from 'node:http'
import type { OciClient } from '../../../types.js'
import { MEDIA_TYPES } from '../../media-types.js'
import { referrerDescriptor } from '../../supply-chain.js'
import { sendRegistryError } from '../distribution-errors.js'
import { storedManifestDigests } from './acr-metadata.js'

interface ManifestFacts {
  mediaType: string
  digest: string
  size: number
  subject?: string
  artifactType?: string
  annotations?: Record<string, string>
}

/** `/v2/<name>/referrers/<digest>` -> its repository and digest (names may contain '/'). */
export function parseReferrersPath(path: string): { repository: string; digest: string } | undefined {
  const match = /^\/v2\/(.+)\/referrers\/([^/]+)$/.exec(path.split('?')[0])
  return match ? { repository: match[1], digest: decodeURIComponent(match[2]) } : undefined
}

export class AcrReferrers {
  private readonly facts = new Map<string, ManifestFacts | undefined>()

  constructor(
    private readonly backend: OciClient,
    /** The backing distribution server's storage root. */
    private readonly storageDir?: string
  ) {}

  /** The referrers of `digest` in `repository`, sorted by digest, optionally only those of `artifactType`. */
  async list(repository: string, digest: string, artifactType?: string): Promise<ManifestFacts[]> {
    const digests = this.storageDir ? await storedManifestDigests(this.storageDir, repository) : []
    const found: ManifestFacts[] = []
    for (const candidate of digests) {
      const facts = await this.factsOf(repository, candidate)
      if (facts?.subject !== digest) continue
      if (artifactType === undefined || facts.artifactType === artifactType) found.push(facts)
    }
    return found
  }

  async answer(
    res: ServerResponse,
    repository: string,
    digest: string,
    query: URLSearchParams
  ): Promise<void> {
    if (!/^sha256:[a-f0-9]{64}$/.test(digest)) {
      sendRegistryError(res, 400, 'DIGEST_INVALID', 'provided digest did not match uploaded content')
      return
    }
    const artifactType = query.get('artifactType') || undefined
    const manifests = (await this.list(repository, digest, artifactType)).map(referrerDescriptor)
    const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests }))
    res.writeHead(200, {
      'content-type': MEDIA_TYPES.ociIndex,
      'content-length': String(body.length),
      'docker-distribution-api-version': 'registry/2.0',
      ...(artifactType && { 'oci-filters-applied': 'artifactType' })
    })
    res.end(body)
  }

  private async factsOf(repository: string, digest: string): Promise<ManifestFacts | undefined> {
    if (this.facts.has(digest)) return this.facts.get(digest)
    const manifest = await this.backend.getManifest(repository, digest)
    if (!manifest) return undefined
    let facts: ManifestFacts | undefined
    try {
      const parsed = JSON.parse(manifest.body.toString()) as {
        artifactType?: string
        config?: { mediaType?: string }
        subject?: { digest?: string }
        annotations?: Record<string, string>
      }
      facts = {
        mediaType: manifest.mediaType,
        digest: manifest.digest,
        size: manifest.body.length,
        subject: parsed.subject?.digest,
        artifactType: parsed.artifactType ?? parsed.config?.mediaType,
        annotations: parsed.annotations
      }
    } catch {
      facts = undefined
    }
    this.facts.set(digest, facts)
    return facts
  }
}
