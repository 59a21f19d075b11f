// The results stage: what the step publishes, computed once from the results of every entry.
import type { ChangedTag } from '../execute/changed-tags.js'
import type { ImportResult } from '../execute/import-result.js'
import { summaryMarkdown } from './summary.js'
import type { SummaryOptions } from './summary-options.js'

export interface StepOutcome {
  /** Every entry's result, in input order (the `results` output). */
  results: ImportResult[]
  /**
   * The digest of the first entry that did not fail and has one, imported or unchanged (in a dry run: the
   * source's), so it is never the digest of a failed import (the `digest` output). '' when none is known.
   */
  digest: string
  /** The first target of the first entry that did not fail (the `target-image` output). */
  targetImage: string
  /** Every target tag whose digest changed, with its source (the `changed` output); [] when none did. */
  changed: ({ source: string } & ChangedTag)[]
  summaryMarkdown: string
}

export function stepOutcome(results: ImportResult[], options: SummaryOptions): StepOutcome {
  const done = results.find((r) => r.status !== 'failed' && r.targets.length > 0)
  return {
    results,
    digest: results.find((r) => r.status !== 'failed' && r.digest)?.digest ?? '',
    targetImage: done?.targets[0] ?? '',
    changed: results.flatMap((r) => (r.changed ?? []).map((tag) => ({ source: r.source, ...tag }))),
    summaryMarkdown: summaryMarkdown(results, options)
  }
}
