// The signatures of one image as its source holds them, read with the access that reads its digest
// (referrers/referrer-sources.ts): cosign's `.sig` tag beside it, and those of its OCI 1.1 referrers (the API, or
// the referrers tag schema where a registry has none) that are Sigstore bundles or Notation signatures. Only what
// refers to the image's own digest counts: an index is signed as the index, and a signature on one of its
// platform manifests signs that manifest, not the index. Every manifest and blob is read bounded and checked
// against its digest, so what is verified is exactly what the source holds under that digest.
import { createHash } from 'node:crypto'
import { ReferrerLister } from '../referrers/find-referrers.js'
import { digestTag } from '../referrers/referrer.js'
import type { Descriptor, ReferrerSource } from '../referrers/referrer-source.js'
import { MAX_BODY_BYTES } from '../registry/http.js'
import type { SignatureKind } from '../plan/planned-import.js'
import { mapLimited } from '../util/map-limited.js'
import { isDigest } from '../util/digest.js'
import type { ImageDescriptor } from './check-signature.js'
import type { SignatureCarrier } from './signature-check.js'

/** cosign v3's default, and GitHub's attestations: a Sigstore bundle as an OCI 1.1 referrer (any bundle version). */
export const SIGSTORE_BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json'
export const NOTATION_SIGNATURE_TYPE = 'application/vnd.cncf.notary.signature'
const BUNDLE_PREFIX = 'application/vnd.dev.sigstore.bundle'
const COSIGN_PAYLOAD_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json'
const NOTATION_ENVELOPE_TYPES = ['application/jose+json', 'application/cose'] as const
/** More signatures than this on one digest is a registry gone wrong: the first ones are read. */
export const MAX_SIGNATURES = 32
/** Manifests read at once for one image. */
const PARALLEL_READS = 8

/** A signature that was found but could not be read (its manifest or blob), or a way of finding them that failed. */
export interface SignatureProblem {
  /** The kind of signature it is; absent when the problem is finding them (a referrers listing refused). */
  kind?: SignatureKind
  reason: string
}

export interface SignaturesRead {
  carriers: SignatureCarrier[]
  problems: SignatureProblem[]
  /** Signatures beyond MAX_SIGNATURES, not read. */
  unread: number
}

interface Candidate {
  digest: string
  /** Known from the listing (cosign's tag, a referrer's artifactType); absent: its manifest says. */
  kind?: SignatureKind
}

interface ManifestLayer {
  mediaType?: string
  digest?: string
  size?: number
  annotations?: Record<string, string>
}

interface SignatureManifest {
  artifactType?: string
  config?: { mediaType?: string }
  layers?: ManifestLayer[]
  /** OCI 1.1-rc artifact manifests (early Notation) carry `blobs` instead of layers. */
  blobs?: ManifestLayer[]
}

export async function readSignatures(source: ReferrerSource, digest: string): Promise<SignaturesRead> {
  const [listed, sigTag] = await Promise.all([
    new ReferrerLister(source).list(digest),
    source.tag(`${digestTag(digest)}.sig`)
  ])
  const problems: SignatureProblem[] = []
  const candidates: Candidate[] = []
  if (sigTag.kind === 'found') candidates.push({ digest: sigTag.digest, kind: 'cosign' })
  else if (sigTag.kind === 'unreadable') problems.push({ reason: `cosign's .sig tag: ${sigTag.reason}` })
  if (Array.isArray(listed)) candidates.push(...listed.flatMap(signatureCandidate))
  else problems.push({ reason: `the referrers could not be listed: ${listed.reason}` })
  const unique = [...new Map(candidates.map((c) => [c.digest, c])).values()]
  const read = await mapLimited(unique.slice(0, MAX_SIGNATURES), PARALLEL_READS, (candidate) =>
    readCandidate(source, candidate)
  )
  return {
    carriers: read.flatMap((r) => r.carriers),
    problems: [...problems, ...read.flatMap((r) => r.problems)],
    unread: Math.max(0, unique.length - MAX_SIGNATURES)
  }
}

/** A referrer that may be a signature: by its artifact type, or one the listing does not type (read to know). */
function signatureCandidate(descriptor: Descriptor): Candidate[] {
  const kind = kindOfType(descriptor.artifactType)
  if (kind) return [{ digest: descriptor.digest, kind }]
  return descriptor.artifactType ? [] : [{ digest: descriptor.digest }]
}

function kindOfType(type: string | undefined): SignatureKind | undefined {
  if (type?.startsWith(BUNDLE_PREFIX)) return 'sigstore-bundle'
  if (type === NOTATION_SIGNATURE_TYPE) return 'notation'
  return undefined
}

