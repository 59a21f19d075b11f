// Keys as cosign uses them: how a signature is checked for each key type, how a key is named in results, and
// which key a Rekor entry says signed (so a logged entry counts only for the key the policy trusts).
import { createHash, createPublicKey, verify, X509Certificate, type KeyObject } from 'node:crypto'
import type { TransparencyLogEntry } from '@sigstore/bundle'

/**
 * cosign's default verifier per key (sigstore/sigstore pkg/signature LoadDefaultVerifier): ECDSA with the hash of
 * its curve's size (P-256: SHA-256, P-384: SHA-384, P-521: SHA-512), RSA PKCS #1 v1.5 with SHA-256, Ed25519 pure.
 */
export function verifyWithKey(key: KeyObject, signed: Buffer, signature: Buffer): boolean {
  const curve = key.asymmetricKeyDetails?.namedCurve
  const hash =
    key.asymmetricKeyType === 'ed25519'
      ? null
      : curve === 'secp384r1'
        ? 'sha384'
        : curve === 'secp521r1'
          ? 'sha512'
          : 'sha256'
  try {
    return verify(hash, signed, key, signature)
  } catch {
    return false
  }
}

const spkiOf = (key: KeyObject): Buffer => key.export({ type: 'spki', format: 'der' })

/**
 * A key's name in results: `SHA256:` and the unpadded base64 of the SHA-256 of its SPKI DER, the form
 * `ssh-keygen -l` prints, so one key reads the same wherever it is written down.
 */
export function keyFingerprint(key: KeyObject): string {
  return `SHA256:${createHash('sha256').update(spkiOf(key)).digest('base64').replace(/=+$/, '')}`
}

/** Whether two keys are the same public key. */
function sameKey(a: KeyObject, b: KeyObject): boolean {
  return spkiOf(a).equals(spkiOf(b))
}

/** A PEM (base64-wrapped, as Rekor's v0.0.1 bodies hold it) public key or certificate, as its public key. */
function verifierKey(base64Pem: unknown): KeyObject | undefined {
  if (typeof base64Pem !== 'string') return undefined
  const pem = Buffer.from(base64Pem, 'base64').toString('utf8')
  return readable(() =>
    pem.includes('CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem)
  )
}

/** A key that cannot be read is no key: the entry then names none the policy trusts. */
function readable(read: () => KeyObject): KeyObject | undefined {
  try {
    return read()
  } catch {
    return undefined
  }
}

/**
 * Why a verified log entry does not count for `key`, or undefined when its body records `key` as the signer's
 * (cosign's comparePublicKey). Whoever watches a log for their key (or identity) finds only the entries that name
 * it: an entry recording another key for the same signature bytes would hide that signature from them.
 */
export function logEntryKeyProblem(
  entry: TransparencyLogEntry,
  key: KeyObject,
  signer: 'key' | 'certificate'
): string | undefined {
  const logged = loggedKeys(entry)
  if (logged === undefined) return 'the transparency-log entry does not say who signed'
  return logged.some((candidate) => sameKey(candidate, key))
    ? undefined
    : `the transparency-log entry names another ${signer}`
}

/**
 * The keys a Rekor entry's body records for the signer: hashedrekord and dsse, v0.0.1 (Rekor v1) and v0.0.2
 * (Rekor v2, protobuf-specs rekor/v2 as JSON), intoto v0.0.2 (cosign attest before bundles). Undefined when the
 * body records none this can read.
 */
function loggedKeys(entry: TransparencyLogEntry): KeyObject[] | undefined {
  const body = JSON.parse(entry.canonicalizedBody.toString('utf8')) as {
    kind?: string
    apiVersion?: string
    spec?: Record<string, Record<string, unknown> | undefined>
  }
  const spec = body.spec ?? {}
  if (body.kind === 'hashedrekord' && body.apiVersion === '0.0.1') {
    const signature = spec.signature as { publicKey?: { content?: unknown } } | undefined
    return keys([verifierKey(signature?.publicKey?.content)])
  }
  if (body.kind === 'dsse' && body.apiVersion === '0.0.1') {
    const signatures = (spec.signatures ?? []) as Array<{ verifier?: unknown }>
    return keys(signatures.map((signature) => verifierKey(signature.verifier)))
  }
  if (body.kind === 'intoto' && body.apiVersion === '0.0.2') {
    const envelope = (
      spec.content as { envelope?: { signatures?: Array<{ publicKey?: unknown }> } } | undefined
    )?.envelope
    return keys((envelope?.signatures ?? []).map((signature) => verifierKey(signature.publicKey)))
  }
  if (body.kind === 'hashedrekord' || body.kind === 'dsse') {
    const v2 = (spec.hashedRekordV002 ?? spec.dsseV002) as
      { signature?: V2Signature; signatures?: V2Signature[] } | undefined
    const signatures = v2?.signatures ?? (v2?.signature === undefined ? [] : [v2.signature])
    return keys(signatures.map((signature) => v2VerifierKey(signature.verifier)))
  }
  return undefined
}

interface V2Signature {
  verifier?: { publicKey?: { rawBytes?: string }; x509Certificate?: { rawBytes?: string } }
}

function v2VerifierKey(verifier: V2Signature['verifier']): KeyObject | undefined {
  const { publicKey, x509Certificate } = verifier ?? {}
  if (publicKey?.rawBytes !== undefined) {
    const der = Buffer.from(publicKey.rawBytes, 'base64')
    return readable(() => createPublicKey({ key: der, format: 'der', type: 'spki' }))
  }
  if (x509Certificate?.rawBytes !== undefined) {
    const der = Buffer.from(x509Certificate.rawBytes, 'base64')
    return readable(() => new X509Certificate(der).publicKey)
  }
  return undefined
}

function keys(found: Array<KeyObject | undefined>): KeyObject[] | undefined {
  const known = found.filter((key): key is KeyObject => key !== undefined)
  return known.length === 0 ? undefined : known
}
