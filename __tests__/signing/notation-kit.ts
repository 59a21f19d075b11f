// The Notation test kit: certificate authorities and signing certificates, and Notary Project signatures made
// exactly as notation signs (notaryproject/notation-go signer/signer.go and notation.go SignOCI with
// notation-core-go signature/jws and signature/cose), ready to verify in-process or to push into the test bed as a
// referrer of the signed image.
//
//   const ca = makeCertificateAuthority()                       // Contoso Root CA, EC P-256
//   const signer = ca.issueLeaf()                                // CN=release.contoso.example, code signing
//   const signature = notationSignature(image, signer, { format: 'cose' })
//   for (const blob of signature.blobs) await backend.putBlob(repo, blob.bytes)
//   await backend.putManifest(repo, signature.manifestDigest, signature.manifest, signature.manifestMediaType)
//   policy: { trustStorePems: ca.trustStorePems, identities: [`x509.subject: ${signer.leaf.subject}`] }
import { createHash, sign, type KeyObject } from 'node:crypto'
import { encodeCbor } from '../../src/core/signatures/cbor-encode.js'
import { CborTag, type CborValue } from '../../src/core/signatures/cbor-value.js'
import {
  buildCertificate,
  generateKey,
  toPem,
  type KeyKind,
  type KeyUsageBit
} from './notation-x509-builder.js'

export type { KeyKind, KeyUsageBit } from './notation-x509-builder.js'

export type NotationAlgorithm = 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512'
export type EnvelopeFormat = 'jws' | 'cose'
export type EnvelopeMediaType = 'application/jose+json' | 'application/cose'

export const OIDS = {
  codeSigning: '1.3.6.1.5.5.7.3.3',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  timeStamping: '1.3.6.1.5.5.7.3.8'
} as const

export const DEFAULT_LEAF_SUBJECT = 'C=US, ST=WA, L=Seattle, O=Contoso, CN=release.contoso.example'
/** The name of "another CA", one a policy does not trust. */
export const DEV_ROOT_CA_NAME = 'Contoso Dev Root CA'

export const MEDIA_TYPES = {
  signature: 'application/vnd.cncf.notary.signature',
  payload: 'application/vnd.cncf.notary.payload.v1+json',
  jws: 'application/jose+json',
  cose: 'application/cose',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  empty: 'application/vnd.oci.empty.v1+json'
} as const

/** What a signature signs: the image manifest's descriptor (annotations: notation's user metadata, `-m k=v`). */
export interface TargetArtifact {
  mediaType: string
  digest: string
  size: number
  annotations?: Record<string, string>
}

export interface KitCertificate {
  der: Buffer
  pem: string
  /** As notation prints and trust policies write it: `C=US, ST=WA, L=Seattle, O=Contoso, CN=…`. */
  subject: string
  privateKey: KeyObject
  publicKey: KeyObject
  notBefore: Date
  notAfter: Date
}

/** A signing certificate with its chain: what an envelope's x5c / x5chain carries. */
export interface SigningIdentity {
  leaf: KitCertificate
  /** Leaf first, then the intermediate (if any), then the root. */
  chain: KitCertificate[]
  /** Its CA's root as a policy's `trustStorePems`. */
  trustStorePems: string[]
}

export interface CertificateAuthorityOptions {
  /** The root's common name; default `Contoso Root CA` (`Contoso Dev Root CA` for another CA: DEV_ROOT_CA_NAME). */
  commonName?: string
  key?: KeyKind
  /** Put an intermediate CA between the root and its leaves. */
  intermediate?: boolean
  notBefore?: Date
  notAfter?: Date
}

export interface LeafOptions {
  /** Default DEFAULT_LEAF_SUBJECT. */
  subject?: string
  /** Default `ec-p256` (ES256); `rsa-2048` signs PS256, `ec-p384` ES384, and so on. */
  key?: KeyKind
  /** Default: an hour ago. */
  notBefore?: Date
  /** Default: in a year. */
  notAfter?: Date
  /** A leaf that expired a day ago (valid for the year before): any signature made now is after its expiry. */
  expired?: boolean
  /** Default `[OIDS.codeSigning]`; `[]` leaves the extension out (a leaf without code-signing usage). */
  extendedKeyUsage?: string[]
  /** Default `['digitalSignature']`, critical. */
  keyUsage?: KeyUsageBit[]
  keyUsageCritical?: boolean
  /** basicConstraints cA:true on the leaf (which Notation refuses). */
  ca?: boolean
}

