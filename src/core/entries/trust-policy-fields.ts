// The trust policy as the user writes it, in the images file and in a `trust-policy` file: named policies under
// `trust:`, and the `verify:` / `verify-mode:` fields that choose them. Every mistake is refused here, at its
// line, naming its field: a policy is either cosign (keyed: `key`; keyless: `issuer` + `subject`) or notation
// (`trust-store`, `identities`), and what it names (keys, certificates, a trusted root) is read and parsed now.
//
//   trust:
//     release-key:
//       cosign: { key: keys/release.pub, transparency-log: skip }
//     github-release:
//       cosign:
//         issuer: https://token.actions.githubusercontent.com
//         subject: '^https://github\.com/contoso/app/\.github/workflows/release\.yml@refs/tags/v.+$'
//     contoso-ca:
//       notation: { trust-store: certs/contoso-ca.pem, identities: ['x509.subject: C=US, ST=WA, O=Contoso'] }
import { isSeq, type Node } from 'yaml'
import { safeText } from '../log/safe-text.js'
import { re2Problem } from '../request/tag-pattern.js'
import {
  anchoredSubject,
  type CosignPolicy,
  type NotationPolicy,
  type TrustPolicy,
  type VerifyMode
} from './trust-policy.js'
import { parseDistinguishedName, X509_SUBJECT_PREFIX } from './trust-policy-identity.js'
import { readPublicKey, readTrustedRoot, readTrustStore } from './trust-policy-material.js'
import type { Field, Located, YamlFields } from './yaml-fields.js'

export const POLICY_FIELDS = ['cosign', 'notation'] as const
export const COSIGN_FIELDS = ['key', 'issuer', 'subject', 'trusted-root', 'transparency-log'] as const
export const NOTATION_FIELDS = ['trust-store', 'identities'] as const
export const VERIFY_MODES: readonly VerifyMode[] = ['enforce', 'audit']
export const TRANSPARENCY_LOG_VALUES = ['required', 'skip'] as const

/** A policy with the line it is defined at, for messages about it. */
export interface DefinedPolicy {
  policy: TrustPolicy
  where: string
}

/** The policies of one file, by name. */
export type PolicyBook = Map<string, DefinedPolicy>

/** `verify:` as written: the names it chooses (each where written), or false (verification off). */
export type VerifyChoice = Located<Located<string>[] | false>

/** A policy's name: what `verify:` writes and messages quote. */
const POLICY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/
/** Names `verify:` could not tell from its own values. */
const RESERVED_NAMES = ['true', 'false', 'none']

const NAME_HINT =
  'name each policy with letters, digits, ., _ and - (e.g. release-key), not true, false or none; verify: chooses policies by these names'
const TRUST_HINT =
  'define named policies under trust:, e.g. trust: { release-key: { cosign: { key: keys/release.pub } } }'
const KIND_HINT =
  'a policy is cosign: { key } (a key), cosign: { issuer, subject } (keyless) or notation: { trust-store }; for several kinds, define one policy each and list them in verify:'
const VERIFY_HINT =
  'write verify: with the name of a policy under trust:, a list of names (any one that verifies lets the image through), or false'
const MODE_HINT =
  'write verify-mode: enforce (a refused image is not imported) or audit (imported, with a warning)'
const ISSUER_HINT =
  'write issuer: the OIDC issuer URL the signing certificate names, e.g. https://token.actions.githubusercontent.com, and subject: a regular expression its identity must match whole'
const SUBJECT_HINT =
  "write subject: an RE2 regular expression matched against the certificate's whole identity, e.g. '^https://github\\.com/contoso/app/\\.github/workflows/release\\.yml@refs/tags/v.+$' (single quotes keep the backslashes)"
const IDENTITY_HINT =
  "write each identity as 'x509.subject: C=US, ST=WA, O=Contoso, CN=release.contoso.example' (C, ST and O at least, as Notation requires), or '*' alone for any certificate the trust store issued"

/** The policies under `trust:`; paths in them are relative to `base`, the folder of the file that holds them. */
export function readPolicies(yaml: YamlFields, field: Field, base: string): PolicyBook {
  const where = yaml.whereValue(field)
  if (yaml.isEmpty(field)) yaml.fail(where, 'trust: defines no policy', TRUST_HINT)
  const book: PolicyBook = new Map()
  for (const named of yaml.named(field.value, 'trust:', POLICY_NAME, NAME_HINT)) {
    if (RESERVED_NAMES.includes(named.name.toLowerCase()))
      yaml.fail(named.where, `trust: has a policy named '${named.name}'`, NAME_HINT)
    book.set(named.name, { policy: readPolicy(yaml, named, base), where: named.where })
  }
  return book
}

