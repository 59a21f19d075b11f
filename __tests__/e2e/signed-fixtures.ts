// Signed images for the signature gate's end-to-end tests: small images pushed into the test bed's registries,
// with real signatures made by the test kits (__tests__/signing) and pushed beside them as cosign and notation
// push them: cosign's `sha256-<hex>.sig` tag, a Sigstore bundle or a Notation signature as an OCI 1.1 referrer.
// A registry without the referrers API (Docker Hub) gets the referrers tag schema's index as well, as oras and
// notation write it there. The trust material (keys, the test Sigstore's trusted root, the CA certificate) is
// written into the workspace, where a policy names it as a workflow's checkout would hold it.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createHash } from 'node:crypto'
import {
  cosignSignatureImage,
  cosignSignatureLayer,
  createSigningKey,
  createTestSigstore,
  sigstoreBundle,
  sigstoreBundleReferrer,
  type CosignSigner,
  type OidcIdentity,
  type SigningKey,
  type TestSigstore
} from '../signing/cosign-kit.js'
import {
  DEV_ROOT_CA_NAME,
  makeCertificateAuthority,
  notationSignature,
  type CertificateAuthority,
  type EnvelopeFormat,
  type SigningIdentity
} from '../signing/notation-kit.js'
import { MEDIA_TYPES } from '../testbed/registry/media-types.js'
import { referrerDescriptor, referrersTag } from '../testbed/registry/supply-chain.js'
import type { OciClient } from '../testbed/types.js'

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'
/** The release workflow's identity, as Fulcio certifies it for a tag push. */
export const RELEASE_WORKFLOW =
  'https://github.com/contoso/app/.github/workflows/release.yml@refs/tags/v1.4.2'

/** Who signs, made once for a test file (the keys and CAs are pure data; no registry is needed). */
export interface Signers {
  releaseKey: SigningKey
  strangerKey: SigningKey
  sigstore: TestSigstore
  contosoCa: CertificateAuthority
  /** A leaf of the Contoso CA (its default subject, with code signing). */
  releaseCertificate: SigningIdentity
  /** Another CA's leaf with the very same subject: only the chain tells them apart. */
  devCertificate: SigningIdentity
  /** A Contoso leaf that expired a day ago. */
  expiredCertificate: SigningIdentity
}

export function createSigners(): Signers {
  const contosoCa = makeCertificateAuthority()
  return {
    releaseKey: createSigningKey(),
    strangerKey: createSigningKey(),
    sigstore: createTestSigstore(),
    contosoCa,
    releaseCertificate: contosoCa.issueLeaf(),
    devCertificate: makeCertificateAuthority({ commonName: DEV_ROOT_CA_NAME }).issueLeaf(),
    expiredCertificate: contosoCa.issueLeaf({ expired: true })
  }
}

/** Where the policies find their material, relative to the workspace (and so to an images file in it). */
export const MATERIAL = {
  releaseKey: 'keys/release.pub',
  trustedRoot: 'sigstore/trusted_root.json',
  contosoCa: 'certs/contoso-ca.pem'
} as const

export function writeTrustMaterial(folder: string, signers: Signers): void {
  const write = (name: string, text: string) => {
    mkdirSync(dirname(join(folder, name)), { recursive: true })
    writeFileSync(join(folder, name), text)
  }
  write(MATERIAL.releaseKey, signers.releaseKey.publicKeyPem)
  write(MATERIAL.trustedRoot, signers.sigstore.trustedRootJson)
  write(MATERIAL.contosoCa, signers.contosoCa.trustStorePems.join(''))
}

/** The named policies the tests choose from, as a user writes them under `trust:`. */
const POLICY_LINES = {
  'release-key': ['    cosign:', `      key: ${MATERIAL.releaseKey}`, '      transparency-log: skip'],
  'release-key-logged': [
    '    cosign:',
    `      key: ${MATERIAL.releaseKey}`,
    `      trusted-root: ${MATERIAL.trustedRoot}`
  ],
  // Not anchored on purpose: the step anchors it, so an identity that merely contains it does not match.
  'github-release': [
    '    cosign:',
    `      issuer: ${GITHUB_ISSUER}`,
    "      subject: 'https://github\\.com/contoso/app/\\.github/workflows/release\\.yml@refs/tags/v.+'",
    `      trusted-root: ${MATERIAL.trustedRoot}`
  ],
  'contoso-ca': [
    '    notation:',
    `      trust-store: ${MATERIAL.contosoCa}`,
    "      identities: ['x509.subject: C=US, ST=WA, L=Seattle, O=Contoso, CN=release.contoso.example']"
  ]
} as const

export type PolicyName = keyof typeof POLICY_LINES

/** `trust:` with these policies (a file must choose every policy it defines). */
export function trustYaml(names: PolicyName[]): string[] {
  return ['trust:', ...names.flatMap((name) => [`  ${name}:`, ...POLICY_LINES[name]])]
}

/** An image in a source registry: what an images file names and what its signatures sign. */
export interface PushedImage {
  /** `docker.io/library/…:1` or `devacr.azurecr.io/…:1`. */
  source: string
  repo: string
  digest: string
  mediaType: string
  size: number
}

/** What a signature manifest is, as pushed: its digest (what the results name) and, for cosign, its tag. */
export interface PushedSignature {
  digest: string
  tag?: string
}

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

