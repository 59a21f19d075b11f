// What the expand stage hands the plan: the resolved entries, with each tag-pattern entry replaced by one entry
// per digest (its matching tags as target tags), or by one failed entry when its tags could not be listed.
import type { ResolvedEntry } from '../resolve/source-access.js'

/** A tag-pattern entry as the summary reports it: which tags matched. Shared by the entries it became. */
export interface PatternExpansion {
  /** The source repository, `docker.io/library/nginx`. */
  source: string
  /** Where the entry is written: "images.yaml line 4", "source line 1". */
  origin: string
  /** Every tag that matched (source tags, highest version first). */
  matched: string[]
  /** The entry failed before matching: its tags could not be listed. */
  failed?: boolean
}

export interface ExpandedEntry extends ResolvedEntry {
  /** Set on the entries a tag pattern became. */
  pattern?: PatternExpansion
  /** Of an entry a tag pattern became: the source tags it imports (they share one digest). */
  patternTags?: string[]
  /**
   * Of an entry a tag pattern became: its target tags that an earlier entry writes too. Two writes of the same
   * image are no conflict, so the plan compares the two digests (the other's is known only once read).
   */
  sharedTags?: { tag: string; with: ExpandedEntry }[]
}

export interface ExpandedStep {
  imports: ExpandedEntry[]
  /** Every tag-pattern entry, in input order, those that matched nothing included. */
  patterns: PatternExpansion[]
}
