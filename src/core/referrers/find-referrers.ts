// Finds everything in the source that refers to an image, recursively: what refers to the image, to each
// platform manifest of a multi-arch index, and to each referrer found (a signature on an SBOM). Two schemes:
//  - OCI 1.1: the referrers API (`GET /v2/<repo>/referrers/<digest>`); a registry without it answers 404, and
//    then the referrers tag schema (an index tagged `sha256-<hex>`) stands in for it;
//  - cosign's tags next to the image (`sha256-<hex>.sig`, `.att`, `.sbom`), which carry no `subject`.
// A source with no referrers costs one API call and three HEADs for a single image, none of them a pull.
import { COSIGN_SUFFIX_TYPES, digestTag, type Referrer } from './referrer.js'
import { indexManifests, type Descriptor, type ReferrerSource, type Unreadable } from './referrer-source.js'

/** More referrers than this for one image is a loop or a registry gone wrong, not a supply chain. */
export const MAX_REFERRERS = 200

export type ReferrerGraph = { kind: 'found'; referrers: Referrer[] } | Unreadable

interface Subject {
  digest: string
  /** An image (the root or a platform manifest): all of cosign's tags; a referrer: only `.sig` (signed). */
  image: boolean
}

export async function findReferrers(
  source: ReferrerSource,
  digest: string,
  /** The image is an index: its platform manifests may carry referrers of their own. */
  isIndex: boolean,
  /** The index's platform manifests when known already (read elsewhere, without a pull). */
  knownPlatforms?: string[]
): Promise<ReferrerGraph> {
  const seen = new Set<string>([digest])
  const referrers: Referrer[] = []
  let level: Subject[] = [{ digest, image: true }]
  if (isIndex) {
    const platforms = knownPlatforms ?? (await platformManifests(source, digest))
    if (!Array.isArray(platforms)) return platforms
    for (const child of platforms) seen.add(child)
    level.push(...platforms.map((child) => ({ digest: child, image: true })))
  }
  const lister = new ReferrerLister(source)
  while (level.length > 0) {
    const answers = await Promise.all(level.map((subject) => referrersOf(subject, source, lister)))
    const next: Subject[] = []
    for (const answer of answers) {
      if (!Array.isArray(answer)) return answer
      for (const referrer of answer) {
        const key = referrer.tag ?? referrer.digest
        if (seen.has(key)) continue
        seen.add(key)
        referrers.push(referrer)
        next.push({ digest: referrer.digest, image: false })
      }
    }
    if (referrers.length > MAX_REFERRERS) {
      return {
        kind: 'unreadable',
        reason: `${source.name}@${digest} has more than ${MAX_REFERRERS} referrers (a loop in the registry?)`
      }
    }
    level = next
  }
  return { kind: 'found', referrers }
}

/** The platform manifests of an index (not the attestation manifests buildx puts in it: they travel inside it). */
async function platformManifests(source: ReferrerSource, digest: string): Promise<string[] | Unreadable> {
  const index = await source.manifest(digest)
  if (index.kind === 'unreadable') return index
  if (index.kind === 'absent') return []
  const children = (indexManifests(index.body) ?? []) as (Descriptor & { platform?: { os?: string } })[]
  return children.filter((child) => child.platform?.os !== 'unknown').map((child) => child.digest)
}

async function referrersOf(
  subject: Subject,
  source: ReferrerSource,
  lister: ReferrerLister
): Promise<Referrer[] | Unreadable> {
  const suffixes = subject.image ? Object.keys(COSIGN_SUFFIX_TYPES) : ['sig']
  const [listed, ...tags] = await Promise.all([
    lister.list(subject.digest),
    ...suffixes.map((suffix) => source.tag(`${digestTag(subject.digest)}.${suffix}`))
  ])
  if (!Array.isArray(listed)) return listed
  const found: Referrer[] = listed.map((d) => ({
    digest: d.digest,
    artifactType: d.artifactType || d.mediaType || 'unknown',
    subject: subject.digest
  }))
  for (const [i, tag] of tags.entries()) {
    if (tag.kind === 'unreadable') return tag
    if (tag.kind === 'found') {
      found.push({
        digest: tag.digest,
        artifactType: COSIGN_SUFFIX_TYPES[suffixes[i]],
        subject: subject.digest,
        tag: `${digestTag(subject.digest)}.${suffixes[i]}`
      })
    }
  }
  return found
}

/** The OCI 1.1 referrers of a digest: by the API while the registry has it, else by the tag schema. */
export class ReferrerLister {
  private hasApi = true

  constructor(private readonly source: ReferrerSource) {}

  async list(digest: string): Promise<Descriptor[] | Unreadable> {
    if (this.hasApi) {
      const answer = await this.source.referrers(digest)
      if (answer.kind === 'listed') return answer.manifests
      if (answer.kind === 'unreadable') return answer
      this.hasApi = false
    }
    const tag = digestTag(digest)
    const head = await this.source.tag(tag)
    if (head.kind === 'unreadable') return head
    if (head.kind === 'absent') return []
    const index = await this.source.manifest(head.digest)
    if (index.kind === 'unreadable') return index
    return index.kind === 'found' ? (indexManifests(index.body) ?? []) : []
  }
}
