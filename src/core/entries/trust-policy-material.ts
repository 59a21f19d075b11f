// What a trust policy names outside itself, read and checked before any request: a cosign public key (a file or
// inline PEM), Notation's trust store (PEM files of certificates), a Sigstore trusted root (JSON). node:crypto
// parses each one, so a key or certificate that could never verify a signature is refused here, at the line of
// the policy that names it, not at the first image. No message quotes a file's content: a wrong path may name a
// file of secrets, and a private key pasted in place of a public one must not reach the log.
import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto'
import { resolve } from 'node:path'
import { UserError } from '../errors/user-error.js'
import { safeText } from '../log/safe-text.js'
import { readUserFile, type UserFileKind } from './read-images-text.js'
import { at } from './requested-entry.js'
import type { Located } from './yaml-fields.js'

/** Keys, certificates and trusted roots are a few kilobytes; a larger file is the wrong file. */
export const MAX_TRUST_MATERIAL_BYTES = 1024 * 1024

const KEY_HINT =
  'give the path of the PEM public key (-----BEGIN PUBLIC KEY-----, as cosign generate-key-pair writes cosign.pub), relative to the file that names it, or the PEM itself in a block (key: |)'
const TRUST_STORE_HINT =
  'give PEM files of the CA certificates (-----BEGIN CERTIFICATE-----) that your signing certificates chain to, relative to the file that names them'
const TRUSTED_ROOT_HINT =
  "give a Sigstore trusted root (trusted_root.json, as 'cosign trusted-root create' writes it or sigstore's TUF repository serves it), relative to the file that names it; leave trusted-root out for the Sigstore public-good root"

/** The key types cosign signs with, and the curves of its ECDSA keys. */
const KEY_TYPES = ['ec', 'rsa', 'ed25519']
const CURVES = ['prime256v1', 'secp384r1', 'secp521r1']

/** Throws the one line of a mistake; typed so that the compiler knows nothing runs after it. */
type Fail = (message: string, hint?: string, block?: number) => never

interface PemBlock {
  label: string
  text: string
}

/**
 * A cosign public key: `written` is inline PEM or a path relative to `base`. Returns it as SPKI PEM, the one form
 * every verifier reads. `what` names the field in messages: "'key' of trust policy 'release-key'".
 */
export function readPublicKey(written: Located<string>, base: string, what: string): string {
  const inline = written.value.includes('-----BEGIN')
  const where = written.where
  const text = inline ? written.value : readMaterial(written, base, what, KEY_HINT)
  const shown = inline ? '' : ` (${shownPath(written.value)})`
  const fail: Fail = (message, hint = KEY_HINT) => {
    throw new UserError(`${where}: ${what}${shown} ${message}`, hint)
  }
  const blocks = pemBlocks(text)
  if (blocks === undefined) fail('holds a PEM block without its END line')
  if (blocks.length === 0) fail('is not PEM')
  if (blocks.some((block) => block.label.includes('PRIVATE'))) {
    fail(
      'holds a private key',
      'give the public key only (cosign.pub); a private key never goes into the repository: revoke it if it was committed'
    )
  }
  if (blocks.length > 1)
    fail(
      `holds ${blocks.length} PEM blocks`,
      'give one public key per policy; list several policies in verify:'
    )
  const [block] = blocks
  if (block.label === 'CERTIFICATE') {
    fail(
      'is a certificate, not a public key',
      'for a key: give its public key (openssl x509 -pubkey -noout); for certificates of a CA, write a notation: policy, or cosign issuer and subject for keyless signing'
    )
  }
  let key: KeyObject | undefined
  try {
    key = createPublicKey(block.text)
  } catch {
    fail('cannot be read as a public key')
  }
  const type = key!.asymmetricKeyType ?? 'unknown'
  if (!KEY_TYPES.includes(type)) {
    fail(
      `is a ${type} key, which cosign does not sign with`,
      'give an ECDSA (P-256, P-384, P-521), RSA or Ed25519 public key'
    )
  }
  const curve = key!.asymmetricKeyDetails?.namedCurve
  if (type === 'ec' && (!curve || !CURVES.includes(curve))) {
    fail(
      `is an ECDSA key on the curve ${curve ?? 'unknown'}`,
      'give an ECDSA key on P-256, P-384 or P-521, as cosign makes'
    )
  }
  return key!.export({ type: 'spki', format: 'pem' }).toString()
}

/**
 * Notation's trust store: PEM files of certificates, each possibly holding several. Returns one PEM per
 * certificate, each once. A certificate that is neither a CA nor self-signed can end no chain, so it is refused.
 */
