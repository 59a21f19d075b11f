// cosign signatures made the way cosign makes them, offline, for unit tests and for end-to-end tests that push
// signed images into the test bed. The formats follow cosign's own sources (sigstore/cosign, read at d6d86c2,
// v3): the simple-signing payload (sigstore/sigstore pkg/signature/payload/payload.go), the `.sig` layer and its
// annotations (cosign pkg/oci/internal/signature/layer.go, pkg/oci/static/options.go, specs/SIGNATURE_SPEC.md),
// the Rekor bundle annotation (pkg/cosign/bundle/rekor.go RekorBundle) and its hashedrekord body, checked as
// cosign's VerifyBundle/comparePublicKey do (pkg/cosign/verify.go); cosign v3's default, a Sigstore bundle v0.3
// whose DSSE envelope holds an in-toto statement {subject: [{digest: {sha256}}], predicateType
// https://sigstore.dev/cosign/sign/v1, predicate {}} (cmd/cosign/cli/sign/sign.go signDigestBundle), pushed as an
// OCI 1.1 referrer (pkg/oci/remote/write.go WriteAttestationNewBundleFormat, WriteReferrer); the bundle's JSON as
// protojson writes sigstore/protobuf-specs' Bundle, with Rekor v1's dsse 0.0.1 body. Signatures: ECDSA P-256
// over SHA-256 and P-384 over SHA-384, RSA (PKCS #1 v1.5) over SHA-256, Ed25519 pure, as sigstore/sigstore's
// signers make them.
//
//   const sigstore = createTestSigstore()                 // Fulcio-like CA + Rekor-like log + CT log
//   const key = createSigningKey()                         // ECDSA P-256 by default
//   cosignSignatureLayer({ imageDigest, signer: { key }, sigstore })          // keyed, logged (with a SET)
//   cosignSignatureLayer({ imageDigest, signer: { key } })                    // keyed, offline
//   cosignSignatureLayer({ imageDigest, signer: { identity: { issuer, subject } }, sigstore })   // keyless
//   sigstoreBundle({ imageDigest, signer: ..., sigstore })                    // v0.3 bundle bytes
//   cosignSignatureImage(imageDigest, [layer]) / sigstoreBundleReferrer(subject, bundle)       // to push
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import type { SignatureCarrier } from '../../src/core/signatures/signature-check.js'
import { canonicalJson, type LoggedEntry, type TestSigstore } from './sigstore-test-root.js'
import { toPem } from './cosign-x509.js'

export { createTestSigstore, TEST_ROOT_VALID_FROM, type TestSigstore } from './sigstore-test-root.js'

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json'
export const SIGSTORE_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json'
export const COSIGN_SIGN_PREDICATE_TYPE = 'https://sigstore.dev/cosign/sign/v1'
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json'
export const ANNOTATION = {
  signature: 'dev.cosignproject.cosign/signature',
  certificate: 'dev.sigstore.cosign/certificate',
  chain: 'dev.sigstore.cosign/chain',
  bundle: 'dev.sigstore.cosign/bundle'
} as const

const sha256 = (bytes: Buffer | string): Buffer => createHash('sha256').update(bytes).digest()
const digestOf = (bytes: Buffer): string => `sha256:${sha256(bytes).toString('hex')}`

// ---- keys --------------------------------------------------------------------------------------------------------

export type KeyKind = 'ecdsa-p256' | 'ecdsa-p384' | 'rsa' | 'ed25519'

export interface SigningKey {
  kind: KeyKind
  privateKey: KeyObject
  publicKey: KeyObject
  /** What a keyed policy's `publicKeyPem` holds (`cosign public-key`'s output). */
  publicKeyPem: string
  /** PKCS #8 PEM, unencrypted. */
  privateKeyPem: string
  /** `SHA256:<base64, unpadded>` of the SPKI DER: what verifyCosign reports as the signer. */
  fingerprint: string
}

export function createSigningKey(kind: KeyKind = 'ecdsa-p256'): SigningKey {
  const pair =
    kind === 'ecdsa-p256' || kind === 'ecdsa-p384'
      ? generateKeyPairSync('ec', { namedCurve: kind === 'ecdsa-p256' ? 'P-256' : 'P-384' })
      : kind === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ed25519')
  const spki = pair.publicKey.export({ type: 'spki', format: 'der' })
  return {
    kind,
    ...pair,
    publicKeyPem: toPem('PUBLIC KEY', spki),
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    fingerprint: `SHA256:${sha256(spki).toString('base64').replace(/=+$/, '')}`
  }
}

