// The supply-chain fixtures as pure data: signed images with their signatures, SBOMs and attestations, built
// byte for byte from their names, so every digest is known without a registry (world.SUPPLY_CHAIN holds them)
// and is the same on every run. registry/fixtures.ts pushes them at start.
//
// Wire shapes (OCI image spec 1.1, "Guidelines for artifact usage"): a referrer is an OCI image manifest with
// `artifactType`, the empty config `application/vnd.oci.empty.v1+json` (the 2-byte blob `{}`) and a `subject`
// descriptor of what it refers to. cosign (v2, its default tag scheme) uses no `subject`: its signature and
// attestation are OCI manifests tagged `sha256-<hex>.sig` / `.att` next to the image, whose layers carry
// `application/vnd.dev.cosign.simplesigning.v1+json` (annotation `dev.cosignproject.cosign/signature`) and
// `application/vnd.dsse.envelope.v1+json` (annotation `predicateType`). A registry without the referrers API is
// given the OCI referrers tag schema: an image index tagged `sha256-<hex>` whose descriptors list the referrers.
import { createHash } from 'node:crypto'
import { sha256Digest } from './digest.js'
import { MEDIA_TYPES, type Descriptor } from './media-types.js'

export const ARTIFACT_TYPES = {
  notarySignature: 'application/vnd.cncf.notary.signature',
  spdx: 'application/spdx+json',
  inToto: 'application/vnd.in-toto+json',
  empty: 'application/vnd.oci.empty.v1+json',
  notaryEnvelope: 'application/jose+json',
  cosignSimpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  dsseEnvelope: 'application/vnd.dsse.envelope.v1+json'
} as const

/** A blob: its bytes and its descriptor. */
export interface BlobPart {
  bytes: Buffer
  descriptor: Descriptor & { annotations?: Record<string, string> }
}

/** One manifest of a fixture graph. */
export interface GraphManifest {
  /** The fixture's own name for it ('image', 'signature', 'sbom', 'amd64', ...). */
  name: string
  digest: string
  mediaType: string
  size: number
  bytes: Buffer
  /** Config and layers (none for an index). */
  blobs: BlobPart[]
  /** `artifactType` of the manifest, or its config media type when absent (what the referrers API lists). */
  artifactType?: string
  /** Digest of the manifest it refers to through `subject` (none for cosign's tag scheme). */
  subject?: string
  annotations?: Record<string, string>
  /** The tag it is pushed under, if any (the image's own tag, cosign's `.sig`, the referrers tag schema's). */
  tag?: string
}

/** A fixture: an image (or index) and everything around it, in push order (children and subjects first). */
export interface SupplyChainGraph {
  host: string
  repo: string
  tag: string
  /** Every manifest by name. */
  manifests: Record<string, GraphManifest>
  /** The manifests in push order. */
  order: GraphManifest[]
  /** Digest of the image itself (the tagged one). */
  digest: string
  /** The manifests whose `subject` is `digest`, sorted by digest (what the referrers API answers). */
  referrersOf(digest: string): GraphManifest[]
}

function bytesFromSeed(seed: string, length: number): Buffer {
  const blocks: Buffer[] = []
  for (let i = 0; blocks.length * 32 < length; i++)
    blocks.push(createHash('sha256').update(`${seed}#${i}`).digest())
  return Buffer.concat(blocks).subarray(0, length)
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value, null, 2))

function blob(bytes: Buffer, mediaType: string, annotations?: Record<string, string>): BlobPart {
  return {
    bytes,
    descriptor: {
      mediaType,
      digest: sha256Digest(bytes),
      size: bytes.length,
      ...(annotations && { annotations })
    }
  }
}

/** The OCI empty descriptor's blob: exactly the two bytes `{}`. */
const EMPTY_CONFIG = blob(Buffer.from('{}'), ARTIFACT_TYPES.empty)

/** What a `subject` descriptor needs of the manifest it points at. */
type SubjectOf = Pick<GraphManifest, 'mediaType' | 'digest' | 'size'>

const descriptorOf = (m: SubjectOf): Descriptor => ({
  mediaType: m.mediaType,
  digest: m.digest,
  size: m.size
})

function manifestOf(
  name: string,
  body: Record<string, unknown>,
  blobs: BlobPart[],
  extra: Pick<GraphManifest, 'artifactType' | 'subject' | 'annotations' | 'tag'> = {}
): GraphManifest {
  const bytes = json(body)
  const mediaType = body.mediaType as string
  return { name, digest: sha256Digest(bytes), mediaType, size: bytes.length, bytes, blobs, ...extra }
}

