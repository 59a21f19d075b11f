// A Notation trusted identity, `x509.subject: C=US, ST=WA, O=Contoso, CN=release.contoso.example`, read under
// notation's own rules (notaryproject/notation-go internal/pkix ParseDistinguishedName; the specification's
// "Trusted Identities Constraints"): an RFC 4514 name of single-valued RDNs, each attribute type once, with at least
// C, ST (or S) and O. The trust policy is checked with these rules before any request, so an identity that
// notation would refuse is refused at its line instead of failing every image at the gate.

/** The prefix of a trusted identity, as notation's trust policy writes it. */
export const X509_SUBJECT_PREFIX = 'x509.subject:'

/** One value per attribute type (`ST` for `S`), types in upper case. */
export type NameAttributes = Map<string, string>

/** RFC 4514's characters that are escaped in a value. */
const SPECIAL = new Set([',', '+', '"', '\\', '<', '>', ';', '='])

/** The attributes of an `x509.subject` value, or why notation would refuse it. */
export function parseDistinguishedName(text: string): NameAttributes | { error: string } {
  // notation refuses hex-encoded (BER) values outright: they cannot be compared as strings.
  if (text.includes('=#')) return { error: 'hex-encoded values (=#) are not supported' }
  const relativeNames = splitUnescaped(text, ',')
  if (relativeNames === undefined) return { error: 'it ends in a lone backslash' }
  const attributes: NameAttributes = new Map()
  for (const relative of relativeNames) {
    if (splitUnescaped(relative, '+')!.length > 1) return { error: 'multi-valued RDNs are not supported' }
    const equals = indexOfUnescaped(relative, '=')
    if (equals < 0) return { error: `'${relative.trim().slice(0, 60)}' is not type=value` }
    let type = relative.slice(0, equals).trim().toUpperCase()
    if (!/^([A-Z][A-Z0-9-]*|\d+(\.\d+)+)$/.test(type))
      return { error: `'${type.slice(0, 60)}' is not an attribute type` }
    if (type === 'S') type = 'ST'
    const value = unescapeValue(relative.slice(equals + 1))
    if (value === undefined) return { error: `the value of ${type} has a bad escape` }
    if (attributes.has(type)) return { error: `${type} appears twice` }
    attributes.set(type, value)
  }
  const missing = ['C', 'ST', 'O'].filter((type) => !attributes.get(type))
  if (missing.length > 0) return { error: `it lacks ${missing.join(', ')} (C, ST and O are required)` }
  return attributes
}

/** Splits at each unescaped `separator`; undefined when the text ends inside an escape. */
function splitUnescaped(text: string, separator: string): string[] | undefined {
  const parts: string[] = []
  let current = ''
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      if (i + 1 >= text.length) return undefined
      current += text[i] + text[i + 1]
      i++
    } else if (text[i] === separator) {
      parts.push(current)
      current = ''
    } else current += text[i]
  }
  parts.push(current)
  return parts
}

function indexOfUnescaped(text: string, char: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++
    else if (text[i] === char) return i
  }
  return -1
}

/** RFC 4514 §3: `\` before a special character, or two hex digits of a UTF-8 byte; surrounding spaces dropped. */
function unescapeValue(raw: string): string | undefined {
  const chars = Array.from(raw.replace(/^ +/, ''))
  let end = chars.length
  // Trailing spaces go, unless the last one is escaped.
  while (end > 0 && chars[end - 1] === ' ' && !(end >= 2 && chars[end - 2] === '\\')) end--
  const bytes: number[] = []
  for (let i = 0; i < end; i++) {
    if (chars[i] !== '\\') {
      bytes.push(...Buffer.from(chars[i], 'utf8'))
      continue
    }
    const hex = chars.slice(i + 1, i + 3).join('')
    if (i + 2 < end && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16))
      i += 2
    } else if (i + 1 < end && (SPECIAL.has(chars[i + 1]) || chars[i + 1] === ' ' || chars[i + 1] === '#')) {
      bytes.push(...Buffer.from(chars[i + 1], 'utf8'))
      i += 1
    } else return undefined
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes))
  } catch {
    return undefined
  }
}