/**
 * The signature cosign's signer makes over `message` (sigstore/sigstore LoadDefaultSigner): ECDSA (ASN.1 DER) with
 * the hash of its curve's size, RSA PKCS #1 v1.5 with SHA-256, Ed25519 over the message itself.
 */
export function signMessage(key: SigningKey, message: Buffer): Buffer {
  const hash = { 'ecdsa-p256': 'sha256', 'ecdsa-p384': 'sha384', rsa: 'sha256', ed25519: null }[key.kind]
  return sign(hash, message, key.privateKey)
}

/** A digest no image has, for signatures of another image. */
export function randomDigest(): string {
  return digestOf(Buffer.from(`${Math.random()} ${process.hrtime.bigint()}`))
}

// ---- who signs ---------------------------------------------------------------------------------------------------

export interface OidcIdentity {
  /** The OIDC issuer, e.g. https://token.actions.githubusercontent.com. */
  issuer: string
  /** The certificate identity (SAN), e.g. https://github.com/contoso/app/.github/workflows/release.yml@refs/tags/v1. */
  subject: string
}

export type CosignSigner =
  /** Keyed (`cosign sign --key`). */
  | { key: SigningKey }
  /** Keyless: an ephemeral P-256 key and a Fulcio certificate for the identity, `notBefore`/`lifetimeSeconds` to
   * make it expire early (Fulcio's last 10 minutes). */
  | { identity: OidcIdentity; certificate?: { notBefore?: Date; lifetimeSeconds?: number } }

export interface SignOptions {
  /** The digest the signature names. */
  imageDigest: string
  signer: CosignSigner
  /** Whose Fulcio certifies and whose Rekor logs; keyed without it: offline (`--tlog-upload=false`). */
  sigstore?: TestSigstore
  /** `false`: not logged although `sigstore` is given (keyless: a negative case). Default: logged when `sigstore`. */
  log?: boolean
  /** The log's integratedTime. Default: now. */
  loggedAt?: Date
  /** The simple-signing payload's `critical.identity.docker-reference`. */
  dockerReference?: string
  /** A key or certificate (PEM) the log entry records instead of the signer's (a negative case). */
  loggedVerifierPem?: string
}

interface Signing {
  key: SigningKey
  /** The key or the certificate as PEM, as Rekor records the verifier. */
  verifierPem: string
  certificate?: { der: Buffer; pem: string; chainPem: string }
}

function signingFor(options: SignOptions): Signing {
  const { signer, sigstore } = options
  if ('key' in signer) return { key: signer.key, verifierPem: signer.key.publicKeyPem }
  if (sigstore === undefined)
    throw new Error('cosign-kit: a keyless signature needs a test Sigstore (its Fulcio)')
  const key = createSigningKey('ecdsa-p256')
  const loggedAt = options.loggedAt ?? new Date()
  const certificate = sigstore.issueCertificate({
    publicKey: key.publicKey,
    ...signer.identity,
    notBefore: signer.certificate?.notBefore ?? new Date(loggedAt.getTime() - 30_000),
    lifetimeSeconds: signer.certificate?.lifetimeSeconds
  })
  return { key, verifierPem: certificate.pem, certificate }
}

function logged(options: SignOptions, body: object): LoggedEntry | undefined {
  if (options.sigstore === undefined || options.log === false) return undefined
  return options.sigstore.rekor.append(Buffer.from(canonicalJson(body)), options.loggedAt ?? new Date())
}

// ---- cosign's tag scheme: a layer of the sha256-<hex>.sig image ----------------------------------------------------

export interface CosignSignatureLayer {
  mediaType: typeof SIMPLE_SIGNING_MEDIA_TYPE
  /** The simple-signing JSON, the layer's blob. */
  payload: Buffer
  annotations: Record<string, string>
}

