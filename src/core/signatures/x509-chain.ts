// The Notary Project's rules for a code-signing certificate chain (notaryproject/specifications
// specs/signature-specification.md "Certificate Requirements"), as notaryproject/notation-core-go
// x509/codesigning_cert_validations.go applies them, and its trust (specs/trust-store-trust-policy.md: the chain
// is trusted when one of its certificates is in the trust store, notation-core-go signature.VerifyAuthenticity).
// Each check answers with one clause for the refusal line, or undefined when it passes.
import { safeText } from '../log/safe-text.js'
import { OID, type Certificate } from './x509-certificate.js'
import { formatName } from './x509-name.js'

/** Certificate signatures Go's crypto/x509 checks; SHA-1 is refused by the specification itself. */
const SIGNATURE_ALGORITHMS = new Set([
  '1.2.840.113549.1.1.11', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12', // sha384WithRSAEncryption
  '1.2.840.113549.1.1.13', // sha512WithRSAEncryption
  '1.2.840.113549.1.1.10', // RSASSA-PSS
  '1.2.840.10045.4.3.2', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3', // ecdsa-with-SHA384
  '1.2.840.10045.4.3.4', // ecdsa-with-SHA512
  '1.3.101.112' // Ed25519
])
const SHA1_SIGNATURES = new Set(['1.2.840.113549.1.1.5', '1.2.840.10045.4.1'])

/** Extended key usages a code-signing certificate must not carry (the specification's "Leaf Certificates"). */
const FORBIDDEN_PURPOSES: [string, string][] = [
  [OID.anyExtendedKeyUsage, 'any purpose'],
  [OID.serverAuth, 'serverAuth'],
  [OID.clientAuth, 'clientAuth'],
  [OID.emailProtection, 'emailProtection'],
  [OID.timeStamping, 'timeStamping'],
  [OID.ocspSigning, 'OCSPSigning']
]
const LEAF_FORBIDDEN_USAGES = [
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly'
] as const

/** The name a refusal uses for a certificate: its common name, else its whole subject; one bounded line. */
export function certificateName(certificate: Certificate): string {
  const commonName = certificate.subject.flat().find((attribute) => attribute.type === 'CN')?.value
  const name = safeText(commonName ?? formatName(certificate.subject))
  return name.length > 120 ? `${name.slice(0, 120)}…` : name
}

/** The chain's shape and each certificate's role: leaf first, each issued by the next, ending at a self-signed root. */
export function codeSigningChainProblem(chain: Certificate[]): string | undefined {
  for (const [i, certificate] of chain.entries()) {
    const name = certificateName(certificate)
    if (SHA1_SIGNATURES.has(certificate.signatureAlgorithm))
      return `certificate '${name}' is signed with SHA-1`
    if (!SIGNATURE_ALGORITHMS.has(certificate.signatureAlgorithm)) {
      return `certificate '${name}' is signed with an unsupported algorithm (${certificate.signatureAlgorithm})`
    }
    const last = i === chain.length - 1
    if (last && !isSelfSigned(certificate)) {
      return `certificate chain does not end at a self-signed root ('${name}' is not self-signed)`
    }
    if (!last) {
      if (isSelfSigned(certificate)) {
        return i === 0
          ? `signing certificate '${name}' is self-signed, yet the chain goes on`
          : `intermediate certificate '${name}' is self-signed`
      }
      const issuer = chain[i + 1]
      if (!certificate.issuerDer.equals(issuer.subjectDer) || !certificate.signedBy(issuer)) {
        return `certificate '${name}' is not issued by the next one in the chain, '${certificateName(issuer)}'`
      }
    }
    const problem = i === 0 ? leafProblem(certificate) : authorityProblem(certificate, i - 1)
    if (problem) return problem
  }
  return undefined
}

/** Trusted when any certificate of the chain is one of the trust store's, byte for byte. */
export function trustProblem(chain: Certificate[], trustStore: Certificate[]): string | undefined {
  const trusted = chain.some((certificate) => trustStore.some((anchor) => anchor.der.equals(certificate.der)))
  if (trusted) return undefined
  return `certificate chain ends at '${certificateName(chain[chain.length - 1])}', not in the trust store`
}

/** Every certificate valid at `time` (validity periods need not nest, as the specification says). */
export function validityProblem(chain: Certificate[], time: Date, at: 'signing' | 'now'): string | undefined {
  for (const certificate of chain) {
    const name = certificateName(certificate)
    if (time < certificate.notBefore) {
      return at === 'signing'
        ? `certificate '${name}' was not yet valid at the signing time`
        : `certificate '${name}' is not valid until ${certificate.notBefore.toISOString()}`
    }
    if (time > certificate.notAfter) {
      return at === 'signing'
        ? `certificate '${name}' expired before the signing time`
        : `certificate '${name}' expired on ${certificate.notAfter.toISOString()}`
    }
  }
  return undefined
}

function isSelfSigned(certificate: Certificate): boolean {
  return certificate.issuerDer.equals(certificate.subjectDer) && certificate.signedBy(certificate)
}

function leafProblem(leaf: Certificate): string | undefined {
  if (leaf.basicConstraints?.ca) return 'signing certificate is a CA certificate'
  if (!leaf.keyUsage) return 'signing certificate has no key usage extension'
  if (!leaf.keyUsage.critical) return 'signing certificate key usage is not marked critical'
  if (!leaf.keyUsage.bits.has('digitalSignature'))
    return 'signing certificate has no digitalSignature key usage'
  const extra = LEAF_FORBIDDEN_USAGES.filter((bit) => leaf.keyUsage!.bits.has(bit))
  if (extra.length > 0)
    return `signing certificate key usage allows ${extra.join(', ')}, not digitalSignature only`
  // The specification lets a code-signing certificate omit extendedKeyUsage; this verifier requires
  // id-kp-codeSigning, so a certificate made for another purpose (or for none named) cannot sign images.
  const purposes = leaf.extendedKeyUsage ?? []
  const forbidden = FORBIDDEN_PURPOSES.find(([oid]) => purposes.includes(oid))
  if (forbidden) return `signing certificate is also for ${forbidden[1]}, which code signing must not be`
  if (!purposes.includes(OID.codeSigning)) return 'signing certificate has no code-signing usage'
  return undefined
}

/** A CA at `depth` intermediates above the leaf (0: the leaf's issuer). */
function authorityProblem(authority: Certificate, depth: number): string | undefined {
  const name = certificateName(authority)
  // notation-core-go asks basicConstraints to be present with cA true (its criticality is not checked).
  if (!authority.basicConstraints?.ca) return `certificate '${name}' issues certificates but is not a CA`
  const pathLength = authority.basicConstraints.pathLength
  if (pathLength !== undefined && pathLength < depth) {
    return `CA certificate '${name}' allows ${pathLength} intermediate(s) below it, the chain has ${depth}`
  }
  if (!authority.keyUsage) return `CA certificate '${name}' has no key usage extension`
  if (!authority.keyUsage.critical) return `CA certificate '${name}' key usage is not marked critical`
  if (!authority.keyUsage.bits.has('keyCertSign')) return `CA certificate '${name}' lacks keyCertSign usage`
  return undefined
}
