// X.509 certificates for the Notation test kit, written as DER by hand and signed with node:crypto: every field a
// test needs (key usage bits and their criticality, extended key usages, basic constraints, any validity period,
// EC or RSA keys) in microseconds, with no openssl process and no certificate library. RFC 5280 §4.1.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'
import { ASN1Obj } from '@sigstore/core'

export type KeyKind = 'ec-p256' | 'ec-p384' | 'ec-p521' | 'rsa-2048' | 'rsa-3072' | 'rsa-4096'

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

const KEY_USAGE_ORDER: KeyUsageBit[] = [
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

const ATTRIBUTE_OIDS: Record<string, string> = {
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  SERIALNUMBER: '2.5.4.5',
  STREET: '2.5.4.9',
  POSTALCODE: '2.5.4.17'
}

export interface CertificateFields {
  /** `C=US, ST=WA, O=Contoso, CN=…`: attributes in certificate order; values without `,` or `=`. */
  subject: string
  issuer: string
  publicKey: KeyObject
  /** The issuer's key, which signs the certificate (the subject's own for a self-signed one). */
  signingKey: KeyObject
  notBefore: Date
  notAfter: Date
  basicConstraints?: { ca: boolean; pathLength?: number; critical?: boolean }
  keyUsage?: { bits: KeyUsageBit[]; critical?: boolean }
  /** Extended key usage OIDs; absent or empty: no extension. */
  extendedKeyUsage?: string[]
  /** The issuing CA's public key, named in an authority key identifier; absent for a self-signed certificate. */
  issuerPublicKey?: KeyObject
}

export function generateKey(kind: KeyKind): { privateKey: KeyObject; publicKey: KeyObject } {
  if (kind.startsWith('rsa-')) return generateKeyPairSync('rsa', { modulusLength: Number(kind.slice(4)) })
  const curves: Record<string, string> = {
    'ec-p256': 'prime256v1',
    'ec-p384': 'secp384r1',
    'ec-p521': 'secp521r1'
  }
  const namedCurve = curves[kind]
  return generateKeyPairSync('ec', { namedCurve })
}

/** A DER certificate with `fields`, signed by `fields.signingKey`. */
export function buildCertificate(fields: CertificateFields): Buffer {
  const { algorithm, hash } = signatureAlgorithm(fields.signingKey)
  // In the order Go's crypto/x509 CreateCertificate writes them (as `notation cert generate-test` makes them):
  // key usage, extended key usage, basic constraints, subject and authority key identifiers.
  const extensions = [
    fields.keyUsage &&
      extension('2.5.29.15', fields.keyUsage.critical ?? true, keyUsageBits(fields.keyUsage.bits)),
    fields.extendedKeyUsage?.length &&
      extension('2.5.29.37', false, sequence(...fields.extendedKeyUsage.map(objectIdentifier))),
    fields.basicConstraints &&
      extension(
        '2.5.29.19',
        fields.basicConstraints.critical ?? true,
        sequence(
          ...(fields.basicConstraints.ca ? [tlv(0x01, Buffer.of(0xff))] : []),
          ...(fields.basicConstraints.pathLength === undefined
            ? []
            : [integer(fields.basicConstraints.pathLength)])
        )
      ),
    fields.basicConstraints?.ca && extension('2.5.29.14', false, tlv(0x04, keyIdentifier(fields.publicKey))),
    fields.issuerPublicKey &&
      extension('2.5.29.35', false, sequence(tlv(0x80, keyIdentifier(fields.issuerPublicKey))))
  ].filter((item): item is Buffer => Buffer.isBuffer(item))
  const tbs = sequence(
    explicit(0, integer(2)),
    integerFromBytes(Buffer.concat([Buffer.of(0x01), randomBytes(15)])),
    algorithm,
    name(fields.issuer),
    sequence(time(fields.notBefore), time(fields.notAfter)),
    name(fields.subject),
    fields.publicKey.export({ type: 'spki', format: 'der' }),
    ...(extensions.length > 0 ? [explicit(3, sequence(...extensions))] : [])
  )
  const signature = sign(hash, tbs, fields.signingKey)
  return sequence(tbs, algorithm, bitString(signature))
}

/** Go's subject key identifier: the SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2, method 1). */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' })
  const bits = ASN1Obj.parseBuffer(spki).subs[1].value.subarray(1)
  return createHash('sha1').update(bits).digest()
}

