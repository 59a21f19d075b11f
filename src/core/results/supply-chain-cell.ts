// The summary's supply-chain column: what travelled with the image ("2 signatures, 1 SBOM") and whether its
// target tags were locked. Shown only when some entry has either, so a step without them keeps its table.
import { describeArtifacts } from '../referrers/artifact-kind.js'
import type { ImportResult } from '../execute/import-result.js'

export const SUPPLY_CHAIN_HEADER = 'Supply chain'

export function showsSupplyChain(results: ImportResult[]): boolean {
  return results.some((r) => (r.referrers?.length ?? 0) > 0 || r.locked)
}

export function supplyChainCell(result: ImportResult): string {
  const parts = [describeArtifacts((result.referrers ?? []).map((r) => r.artifactType))].filter(Boolean)
  if (result.locked) parts.push('🔒 locked')
  return parts.length > 0 ? parts.join(', ') : '–'
}