export interface CertificateAuthority {
  root: KitCertificate
  intermediate?: KitCertificate
  /** The root's PEM, as a policy's `trustStorePems`. */
  trustStorePems: string[]
  issueLeaf(options?: LeafOptions): SigningIdentity
}

const HOUR = 3600_000
const DAY = 24 * HOUR
const YEAR = 365 * DAY

export function makeCertificateAuthority(options: CertificateAuthorityOptions = {}): CertificateAuthority {
  const commonName = options.commonName ?? 'Contoso Root CA'
  const notBefore = options.notBefore ?? new Date(Date.now() - DAY)
  const notAfter = options.notAfter ?? new Date(Date.now() + 10 * YEAR)
  const rootKeys = generateKey(options.key ?? 'ec-p256')
  const rootSubject = `C=US, ST=WA, O=Contoso, CN=${commonName}`
  const root = certificate(rootKeys, {
    subject: rootSubject,
    issuer: rootSubject,
    signingKey: rootKeys.privateKey,
    notBefore,
    notAfter,
    basicConstraints: { ca: true },
    keyUsage: { bits: ['keyCertSign', 'cRLSign'] }
  })
  let intermediate: KitCertificate | undefined
  if (options.intermediate) {
    const keys = generateKey(options.key ?? 'ec-p256')
    intermediate = certificate(keys, {
      subject: `C=US, ST=WA, O=Contoso, CN=${commonName} Intermediate`,
      issuer: rootSubject,
      signingKey: rootKeys.privateKey,
      issuerPublicKey: rootKeys.publicKey,
      notBefore,
      notAfter,
      basicConstraints: { ca: true, pathLength: 0 },
      keyUsage: { bits: ['keyCertSign', 'cRLSign'] }
    })
  }
  const issuer = intermediate ?? root
  const authorities = intermediate ? [intermediate, root] : [root]
  const trustStorePems = [root.pem]
  return {
    root,
    intermediate,
    trustStorePems,
    issueLeaf(leafOptions: LeafOptions = {}) {
      const keys = generateKey(leafOptions.key ?? 'ec-p256')
      const expired = leafOptions.expired === true
      const leaf = certificate(keys, {
        subject: leafOptions.subject ?? DEFAULT_LEAF_SUBJECT,
        issuer: issuer.subject,
        signingKey: issuer.privateKey,
        issuerPublicKey: issuer.publicKey,
        notBefore: leafOptions.notBefore ?? new Date(Date.now() - (expired ? YEAR + DAY : HOUR)),
        notAfter: leafOptions.notAfter ?? new Date(Date.now() + (expired ? -DAY : YEAR)),
        basicConstraints: leafOptions.ca ? { ca: true } : undefined,
        keyUsage: {
          bits: leafOptions.keyUsage ?? ['digitalSignature'],
          critical: leafOptions.keyUsageCritical ?? true
        },
        extendedKeyUsage: leafOptions.extendedKeyUsage ?? [OIDS.codeSigning]
      })
      return { leaf, chain: [leaf, ...authorities], trustStorePems }
    }
  }
}

function certificate(
  keys: { privateKey: KeyObject; publicKey: KeyObject },
  fields: Omit<Parameters<typeof buildCertificate>[0], 'publicKey'>
): KitCertificate {
  // A certificate holds its validity to the second; the kit reports what the certificate says.
  const notBefore = truncate(fields.notBefore)
  const notAfter = truncate(fields.notAfter)
  const der = buildCertificate({ ...fields, notBefore, notAfter, publicKey: keys.publicKey })
  return {
    der,
    pem: toPem(der),
    subject: fields.subject,
    privateKey: keys.privateKey,
    publicKey: keys.publicKey,
    notBefore,
    notAfter
  }
}