/** cosign's simple-signing payload for a digest (sigstore/sigstore payload.Cosign, as Go's json.Marshal writes it). */
export function simpleSigningPayload(
  imageDigest: string,
  dockerReference = 'registry.test.example/app'
): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': dockerReference },
        image: { 'docker-manifest-digest': imageDigest },
        type: 'cosign container image signature'
      },
      optional: null
    })
  )
}

/** One signature as `cosign sign` (v2, or v3 with --new-bundle-format=false) writes it into the `.sig` image. */
export function cosignSignatureLayer(options: SignOptions): CosignSignatureLayer {
  const payload = simpleSigningPayload(options.imageDigest, options.dockerReference)
  const signing = signingFor(options)
  const signature = signMessage(signing.key, payload)
  const annotations: Record<string, string> = { [ANNOTATION.signature]: signature.toString('base64') }
  if (signing.certificate !== undefined) {
    annotations[ANNOTATION.certificate] = signing.certificate.pem
    annotations[ANNOTATION.chain] = signing.certificate.chainPem
  }
  const entry = logged(options, {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: sha256(payload).toString('hex') } },
      signature: {
        content: signature.toString('base64'),
        publicKey: {
          content: Buffer.from(options.loggedVerifierPem ?? signing.verifierPem).toString('base64')
        }
      }
    }
  })
  if (entry !== undefined) {
    annotations[ANNOTATION.bundle] = JSON.stringify({
      SignedEntryTimestamp: entry.signedEntryTimestamp.toString('base64'),
      Payload: {
        body: entry.body.toString('base64'),
        integratedTime: entry.integratedTime,
        logIndex: entry.logIndex,
        logID: entry.logId.toString('hex')
      }
    })
  }
  return { mediaType: SIMPLE_SIGNING_MEDIA_TYPE, payload, annotations }
}

// ---- cosign v3's default: a Sigstore bundle v0.3 -------------------------------------------------------------------

/** The in-toto statement `cosign sign` v3 signs for an image digest. */
export function cosignSignStatement(imageDigest: string, predicateType = COSIGN_SIGN_PREDICATE_TYPE): Buffer {
  const [algorithm, hex] = imageDigest.split(':')
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ digest: { [algorithm]: hex } }],
      predicateType,
      predicate: {}
    })
  )
}