/** Pushes images and signatures into one registry of the test bed, straight into its storage. */
export class SignedRegistry {
  constructor(
    private readonly backend: OciClient,
    /** The registry's name in a source reference. */
    private readonly host: string,
    /** No referrers API (Docker Hub): referrers are listed in the referrers tag schema's index too. */
    private readonly tagSchema: boolean
  ) {}

  /** A small single-platform image of its own (its digest is `seed`'s alone). */
  async image(repo: string, tag: string, seed: string): Promise<PushedImage> {
    const layer = Buffer.from(`layer of ${seed}`)
    const config = Buffer.from(
      JSON.stringify({
        os: 'linux',
        architecture: 'amd64',
        config: { Cmd: ['/app'] },
        rootfs: { type: 'layers', diff_ids: [sha256(layer)] }
      })
    )
    await this.backend.putBlob(repo, config)
    await this.backend.putBlob(repo, layer)
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociManifest,
        config: { mediaType: MEDIA_TYPES.ociConfig, digest: sha256(config), size: config.length },
        layers: [{ mediaType: MEDIA_TYPES.ociLayer, digest: sha256(layer), size: layer.length }]
      })
    )
    const digest = await this.backend.putManifest(repo, tag, manifest, MEDIA_TYPES.ociManifest)
    return {
      source: `${this.host}/${repo}:${tag}`,
      repo,
      digest,
      mediaType: MEDIA_TYPES.ociManifest,
      size: manifest.length
    }
  }

  /** A multi-arch index of `children` (images of this repository), tagged `tag`. */
  async index(repo: string, tag: string, children: PushedImage[]): Promise<PushedImage> {
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociIndex,
        manifests: children.map((child, i) => ({
          mediaType: child.mediaType,
          digest: child.digest,
          size: child.size,
          platform: { os: 'linux', architecture: ['amd64', 'arm64'][i % 2] }
        }))
      })
    )
    const digest = await this.backend.putManifest(repo, tag, manifest, MEDIA_TYPES.ociIndex)
    return {
      source: `${this.host}/${repo}:${tag}`,
      repo,
      digest,
      mediaType: MEDIA_TYPES.ociIndex,
      size: manifest.length
    }
  }

  /**
   * cosign's tag scheme: `layers` signatures in the `.sig` image beside `image`. `signs`: the digest the payload
   * names (another image's, for a signature moved onto this one).
   */
  async cosignSignature(
    image: PushedImage,
    signers: { signer: CosignSigner; sigstore?: TestSigstore; loggedAt?: Date }[],
    signs = image.digest
  ): Promise<PushedSignature> {
    const layers = signers.map((s) => cosignSignatureLayer({ imageDigest: signs, ...s }))
    const artifact = cosignSignatureImage(image.digest, layers)
    for (const blob of artifact.blobs) await this.backend.putBlob(image.repo, blob)
    await this.backend.putManifest(image.repo, artifact.tag!, artifact.manifest, artifact.mediaType)
    return { digest: artifact.digest, tag: artifact.tag }
  }

  /** cosign v3's default: a Sigstore bundle as a referrer of `image`. */
  async sigstoreBundle(
    image: PushedImage,
    signer: CosignSigner,
    sigstore: TestSigstore
  ): Promise<PushedSignature> {
    const bundle = sigstoreBundle({ imageDigest: image.digest, signer, sigstore })
    const artifact = sigstoreBundleReferrer(image, bundle)
    for (const blob of artifact.blobs) await this.backend.putBlob(image.repo, blob)
    return this.referrer(image, artifact.manifest, artifact.mediaType)
  }

  /** `notation sign`: a JWS or COSE envelope as a referrer of `image`. */
  async notationSignature(
    image: PushedImage,
    signer: SigningIdentity,
    format: EnvelopeFormat
  ): Promise<PushedSignature> {
    const signature = notationSignature(image, signer, { format })
    for (const blob of signature.blobs) await this.backend.putBlob(image.repo, blob.bytes)
    return this.referrer(image, signature.manifest, signature.manifestMediaType)
  }

  /** A referrer by digest; where the registry has no referrers API, listed in the tag schema's index too. */
  private async referrer(image: PushedImage, manifest: Buffer, mediaType: string): Promise<PushedSignature> {
    const digest = await this.backend.putManifest(image.repo, sha256(manifest), manifest, mediaType)
    if (this.tagSchema) {
      const tag = referrersTag(image.digest)
      const index = await this.backend.getManifest(image.repo, tag)
      const listed = index
        ? (JSON.parse(index.body.toString('utf8')) as { manifests: Record<string, unknown>[] }).manifests
        : []
      const parsed = JSON.parse(manifest.toString('utf8')) as {
        artifactType?: string
        config: { mediaType: string }
        annotations?: Record<string, string>
      }
      const descriptor = referrerDescriptor({
        mediaType,
        digest,
        size: manifest.length,
        artifactType: parsed.artifactType ?? parsed.config.mediaType,
        annotations: parsed.annotations
      })
      const body = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.ociIndex,
          manifests: [...listed, descriptor]
        })
      )
      await this.backend.putManifest(image.repo, tag, body, MEDIA_TYPES.ociIndex)
    }
    return { digest }
  }
}

/** A keyless signer from the release workflow, or from another identity. */
export const workflowSigner = (
  subject = RELEASE_WORKFLOW,
  certificate?: { notBefore?: Date; lifetimeSeconds?: number }
): CosignSigner => ({ identity: { issuer: GITHUB_ISSUER, subject } satisfies OidcIdentity, certificate })
