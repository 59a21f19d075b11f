// The summary's table: one row per import, status first so a reader sees which row failed without scrolling.
// Cells stay short enough for an 872 px column: the target registry is in the heading, so targets are
// `repo:tag`; digests are 12 hex. Past FOLD_ABOVE rows, the unchanged ones are folded into <details>.
import type { ImportResult } from '../execute/import-result.js'
import type { SummaryOptions } from './summary-options.js'
import { showsSupplyChain, SUPPLY_CHAIN_HEADER, supplyChainCell } from './supply-chain-cell.js'
import { showsSignatures, SIGNATURE_HEADER, signatureCell } from './signature-cell.js'
import { cell } from './summary-text.js'

/** More rows than this and the unchanged ones are folded: what changed stays in view. */
export const FOLD_ABOVE = 10

export function imagesTable(results: ImportResult[], options: SummaryOptions): string[] {
  if (results.length === 0) return []
  const columns = { chain: showsSupplyChain(results), signatures: showsSignatures(results) }
  const rows = results.map((result, i) => ({ result, line: row(result, i, options, columns) }))
  const folds = results.length > FOLD_ABOVE && rows.some((r) => r.result.status === 'unchanged')
  const shown = folds ? rows.filter((r) => r.result.status !== 'unchanged') : rows
  const folded = folds ? rows.filter((r) => r.result.status === 'unchanged') : []
  const table = (lines: string[]) => [header(columns), ...lines]
  return [
    ...(shown.length > 0 ? ['', ...table(shown.map((r) => r.line))] : []),
    ...(folded.length > 0
      ? [
          '',
          `<details><summary>${folded.length} unchanged</summary>`,
          '',
          ...table(folded.map((r) => r.line)),
          '',
          '</details>'
        ]
      : [])
  ]
}

/** The optional columns: shown only when some row has something to say in them. */
interface OptionalColumns {
  chain: boolean
  signatures: boolean
}

function header({ chain, signatures }: OptionalColumns): string {
  const columns = [
    'Status',
    'Image and targets',
    'Digest',
    ...(signatures ? [SIGNATURE_HEADER] : []),
    ...(chain ? [SUPPLY_CHAIN_HEADER] : []),
    'Duration'
  ]
  return [`| ${columns.join(' | ')} |`, `|${' --- |'.repeat(columns.length)}`].join('\n')
}

/**
 * The source above its targets in one cell and the platforms under the digest: a cell is as wide as its longest
 * unbreakable name, so two names side by side in two columns would need both widths.
 */
function row(
  result: ImportResult,
  index: number,
  options: SummaryOptions,
  { chain, signatures }: OptionalColumns
): string {
  const name = cell(options.entries?.[index]?.name ?? result.source)
  const targets = result.targets.map((target) => `→ ${cell(relativeTarget(target, options.registry))}`)
  const digest = result.digest ? `\`${cell(result.digest)}\`` : '–'
  const platforms = result.platforms.map(cell).join(', ')
  const cells = [
    result.sourceNotReadable && result.status !== 'failed'
      ? `${STATUS_LABELS[result.status]} (source not readable)`
      : STATUS_LABELS[result.status],
    [name, ...targets].join('<br>'),
    platforms ? `${digest}<br>${platforms}` : digest,
    ...(signatures ? [signatureCell(result)] : []),
    ...(chain ? [supplyChainCell(result)] : []),
    `${(result.durationMs / 1000).toFixed(1)} s`
  ]
  return `| ${cells.join(' | ')} |`
}

/** `repo:tag` under the registry named in the heading; an untagged copy says so. */
function relativeTarget(target: string, registry: string | undefined): string {
  const relative = registry && target.startsWith(`${registry}/`) ? target.slice(registry.length + 1) : target
  const lastSegment = relative.slice(relative.lastIndexOf('/') + 1)
  return lastSegment.includes(':') || lastSegment.includes('@') ? relative : `${relative} (untagged)`
}

const STATUS_LABELS: Record<ImportResult['status'], string> = {
  imported: '✅ imported',
  unchanged: '⏸️ unchanged',
  queued: '⏳ queued',
  planned: '📝 would import',
  failed: '❌ failed'
}
