// The summary's signature column: which policy verified each image and what kind of signature it was, or that
// none did. Shown only when some entry had a policy, so a step without `verify:` keeps its table. Audit mode's
// failures are also listed under "Needs attention", with why.
import type { ImportResult } from '../execute/import-result.js'
import { KIND_WORDS } from '../signatures/signature-refusal.js'
import { cell } from './summary-text.js'

export const SIGNATURE_HEADER = 'Signature'

export function showsSignatures(results: ImportResult[]): boolean {
  return results.some((r) => r.signature !== undefined)
}

export function signatureCell(result: ImportResult): string {
  const signature = result.signature
  if (!signature) return '–'
  if (signature.verified) return `✅ ${cell(signature.policy)}<br>${KIND_WORDS[signature.kind]}`
  return signature.mode === 'audit' ? '⚠️ not verified (audit)' : '❌ not verified'
}

/** Each image that audit mode let through unverified, and why, for the summary's "Needs attention". */
export function auditFailures(
  results: ImportResult[],
  nameOf: (result: ImportResult, index: number) => string
): string[] {
  return results.flatMap((result, i) => {
    const signature = result.signature
    if (!signature || signature.verified || signature.mode !== 'audit') return []
    return [
      `- ${nameOf(result, i)}: signature not verified (verify-mode: audit, not enforced): ${cell(signature.reason)}`
    ]
  })
}