function readPolicy(yaml: YamlFields, named: Field, base: string): TrustPolicy {
  const what = `trust policy '${named.name}'`
  if (yaml.isEmpty(named)) yaml.fail(named.where, `${what} is empty`, KIND_HINT)
  const fields = yaml.fields(named.value, what, POLICY_FIELDS)
  // Present, even empty: `cosign:` alone is refused as an empty cosign, not as a policy without one.
  const cosign = fields.get('cosign')
  const notation = fields.get('notation')
  if (cosign && notation) yaml.fail(notation.where, `${what} has both cosign and notation`, KIND_HINT)
  if (cosign) return { name: named.name, cosign: readCosign(yaml, cosign, named.name, base) }
  if (notation) return { name: named.name, notation: readNotation(yaml, notation, named.name, base) }
  return yaml.fail(named.where, `${what} has neither cosign nor notation`, KIND_HINT)
}

function readCosign(yaml: YamlFields, field: Field, name: string, base: string): CosignPolicy {
  const what = `cosign of trust policy '${name}'`
  const fields = yaml.fields(field.value, what, COSIGN_FIELDS)
  const of = (fieldName: string) => `'${fieldName}' of trust policy '${name}'`
  const key = given(yaml, fields, 'key')
  const issuer = given(yaml, fields, 'issuer')
  const subject = given(yaml, fields, 'subject')
  const trustedRoot = given(yaml, fields, 'trusted-root')
  const log = given(yaml, fields, 'transparency-log')
  const transparencyLog = log ? oneOf(yaml, log, TRANSPARENCY_LOG_VALUES, TRANSPARENCY_HINT) : 'required'
  if (key && (issuer || subject)) {
    yaml.fail(
      (issuer ?? subject)!.where,
      `${what} has both 'key' and '${issuer ? 'issuer' : 'subject'}'`,
      'keyed: key alone; keyless: issuer and subject; to accept either, define two policies and list both in verify:'
    )
  }
  if (!key && !issuer && !subject) {
    yaml.fail(yaml.whereValue(field), `${what} has neither 'key' nor 'issuer' and 'subject'`, KIND_HINT)
  }
  if (!key) {
    if (!issuer) yaml.fail(subject!.where, `${what} has 'subject' without 'issuer'`, ISSUER_HINT)
    if (!subject) yaml.fail(issuer.where, `${what} has 'issuer' without 'subject'`, SUBJECT_HINT)
    if (transparencyLog === 'skip') {
      yaml.fail(
        log!.where,
        `${what}: transparency-log: skip applies to a key only`,
        "a keyless signing certificate lives minutes: only the transparency log's time shows that it was valid when it signed; drop transparency-log (required is the default)"
      )
    }
  }
  return {
    publicKeyPem: key && readPublicKey(yaml.block(key, KEY_FIELD_HINT), base, of('key')),
    transparencyLog,
    issuer: issuer && issuerOf(yaml, issuer, of('issuer')),
    subject: subject && subjectOf(yaml, subject, of('subject')),
    trustedRoot:
      trustedRoot &&
      readTrustedRoot(yaml.text(trustedRoot, TRUSTED_ROOT_FIELD_HINT), base, of('trusted-root'), {
        certificateAuthorities: !key,
        transparencyLogs: transparencyLog === 'required'
      })
  }
}

const TRANSPARENCY_HINT =
  'write transparency-log: required (the default: a Rekor entry must show the signature) or skip (a key used offline, cosign sign --tlog-upload=false)'
const KEY_FIELD_HINT =
  'write key: the path of the PEM public key (relative to this file), or the PEM itself in a block (key: |)'
const TRUSTED_ROOT_FIELD_HINT =
  "write trusted-root: the path of a Sigstore trusted_root.json relative to this file, or leave it out for Sigstore's public-good root"

function issuerOf(yaml: YamlFields, field: Field, what: string): string {
  const issuer = yaml.text(field, ISSUER_HINT)
  let url: URL | undefined
  try {
    url = new URL(issuer.value)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || /\s/.test(issuer.value)) {
    yaml.fail(issuer.where, `${what} '${safeText(issuer.value).slice(0, 120)}' is not a URL`, ISSUER_HINT)
  }
  return issuer.value
}

function subjectOf(yaml: YamlFields, field: Field, what: string): string {
  const subject = yaml.text(field, SUBJECT_HINT)
  // Checked as the verifier will compile it, anchored: a `)` that closes the anchors' group early is caught too.
  const problem = re2Problem(subject.value) ?? re2Problem(anchoredSubject(subject.value))
  if (problem !== undefined) {
    yaml.fail(
      subject.where,
      `${what} '${safeText(subject.value).slice(0, 120)}' is not a valid RE2 regular expression (${problem})`,
      `${SUBJECT_HINT}; RE2 has no backreferences (\\1) and no lookaround ((?=, (?!)`
    )
  }
  return subject.value
}

