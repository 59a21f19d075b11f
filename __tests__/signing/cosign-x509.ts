// Just enough DER to issue the X.509 certificates a Fulcio-like test CA needs (node:crypto signs, but cannot write
// a certificate): a self-signed root, an intermediate, and short-lived leaf certificates carrying what Fulcio puts
// in them. The shapes follow RFC 5280 and Fulcio's certificate profile (sigstore/fulcio docs/certificate-
// specification.md, docs/oid-info.md): an empty subject, the identity as a critical subjectAltName (a URI, or an
// email as rfc822Name), key usage digitalSignature, extended key usage codeSigning, the OIDC issuer as
// 1.3.6.1.4.1.57264.1.1 (raw bytes, deprecated but still written) and 1.3.6.1.4.1.57264.1.8 (a DER UTF8String),
// and, when a CT log is given, embedded SCTs (RFC 6962 section 3.3, signed over the precertificate's TBS).
import { createHash, sign, type KeyObject } from 'node:crypto'

// ---- DER, minimal and canonical (definite, shortest lengths) -------------------------------------------------

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content])
}

export const der = {
  sequence: (...items: Buffer[]) => tlv(0x30, Buffer.concat(items)),
  set: (...items: Buffer[]) => tlv(0x31, Buffer.concat(items)),
  boolean: (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0x00])),
  null: () => Buffer.from([0x05, 0x00]),
  integer(value: number | Buffer): Buffer {
    const hex = typeof value === 'number' ? value.toString(16) : ''
    let bytes = typeof value === 'number' ? Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex') : value
    while (bytes.length > 1 && bytes[0] === 0 && (bytes[1] & 0x80) === 0) bytes = bytes.subarray(1)
    if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes])
    return tlv(0x02, bytes)
  },
  oid(dotted: string): Buffer {
    const [first, second, ...rest] = dotted.split('.').map(Number)
    const bytes = [40 * first + second]
    for (const arc of rest) {
      const base128: number[] = [arc & 0x7f]
      for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
        base128.unshift((value & 0x7f) | 0x80)
      }
      bytes.push(...base128)
    }
    return tlv(0x06, Buffer.from(bytes))
  },
  utf8: (text: string) => tlv(0x0c, Buffer.from(text, 'utf8')),
  printable: (text: string) => tlv(0x13, Buffer.from(text, 'ascii')),
  octetString: (content: Buffer) => tlv(0x04, content),
  bitString: (content: Buffer, unusedBits = 0) =>
    tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content])),
  /** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
  time(date: Date): Buffer {
    const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14)
    return date.getUTCFullYear() < 2050
      ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`, 'ascii'))
      : tlv(0x18, Buffer.from(`${iso}Z`, 'ascii'))
  },
  explicit: (tag: number, content: Buffer) => tlv(0xa0 | tag, content),
  implicit: (tag: number, content: Buffer) => tlv(0x80 | tag, content)
}

// ---- X.509 -----------------------------------------------------------------------------------------------------

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  subjectAltName: '2.5.29.17',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  fulcioIssuerV1: '1.3.6.1.4.1.57264.1.1',
  fulcioIssuerV2: '1.3.6.1.4.1.57264.1.8',
  embeddedScts: '1.3.6.1.4.1.11129.2.4.2',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3'
}

export interface DistinguishedName {
  organization?: string
  commonName?: string
}

export function encodeName(name: DistinguishedName): Buffer {
  const rdns: Buffer[] = []
  if (name.organization !== undefined) {
    rdns.push(der.set(der.sequence(der.oid(OID.organization), der.printable(name.organization))))
  }
  if (name.commonName !== undefined) {
    rdns.push(der.set(der.sequence(der.oid(OID.commonName), der.printable(name.commonName))))
  }
  return der.sequence(...rdns)
}

const extension = (oid: string, critical: boolean, value: Buffer): Buffer =>
  der.sequence(der.oid(oid), ...(critical ? [der.boolean(true)] : []), der.octetString(value))

const spkiOf = (key: KeyObject): Buffer => key.export({ type: 'spki', format: 'der' })

/** A key identifier (RFC 5280 4.2.1.2): SHA-1 of the SPKI; verifiers only match a child's AKI to its issuer's SKI. */
const keyIdentifier = (key: KeyObject): Buffer => createHash('sha1').update(spkiOf(key)).digest()

