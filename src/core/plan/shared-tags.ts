// A tag pattern's import and an earlier entry that write one target tag (the expand stage notes them): the same
// image twice is no conflict, so the pattern's import leaves the tag to the other entry; another image would race
// for the tag, so the pattern's import fails, naming both. Decided here, once both digests are read.
import { UserError } from '../errors/user-error.js'
import type { ExpandedEntry } from '../expand/expanded-entry.js'
import { pinnedDigest, tagsToWrite, type PlannedImport } from './planned-import.js'

/** `plans` are parallel to `imports` (one plan per import, in order). */
export function settleSharedTags(imports: ExpandedEntry[], plans: PlannedImport[]): PlannedImport[] {
  const planOf = new Map(imports.map((entry, i) => [entry, plans[i]]))
  return plans.map((plan) => {
    if (!plan.sharedTags || plan.decision.kind === 'fail') return plan
    const digest = pinnedDigest(plan)
    const clash = plan.sharedTags.find((shared) => {
      const other = planOf.get(shared.with)
      return !digest || !other || pinnedDigest(other) !== digest
    })
    if (clash) {
      const other = clash.with.entry
      const error = new UserError(
        `Target '${clash.tag}' is written by both ${other.origin} (${other.written}) and the tags of ${plan.entry.origin}`,
        'give the tag pattern its own target repository, or exclude that tag'
      ).format()
      return { ...plan, decision: { kind: 'fail', error } }
    }
    const left = plan.sharedTags.map((shared) => shared.tag)
    plan.log.info(`The same image is written by another entry to ${left.join(', ')}: left to it`)
    const settled = { ...plan, unchangedTags: [...new Set([...(plan.unchangedTags ?? []), ...left])] }
    const nothingLeft = tagsToWrite(settled).length === 0 && plan.entry.untaggedRepositories.length === 0
    return nothingLeft ? { ...settled, decision: { kind: 'unchanged' } } : settled
  })
}
