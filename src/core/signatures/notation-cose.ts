// Reads a Notary Project COSE envelope (`application/cose`): a COSE_Sign1_Tagged message (RFC 9052 §4.2, tag 18)
// with the headers of notaryproject/specifications specs/signature-envelope-cose.md, read as
// notaryproject/notation-core-go signature/cose/envelope.go reads it (through veraison/go-cose).
import { decodeCbor } from './cbor-decode.js'
import { encodeCbor } from './cbor-encode.js'
import { CborTag, type CborMap, type CborValue } from './cbor-value.js'
import { COSE_ALGORITHMS } from './notation-algorithms.js'
import { HEADER, type EnvelopeRead, type HeaderTime } from './notation-envelope.js'

const COSE_SIGN1_TAG = 18
const EPOCH_TIME_TAG = 1
const LABEL = { alg: 1, crit: 2, contentType: 3, x5chain: 33 } as const

export function readCoseEnvelope(bytes: Uint8Array): EnvelopeRead {
  let message: CborValue
  try {
    message = decodeCbor(bytes)
  } catch (error) {
    return { refused: `COSE envelope is not valid CBOR (${(error as Error).message})` }
  }
  if (!(message instanceof CborTag) || message.tag !== COSE_SIGN1_TAG) {
    return { refused: 'COSE envelope is not a tagged COSE_Sign1 message' }
  }
  const parts = message.value
  if (!Array.isArray(parts) || parts.length !== 4)
    return { refused: 'COSE_Sign1 message is not a 4-item array' }
  const [protectedBytes, unprotected, payload, signature] = parts
  if (!(protectedBytes instanceof Uint8Array) || !(unprotected instanceof Map)) {
    return { refused: 'COSE_Sign1 headers are malformed' }
  }
  if (!(payload instanceof Uint8Array)) return { refused: 'COSE_Sign1 payload is detached or malformed' }
  if (!(signature instanceof Uint8Array) || signature.length === 0) {
    return { refused: 'COSE_Sign1 signature is empty or malformed' }
  }
  let headers: CborValue
  try {
    // RFC 9052 §3: a zero-length protected header stands for the empty map.
    headers = protectedBytes.length === 0 ? new Map() : decodeCbor(protectedBytes)
  } catch (error) {
    return { refused: `COSE protected header is not valid CBOR (${(error as Error).message})` }
  }
  if (!(headers instanceof Map)) return { refused: 'COSE protected header is not a map' }
  const labels = headerLabels(headers)
  if (!labels || !headerLabels(unprotected)) return { refused: 'COSE header labels must be integers or text' }
  // RFC 9052 §3: a header parameter appears in one bucket only.
  if (labels.some((label) => unprotected.has(label)))
    return { refused: 'COSE header appears in both buckets' }
  const certificates = readCertificateChain(unprotected.get(LABEL.x5chain) ?? headers.get(LABEL.x5chain))
  if (!certificates) return { refused: 'COSE envelope has no certificate chain (x5chain)' }
  const critical = headers.get(LABEL.crit)
  if (critical !== undefined && !Array.isArray(critical)) return { refused: 'COSE crit header is not a list' }
  const alg = headers.get(LABEL.alg)
  return {
    envelope: {
      format: 'COSE',
      algorithm: String(alg),
      knownAlgorithm: typeof alg === 'number' ? COSE_ALGORITHMS.get(alg) : undefined,
      contentType: headers.get(LABEL.contentType),
      signingScheme: headers.get(HEADER.signingScheme),
      signingTime: readTime(headers, HEADER.signingTime),
      authenticSigningTime: readTime(headers, HEADER.authenticSigningTime),
      expiry: readTime(headers, HEADER.expiry),
      critical,
      protectedLabels: labels,
      protectedValues: headers as Map<string | number, unknown>,
      certificates,
      payload,
      // RFC 9052 §4.4: Sig_structure = ['Signature1', body_protected, external_aad (empty), payload].
      signedBytes: encodeCbor(['Signature1', protectedBytes, new Uint8Array(0), payload]),
      signature
    }
  }
}

function headerLabels(headers: CborMap): (string | number)[] | undefined {
  const labels = [...headers.keys()]
  return labels.every(
    (label) => typeof label === 'string' || (typeof label === 'number' && Number.isInteger(label))
  )
    ? (labels as (string | number)[])
    : undefined
}

/** x5chain (RFC 9360 §2): an array of DER certificates, signing certificate first, or one certificate alone. */
function readCertificateChain(x5chain: CborValue): Uint8Array[] | undefined {
  if (x5chain instanceof Uint8Array) return [x5chain]
  if (!Array.isArray(x5chain) || x5chain.length === 0) return undefined
  return x5chain.every((entry) => entry instanceof Uint8Array) ? (x5chain as Uint8Array[]) : undefined
}

/** Notation's COSE times are tag 1 epoch times (RFC 8949 §3.4.2); notation-core-go refuses any other form. */
function readTime(headers: CborMap, label: string): HeaderTime {
  const value = headers.get(label)
  if (value === undefined) return { kind: 'absent' }
  if (!(value instanceof CborTag) || value.tag !== EPOCH_TIME_TAG || typeof value.value !== 'number') {
    return { kind: 'malformed', why: 'is not a tag-1 epoch time' }
  }
  const time = new Date(value.value * 1000)
  return Number.isNaN(time.getTime()) ? { kind: 'malformed', why: 'is out of range' } : { kind: 'time', time }
}