export interface SignOptions {
  /** Default: now. Truncated to the second, as notation-core-go does (signature/internal/base/envelope.go Sign). */
  signingTime?: Date
  /** `notation sign --expiry`: the signature's "best by use" time. */
  expiry?: Date
  /** JWS times in the signer's local time zone, this many minutes east of UTC (default 0: `Z`). */
  utcOffsetMinutes?: number
  /** The unprotected io.cncf.notary.signingAgent; default as notation-go's GenericSigner. */
  signingAgent?: string
  /** Test hooks, not notation's: an `alg` header other than the key's (signed with that algorithm's hash) … */
  algorithm?: NotationAlgorithm
  /** … extra protected headers, and the labels to add to `crit`. */
  extraProtectedHeaders?: Record<string, string>
  extraCritical?: string[]
  /** … another signing scheme than notary.x509 (its time header is then io.cncf.notary.authenticSigningTime). */
  signingScheme?: string
}

/** notation-go signer/signer.go signingAgent. */
const SIGNING_AGENT = 'notation-go/1.3.0+unreleased'

/**
 * A JWS envelope (`application/jose+json`) as notation-core-go signature/jws writes it: golang-jwt signs the
 * protected header and the payload, both Go-marshalled maps (keys sorted); times are RFC 3339 strings; x5c is
 * standard base64 DER, leaf first; the envelope is the flattened JSON serialization in types.go's field order.
 */
export function signJws(
  target: TargetArtifact,
  identity: SigningIdentity,
  options: SignOptions = {}
): Buffer {
  const { algorithm, signingTime, scheme, timeHeader } = signingParameters(identity, options)
  // jws.go getSignedAttributes: the scheme, the extended critical attributes, then the time and expiry headers.
  const critical = ['io.cncf.notary.signingScheme', ...(options.extraCritical ?? [])]
  if (timeHeader === 'io.cncf.notary.authenticSigningTime') critical.push(timeHeader)
  const headers: Record<string, unknown> = {
    alg: algorithm,
    cty: MEDIA_TYPES.payload,
    'io.cncf.notary.signingScheme': scheme,
    [timeHeader]: rfc3339(signingTime, options.utcOffsetMinutes)
  }
  if (options.expiry) {
    critical.push('io.cncf.notary.expiry')
    headers['io.cncf.notary.expiry'] = rfc3339(truncate(options.expiry), options.utcOffsetMinutes)
  }
  Object.assign(headers, options.extraProtectedHeaders)
  headers.crit = critical
  const protectedText = Buffer.from(goJson(goMap(headers))).toString('base64url')
  // jws.go Sign passes the payload through jwt.MapClaims, so its keys come out sorted too.
  const payload = Buffer.from(goJson(goMap({ targetArtifact: sanitizedTarget(target) }))).toString(
    'base64url'
  )
  const signature = signWith(algorithm, identity.leaf.privateKey, Buffer.from(`${protectedText}.${payload}`))
  const envelope = {
    payload,
    protected: protectedText,
    header: {
      x5c: identity.chain.map((certificate) => certificate.der.toString('base64')),
      'io.cncf.notary.signingAgent': options.signingAgent ?? SIGNING_AGENT
    },
    signature: signature.toString('base64url')
  }
  return Buffer.from(goJson(envelope))
}

/**
 * A COSE envelope (`application/cose`) as notation-core-go signature/cose/envelope.go writes it with go-cose: a
 * COSE_Sign1_Tagged message (tag 18), core-deterministic map order, times as tag-1 epoch seconds, x5chain (label
 * 33) an array of DER certificates in the unprotected header; the payload is the descriptor JSON in Go's field
 * order (mediaType, digest, size, annotations).
 */
