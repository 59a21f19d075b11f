// Reads a Notary Project JWS envelope (`application/jose+json`): the flattened JWS JSON serialization
// (RFC 7515 §7.2.2) with the protected headers of notaryproject/specifications specs/signature-envelope-jws.md,
// read as notaryproject/notation-core-go signature/jws (envelope.go, jws.go, types.go) reads it.
import { JWS_ALGORITHMS, type NotationAlgorithm } from './notation-algorithms.js'
import { HEADER, type EnvelopeRead, type HeaderTime } from './notation-envelope.js'

const utf8 = new TextDecoder('utf-8', { fatal: true })

export function readJwsEnvelope(bytes: Uint8Array): EnvelopeRead {
  let document: unknown
  try {
    document = JSON.parse(utf8.decode(bytes))
  } catch {
    return { refused: 'JWS envelope is not JSON' }
  }
  if (!isObject(document)) return { refused: 'JWS envelope is not a JSON object' }
  // Notation allows exactly one signature per envelope, so only the flattened serialization.
  if ('signatures' in document) return { refused: 'JWS envelope is not in the flattened serialization' }
  const { payload, protected: protectedText, header, signature } = document
  if (typeof payload !== 'string' || typeof protectedText !== 'string' || typeof signature !== 'string') {
    return { refused: 'JWS envelope lacks its payload, protected header or signature' }
  }
  const protectedBytes = fromBase64Url(protectedText)
  const payloadBytes = fromBase64Url(payload)
  const signatureBytes = fromBase64Url(signature)
  if (!protectedBytes || !payloadBytes || !signatureBytes) return { refused: 'JWS envelope is not base64url' }
  if (signatureBytes.length === 0) return { refused: 'JWS envelope has an empty signature' }
  let headers: unknown
  try {
    headers = JSON.parse(utf8.decode(protectedBytes))
  } catch {
    return { refused: 'JWS protected header is not JSON' }
  }
  if (!isObject(headers)) return { refused: 'JWS protected header is not a JSON object' }
  const certificates = readCertificateChain(isObject(header) ? header.x5c : undefined)
  if (!certificates) return { refused: 'JWS envelope has no certificate chain (x5c)' }
  const critical = headers.crit
  if (critical !== undefined && !Array.isArray(critical)) return { refused: 'JWS crit header is not a list' }
  const algorithm = typeof headers.alg === 'string' ? headers.alg : JSON.stringify(headers.alg ?? null)
  const known = JWS_ALGORITHMS.find((name) => name === algorithm)
  return {
    envelope: {
      format: 'JWS',
      algorithm,
      knownAlgorithm: known as NotationAlgorithm | undefined,
      contentType: headers.cty,
      signingScheme: headers[HEADER.signingScheme],
      signingTime: readTime(headers[HEADER.signingTime]),
      authenticSigningTime: readTime(headers[HEADER.authenticSigningTime]),
      expiry: readTime(headers[HEADER.expiry]),
      critical,
      protectedLabels: Object.keys(headers),
      protectedValues: new Map(Object.entries(headers)),
      certificates,
      payload: payloadBytes,
      // RFC 7515 §5.2: the signature covers ASCII(BASE64URL(protected) '.' BASE64URL(payload)), as written.
      signedBytes: Buffer.from(`${protectedText}.${payload}`, 'ascii'),
      signature: signatureBytes
    }
  }
}

/** `x5c`: standard base64 DER certificates (RFC 7515 §4.1.6), signing certificate first. */
function readCertificateChain(x5c: unknown): Uint8Array[] | undefined {
  if (!Array.isArray(x5c) || x5c.length === 0) return undefined
  const certificates: Uint8Array[] = []
  for (const entry of x5c) {
    if (typeof entry !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(entry)) return undefined
    certificates.push(Buffer.from(entry, 'base64'))
  }
  return certificates
}

/** RFC 3339 date-time (the JWS envelope's time headers), as Go's time.Time reads it from JSON. */
function readTime(value: unknown): HeaderTime {
  if (value === undefined) return { kind: 'absent' }
  if (typeof value !== 'string') return { kind: 'malformed', why: 'is not an RFC 3339 time' }
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(value)
  if (!match) return { kind: 'malformed', why: 'is not an RFC 3339 time' }
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number)
  const fields = new Date(Date.UTC(year, month - 1, day, hour, minute, second))
  const valid =
    fields.getUTCFullYear() === year &&
    fields.getUTCMonth() === month - 1 &&
    fields.getUTCDate() === day &&
    fields.getUTCHours() === hour &&
    fields.getUTCMinutes() === minute &&
    fields.getUTCSeconds() === second
  if (!valid) return { kind: 'malformed', why: 'is not an RFC 3339 time' }
  const milliseconds = Math.floor(Number(`0${match[7] ?? ''}`) * 1000)
  const offset = match[8]
  const zoneMinutes =
    offset === 'Z'
      ? 0
      : (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4)))
  return { kind: 'time', time: new Date(fields.getTime() + milliseconds - zoneMinutes * 60_000) }
}

function fromBase64Url(text: string): Buffer | undefined {
  return /^[A-Za-z0-9_-]*$/.test(text) ? Buffer.from(text, 'base64url') : undefined
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