export function readTrustStore(files: Located<string>[], base: string, what: string): string[] {
  const certificates = new Map<string, string>()
  for (const file of files) {
    const blocks = pemBlocks(readMaterial(file, base, what, TRUST_STORE_HINT))
    /** `block`: the 1-based PEM block the message is about, named when the file holds several. */
    const fail: Fail = (message, hint = TRUST_STORE_HINT, block?: number) => {
      const nth = block !== undefined && blocks && blocks.length > 1 ? `, PEM block ${block}` : ''
      throw new UserError(`${file.where}: ${what} (${shownPath(file.value)}${nth}) ${message}`, hint)
    }
    if (blocks === undefined) fail('holds a PEM block without its END line')
    if (blocks.length === 0) fail('is not PEM')
    blocks.forEach((block, index) => {
      if (block.label !== 'CERTIFICATE') {
        const held = block.label.includes('PRIVATE')
          ? 'a private key'
          : `a ${safeText(block.label).slice(0, 40)}`
        fail(
          `holds ${held}, not a certificate`,
          `a trust store holds certificates only; ${TRUST_STORE_HINT}`,
          index + 1
        )
      }
      let certificate: X509Certificate | undefined
      try {
        certificate = new X509Certificate(block.text)
      } catch {
        fail('holds a certificate that cannot be read', TRUST_STORE_HINT, index + 1)
      }
      const cert = certificate!
      if (!cert.ca && !isSelfSigned(cert)) {
        fail(
          `holds '${safeText(cert.subject).slice(0, 120)}', which is neither a CA nor self-signed, so no chain can end at it`,
          'give the root (or intermediate) CA certificate that issued your signing certificates',
          index + 1
        )
      }
      certificates.set(cert.fingerprint256, cert.toString())
    })
  }
  return [...certificates.values()]
}

/** What a trusted root must hold for the policy that names it. */
export interface TrustedRootNeeds {
  /** Keyless: Fulcio's CA certificates, that signing certificates chain to. */
  certificateAuthorities: boolean
  /** transparency-log: required: the Rekor keys that sign log entries. */
  transparencyLogs: boolean
}

const TRUSTED_ROOT_MEDIA_TYPE =
  /^application\/vnd\.dev\.sigstore\.trustedroot(?:\.v[\d.]+)?\+json(?:;\s*version=[\d.]+)?$/

/** A Sigstore trusted root (trusted_root.json), parsed, with what the policy needs of it. */
export function readTrustedRoot(
  written: Located<string>,
  base: string,
  what: string,
  needs: TrustedRootNeeds
): unknown {
  const fail: Fail = (message, hint = TRUSTED_ROOT_HINT) => {
    throw new UserError(`${written.where}: ${what} (${shownPath(written.value)}) ${message}`, hint)
  }
  const text = readMaterial(written, base, what, TRUSTED_ROOT_HINT)
  let root: unknown
  try {
    root = JSON.parse(text)
  } catch {
    fail('is not JSON')
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) fail('is not a JSON object')
  const fields = root as Record<string, unknown>
  if (typeof fields.mediaType !== 'string' || !TRUSTED_ROOT_MEDIA_TYPE.test(fields.mediaType)) {
    fail(
      'is not a Sigstore trusted root (its mediaType is not application/vnd.dev.sigstore.trustedroot+json)'
    )
  }
  const authorities = listOf(fields.certificateAuthorities)
  if (needs.certificateAuthorities) {
    if (authorities.length === 0)
      fail('has no certificateAuthorities, so no keyless signing certificate can chain to it')
    authorities.forEach((authority, index) => {
      const chain = listOf(objectOf(objectOf(authority).certChain).certificates)
      if (
        chain.length === 0 ||
        !chain.every((certificate) => isDerCertificate(objectOf(certificate).rawBytes))
      ) {
        fail(
          `has a certificate authority (number ${index + 1}) whose certChain is not base64 DER certificates`
        )
      }
    })
  }
  if (needs.transparencyLogs) {
    const logs = listOf(fields.tlogs)
    if (logs.length === 0) {
      fail(
        'has no tlogs, so no Rekor entry can be checked',
        `give a trusted root with its transparency log's key, or write transparency-log: skip for a key used offline; ${TRUSTED_ROOT_HINT}`
      )
    }
    logs.forEach((log, index) => {
      if (typeof objectOf(objectOf(log).publicKey).rawBytes !== 'string')
        fail(`has a transparency log (number ${index + 1}) without publicKey.rawBytes`)
    })
  }
  return root
}

/**
 * A file a policy names, by a path relative to `base` (the folder of the file that names it). `what` names the
 * field: "'key' of trust policy 'release-key': file keys/release.pub does not exist".
 */
function readMaterial(written: Located<string>, base: string, what: string, hint: string): string {
  const kind: UserFileKind = {
    label: `${what}: file`,
    noun: 'a key, certificate or trusted root',
    maxBytes: MAX_TRUST_MATERIAL_BYTES,
    maxInWords: '1 MiB',
    missingHint: hint,
    tooLargeHint: hint
  }
  return at(written.where, () => readUserFile(resolve(base, written.value), shownPath(written.value), kind))
}

/** A path as written, made safe for one line. */
function shownPath(path: string): string {
  return safeText(path).slice(0, 200)
}

/** The PEM blocks in `text`, in order; undefined when a BEGIN line has no END line. */
function pemBlocks(text: string): PemBlock[] | undefined {
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]{1,60})-----[\s\S]*?-----END \1-----/g)].map(
    (match) => ({ label: match[1], text: match[0] })
  )
  const begins = text.match(/-----BEGIN /g)?.length ?? 0
  return begins === blocks.length ? blocks : undefined
}

function isSelfSigned(certificate: X509Certificate): boolean {
  return certificate.checkIssued(certificate) && certificate.verify(certificate.publicKey)
}

function isDerCertificate(rawBytes: unknown): boolean {
  if (typeof rawBytes !== 'string') return false
  try {
    new X509Certificate(Buffer.from(rawBytes, 'base64'))
    return true
  } catch {
    return false
  }
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
}
