// A cosign carrier as @sigstore/verify's SignedEntity: what was signed, the signature, the key or certificate,
// the transparency-log entries and the times they vouch for. A Sigstore bundle is read as it is; a layer of
// cosign's tag scheme becomes the bundle it amounts to (v0.1: a message signature over the payload, the
// certificate, and the Rekor entry its `dev.sigstore.cosign/bundle` annotation carries with a signed entry
// timestamp), so both are verified by the same library, the way sigstore-js and cosign verify them.
import { createHash, X509Certificate as NodeX509Certificate } from 'node:crypto'
import { bundleFromJSON, type Bundle, type TransparencyLogEntry } from '@sigstore/bundle'
import { dsse, X509Certificate } from '@sigstore/core'
import { toSignedEntity, type SignedEntity } from '@sigstore/verify'
import type { SignatureCarrier } from './signature-check.js'
import { inTotoStatementProblem, remoteText, simpleSigningProblem } from './cosign-claims.js'
import { verifyWithKey } from './cosign-keys.js'

export const COSIGN_ANNOTATION = {
  signature: 'dev.cosignproject.cosign/signature',
  certificate: 'dev.sigstore.cosign/certificate',
  bundle: 'dev.sigstore.cosign/bundle'
} as const

const BUNDLE_V01_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle+json;version=0.1'

/** A carrier read: its signed entity, the certificate it brings (keyless), and what it claims to sign. */
export interface CosignSignedContent {
  entity: SignedEntity
  certificate?: X509Certificate
  /** Why the signed content does not sign `imageDigest`; asked only once the signature verified. */
  claimProblem(imageDigest: string): string | undefined
}

/** The carrier's signed content, or one clause saying why it cannot be read. */
export function readCosignCarrier(carrier: SignatureCarrier): CosignSignedContent | { problem: string } {
  try {
    if (carrier.kind === 'cosign') return fromTagScheme(carrier.payload, carrier.annotations)
    if (carrier.kind === 'sigstore-bundle') return fromSigstoreBundle(carrier.bundle)
    return { problem: `a ${carrier.kind} signature is not a cosign signature` }
  } catch (error) {
    return { problem: unreadable(error) }
  }
}

function unreadable(error: unknown): string {
  const message = remoteText(error instanceof Error ? error.message : String(error))
  // @sigstore/bundle names the fields it found wanting in `fields`.
  const fields = (error as { fields?: unknown }).fields
  return Array.isArray(fields) && fields.length > 0
    ? `the signature cannot be read (${message}: ${remoteText(fields.join(', '))})`
    : `the signature cannot be read (${message})`
}

function fromSigstoreBundle(bytes: Uint8Array): CosignSignedContent | { problem: string } {
  let json: unknown
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch {
    return { problem: 'the Sigstore bundle is not JSON' }
  }
  const bundle = bundleFromJSON(json)
  if (bundle.content.$case !== 'dsseEnvelope') {
    return { problem: 'the Sigstore bundle signs a blob (a message signature), not an image statement' }
  }
  const envelope = bundle.content.dsseEnvelope
  const entity = toSignedEntity(bundle)
  return {
    entity: withSignedBytes(entity, dsse.preAuthEncoding(envelope.payloadType, envelope.payload)),
    certificate: certificateOf(bundle),
    claimProblem: (imageDigest) => inTotoStatementProblem(envelope.payloadType, envelope.payload, imageDigest)
  }
}

function fromTagScheme(
  payload: Uint8Array,
  annotations: Record<string, string>
): CosignSignedContent | { problem: string } {
  const signature = annotations[COSIGN_ANNOTATION.signature]
  if (signature === undefined || Buffer.from(signature, 'base64').length === 0) {
    return { problem: `the layer has no signature (annotation ${COSIGN_ANNOTATION.signature})` }
  }
  const certificatePem = annotations[COSIGN_ANNOTATION.certificate]
  // Only the leaf is taken: intermediates come from the trusted root, never from the signature (as cosign and
  // sigstore-js build the chain), so the `dev.sigstore.cosign/chain` annotation adds nothing a verifier may use.
  const leaf = certificatePem ? new NodeX509Certificate(certificatePem).raw : undefined
  const rekorBundle = annotations[COSIGN_ANNOTATION.bundle]
  const bytes = Buffer.from(payload)
  const bundle = bundleFromJSON({
    mediaType: BUNDLE_V01_MEDIA_TYPE,
    verificationMaterial: {
      ...(leaf === undefined
        ? { publicKey: { hint: '' } }
        : { x509CertificateChain: { certificates: [{ rawBytes: leaf.toString('base64') }] } }),
      tlogEntries: rekorBundle === undefined ? [] : [tlogEntryOf(rekorBundle)],
      timestampVerificationData: { rfc3161Timestamps: [] }
    },
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(bytes).digest('base64') },
      signature
    }
  })
  return {
    entity: withSignedBytes(toSignedEntity(bundle, bytes), bytes),
    certificate: certificateOf(bundle),
    claimProblem: (imageDigest) => simpleSigningProblem(bytes, imageDigest)
  }
}

/** cosign's Rekor bundle annotation (cosign pkg/cosign/bundle/rekor.go) as a bundle's tlog entry (JSON). */
function tlogEntryOf(annotation: string): object {
  const rekor = JSON.parse(annotation) as {
    SignedEntryTimestamp?: unknown
    Payload?: { body?: unknown; integratedTime?: unknown; logIndex?: unknown; logID?: unknown }
  }
  const { body, integratedTime, logIndex, logID } = rekor.Payload ?? {}
  if (
    typeof rekor.SignedEntryTimestamp !== 'string' ||
    typeof body !== 'string' ||
    typeof integratedTime !== 'number' ||
    typeof logIndex !== 'number' ||
    typeof logID !== 'string'
  ) {
    throw new Error(`annotation ${COSIGN_ANNOTATION.bundle} is not a Rekor bundle`)
  }
  const entry = JSON.parse(Buffer.from(body, 'base64').toString('utf8')) as {
    kind?: unknown
    apiVersion?: unknown
  }
  return {
    logIndex: String(logIndex),
    logId: { keyId: Buffer.from(logID, 'hex').toString('base64') },
    kindVersion: { kind: String(entry.kind), version: String(entry.apiVersion) },
    integratedTime: String(integratedTime),
    inclusionPromise: { signedEntryTimestamp: rekor.SignedEntryTimestamp },
    canonicalizedBody: body
  }
}

function certificateOf(bundle: Bundle): X509Certificate | undefined {
  const material = bundle.verificationMaterial.content
  if (material.$case === 'certificate')
    return X509Certificate.parse(Buffer.from(material.certificate.rawBytes))
  if (material.$case === 'x509CertificateChain') {
    return X509Certificate.parse(Buffer.from(material.x509CertificateChain.certificates[0].rawBytes))
  }
  return undefined
}

/**
 * The entity with its signature checked over `signed` by cosign's rules for each key type (verifyWithKey): the
 * library's own check hashes Ed25519 messages, which Ed25519 forbids, so an Ed25519 key could never verify.
 */
function withSignedBytes(entity: SignedEntity, signed: Buffer): SignedEntity {
  const content = entity.signature
  return {
    ...entity,
    signature: {
      signature: content.signature,
      compareSignature: (signature) => content.compareSignature(signature),
      compareDigest: (digest) => content.compareDigest(digest),
      verifySignature: (key) => verifyWithKey(key, signed, content.signature)
    }
  }
}

export type { TransparencyLogEntry }
