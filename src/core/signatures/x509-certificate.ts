// An X.509 certificate (RFC 5280) as the Notation verifier needs it. node:crypto's X509Certificate does the
// cryptography (the public key, checking an issuer's signature, RSA-PSS included) but does not expose the key
// usage bits or any extension's criticality, which the Notary Project certificate requirements turn on
// (notaryproject/specifications specs/signature-specification.md "Certificate Requirements"); those are read from
// the DER with @sigstore/core's ASN.1 parser, already a dependency, instead of adding a certificate library.
import { X509Certificate as NodeCertificate, type KeyObject } from 'node:crypto'
import { ASN1Obj } from '@sigstore/core'

/** One attribute of a distinguished name: `CN`, `O`, … (as Go's pkix prints them) or the dotted OID. */
export interface NameAttribute {
  type: string
  value: string
}

export type KeyUsageBit =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly'

export interface Certificate {
  der: Buffer
  /** The subject's relative distinguished names in certificate order; each usually holds one attribute. */
  subject: NameAttribute[][]
  /** The encoded names, compared byte for byte to tell who issued whom (as Go's crypto/x509 does). */
  subjectDer: Buffer
  issuerDer: Buffer
  notBefore: Date
  notAfter: Date
  publicKey: KeyObject
  /** The OID of the algorithm the issuer signed this certificate with. */
  signatureAlgorithm: string
  keyUsage?: { critical: boolean; bits: Set<KeyUsageBit> }
  basicConstraints?: { critical: boolean; ca: boolean; pathLength?: number }
  /** Extended key usage OIDs. */
  extendedKeyUsage?: string[]
  /** True when `issuer`'s key made this certificate's signature. */
  signedBy(issuer: Certificate): boolean
}

export const OID = {
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  extendedKeyUsage: '2.5.29.37',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  anyExtendedKeyUsage: '2.5.29.37.0'
} as const

const KEY_USAGE_BITS: KeyUsageBit[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly'
]

/** The names Go's crypto/x509/pkix prints (and notation's x509.subject identities use); others print as OIDs. */
const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.6': 'C',
  '2.5.4.8': 'ST',
  '2.5.4.7': 'L',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.9': 'STREET',
  '2.5.4.17': 'POSTALCODE'
}

/** Reads a DER certificate; throws when it is not one. */
export function parseCertificate(der: Uint8Array): Certificate {
  const bytes = Buffer.from(der)
  const node = new NodeCertificate(bytes)
  const root = ASN1Obj.parseBuffer(bytes)
  const tbs = root.subs[0]
  // version [0] is absent from v1 certificates, which shifts every later field.
  const first = tbs.subs[0].tag.isContextSpecific(0) ? 1 : 0
  const [issuer, validity, subject] = [tbs.subs[first + 2], tbs.subs[first + 3], tbs.subs[first + 4]]
  const extensions = readExtensions(tbs.subs.find((sub) => sub.tag.isContextSpecific(3)))
  const keyUsage = extensions.get(OID.keyUsage)
  const basicConstraints = extensions.get(OID.basicConstraints)
  const extendedKeyUsage = extensions.get(OID.extendedKeyUsage)
  const certificate: Certificate = {
    der: bytes,
    subject: readName(subject),
    subjectDer: subject.toDER(),
    issuerDer: issuer.toDER(),
    notBefore: validity.subs[0].toDate(),
    notAfter: validity.subs[1].toDate(),
    publicKey: node.publicKey,
    signatureAlgorithm: root.subs[1].subs[0].toOID(),
    keyUsage: keyUsage && { critical: keyUsage.critical, bits: readKeyUsage(keyUsage.value) },
    basicConstraints: basicConstraints && {
      critical: basicConstraints.critical,
      ...readBasicConstraints(basicConstraints.value)
    },
    extendedKeyUsage: extendedKeyUsage && extendedKeyUsage.value.subs.map((purpose) => purpose.toOID()),
    signedBy: (issuerCertificate) => {
      try {
        return node.verify(issuerCertificate.publicKey)
      } catch {
        return false
      }
    }
  }
  return certificate
}

interface Extension {
  critical: boolean
  value: ASN1Obj
}

function readExtensions(wrapper: ASN1Obj | undefined): Map<string, Extension> {
  const extensions = new Map<string, Extension>()
  for (const extension of wrapper?.subs[0]?.subs ?? []) {
    const oid = extension.subs[0].toOID()
    const critical = extension.subs.length === 3 ? extension.subs[1].toBoolean() : false
    const octets = extension.subs[extension.subs.length - 1]
    // RFC 5280 §4.2: one instance of an extension per certificate (Go's parser refuses a repeat too).
    if (extensions.has(oid)) throw new Error(`the certificate repeats extension ${oid}`)
    extensions.set(oid, { critical, value: ASN1Obj.parseBuffer(Buffer.from(octets.value)) })
  }
  return extensions
}

function readKeyUsage(value: ASN1Obj): Set<KeyUsageBit> {
  const bits = value.toBitString()
  return new Set(KEY_USAGE_BITS.filter((_, i) => bits[i] === 1))
}

function readBasicConstraints(value: ASN1Obj): { ca: boolean; pathLength?: number } {
  // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }
  const ca = value.subs.find((sub) => sub.tag.isBoolean())?.toBoolean() ?? false
  const pathLength = value.subs.find((sub) => sub.tag.isInteger())?.toInteger()
  return pathLength === undefined ? { ca } : { ca, pathLength: Number(pathLength) }
}

function readName(name: ASN1Obj): NameAttribute[][] {
  return name.subs.map((relativeName) =>
    relativeName.subs.map((attribute) => {
      const oid = attribute.subs[0].toOID()
      return { type: ATTRIBUTE_NAMES[oid] ?? oid, value: readString(attribute.subs[1]) }
    })
  )
}

function readString(value: ASN1Obj): string {
  const bytes = value.value
  switch (value.tag.number) {
    case 30: // BMPString
      return Buffer.from(bytes).swap16().toString('utf16le')
    case 28: // UniversalString
      return String.fromCodePoint(
        ...Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readUInt32BE(i * 4))
      )
    case 20: // T61String, read as Latin-1 as Go does
      return bytes.toString('latin1')
    default: // UTF8String, PrintableString, IA5String, VisibleString, NumericString
      return bytes.toString('utf8')
  }
}
