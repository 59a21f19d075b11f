// The job summary, read in an 872 px column (a laptop's GitHub job page; the same Markdown on Azure DevOps'
// Extensions tab): the counts; what failed or needs attention, each with its fix and where it is written; then
// one row per import, status first, targets relative to the registry named once in the heading, short digests;
// unchanged rows folded when there are many; then the tag patterns' counts.
import type { ImportResult } from '../execute/import-result.js'
import { countsText } from './outcome-counts.js'
import { changesSection } from './summary-changes.js'
import { imagesTable } from './summary-table.js'
import type { PatternSummary } from './pattern-outcome.js'
import type { SummaryOptions } from './summary-options.js'
import { auditFailures } from './signature-cell.js'
import { cell } from './summary-text.js'

export function summaryMarkdown(results: ImportResult[], options: SummaryOptions = {}): string {
  const { shard } = options
  const registries = targetRegistries(results, options.registry)
  const into = registries ? ` ${options.dryRun ? 'for' : 'into'} ${registries}` : ''
  const lines = [
    options.dryRun ? `### ACR import plan${into} (dry run: nothing was imported)` : `### ACR import${into}`,
    '',
    ...(shard
      ? [
          `Shard ${shard.index} of ${shard.count}: ${shard.kept} of the ${shard.total} images in the list.`,
          ''
        ]
      : []),
    ...changesSection(results, options.dryRun === true),
    `${capitalised(countsText(results, (count) => `**${count}**`))}.`,
    ...attention(results, options),
    ...imagesTable(results, options)
  ]
  if (options.patterns?.length) lines.push('', ...patternTable(options.patterns, options.dryRun === true))
  return `${lines.join('\n')}\n`
}

/** The heading's registries: the step's first, then every other one a target names (fan-out). */
function targetRegistries(results: ImportResult[], registry: string | undefined): string {
  const others = results
    .flatMap((result) => result.targets.map((target) => target.slice(0, target.indexOf('/'))))
    .filter((host) => host !== registry)
  const names = [...new Set([...(registry ? [registry] : []), ...others])]
  return names.length > 3
    ? `${cell(names[0])} and ${names.length - 1} other registries`
    : names.map(cell).join(', ')
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** Before the table: each failure with its fix (the error line carries it) and where it is written. */
function attention(results: ImportResult[], options: SummaryOptions): string[] {
  const nameOf = (result: ImportResult, i: number) => {
    const entry = options.entries?.[i]
    return `**${cell(entry?.name ?? result.source)}**${entry ? ` (${cell(entry.origin)})` : ''}`
  }
  const failures = results.flatMap((result, i) =>
    result.status === 'failed' ? [`- ${nameOf(result, i)}: ${cell(result.error ?? 'failed')}`] : []
  )
  const unmatched = (options.patterns ?? [])
    .filter((p) => p.matched === 0 && !p.notListed)
    .map(
      (p) =>
        `- **${cell(p.source)}** (${cell(p.origin)}): no tag matched the pattern, nothing was imported for it; ` +
        "check the pattern against the repository's tags"
    )
  const block = (heading: string, items: string[]) => (items.length > 0 ? ['', heading, '', ...items] : [])
  return [
    ...block(`#### ❌ ${failures.length} of ${results.length} failed`, failures),
    ...block('#### ⚠️ Needs attention', [...auditFailures(results, nameOf), ...unmatched])
  ]
}

/** Tags matched / imported / unchanged per pattern; a pattern that matched nothing says so. */
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
