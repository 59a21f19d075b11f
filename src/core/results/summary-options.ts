// What the summary shows besides the results: the registry, the dry run, the shard, the tag patterns, and where
// each entry is written.
import type { PatternSummary } from './pattern-outcome.js'
import type { SummaryEntry } from './summary-entries.js'

export interface SummaryOptions {
  dryRun?: boolean
  /** The target registry's login server: named once in the heading; targets are shown relative to it. */
  registry?: string
  /** Which slice of the whole list this step ran (`shard` input). */
  shard?: { index: number; count: number; kept: number; total: number }
  /** One row per tag-pattern entry: its matches, counted in source tags. */
  patterns?: PatternSummary[]
  /** Per result (parallel to it): its name and where it is written; without it, rows show the source. */
  entries?: SummaryEntry[]
}