function readNotation(yaml: YamlFields, field: Field, name: string, base: string): NotationPolicy {
  const what = `notation of trust policy '${name}'`
  const fields = yaml.fields(field.value, what, NOTATION_FIELDS)
  const store = given(yaml, fields, 'trust-store')
  if (!store) {
    yaml.fail(
      yaml.whereValue(field),
      `${what} has no 'trust-store'`,
      'write trust-store: the PEM file (or a list of files) of the CA certificates your signing certificates chain to'
    )
  }
  const files = yaml.texts(store, 'write trust-store: one path or a list of paths of PEM files')
  if (files.length === 0)
    yaml.fail(yaml.whereValue(store), `${what} has an empty 'trust-store'`, TRUST_STORE_LIST_HINT)
  const identities = given(yaml, fields, 'identities')
  return {
    trustStorePems: readTrustStore(files, base, `'trust-store' of trust policy '${name}'`),
    identities: identities && identitiesOf(yaml, identities, `'identities' of trust policy '${name}'`)
  }
}

const TRUST_STORE_LIST_HINT = 'list at least one PEM file of CA certificates'

/** Notation's trusted identities; `*` (any certificate the trust store issued) reads as none given. */
function identitiesOf(yaml: YamlFields, field: Field, what: string): string[] | undefined {
  const written = yaml.texts(field, IDENTITY_HINT)
  if (written.length === 0) yaml.fail(yaml.whereValue(field), `${what} is an empty list`, IDENTITY_HINT)
  const wildcard = written.find((identity) => identity.value === '*')
  if (wildcard && written.length > 1)
    yaml.fail(wildcard.where, `${what} mixes '*' with other identities`, IDENTITY_HINT)
  if (wildcard) return undefined
  return written.map(({ value, where }) => {
    const shown = `'${safeText(value).slice(0, 160)}'`
    if (!value.startsWith(X509_SUBJECT_PREFIX))
      yaml.fail(where, `${what}: ${shown} does not start with x509.subject:`, IDENTITY_HINT)
    const parsed = parseDistinguishedName(value.slice(X509_SUBJECT_PREFIX.length))
    if ('error' in parsed)
      yaml.fail(
        where,
        `${what}: ${shown} is not a distinguished name notation accepts: ${safeText(parsed.error)}`,
        IDENTITY_HINT
      )
    return `${X509_SUBJECT_PREFIX} ${value.slice(X509_SUBJECT_PREFIX.length).trim()}`
  })
}

/** `verify:` a name, a list of names, or false. */
export function readVerify(yaml: YamlFields, field: Field): VerifyChoice {
  const where = yaml.whereValue(field)
  if (!isSeq(field.value) && isBoolean(field.value)) {
    if (yaml.boolean(field)) yaml.fail(where, "'verify' must name a policy, not true", VERIFY_HINT)
    return { value: false, where }
  }
  const names = yaml.texts(field, VERIFY_HINT)
  if (names.length === 0) yaml.fail(where, "'verify' is an empty list", VERIFY_HINT)
  const seen = new Set<string>()
  for (const name of names) {
    if (seen.has(name.value))
      yaml.fail(name.where, `'verify' names '${safeName(name.value)}' twice`, 'name each policy once')
    seen.add(name.value)
  }
  return { value: names, where }
}

/** `verify-mode:` enforce or audit. */
export function readVerifyMode(yaml: YamlFields, field: Field): Located<VerifyMode> {
  return { value: oneOf(yaml, field, VERIFY_MODES, MODE_HINT), where: yaml.whereValue(field) }
}

/** A name as a message may quote it. */
export function safeName(name: string): string {
  return safeText(name).slice(0, 64)
}

function oneOf<T extends string>(yaml: YamlFields, field: Field, values: readonly T[], hint: string): T {
  const text = yaml.text(field, hint)
  if (!(values as readonly string[]).includes(text.value)) {
    yaml.fail(
      text.where,
      `'${field.name}' must be ${values.join(' or ')}, not '${safeText(text.value).slice(0, 40)}'`,
      hint
    )
  }
  return text.value as T
}

function isBoolean(node: Node | null): boolean {
  return !!node && 'value' in node && typeof (node as { value: unknown }).value === 'boolean'
}

/** A field that is written and not empty. */
function given(yaml: YamlFields, fields: Map<string, Field>, name: string): Field | undefined {
  const field = fields.get(name)
  return field && !yaml.isEmpty(field) ? field : undefined
}