/** A CA's key and the certificate that names it, as an issuer of further certificates. */
export interface CertificateAuthority {
  name: DistinguishedName
  privateKey: KeyObject
  publicKey: KeyObject
  der: Buffer
}

function signatureAlgorithm(key: KeyObject): { oid: Buffer; hash: string } {
  // Fulcio's CAs are ECDSA P-384 (ecdsa-with-SHA384); the test CA may be P-256.
  const curve = key.asymmetricKeyDetails?.namedCurve
  return curve === 'secp384r1'
    ? { oid: der.sequence(der.oid(OID.ecdsaWithSha384)), hash: 'sha384' }
    : { oid: der.sequence(der.oid(OID.ecdsaWithSha256)), hash: 'sha256' }
}

interface TbsFields {
  serial: Buffer
  issuer: Buffer
  subject: Buffer
  notBefore: Date
  notAfter: Date
  subjectKey: KeyObject
  signerKey: KeyObject
  extensions: Buffer[]
}

function tbsCertificate(fields: TbsFields): Buffer {
  return der.sequence(
    der.explicit(0, der.integer(2)), // v3
    der.integer(fields.serial),
    signatureAlgorithm(fields.signerKey).oid,
    fields.issuer,
    der.sequence(der.time(fields.notBefore), der.time(fields.notAfter)),
    fields.subject,
    spkiOf(fields.subjectKey),
    der.explicit(3, der.sequence(...fields.extensions))
  )
}

function signCertificate(tbs: Buffer, signerPrivateKey: KeyObject, signerKey: KeyObject): Buffer {
  const algorithm = signatureAlgorithm(signerKey)
  const signature = sign(algorithm.hash, tbs, signerPrivateKey)
  return der.sequence(tbs, algorithm.oid, der.bitString(signature))
}

const randomSerial = (): Buffer =>
  createHash('sha256').update(`${Math.random()}${process.hrtime.bigint()}`).digest().subarray(0, 16)

/** A CA certificate: self-signed when `issuer` is absent, else issued by it. */
export function issueCaCertificate(options: {
  name: DistinguishedName
  privateKey: KeyObject
  publicKey: KeyObject
  issuer?: CertificateAuthority
  notBefore: Date
  notAfter: Date
  pathLength?: number
}): CertificateAuthority {
  const issuer = options.issuer
  const signerKey = issuer?.publicKey ?? options.publicKey
  const tbs = tbsCertificate({
    serial: randomSerial(),
    issuer: encodeName(issuer?.name ?? options.name),
    subject: encodeName(options.name),
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    subjectKey: options.publicKey,
    signerKey,
    extensions: [
      extension(OID.keyUsage, true, der.bitString(Buffer.from([0x06]), 1)), // keyCertSign, cRLSign
      extension(
        OID.basicConstraints,
        true,
        der.sequence(
          der.boolean(true),
          ...(options.pathLength === undefined ? [] : [der.integer(options.pathLength)])
        )
      ),
      extension(OID.subjectKeyId, false, der.octetString(keyIdentifier(options.publicKey))),
      extension(OID.authorityKeyId, false, der.sequence(der.implicit(0, keyIdentifier(signerKey))))
    ]
  })
  return {
    name: options.name,
    privateKey: options.privateKey,
    publicKey: options.publicKey,
    der: signCertificate(tbs, issuer?.privateKey ?? options.privateKey, signerKey)
  }
}

