// The signed attributes of a Notary Project signature, read only once its signature verifies
// (notaryproject/specifications specs/signature-specification.md "Signed Attributes", and the JWS and COSE
// envelope specifications' protected headers; notation-core-go signature/jws/jws.go validateProtectedHeaders and
// signature/cose/envelope.go validateCritHeaders). Unknown critical headers are refused, as the specification
// requires ("unknown critical attributes MUST cause signature verification to fail").
import { safeText } from '../log/safe-text.js'
import { HEADER, PAYLOAD_CONTENT_TYPE, type NotationEnvelope } from './notation-envelope.js'

/** What a verified envelope says about when it was signed and until when it may be used. */
export interface SignedAttributes {
  signingTime: Date
  expiry?: Date
}

/** Critical headers this verifier understands and acts on. */
const UNDERSTOOD_CRITICAL = new Set<unknown>([HEADER.signingScheme, HEADER.expiry])

export function readSignedAttributes(envelope: NotationEnvelope): SignedAttributes | { refused: string } {
  if (envelope.contentType !== PAYLOAD_CONTENT_TYPE) {
    return { refused: `payload content type ${quote(envelope.contentType)} is not ${PAYLOAD_CONTENT_TYPE}` }
  }
  if (envelope.signingScheme === 'notary.x509.signingAuthority') {
    // Its authentic signing time is vouched for by a signing authority, whose certificates belong in a trust
    // store of their own (trust-store-trust-policy.md "signingAuthority"); a policy here names only CA roots.
    return { refused: 'signing scheme notary.x509.signingAuthority is not supported, only notary.x509' }
  }
  if (envelope.signingScheme !== 'notary.x509') {
    return { refused: `signing scheme ${quote(envelope.signingScheme)} is not notary.x509` }
  }
  const criticalProblem = criticalHeadersProblem(envelope)
  if (criticalProblem) return { refused: criticalProblem }
  if (envelope.authenticSigningTime.kind !== 'absent') {
    return { refused: `${HEADER.authenticSigningTime} must not be present under notary.x509` }
  }
  const { signingTime, expiry } = envelope
  if (signingTime.kind === 'absent') return { refused: 'signing time is missing' }
  if (signingTime.kind === 'malformed') return { refused: `signing time ${signingTime.why}` }
  if (expiry.kind === 'malformed') return { refused: `expiry ${expiry.why}` }
  if (expiry.kind === 'time' && expiry.time <= signingTime.time) {
    return { refused: 'expiry is not after the signing time' }
  }
  return { signingTime: signingTime.time, expiry: expiry.kind === 'time' ? expiry.time : undefined }
}

function criticalHeadersProblem(envelope: NotationEnvelope): string | undefined {
  const critical = envelope.critical ?? []
  if (critical.length === 0) return 'crit header is missing'
  for (const label of critical) {
    if (!envelope.protectedLabels.includes(label as string | number)) {
      return `critical header ${quote(label)} is not in the protected header`
    }
    if (label === HEADER.verificationPlugin) {
      return `signature needs verification plugin ${quote(envelope.protectedValues.get(label))}, which is not supported`
    }
    if (!UNDERSTOOD_CRITICAL.has(label)) return `critical header ${quote(label)} is not understood`
  }
  if (!critical.includes(HEADER.signingScheme)) return 'signing scheme header is not marked critical'
  if (envelope.expiry.kind !== 'absent' && !critical.includes(HEADER.expiry)) {
    return 'expiry header is not marked critical'
  }
  return undefined
}

/** A header value from the envelope, quoted for a refusal: one bounded line. */
export function quote(value: unknown): string {
  // CBOR headers can hold big integers, which JSON.stringify cannot write.
  const json = () => JSON.stringify(value, (_, item) => (typeof item === 'bigint' ? String(item) : item))
  const plain = typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint'
  const text = safeText(plain ? String(value) : (json() ?? String(value)))
  return `'${text.length > 80 ? `${text.slice(0, 80)}…` : text}'`
}
