// The job summary: how many of each outcome, one table row per import, then the failures in full.
import { shortDigest } from '../util/digest.js'
import type { ImportResult, ImportStatus } from '../execute/import-result.js'
import { showsSupplyChain, SUPPLY_CHAIN_HEADER, supplyChainCell } from './supply-chain-cell.js'

export interface SummaryOptions {
  dryRun?: boolean
  /** Which slice of the whole list this step ran (`shard` input). */
  shard?: { index: number; count: number; kept: number; total: number }
  /** One row per tag-pattern entry: its matches, counted in source tags. */
  patterns?: PatternSummary[]
}

export interface PatternSummary {
  /** The source repository. */
  source: string
  /** Where the entry is written ("images.yaml line 4"). */
  origin: string
  matched: number
  /** Imported (in a dry run: would be imported). */
  imported: number
  unchanged: number
  failed: number
  /** The repository's tags could not be listed. */
  notListed: boolean
}

/** Markdown: the counts, a table (source, targets, digest, platforms, status, duration), one line per failure. */
export function summaryMarkdown(results: ImportResult[], options: SummaryOptions = {}): string {
  const { shard } = options
  const chain = showsSupplyChain(results)
  const lines = [
    options.dryRun ? '### ACR import plan (dry run: nothing was imported)' : '### ACR import',
    '',
    ...(shard
      ? [
          `Shard ${shard.index} of ${shard.count}: ${shard.kept} of the ${shard.total} images in the list.`,
          ''
        ]
      : []),
    countsLine(results),
    '',
    `| Source | Targets | Digest | Platforms |${chain ? ` ${SUPPLY_CHAIN_HEADER} |` : ''} Status | Duration |`,
    `| --- | --- | --- | --- |${chain ? ' --- |' : ''} --- | --- |`,
    ...results.map(
      (r) =>
        `| ${cell(r.source)} | ${r.targets.map(cell).join('<br>')} | ${r.digest ? `\`${shortDigest(r.digest)}\`` : '–'} | ` +
        `${r.platforms.length ? r.platforms.map(cell).join(', ') : '–'} |${chain ? ` ${supplyChainCell(r)} |` : ''} ` +
        `${statusLabel(r.status)} | ${seconds(r.durationMs)} |`
    )
  ]
  if (options.patterns?.length) lines.push('', ...patternTable(options.patterns, options.dryRun === true))
  const failures = results.filter((r) => r.status === 'failed')
  if (failures.length > 0) {
    lines.push('', `**${failures.length} of ${results.length} failed:**`, '')
    for (const failure of failures)
      lines.push(`- ${cell(failure.source)}: ${cell(failure.error ?? 'failed')}`)
  }
  return `${lines.join('\n')}\n`
}

/** Tags matched / imported / unchanged per pattern; a pattern that matched nothing says so, as a warning. */
function patternTable(patterns: PatternSummary[], dryRun: boolean): string[] {
  return [
    `| Tag pattern | Tags matched | ${dryRun ? 'Would be imported' : 'Imported'} | Unchanged | Failed |`,
    '| --- | --- | --- | --- | --- |',
    ...patterns.map((p) => {
      const name = `${cell(p.source)} (${cell(p.origin)})`
      if (p.notListed) return `| ${name} | ❌ tags not listed | – | – | – |`
      if (p.matched === 0) return `| ${name} | ⚠️ no tag matched | – | – | – |`
      return `| ${name} | ${p.matched} | ${p.imported} | ${p.unchanged} | ${p.failed} |`
    })
  ]
}

/** "**3 imported**, 1 unchanged, 1 failed" in status order, leaving out what did not happen. */
function countsLine(results: ImportResult[]): string {
  const order: ImportStatus[] = ['imported', 'unchanged', 'queued', 'planned', 'failed']
  const words: Record<ImportStatus, string> = {
    imported: 'imported',
    unchanged: 'unchanged',
    queued: 'queued',
    planned: 'would be imported',
    failed: 'failed'
  }
  const parts = order
    .map((status) => [status, results.filter((r) => r.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `**${count}** ${words[status]}`)
  return parts.length > 0 ? `${parts.join(', ')}.` : 'Nothing to import.'
}

function statusLabel(status: ImportResult['status']): string {
  return {
    imported: '✅ imported',
    unchanged: '⏸️ unchanged',
    queued: '⏳ queued',
    planned: '📝 planned',
    failed: '❌ failed'
  }[status]
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

/** Table cells: no pipes or newlines, no HTML from remote text. */
function cell(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}