/** A CT log that signs SCTs (RFC 6962 3.2), to embed in leaf certificates as Fulcio does. */
export interface CtLog {
  privateKey: KeyObject
  publicKey: KeyObject
  /** RFC 6962 LogID: SHA-256 of the log's SPKI DER. */
  logId: Buffer
}

const u16 = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff])
const u24 = (n: number): Buffer => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff])

function signedCertificateTimestamp(
  log: CtLog,
  issuer: CertificateAuthority,
  precertTbs: Buffer,
  at: Date
): Buffer {
  const timestamp = Buffer.alloc(8)
  timestamp.writeBigUInt64BE(BigInt(at.getTime()))
  const signed = Buffer.concat([
    Buffer.from([0, 0]), // v1, certificate_timestamp
    timestamp,
    u16(1), // precert_entry
    createHash('sha256').update(spkiOf(issuer.publicKey)).digest(), // issuer_key_hash
    u24(precertTbs.length),
    precertTbs,
    u16(0) // no extensions
  ])
  const signature = sign('sha256', signed, log.privateKey)
  return Buffer.concat([
    Buffer.from([0]), // v1
    log.logId,
    timestamp,
    u16(0), // extensions
    Buffer.from([4, 3]), // sha256, ecdsa
    u16(signature.length),
    signature
  ])
}

/** A Fulcio-style code-signing certificate for an OIDC identity. */
export function issueLeafCertificate(options: {
  issuer: CertificateAuthority
  publicKey: KeyObject
  /** The identity: a URI (a workflow, a SPIFFE ID) or an email address. */
  subjectAlternativeName: string
  oidcIssuer: string
  notBefore: Date
  notAfter: Date
  /** Embed an SCT from this CT log (Fulcio always does; a private CA may not). */
  ctLog?: CtLog
}): Buffer {
  const san = options.subjectAlternativeName.includes('://')
    ? der.implicit(6, Buffer.from(options.subjectAlternativeName, 'ascii')) // uniformResourceIdentifier
    : der.implicit(1, Buffer.from(options.subjectAlternativeName, 'ascii')) // rfc822Name
  const extensions = [
    extension(OID.keyUsage, true, der.bitString(Buffer.from([0x80]), 7)), // digitalSignature
    extension(OID.extKeyUsage, false, der.sequence(der.oid(OID.codeSigning))),
    extension(OID.subjectKeyId, false, der.octetString(keyIdentifier(options.publicKey))),
    extension(
      OID.authorityKeyId,
      false,
      der.sequence(der.implicit(0, keyIdentifier(options.issuer.publicKey)))
    ),
    extension(OID.subjectAltName, true, der.sequence(san)),
    extension(OID.fulcioIssuerV1, false, Buffer.from(options.oidcIssuer, 'utf8')),
    extension(OID.fulcioIssuerV2, false, der.utf8(options.oidcIssuer))
  ]
  const fields: TbsFields = {
    serial: randomSerial(),
    issuer: encodeName(options.issuer.name),
    subject: der.sequence(),
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    subjectKey: options.publicKey,
    signerKey: options.issuer.publicKey,
    extensions
  }
  if (options.ctLog !== undefined) {
    // The SCT signs the precertificate's TBS: the final TBS without the SCT extension (RFC 6962 3.2).
    const sct = signedCertificateTimestamp(
      options.ctLog,
      options.issuer,
      tbsCertificate(fields),
      options.notBefore
    )
    // SignedCertificateTimestampList: the list's length, then each SCT with its length (TLS encoding).
    const list = Buffer.concat([u16(sct.length + 2), u16(sct.length), sct])
    fields.extensions = [...extensions, extension(OID.embeddedScts, false, der.octetString(list))]
  }
  return signCertificate(tbsCertificate(fields), options.issuer.privateKey, options.issuer.publicKey)
}

export const toPem = (label: 'CERTIFICATE' | 'PUBLIC KEY', bytes: Buffer): string =>
  `-----BEGIN ${label}-----\n${bytes
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END ${label}-----\n`