export function signCose(
  target: TargetArtifact,
  identity: SigningIdentity,
  options: SignOptions = {}
): Buffer {
  const { algorithm, signingTime, scheme, timeHeader } = signingParameters(identity, options)
  // envelope.go generateProtectedHeaders: the scheme, the time and expiry headers, then the extended ones.
  const critical: CborValue[] = ['io.cncf.notary.signingScheme']
  if (timeHeader === 'io.cncf.notary.authenticSigningTime') critical.push(timeHeader)
  const headers = new Map<CborValue, CborValue>([
    [1, COSE_ALGORITHMS[algorithm]],
    [3, MEDIA_TYPES.payload],
    ['io.cncf.notary.signingScheme', scheme],
    [timeHeader, epoch(signingTime)]
  ])
  if (options.expiry) {
    critical.push('io.cncf.notary.expiry')
    headers.set('io.cncf.notary.expiry', epoch(truncate(options.expiry)))
  }
  for (const [label, value] of Object.entries(options.extraProtectedHeaders ?? {})) headers.set(label, value)
  headers.set(2, [...critical, ...(options.extraCritical ?? [])])
  const protectedBytes = encodeCbor(headers)
  const payload = Buffer.from(goJson({ targetArtifact: sanitizedTarget(target) }))
  const toBeSigned = encodeCbor(['Signature1', protectedBytes, new Uint8Array(0), payload])
  const signature = signWith(algorithm, identity.leaf.privateKey, toBeSigned)
  const unprotected = new Map<CborValue, CborValue>([
    [33, identity.chain.map((certificate) => new Uint8Array(certificate.der))],
    ['io.cncf.notary.signingAgent', options.signingAgent ?? SIGNING_AGENT]
  ])
  return Buffer.from(encodeCbor(new CborTag(18, [protectedBytes, unprotected, payload, signature])))
}

export interface Blob {
  mediaType: string
  digest: string
  bytes: Buffer
}

/** A signature ready to push: its blobs (the empty config and the envelope) and the manifest that refers to the image. */
export interface NotationSignature {
  envelope: Buffer
  envelopeMediaType: EnvelopeMediaType
  blobs: Blob[]
  manifest: Buffer
  manifestDigest: string
  manifestMediaType: typeof MEDIA_TYPES.manifest
}

/** Signs `target` and packs the signature as `notation sign` pushes it (notation-go notation.go SignOCI). */
export function notationSignature(
  target: TargetArtifact,
  identity: SigningIdentity,
  options: SignOptions & { format?: EnvelopeFormat } = {}
): NotationSignature {
  const format = options.format ?? 'jws'
  const signingTime = truncate(options.signingTime ?? new Date())
  const envelope =
    format === 'jws'
      ? signJws(target, identity, { ...options, signingTime })
      : signCose(target, identity, { ...options, signingTime })
  const envelopeMediaType = format === 'jws' ? MEDIA_TYPES.jws : MEDIA_TYPES.cose
  const manifest = signatureManifest(
    target,
    { mediaType: envelopeMediaType, bytes: envelope },
    identity,
    signingTime
  )
  return {
    envelope,
    envelopeMediaType,
    blobs: [
      { mediaType: MEDIA_TYPES.empty, digest: sha256(EMPTY_CONFIG), bytes: EMPTY_CONFIG },
      { mediaType: envelopeMediaType, digest: sha256(envelope), bytes: envelope }
    ],
    manifest,
    manifestDigest: sha256(manifest),
    manifestMediaType: MEDIA_TYPES.manifest
  }
}

const EMPTY_CONFIG = Buffer.from('{}')

/**
 * The signature manifest, as oras-go PackManifest (PackManifestVersion1_1) marshals it for notation-go
 * registry/repository.go PushSignature: artifactType application/vnd.cncf.notary.signature, the empty config
 * (with its data), one layer (the envelope), the image as subject, and the annotations notation.go
 * generateAnnotations writes: the chain's SHA-256 thumbprints (lower-case hex, leaf first) and the creation time.
 */
export function signatureManifest(
  target: TargetArtifact,
  envelope: { mediaType: EnvelopeMediaType; bytes: Buffer },
  identity: SigningIdentity,
  signingTime: Date
): Buffer {
  const thumbprints = identity.chain.map((certificate) =>
    createHash('sha256').update(certificate.der).digest('hex')
  )
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.manifest,
    artifactType: MEDIA_TYPES.signature,
    config: { mediaType: MEDIA_TYPES.empty, digest: sha256(EMPTY_CONFIG), size: 2, data: 'e30=' },
    layers: [{ mediaType: envelope.mediaType, digest: sha256(envelope.bytes), size: envelope.bytes.length }],
    subject: { mediaType: target.mediaType, digest: target.digest, size: target.size },
    annotations: goMap({
      'io.cncf.notary.x509chain.thumbprint#S256': JSON.stringify(thumbprints),
      'org.opencontainers.image.created': rfc3339(truncate(signingTime))
    })
  }
  return Buffer.from(goJson(manifest))
}