/** A small single-platform OCI image. */
function image(name: string, seed: string, platform: { os: string; architecture: string }, tag?: string) {
  const layer = blob(bytesFromSeed(`${seed}/layer`, 240), MEDIA_TYPES.ociLayer)
  const config = blob(
    json({
      ...platform,
      created: '2024-05-01T00:00:00Z',
      config: { Cmd: ['/app'] },
      rootfs: { type: 'layers', diff_ids: [layer.descriptor.digest] }
    }),
    MEDIA_TYPES.ociConfig
  )
  return manifestOf(
    name,
    {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: config.descriptor,
      layers: [layer.descriptor]
    },
    [config, layer],
    { artifactType: MEDIA_TYPES.ociConfig, tag }
  )
}

/** An OCI 1.1 artifact manifest that refers to `subject`: empty config, one layer of `layerType`. */
function referrer(
  name: string,
  seed: string,
  subject: SubjectOf,
  artifactType: string,
  layerType: string,
  annotations: Record<string, string>
): GraphManifest {
  const layer = blob(bytesFromSeed(`${seed}/${name}`, 180), layerType)
  return manifestOf(
    name,
    {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      artifactType,
      config: EMPTY_CONFIG.descriptor,
      layers: [layer.descriptor],
      subject: descriptorOf(subject),
      annotations
    },
    [EMPTY_CONFIG, layer],
    { artifactType, subject: subject.digest, annotations }
  )
}

const CREATED = { 'org.opencontainers.image.created': '2024-05-01T00:00:00Z' }

const notarySignature = (name: string, seed: string, subject: SubjectOf) =>
  referrer(name, seed, subject, ARTIFACT_TYPES.notarySignature, ARTIFACT_TYPES.notaryEnvelope, {
    'io.cncf.notary.x509chain.thumbprint#S256': `["${createHash('sha256').update(seed).digest('hex')}"]`,
    ...CREATED
  })

/**
 * A Notation signature on `subject` (bytes from `seed`), for a test that signs an image after it was first
 * imported; push it with fixtures.pushGraphManifest.
 */
export const notarySignatureOn = (subject: SubjectOf, seed: string): GraphManifest =>
  notarySignature('signature', seed, subject)

const spdxSbom = (name: string, seed: string, subject: GraphManifest) =>
  referrer(name, seed, subject, ARTIFACT_TYPES.spdx, ARTIFACT_TYPES.spdx, CREATED)

const inTotoAttestation = (name: string, seed: string, subject: GraphManifest) =>
  referrer(name, seed, subject, ARTIFACT_TYPES.inToto, ARTIFACT_TYPES.inToto, {
    'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v1',
    ...CREATED
  })

/** cosign's tag for what it stores about `digest`: `sha256-<hex>.<suffix>`. */
export const cosignTag = (digest: string, suffix: 'sig' | 'att' | 'sbom'): string =>
  `${digest.replace(':', '-')}.${suffix}`

/** The OCI referrers tag schema's tag for `digest`: `sha256-<hex>`. */
export const referrersTag = (digest: string): string => digest.replace(':', '-')

/** A cosign signature or attestation manifest (no subject), tagged next to the image. */
function cosignManifest(name: string, seed: string, of: GraphManifest, suffix: 'sig' | 'att'): GraphManifest {
  const payload =
    suffix === 'sig'
      ? json({
          critical: {
            identity: { 'docker-reference': seed.split(':')[0] },
            image: { 'docker-manifest-digest': of.digest },
            type: 'cosign container image signature'
          },
          optional: null
        })
      : json({
          payloadType: 'application/vnd.in-toto+json',
          payload: bytesFromSeed(`${seed}/att`, 96).toString('base64'),
          signatures: [{ keyid: '', sig: bytesFromSeed(`${seed}/att-sig`, 64).toString('base64') }]
        })
  const layer =
    suffix === 'sig'
      ? blob(payload, ARTIFACT_TYPES.cosignSimpleSigning, {
          'dev.cosignproject.cosign/signature': bytesFromSeed(`${seed}/sig`, 64).toString('base64')
        })
      : blob(payload, ARTIFACT_TYPES.dsseEnvelope, {
          'dev.cosignproject.cosign/signature': '',
          predicateType: 'https://slsa.dev/provenance/v0.2'
        })
  const config = blob(
    json({
      architecture: '',
      os: '',
      config: {},
      rootfs: { type: 'layers', diff_ids: [layer.descriptor.digest] }
    }),
    MEDIA_TYPES.ociConfig
  )
  return manifestOf(
    name,
    {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: config.descriptor,
      layers: [layer.descriptor]
    },
    [config, layer],
    { artifactType: MEDIA_TYPES.ociConfig, tag: cosignTag(of.digest, suffix) }
  )
}

