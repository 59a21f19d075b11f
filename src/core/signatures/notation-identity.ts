// A trust policy's identities against the signing certificate's subject, as notation-go
// verifier/verifier.go verifyX509TrustedIdentities compares them: `*` admits any subject; each
// `x509.subject: <DN>` admits a subject holding every attribute of that DN with the same value; identities of
// other kinds are left to plugins there, and ignored here.
import { parseDistinguishedName, type NameAttributes } from '../entries/trust-policy-identity.js'
import { safeText } from '../log/safe-text.js'
import type { Certificate } from './x509-certificate.js'
import { formatName, isSubsetName, nameAttributes } from './x509-name.js'

const X509_SUBJECT = 'x509.subject'

/** Undefined when the signing certificate is one of `identities` (or no identity is asked for). */
export function identityProblem(identities: string[] | undefined, leaf: Certificate): string | undefined {
  if (!identities || identities.length === 0 || identities.includes('*')) return undefined
  const trusted: NameAttributes[] = []
  for (const identity of identities) {
    const colon = identity.indexOf(':')
    if (colon < 0 || identity.slice(0, colon).trim() !== X509_SUBJECT) continue
    const parsed = parseDistinguishedName(identity.slice(colon + 1))
    if ('error' in parsed)
      return `identity '${bounded(identity)}' is not a valid x509.subject: ${parsed.error}`
    trusted.push(parsed)
  }
  if (trusted.length === 0) return 'no identity of the policy is an x509.subject'
  const subject = formatName(leaf.subject)
  const { attributes, repeated } = nameAttributes(leaf.subject)
  if (repeated) return `subject '${bounded(subject)}' repeats ${repeated}, which no identity can match`
  if (trusted.some((identity) => isSubsetName(identity, attributes))) return undefined
  return `subject '${bounded(subject)}' is not one of the identities`
}

function bounded(text: string): string {
  const safe = safeText(text)
  return safe.length > 200 ? `${safe.slice(0, 200)}…` : safe
}
