// Distinguished names as Notation reads and compares them: a trust policy's `x509.subject: C=US, ST=WA, …` is an
// RFC 4514 string whose attributes must all appear, with the same values, in the signing certificate's subject
// (notaryproject/notation-go internal/pkix/pkix.go ParseDistinguishedName and IsSubsetDN;
// notaryproject/specifications specs/trust-store-trust-policy.md "Trusted Identities Constraints").
// The identities themselves are parsed where the trust policy is read (entries/trust-policy-identity.ts), so a
// name notation would refuse is refused at its line before any request; this side prints and compares.
import type { NameAttributes } from '../entries/trust-policy-identity.js'
import type { NameAttribute } from './x509-certificate.js'

/** `C=US, ST=WA, L=Seattle, O=Contoso, CN=release.contoso.example`: certificate order, RFC 4514 escaping. */
export function formatName(name: NameAttribute[][]): string {
  return name
    .map((relative) => relative.map(({ type, value }) => `${type}=${escapeValue(value)}`).join('+'))
    .join(', ')
}

/** A certificate subject as a set of attributes; a type that repeats cannot be matched and is reported. */
export function nameAttributes(name: NameAttribute[][]): { attributes: NameAttributes; repeated?: string } {
  const attributes: NameAttributes = new Map()
  for (const { type, value } of name.flat()) {
    const key = type.toUpperCase()
    if (attributes.has(key)) return { attributes, repeated: key }
    attributes.set(key, value)
  }
  return { attributes }
}

/** notation-go IsSubsetDN: every attribute of the identity is in the subject with the same value. */
export function isSubsetName(identity: NameAttributes, subject: NameAttributes): boolean {
  return [...identity].every(([type, value]) => subject.get(type) === value)
}

/** RFC 4514's characters that are escaped in a value. */
const SPECIAL = new Set([',', '+', '"', '\\', '<', '>', ';', '='])

function escapeValue(value: string): string {
  let escaped = ''
  for (const [i, char] of [...value].entries()) {
    const edge = (i === 0 && (char === ' ' || char === '#')) || (i === [...value].length - 1 && char === ' ')
    if (SPECIAL.has(char) || edge) escaped += `\\${char}`
    else if (char.charCodeAt(0) < 0x20 || char === '\u007f')
      escaped += `\\${char.charCodeAt(0).toString(16).padStart(2, '0')}`
    else escaped += char
  }
  return escaped
}