/** The descriptor a referrers list (API answer or tag-schema index) holds for a referrer. */
export function referrerDescriptor(m: {
  mediaType: string
  digest: string
  size: number
  artifactType?: string
  annotations?: Record<string, string>
}): Record<string, unknown> {
  return {
    mediaType: m.mediaType,
    digest: m.digest,
    size: m.size,
    ...(m.artifactType && { artifactType: m.artifactType }),
    ...(m.annotations && { annotations: m.annotations })
  }
}

function graph(host: string, repo: string, tag: string, order: GraphManifest[]): SupplyChainGraph {
  const manifests = Object.fromEntries(order.map((m) => [m.name, m]))
  const top = order.find((m) => m.tag === tag)!
  return {
    host,
    repo,
    tag,
    manifests,
    order,
    digest: top.digest,
    referrersOf: (digest) =>
      order.filter((m) => m.subject === digest).sort((a, b) => (a.digest < b.digest ? -1 : 1))
  }
}

/** An image with a Notation signature and an SPDX SBOM (both by `subject`), and a Notation signature on the SBOM. */
export function signedImageGraph(host: string, repo: string, tag: string): SupplyChainGraph {
  const seed = `${host}/${repo}:${tag}`
  const img = image('image', seed, { os: 'linux', architecture: 'amd64' }, tag)
  const signature = notarySignature('signature', seed, img)
  const sbom = spdxSbom('sbom', seed, img)
  const sbomSignature = notarySignature('sbomSignature', `${seed}/sbom`, sbom)
  return graph(host, repo, tag, [img, signature, sbom, sbomSignature])
}

/**
 * A multi-arch OCI index (linux/amd64, linux/arm64) with a Notation signature on the index and an in-toto
 * attestation on each platform manifest.
 */
export function multiArchAttestedGraph(host: string, repo: string, tag: string): SupplyChainGraph {
  const seed = `${host}/${repo}:${tag}`
  const amd64 = image('amd64', `${seed}/amd64`, { os: 'linux', architecture: 'amd64' })
  const arm64 = image('arm64', `${seed}/arm64`, { os: 'linux', architecture: 'arm64' })
  const platformOf = (m: GraphManifest) => ({ os: 'linux', architecture: m.name })
  const index = manifestOf(
    'index',
    {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: [amd64, arm64].map((m) => ({ ...descriptorOf(m), platform: platformOf(m) }))
    },
    [],
    { tag }
  )
  return graph(host, repo, tag, [
    amd64,
    arm64,
    index,
    notarySignature('indexSignature', seed, index),
    inTotoAttestation('amd64Attestation', `${seed}/amd64`, amd64),
    inTotoAttestation('arm64Attestation', `${seed}/arm64`, arm64)
  ])
}

/** An image signed and attested by cosign: `sha256-<hex>.sig` and `sha256-<hex>.att` tags next to it. */
export function cosignSignedGraph(host: string, repo: string, tag: string): SupplyChainGraph {
  const seed = `${host}/${repo}:${tag}`
  const img = image('image', seed, { os: 'linux', architecture: 'amd64' }, tag)
  return graph(host, repo, tag, [
    img,
    cosignManifest('sig', seed, img, 'sig'),
    cosignManifest('att', seed, img, 'att')
  ])
}

/**
 * An image with a Notation signature and an SPDX SBOM by `subject`, plus the OCI referrers tag schema's index
 * (tagged `sha256-<hex>` of the image) listing both, for a registry without the referrers API.
 */
export function referrersTagSchemaGraph(host: string, repo: string, tag: string): SupplyChainGraph {
  const seed = `${host}/${repo}:${tag}`
  const img = image('image', seed, { os: 'linux', architecture: 'amd64' }, tag)
  const signature = notarySignature('signature', seed, img)
  const sbom = spdxSbom('sbom', seed, img)
  const listed = [signature, sbom].sort((a, b) => (a.digest < b.digest ? -1 : 1))
  const tagIndex = manifestOf(
    'referrersIndex',
    { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: listed.map(referrerDescriptor) },
    [],
    { tag: referrersTag(img.digest) }
  )
  return graph(host, repo, tag, [img, signature, sbom, tagIndex])
}