export function toPem(der: Buffer): string {
  const lines = der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')
  return `-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n`
}

/** The algorithm an issuer key signs certificates with, as Go's crypto/x509 picks it. */
function signatureAlgorithm(key: KeyObject): { algorithm: Buffer; hash: string } {
  if (key.asymmetricKeyType === 'rsa') {
    return {
      algorithm: sequence(objectIdentifier('1.2.840.113549.1.1.11'), tlv(0x05, Buffer.alloc(0))),
      hash: 'sha256'
    }
  }
  const curve = key.asymmetricKeyDetails?.namedCurve
  const [oid, hash] =
    curve === 'secp384r1'
      ? ['1.2.840.10045.4.3.3', 'sha384']
      : curve === 'secp521r1'
        ? ['1.2.840.10045.4.3.4', 'sha512']
        : ['1.2.840.10045.4.3.2', 'sha256']
  return { algorithm: sequence(objectIdentifier(oid)), hash }
}

function name(distinguishedName: string): Buffer {
  const attributes = distinguishedName.split(/,\s*/).map((part) => {
    const [type, ...rest] = part.split('=')
    const oid = ATTRIBUTE_OIDS[type.trim().toUpperCase()]
    if (!oid) throw new Error(`the test kit does not know the attribute type ${type}`)
    const value = rest.join('=')
    // Go writes PrintableString where the characters allow it, as for a country code.
    const text = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value)
      ? tlv(0x13, Buffer.from(value))
      : tlv(0x0c, Buffer.from(value))
    return tlv(0x31, sequence(objectIdentifier(oid), text))
  })
  return sequence(...attributes)
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [tlv(0x01, Buffer.of(0xff))] : []), tlv(0x04, value))
}

/** KeyUsage as a DER BIT STRING: bit 0 first, trailing zero bits dropped (X.690 §11.2.2). */
function keyUsageBits(bits: KeyUsageBit[]): Buffer {
  const positions = bits.map((bit) => KEY_USAGE_ORDER.indexOf(bit))
  if (positions.length === 0) return tlv(0x03, Buffer.of(0))
  const length = Math.max(...positions) + 1
  const bytes = Buffer.alloc(Math.ceil(length / 8))
  for (const position of positions) bytes[position >> 3] |= 0x80 >> (position & 7)
  return tlv(0x03, Buffer.concat([Buffer.of(bytes.length * 8 - length), bytes]))
}

function time(date: Date): Buffer {
  const iso = date.toISOString()
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '')
  const year = date.getUTCFullYear()
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime after.
  return year >= 1950 && year < 2050
    ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`))
    : tlv(0x18, Buffer.from(`${digits}Z`))
}

function bitString(bytes: Buffer): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.of(0), bytes]))
}

function integer(value: number): Buffer {
  let hex = value.toString(16)
  if (hex.length % 2) hex = `0${hex}`
  return integerFromBytes(Buffer.from(hex, 'hex'))
}

function integerFromBytes(bytes: Buffer): Buffer {
  return tlv(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.of(0), bytes]) : bytes)
}

function objectIdentifier(oid: string): Buffer {
  const [first, second, ...rest] = oid.split('.').map(Number)
  const bytes = [40 * first + second]
  for (const arc of rest) {
    const chunk = [arc & 0x7f]
    for (let value = arc >> 7; value > 0; value >>= 7) chunk.unshift((value & 0x7f) | 0x80)
    bytes.push(...chunk)
  }
  return tlv(0x06, Buffer.from(bytes))
}

function explicit(tag: number, content: Buffer): Buffer {
  return tlv(0xa0 | tag, content)
}

function sequence(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items))
}

function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length
  if (length < 0x80) return Buffer.concat([Buffer.of(tag, length), content])
  const lengthBytes: number[] = []
  for (let value = length; value > 0; value >>= 8) lengthBytes.unshift(value & 0xff)
  return Buffer.concat([Buffer.of(tag, 0x80 | lengthBytes.length, ...lengthBytes), content])
}
