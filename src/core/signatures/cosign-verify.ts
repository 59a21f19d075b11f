// cosign signatures against a cosign trust policy, offline: a layer of cosign's tag scheme (`sha256-<hex>.sig`) or
// a Sigstore bundle (cosign v3's default, GitHub's actions/attest), keyed or keyless. @sigstore/verify checks
// every signature, chain, log entry and timestamp; this decides what the policy asks of them (the thresholds),
// checks what the library leaves to its caller (the certificate's identity, whole; the log entry naming this key;
// the image digest signed), and says in one clause why a signature does not count. It never throws.
import { createPublicKey, type KeyObject } from 'node:crypto'
import {
  Verifier,
  type SignedEntity,
  type Signer,
  type TrustMaterial,
  type VerifierOptions
} from '@sigstore/verify'
import type { X509Certificate } from '@sigstore/core'
import { RE2JS } from 're2js'
import type { CosignPolicy } from '../entries/trust-policy.js'
import type { SignatureCarrier, SignatureCheck } from './signature-check.js'
import { readCosignCarrier } from './cosign-signed-entity.js'
import { keyFingerprint, logEntryKeyProblem } from './cosign-keys.js'
import { refusalReason, type RefusalContext } from './cosign-refusals.js'
import { remoteText } from './cosign-claims.js'
import { emptyTrustedRoot, sigstoreTrustedRoot, sigstoreTrustMaterial } from './sigstore-trust.js'

/** How far a log's clock may run ahead of this machine's before an entry "from the future" is refused. */
const CLOCK_SKEW_MS = 5 * 60 * 1000

const refused = (reason: string): SignatureCheck => ({ verified: false, reason })

/**
 * Whether `carrier` (kind 'cosign' or 'sigstore-bundle') is a signature of `imageDigest` that `policy` trusts.
 * `now`: the verifier's clock, against which a log entry's time is checked (never after it, give or take the
 * skew above); a certificate is judged at the time the log (or a timestamp authority) vouches for, as cosign does.
 */
export async function verifyCosign(
  carrier: SignatureCarrier,
  imageDigest: string,
  policy: CosignPolicy,
  now: Date = new Date()
): Promise<SignatureCheck> {
  try {
    const content = readCosignCarrier(carrier)
    if ('problem' in content) return refused(content.problem)
    const check =
      policy.publicKeyPem !== undefined
        ? verifyKeyed(content.entity, policy, policy.publicKeyPem)
        : verifyKeyless(content.entity, content.certificate, policy)
    if (!check.verified) return check
    const future = content.entity.tlogEntries.find(
      (entry) => Number(entry.integratedTime) * 1000 > now.getTime() + CLOCK_SKEW_MS
    )
    if (future !== undefined) return refused('the transparency-log entry is dated in the future')
    const claim = content.claimProblem(imageDigest)
    return claim === undefined ? check : refused(claim)
  } catch (error) {
    return refused(
      `the signature cannot be verified (${remoteText(error instanceof Error ? error.message : String(error))})`
    )
  }
}

/** Keyed: the policy's key signed it; with the log required, a trusted log holds the entry naming that key. */
function verifyKeyed(entity: SignedEntity, policy: CosignPolicy, publicKeyPem: string): SignatureCheck {
  let key: KeyObject
  try {
    key = createPublicKey(publicKeyPem)
  } catch {
    return refused(
      "the policy's public key cannot be read (give a PEM public key, as cosign public-key prints it)"
    )
  }
  const skip = policy.transparencyLog === 'skip'
  // Whatever key or certificate the carrier names, only the policy's key is tried. A key has no validity period,
  // so no time is needed (timestamps are set aside); `skip` sets the log aside too: keys used offline have none.
  const keyedEntity: SignedEntity = {
    ...entity,
    key: { $case: 'public-key', hint: 'policy' },
    timestamps: [],
    tlogEntries: skip ? [] : entity.tlogEntries
  }
  const root = skip ? emptyTrustedRoot() : sigstoreTrustedRoot(policy.trustedRoot)
  const thresholds: VerifierOptions = {
    tlogThreshold: skip ? 0 : 1,
    timestampThreshold: 0,
    ctlogThreshold: 0
  }
  const outcome = run(keyedEntity, sigstoreTrustMaterial(root, key), thresholds, {
    keyed: true,
    transparencyLog: policy.transparencyLog
  })
  if ('reason' in outcome) return refused(outcome.reason)
  const logProblem = firstProblem(keyedEntity, (entry) => logEntryKeyProblem(entry, key, 'key'))
  if (logProblem !== undefined) return refused(logProblem)
  return { verified: true, signer: keyFingerprint(key) }
}