async function readCandidate(
  source: ReferrerSource,
  candidate: Candidate
): Promise<{ carriers: SignatureCarrier[]; problems: SignatureProblem[] }> {
  const none = { carriers: [], problems: [] }
  const problem = (reason: string) => ({ carriers: [], problems: [{ kind: candidate.kind, reason }] })
  const answer = await source.manifest(candidate.digest)
  if (answer.kind === 'unreadable') return problem(answer.reason)
  if (answer.kind === 'absent') return problem(`its manifest ${candidate.digest} is not in ${source.name}`)
  if (!isManifestOf(answer.body, candidate.digest))
    return problem(`${source.name} answered a manifest that is not ${candidate.digest}`)
  const manifest = parseManifest(answer.body)
  if (!manifest) return problem(`its manifest ${candidate.digest} is not an OCI manifest`)
  const layers = manifest.layers ?? manifest.blobs ?? []
  // cosign's tag says what it is; a referrer says it in its artifactType (OCI 1.0: its config's media type).
  const kind = candidate.kind ?? kindOfType(manifest.artifactType ?? manifest.config?.mediaType)
  if (kind === undefined) return none
  if (kind === 'cosign') return readCosignLayers(source, candidate.digest, layers)
  const wanted =
    kind === 'sigstore-bundle'
      ? layers.find((l) => l.mediaType?.startsWith(BUNDLE_PREFIX))
      : layers.find((l) => NOTATION_ENVELOPE_TYPES.some((type) => type === l.mediaType))
  if (!wanted)
    return { carriers: [], problems: [{ kind, reason: `${candidate.digest} holds no ${kind} layer` }] }
  const bytes = await readLayer(source, wanted)
  if (typeof bytes === 'string') return { carriers: [], problems: [{ kind, reason: bytes }] }
  const carrier: SignatureCarrier =
    kind === 'sigstore-bundle'
      ? { kind, digest: candidate.digest, bundle: bytes }
      : {
          kind,
          digest: candidate.digest,
          mediaType: wanted.mediaType as (typeof NOTATION_ENVELOPE_TYPES)[number],
          envelope: bytes
        }
  return { carriers: [carrier], problems: [] }
}

/** cosign's `.sig` manifest: one signature per simple-signing layer (several signers, several layers). */
async function readCosignLayers(
  source: ReferrerSource,
  manifestDigest: string,
  layers: ManifestLayer[]
): Promise<{ carriers: SignatureCarrier[]; problems: SignatureProblem[] }> {
  const signed = layers.filter((l) => l.mediaType === COSIGN_PAYLOAD_TYPE).slice(0, MAX_SIGNATURES)
  if (signed.length === 0)
    return {
      carriers: [],
      problems: [{ kind: 'cosign', reason: `${manifestDigest} holds no signature layer` }]
    }
  const reads = await Promise.all(signed.map((layer) => readLayer(source, layer)))
  const carriers: SignatureCarrier[] = []
  const problems: SignatureProblem[] = []
  reads.forEach((bytes, i) => {
    if (typeof bytes === 'string') problems.push({ kind: 'cosign', reason: bytes })
    else
      carriers.push({
        kind: 'cosign',
        digest: manifestDigest,
        payload: bytes,
        annotations: annotationsOf(signed[i])
      })
  })
  return { carriers, problems }
}

/** A layer's blob, or why it could not be had. Its declared size is looked at first: no 4 MiB read for nothing. */
async function readLayer(source: ReferrerSource, layer: ManifestLayer): Promise<Uint8Array | string> {
  if (!isDigest(layer.digest)) return 'a layer without a valid digest'
  if (typeof layer.size === 'number' && layer.size > MAX_BODY_BYTES)
    return `its blob ${layer.digest} is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`
  const blob = await source.blob(layer.digest)
  if (blob.kind === 'read') return blob.bytes
  return blob.kind === 'absent' ? `its blob ${layer.digest} is not in ${source.name}` : blob.reason
}

/** Only string values: an annotation is a string (OCI image spec); anything else is not one. */
function annotationsOf(layer: ManifestLayer): Record<string, string> {
  const entries = Object.entries(layer.annotations ?? {}).filter(([, v]) => typeof v === 'string')
  return Object.fromEntries(entries)
}

/** The body is the manifest that digest names (the referrer source reads manifests without checking them). */
function isManifestOf(body: string, digest: string): boolean {
  const [algorithm, hex] = digest.split(':')
  if (algorithm !== 'sha256' && algorithm !== 'sha512') return false
  return createHash(algorithm).update(body, 'utf8').digest('hex') === hex
}

function parseManifest(body: string): SignatureManifest | undefined {
  try {
    const parsed = JSON.parse(body) as unknown
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
    const manifest = parsed as SignatureManifest
    const layers = manifest.layers ?? manifest.blobs
    if (layers !== undefined && !Array.isArray(layers)) return undefined
    return {
      ...manifest,
      layers: (layers ?? []).filter((l): l is ManifestLayer => typeof l === 'object' && l !== null)
    }
  } catch {
    return undefined
  }
}

/**
 * The image's descriptor as Notation's payload names it: its manifest's media type and size, read from the source
 * (a GET, so only when a Notation signature is to be checked). Throws when it cannot be had.
 */
export async function readImageDescriptor(source: ReferrerSource, digest: string): Promise<ImageDescriptor> {
  const answer = await source.manifest(digest)
  if (answer.kind === 'unreadable')
    throw new Error(`the image's manifest could not be read: ${answer.reason}`)
  if (answer.kind === 'absent' || !isManifestOf(answer.body, digest))
    throw new Error(`${source.name} did not answer the manifest ${digest}`)
  let declared: { mediaType?: unknown; manifests?: unknown } = {}
  try {
    declared = JSON.parse(answer.body) as typeof declared
  } catch {
    // Its digest matched: the bytes are the image's, whatever they hold; its size and digest still count.
  }
  const mediaType =
    typeof declared.mediaType === 'string'
      ? declared.mediaType
      : Array.isArray(declared.manifests)
        ? 'application/vnd.oci.image.index.v1+json'
        : 'application/vnd.oci.image.manifest.v1+json'
  return { digest, mediaType, size: Buffer.byteLength(answer.body, 'utf8') }
}
