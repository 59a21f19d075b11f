// Distinguished names as Notation reads and compares them: a trust policy's `x509.subject: C=US, ST=WA, …` is an
// RFC 4514 string whose attributes must all appear, with the same values, in the signing certificate's subject
// (notaryproject/notation-go internal/pkix/pkix.go ParseDistinguishedName and IsSubsetDN;
// notaryproject/specifications specs/trust-store-trust-policy.md "Trusted Identities Constraints").
import type { NameAttribute } from './x509-certificate.js'

/** One value per attribute type (`ST` for `S`), types in upper case. */
export type NameAttributes = Map<string, string>

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

/**
 * Parses an `x509.subject` value under notation's rules: RFC 4514, single-valued RDNs, each type once, and at
 * least C, ST (or S) and O. Returns the attributes, or why the name is refused.
 */
export function parseDistinguishedName(text: string): NameAttributes | { error: string } {
  // notation refuses hex-encoded (BER) values outright: they cannot be compared as strings.
  if (text.includes('=#')) return { error: 'hex-encoded values (=#) are not supported' }
  const relativeNames = splitUnescaped(text, ',')
  if (relativeNames === undefined) return { error: 'it ends in a lone backslash' }
  const attributes: NameAttributes = new Map()
  for (const relative of relativeNames) {
    if (splitUnescaped(relative, '+')!.length > 1) return { error: 'multi-valued RDNs are not supported' }
    const equals = indexOfUnescaped(relative, '=')
    if (equals < 0) return { error: `'${relative.trim()}' is not type=value` }
    let type = relative.slice(0, equals).trim().toUpperCase()
    if (!/^([A-Z][A-Z0-9-]*|\d+(\.\d+)+)$/.test(type)) return { error: `'${type}' is not an attribute type` }
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

/** notation-go IsSubsetDN: every attribute of the identity is in the subject with the same value. */
export function isSubsetName(identity: NameAttributes, subject: NameAttributes): boolean {
  return [...identity].every(([type, value]) => subject.get(type) === value)
}

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

/** RFC 4514 §3: `\\` before a special character, or two hex digits of a UTF-8 byte; surrounding spaces dropped. */
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