/** DSSE's pre-authentication encoding (secure-systems-lab/dsse protocol.md), what the signature covers. */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType)
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `),
    type,
    Buffer.from(` ${payload.length} `),
    payload
  ])
}

export interface BundleOptions extends SignOptions {
  /** Default: cosign sign's. An attestation's (e.g. https://slsa.dev/provenance/v1) for actions/attest-style bundles. */
  predicateType?: string
  /** The statement to sign instead of cosign's (a negative case: a statement about another digest, or not in-toto). */
  statement?: Buffer
}

/** A Sigstore bundle v0.3 (JSON bytes) as cosign v3 writes it: a DSSE envelope over the in-toto statement. */
export function sigstoreBundle(options: BundleOptions): Buffer {
  const payload = options.statement ?? cosignSignStatement(options.imageDigest, options.predicateType)
  const signing = signingFor(options)
  const signature = signMessage(signing.key, preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload))
  const envelope = {
    payload: payload.toString('base64'),
    payloadType: IN_TOTO_PAYLOAD_TYPE,
    signatures: [{ sig: signature.toString('base64'), keyid: '' }]
  }
  const entry = logged(options, {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256(canonicalJson(envelope)).toString('hex') },
      payloadHash: { algorithm: 'sha256', value: sha256(payload).toString('hex') },
      signatures: [
        {
          signature: signature.toString('base64'),
          verifier: Buffer.from(options.loggedVerifierPem ?? signing.verifierPem).toString('base64')
        }
      ]
    }
  })
  const spki = signing.key.publicKey.export({ type: 'spki', format: 'der' })
  const bundle = {
    mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE,
    verificationMaterial: {
      ...(signing.certificate === undefined
        ? // sigstore-go's keypair hint: base64 of the SHA-256 of the public key's DER.
          { publicKey: { hint: sha256(spki).toString('base64') } }
        : { certificate: { rawBytes: signing.certificate.der.toString('base64') } }),
      tlogEntries: entry === undefined ? [] : [tlogEntryJson(entry, 'dsse')],
      timestampVerificationData: {}
    },
    dsseEnvelope: envelope
  }
  return Buffer.from(JSON.stringify(bundle))
}

function tlogEntryJson(entry: LoggedEntry, kind: string): object {
  return {
    logIndex: String(entry.logIndex),
    logId: { keyId: entry.logId.toString('base64') },
    kindVersion: { kind, version: '0.0.1' },
    integratedTime: String(entry.integratedTime),
    inclusionPromise: { signedEntryTimestamp: entry.signedEntryTimestamp.toString('base64') },
    inclusionProof: {
      logIndex: String(entry.inclusionProof.logIndex),
      rootHash: entry.inclusionProof.rootHash.toString('base64'),
      treeSize: String(entry.inclusionProof.treeSize),
      hashes: entry.inclusionProof.hashes.map((hash) => hash.toString('base64')),
      checkpoint: { envelope: entry.inclusionProof.checkpoint }
    },
    canonicalizedBody: entry.body.toString('base64')
  }
}

// ---- carriers, as the signature gate reads them from a registry --------------------------------------------------

/** A `.sig` layer as the gate hands it to verifyCosign; `digest` defaults to the layer blob's. */
export function cosignCarrier(
  layer: CosignSignatureLayer,
  digest = digestOf(layer.payload)
): SignatureCarrier {
  return { kind: 'cosign', digest, payload: layer.payload, annotations: { ...layer.annotations } }
}

/** A bundle referrer's layer as the gate hands it to verifyCosign; `digest` defaults to the bundle blob's. */
export function sigstoreBundleCarrier(bundle: Buffer, digest = digestOf(bundle)): SignatureCarrier {
  return { kind: 'sigstore-bundle', digest, bundle }
}

// ---- what to push into a registry --------------------------------------------------------------------------------

/** An OCI artifact to push: every blob first, then the manifest (by digest, or by `tag` when it has one). */
export interface OciArtifact {
  mediaType: string
  manifest: Buffer
  digest: string
  blobs: Buffer[]
  /** cosign's tag-scheme tag, `sha256-<hex>.sig`. */
  tag?: string
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const descriptor = (mediaType: string, blob: Buffer) => ({
  mediaType,
  size: blob.length,
  digest: digestOf(blob)
})

/** The `sha256-<hex>.sig` image holding these signatures, with the config go-containerregistry writes for it. */
export function cosignSignatureImage(imageDigest: string, layers: CosignSignatureLayer[]): OciArtifact {
  const config = Buffer.from(
    JSON.stringify({
      architecture: '',
      created: '0001-01-01T00:00:00Z',
      history: layers.map(() => ({ created: '0001-01-01T00:00:00Z' })),
      os: '',
      rootfs: { type: 'layers', diff_ids: layers.map((layer) => digestOf(layer.payload)) },
      config: {}
    })
  )
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: descriptor('application/vnd.oci.image.config.v1+json', config),
      layers: layers.map((layer) => ({
        ...descriptor(layer.mediaType, layer.payload),
        annotations: layer.annotations
      }))
    })
  )
  return {
    mediaType: OCI_MANIFEST,
    manifest,
    digest: digestOf(manifest),
    blobs: [config, ...layers.map((layer) => layer.payload)],
    tag: `${imageDigest.replace(':', '-')}.sig`
  }
}

/** A bundle as cosign v3 pushes it: an OCI 1.1 referrer of `subject` (the signed image's descriptor). */
export function sigstoreBundleReferrer(
  subject: { mediaType: string; digest: string; size: number },
  bundle: Buffer,
  predicateType = COSIGN_SIGN_PREDICATE_TYPE
): OciArtifact {
  const config = Buffer.from('{}')
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        ...descriptor('application/vnd.oci.empty.v1+json', config),
        artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE
      },
      layers: [descriptor(SIGSTORE_BUNDLE_MEDIA_TYPE, bundle)],
      subject,
      annotations: {
        'org.opencontainers.image.created': new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        'dev.sigstore.bundle.content': 'dsse-envelope',
        'dev.sigstore.bundle.predicateType': predicateType
      },
      artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE
    })
  )
  return { mediaType: OCI_MANIFEST, manifest, digest: digestOf(manifest), blobs: [config, bundle] }
}
