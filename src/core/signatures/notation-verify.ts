// Verifies one Notary Project signature (a Notation referrer's envelope) against one policy, offline, in the order
// notaryproject/notation-go verifier/verifier.go processSignature and Verify take (specifications
// specs/trust-store-trust-policy.md "Signature Verification"): integrity (the envelope reads, its algorithm is the
// signing key's, the signature verifies, its signed attributes and certificate chain are well formed), then
// authenticity (the chain reaches the trust store, the signing certificate is one of the identities), then time
// (every certificate valid at the signing time and now, the signature not expired), and last the payload: it
// must sign this image.
//
// Timestamp countersignatures (RFC 3161) are not read: notation-go, too, ignores them unless its policy names a
// TSA trust store, which a policy here cannot; every certificate must then be valid at the time of verification.
// Revocation (OCSP, CRL) is not checked: that needs the network, and this verifier is pure.
import type { NotationPolicy } from '../entries/trust-policy.js'
import { safeText } from '../log/safe-text.js'
import { algorithmForKey, verifySignature } from './notation-algorithms.js'
import { readCoseEnvelope } from './notation-cose.js'
import type { EnvelopeRead } from './notation-envelope.js'
import { identityProblem } from './notation-identity.js'
import { readJwsEnvelope } from './notation-jws.js'
import { payloadProblem, type ImageDescriptor } from './notation-payload.js'
import { quote, readSignedAttributes } from './notation-signed-attributes.js'
import { trustStoreOf } from './notation-trust-store.js'
import type { SignatureCarrier, SignatureCheck } from './signature-check.js'
import { parseCertificate, type Certificate } from './x509-certificate.js'
import { codeSigningChainProblem, trustProblem, validityProblem } from './x509-chain.js'
import { formatName } from './x509-name.js'

export type NotationCarrier = Extract<SignatureCarrier, { kind: 'notation' }>

/**
 * Checks `carrier` against `policy` for `image` (its manifest's descriptor). Never throws for a bad signature:
 * every refusal is `verified: false` with one clause saying why. `signer`: the signing certificate's subject as
 * notation prints it (`C=US, ST=WA, L=Seattle, O=Contoso, CN=release.contoso.example`).
 */
export async function verifyNotation(
  carrier: NotationCarrier,
  image: ImageDescriptor,
  policy: NotationPolicy,
  now: Date = new Date()
): Promise<SignatureCheck> {
  try {
    return check(carrier, image, policy, now)
  } catch {
    // Every parser answers with a reason; this only catches what a malformed certificate's ASN.1 throws.
    return refused('signature envelope cannot be read')
  }
}

function check(
  carrier: NotationCarrier,
  image: ImageDescriptor,
  policy: NotationPolicy,
  now: Date
): SignatureCheck {
  const read = readEnvelope(carrier)
  if ('refused' in read) return refused(read.refused)
  const { envelope } = read
  const chain: Certificate[] = []
  for (const [i, der] of envelope.certificates.entries()) {
    try {
      chain.push(parseCertificate(der))
    } catch {
      return refused(`certificate ${i + 1} of the signature's chain cannot be read`)
    }
  }
  const leaf = chain[0]

  // Integrity. The signing key decides the algorithm; a header naming another is an algorithm substitution.
  const { algorithm, keyName } = algorithmForKey(leaf.publicKey)
  if (!algorithm) return refused(`signing certificate's ${keyName} key is not one Notation signs with`)
  if (!envelope.knownAlgorithm) {
    return refused(`signature algorithm ${quote(envelope.algorithm)} is not one Notation allows`)
  }
  if (envelope.knownAlgorithm !== algorithm) {
    return refused(
      `signature algorithm ${envelope.knownAlgorithm} does not match the certificate's ${keyName} key (${algorithm})`
    )
  }
  if (!verifySignature(algorithm, leaf.publicKey, envelope.signedBytes, envelope.signature)) {
    return refused('signature does not verify with its certificate')
  }
  const attributes = readSignedAttributes(envelope)
  if ('refused' in attributes) return refused(attributes.refused)
  const chainProblem = codeSigningChainProblem(chain)
  if (chainProblem) return refused(chainProblem)

  // Authenticity.
  const trustStore = trustStoreOf(policy)
  if ('refused' in trustStore) return refused(trustStore.refused)
  const authenticityProblem = trustProblem(chain, trustStore) ?? identityProblem(policy.identities, leaf)
  if (authenticityProblem) return refused(authenticityProblem)

  // Time.
  const timeProblem =
    validityProblem(chain, attributes.signingTime, 'signing') ?? validityProblem(chain, now, 'now')
  if (timeProblem) return refused(timeProblem)
  if (attributes.expiry && now >= attributes.expiry) {
    return refused(`signature expired on ${attributes.expiry.toISOString()}`)
  }

  const targetProblem = payloadProblem(envelope.payload, image)
  if (targetProblem) return refused(targetProblem)
  return { verified: true, signer: safeText(formatName(leaf.subject)) }
}

function readEnvelope(carrier: NotationCarrier): EnvelopeRead {
  switch (carrier.mediaType) {
    case 'application/jose+json':
      return readJwsEnvelope(carrier.envelope)
    case 'application/cose':
      return readCoseEnvelope(carrier.envelope)
    default:
      return { refused: `envelope media type ${quote(carrier.mediaType)} is neither JWS nor COSE` }
  }
}

function refused(reason: string): SignatureCheck {
  return { verified: false, reason }
}
