// What a cosign signature claims to sign, read only after its signature verified: the image digest in cosign's
// simple-signing payload (the tag scheme), or in the in-toto statement of a Sigstore bundle's DSSE envelope
// (cosign v3, GitHub's actions/attest). A valid signature of another image, moved onto this one, is refused here.
import { safeText } from '../log/safe-text.js'

/** The simple-signing type cosign writes and checks (sigstore/sigstore payload.CosignSignatureType). */
export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature'
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json'
const IN_TOTO_STATEMENT_TYPES = ['https://in-toto.io/Statement/v1', 'https://in-toto.io/Statement/v0.1']

/** Text from a signature (a digest, an issuer, an identity) as it may appear in a refusal: one line, inert, short. */
export function remoteText(text: string): string {
  const line = safeText(text)
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}

/** `sha256:ab12cd34ef56`: a digest short enough for a refusal line, long enough to tell images apart. */
export function shortDigest(digest: string): string {
  const [algorithm, hex = ''] = digest.split(':')
  return remoteText(`${algorithm.slice(0, 16)}:${hex.slice(0, 12)}`)
}

const notThisImage = (signed: string): string => `signs ${shortDigest(signed)}, not this image`

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch {
    return undefined
  }
}

const field = (value: unknown, name: string): unknown =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[name]
    : undefined

/** Why a simple-signing payload does not sign `imageDigest`, or undefined when it does. */
export function simpleSigningProblem(payload: Uint8Array, imageDigest: string): string | undefined {
  const critical = field(parseJson(payload), 'critical')
  const type = field(critical, 'type')
  if (type !== COSIGN_SIGNATURE_TYPE) {
    return typeof type === 'string'
      ? `the payload is a '${remoteText(type)}', not a cosign container image signature`
      : 'the payload is not a cosign simple-signing payload'
  }
  const signed = field(field(critical, 'image'), 'docker-manifest-digest')
  if (typeof signed !== 'string') return 'the payload names no image digest'
  return signed === imageDigest ? undefined : notThisImage(signed)
}

/**
 * Why a DSSE envelope's in-toto statement does not name `imageDigest` among its subjects, or undefined when it
 * does. Any predicate type counts, as for `cosign verify`: cosign v3's signature (https://sigstore.dev/cosign/
 * sign/v1) and an attestation such as actions/attest's provenance both say the signer vouches for this digest.
 */
export function inTotoStatementProblem(
  payloadType: string,
  payload: Uint8Array,
  imageDigest: string
): string | undefined {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE)
    return `the envelope holds '${payloadType}', not an in-toto statement`
  const statement = parseJson(payload)
  if (!IN_TOTO_STATEMENT_TYPES.includes(field(statement, '_type') as string))
    return 'the envelope holds no in-toto statement'
  const subjects = field(statement, 'subject')
  const [algorithm, hex] = imageDigest.split(':')
  const named = (Array.isArray(subjects) ? subjects : [])
    .map((subject) => field(field(subject, 'digest'), algorithm))
    .filter((value): value is string => typeof value === 'string')
  if (named.some((value) => value.toLowerCase() === hex)) return undefined
  return named.length === 0
    ? `the statement names no ${algorithm} digest`
    : notThisImage(`${algorithm}:${named[0]}`)
}
