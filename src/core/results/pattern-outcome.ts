// Per tag-pattern entry, for the summary: how many tags matched, and how many of them were imported, left
// unchanged or failed. Counted in source tags: a tag is imported when any of its target tags was written,
// unchanged when all of them already held its digest, failed when its import failed.
import { tagsToWrite, type PlannedImport } from '../plan/planned-import.js'
import type { ImportResult } from '../execute/import-result.js'
import type { PatternExpansion } from '../expand/expanded-entry.js'
import { splitRepoTag } from '../util/repo-tag.js'

/** A tag-pattern entry's row in the summary. */
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

type TagOutcome = 'imported' | 'unchanged' | 'failed'

/** `plans` and `results` are parallel (one result per plan, in order). */
export function patternOutcomes(
  patterns: PatternExpansion[],
  plans: PlannedImport[],
  results: ImportResult[]
): PatternSummary[] {
  const outcomes = new Map<PatternExpansion, Map<string, TagOutcome>>(patterns.map((p) => [p, new Map()]))
  plans.forEach((plan, i) => {
    const tags = plan.pattern && outcomes.get(plan.pattern)
    if (!tags) return
    const status = results[i]?.status
    const written: TagOutcome =
      status === 'failed' ? 'failed' : status === 'unchanged' ? 'unchanged' : 'imported'
    for (const target of tagsToWrite(plan)) worst(tags, splitRepoTag(target).tag, written)
    for (const target of plan.unchangedTags ?? []) worst(tags, splitRepoTag(target).tag, 'unchanged')
  })
  return patterns.map((pattern) => {
    const tags = [...(outcomes.get(pattern)?.values() ?? [])]
    const count = (outcome: TagOutcome) => tags.filter((t) => t === outcome).length
    return {
      source: pattern.source,
      origin: pattern.origin,
      matched: pattern.matched.length,
      imported: count('imported'),
      unchanged: count('unchanged'),
      failed: count('failed'),
      notListed: pattern.failed === true
    }
  })
}

const RANK: Record<TagOutcome, number> = { unchanged: 0, imported: 1, failed: 2 }

/** A tag written to several repositories keeps the outcome that matters most. */
function worst(tags: Map<string, TagOutcome>, tag: string, outcome: TagOutcome): void {
  const before = tags.get(tag)
  if (before === undefined || RANK[outcome] > RANK[before]) tags.set(tag, outcome)
}
