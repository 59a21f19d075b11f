// The results stage: what the step publishes, computed once from the results of every entry.
import type { ImportResult } from '../execute/import-result.js'
import { summaryMarkdown, type SummaryOptions } from './summary.js'

export interface StepOutcome {
  /** Every entry's result, in input order (the `results` output). */
  results: ImportResult[]
  /** Digest of the first entry that has one; '' when none is known (the `digest` output). */
  digest: string
  /** The first target of the first entry that did not fail (the `target-image` output). */
  targetImage: string
  summaryMarkdown: string
}

export function stepOutcome(results: ImportResult[], options: SummaryOptions): StepOutcome {
  const done = results.find((r) => r.status !== 'failed' && r.targets.length > 0)
  return {
    results,
    digest: results.find((r) => r.digest)?.digest ?? '',
    targetImage: done?.targets[0] ?? '',
    summaryMarkdown: summaryMarkdown(results, options)
  }
}