const COSE_ALGORITHMS: Record<NotationAlgorithm, number> = {
  PS256: -37,
  PS384: -38,
  PS512: -39,
  ES256: -7,
  ES384: -35,
  ES512: -36
}

function signingParameters(identity: SigningIdentity, options: SignOptions) {
  const scheme = options.signingScheme ?? 'notary.x509'
  return {
    algorithm: options.algorithm ?? keyAlgorithm(identity.leaf.publicKey),
    signingTime: truncate(options.signingTime ?? new Date()),
    scheme,
    timeHeader:
      scheme === 'notary.x509.signingAuthority'
        ? 'io.cncf.notary.authenticSigningTime'
        : 'io.cncf.notary.signingTime'
  }
}

/** notation-core-go signature.ExtractKeySpec: the key decides the algorithm. */
function keyAlgorithm(key: KeyObject): NotationAlgorithm {
  const details = key.asymmetricKeyDetails ?? {}
  if (key.asymmetricKeyType === 'rsa') {
    return ({ 2048: 'PS256', 3072: 'PS384', 4096: 'PS512' } as const)[
      details.modulusLength as 2048 | 3072 | 4096
    ]
  }
  return ({ prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' } as const)[
    details.namedCurve as 'prime256v1' | 'secp384r1' | 'secp521r1'
  ]
}

function signWith(algorithm: NotationAlgorithm, key: KeyObject, data: Buffer | Uint8Array): Buffer {
  const hash = `sha${algorithm.slice(2)}`
  return algorithm.startsWith('ES')
    ? sign(hash, data, { key, dsaEncoding: 'ieee-p1363' })
    : sign(hash, data, {
        key,
        padding: 6 /* RSA_PKCS1_PSS_PADDING */,
        saltLength: -1 /* RSA_PSS_SALTLEN_DIGEST */
      })
}

/** notation-go envelope.SanitizeTargetArtifact: mediaType, digest, size and annotations only. */
function sanitizedTarget(target: TargetArtifact): Record<string, unknown> {
  const descriptor: Record<string, unknown> = {
    mediaType: target.mediaType,
    digest: target.digest,
    size: target.size
  }
  if (target.annotations && Object.keys(target.annotations).length > 0)
    descriptor.annotations = goMap(target.annotations)
  return descriptor
}

function truncate(time: Date): Date {
  return new Date(Math.floor(time.getTime() / 1000) * 1000)
}

/**
 * Go's time.Time JSON form after truncation to the second: `2006-01-02T15:04:05Z` in UTC, or with the signer's
 * local offset (`2024-06-18T17:08:35+08:00`), as notation signs with time.Now().
 */
function rfc3339(time: Date, utcOffsetMinutes = 0): string {
  if (utcOffsetMinutes === 0) return `${time.toISOString().slice(0, 19)}Z`
  const local = new Date(time.getTime() + utcOffsetMinutes * 60_000).toISOString().slice(0, 19)
  const sign = utcOffsetMinutes < 0 ? '-' : '+'
  const minutes = Math.abs(utcOffsetMinutes)
  return `${local}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

function epoch(time: Date): CborTag {
  return new CborTag(1, Math.floor(time.getTime() / 1000))
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

/** JSON as Go's encoding/json writes it: fields in the order given, and <, >, &, U+2028 and U+2029 escaped. */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/** A Go map (or map[string]interface{} all the way down, as jwt.MapClaims): encoding/json sorts its keys. */
function goMap<T>(value: T): T {
  if (Array.isArray(value)) return value.map(goMap) as T
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return Object.fromEntries(entries.map(([key, entry]) => [key, goMap(entry)])) as T
}