/**
 * Keyless: a certificate the trusted root's Fulcio issued, valid when the log (or a timestamp authority) saw the
 * signature, naming the policy's OIDC issuer exactly and an identity the policy's pattern matches whole.
 */
function verifyKeyless(
  entity: SignedEntity,
  certificate: X509Certificate | undefined,
  policy: CosignPolicy
): SignatureCheck {
  const { issuer, subject } = policy
  if (issuer === undefined || subject === undefined) {
    return refused('the policy names neither a public key nor an issuer and subject')
  }
  if (certificate === undefined || entity.key.$case !== 'certificate') {
    return refused(`signed with a key, not a certificate from ${issuer}`)
  }
  let identity: RE2JS
  try {
    identity = RE2JS.compile(subject)
  } catch {
    return refused(`the subject '${subject}' is not a valid RE2 pattern`)
  }
  const skip = policy.transparencyLog === 'skip'
  // `skip` sets the log aside; a short-lived certificate then needs a timestamp authority's time, or nothing dates
  // it. Either way one trusted time is required (timestampThreshold 1): a Fulcio certificate lives 10 minutes.
  const keylessEntity: SignedEntity = skip
    ? {
        ...entity,
        tlogEntries: [],
        timestamps: entity.timestamps.filter((t) => t.$case === 'timestamp-authority')
      }
    : entity
  const root = sigstoreTrustedRoot(policy.trustedRoot)
  // SCTs are required when the root names CT logs (the public-good Fulcio embeds one in every certificate, and
  // cosign asks for it); a private Fulcio whose root names none cannot have any, so none is asked for.
  const thresholds: VerifierOptions = {
    tlogThreshold: skip ? 0 : 1,
    timestampThreshold: 1,
    ctlogThreshold: root.ctlogs.length > 0 ? 1 : 0
  }
  const outcome = run(keylessEntity, sigstoreTrustMaterial(root), thresholds, {
    keyed: false,
    transparencyLog: policy.transparencyLog,
    certificate
  })
  if ('reason' in outcome) return refused(outcome.reason)
  const named = outcome.signer.identity?.extensions?.issuer
  if (named !== issuer) {
    return refused(
      named === undefined
        ? 'the certificate names no OIDC issuer'
        : `issuer '${remoteText(named)}' is not '${issuer}'`
    )
  }
  // Matched whole (RE2JS matches() is `^(?:subject)$`): 'https://github.com/contoso/.*' cannot match a SAN of
  // https://github.com/contoso-evil/…, and a pattern without wildcards is an exact identity.
  const san = outcome.signer.identity?.subjectAlternativeName
  if (san === undefined || !identity.matches(san)) {
    return refused(`certificate identity '${remoteText(san ?? '')}' does not match`)
  }
  const leafKey = createPublicKey({ key: certificate.publicKey, format: 'der', type: 'spki' })
  const logProblem = firstProblem(keylessEntity, (entry) => logEntryKeyProblem(entry, leafKey, 'certificate'))
  if (logProblem !== undefined) return refused(logProblem)
  return { verified: true, signer: remoteText(`${san} (${issuer})`) }
}

function firstProblem(
  entity: SignedEntity,
  problem: (entry: SignedEntity['tlogEntries'][number]) => string | undefined
): string | undefined {
  return entity.tlogEntries.map(problem).find((found) => found !== undefined)
}

function run(
  entity: SignedEntity,
  trust: TrustMaterial,
  thresholds: VerifierOptions,
  context: Omit<RefusalContext, 'entity'>
): { signer: Signer } | { reason: string } {
  try {
    return { signer: new Verifier(trust, thresholds).verify(entity) }
  } catch (error) {
    return { reason: refusalReason(error, { ...context, entity }) }
  }
}
