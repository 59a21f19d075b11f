// The one line that says why no signature lets an image through: what was found, with which policies it was
// checked, and for each signature why it did not verify. For example:
//   2 signatures found (cosign, notation); none verifies with release-key or contoso-ca: cosign: signed by another
//   key; notation: certificate chain ends at 'Contoso Dev Root CA', not in the trust store
//   no signature found for sha256:…; release-key requires one
import { safeText } from '../log/safe-text.js'
import type { SignatureKind } from '../plan/planned-import.js'
import type { SignaturesRead } from './read-signatures.js'
import type { SignatureCarrier, SignatureCheck } from './signature-check.js'

/** One carrier and what each chosen policy said of it (`check` undefined: the policy cannot check that kind). */
export interface CarrierChecks {
  carrier: SignatureCarrier
  checks: { policy: string; check?: SignatureCheck }[]
}

/** The kinds as the line names them. */
export const KIND_WORDS: Record<SignatureKind, string> = {
  cosign: 'cosign',
  'sigstore-bundle': 'sigstore bundle',
  notation: 'notation'
}

/** Past this many distinct reasons the line says how many more there are: one line stays one line. */
const MAX_DETAILS = 6

export function refusalReason(
  digest: string,
  policies: string[],
  read: SignaturesRead,
  checked: CarrierChecks[]
): string {
  const names = orList(policies)
  const signatureProblems = read.problems.filter((p) => p.kind !== undefined)
  const findingProblems = read.problems.filter((p) => p.kind === undefined).map((p) => p.reason)
  const found = [
    ...checked.map((c) => c.carrier.kind),
    ...signatureProblems.map((p) => p.kind as SignatureKind)
  ]
  if (found.length === 0 && read.unread === 0) {
    // Nothing found because the signatures could not be looked for is not "no signature": it says why.
    return safeText(
      findingProblems.length > 0
        ? `no signature could be found for ${digest} (${findingProblems.join('; ')}); ${names} requires one`
        : `no signature found for ${digest}; ${names} requires one`
    )
  }
  const total = found.length + read.unread
  const kinds = [...new Set(found.map((kind) => KIND_WORDS[kind]))].join(', ')
  const details = [
    ...checked.map((c) => `${KIND_WORDS[c.carrier.kind]}: ${carrierReason(c, policies)}`),
    ...signatureProblems.map((p) => `${KIND_WORDS[p.kind as SignatureKind]}: ${p.reason}`),
    ...findingProblems,
    ...(read.unread > 0 ? [`${read.unread} more not read`] : [])
  ]
  return safeText(
    `${total} signature${total === 1 ? '' : 's'} found${kinds ? ` (${kinds})` : ''}; ` +
      `none verifies with ${names}: ${summarised(details)}`
  )
}

/** Why one carrier did not verify: each policy's reason (named when several said different things). */
function carrierReason(carrier: CarrierChecks, policies: string[]): string {
  const refusals = carrier.checks.flatMap(({ policy, check }) =>
    check && !check.verified ? [{ policy, reason: check.reason }] : []
  )
  if (refusals.length === 0) {
    const scheme = carrier.carrier.kind === 'notation' ? 'a Notation' : 'a cosign'
    return policies.length === 1
      ? `${policies[0]} is not ${scheme} policy`
      : `none of ${policies.join(', ')} is ${scheme} policy`
  }
  const distinct = new Set(refusals.map((r) => r.reason))
  if (distinct.size === 1) return refusals[0].reason
  return refusals.map((r) => `${r.reason} (${r.policy})`).join(', ')
}

/** The same reason once, with how often it came; at most MAX_DETAILS of them. */
function summarised(details: string[]): string {
  const counts = new Map<string, number>()
  for (const detail of details) counts.set(detail, (counts.get(detail) ?? 0) + 1)
  const distinct = [...counts].map(([detail, count]) => (count > 1 ? `${count}× ${detail}` : detail))
  const shown = distinct.slice(0, MAX_DETAILS)
  const more = distinct.length - shown.length
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ')
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(names: string[]): string {
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`
}
