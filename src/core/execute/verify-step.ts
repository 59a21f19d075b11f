// After an import landed: the digest the targets hold must be the one imported. When the data plane already
// showed every target serving it, that was the verification; otherwise every target tag is read back.
import { UserError } from '../errors/user-error.js'
import { sourceHiddenFromRunner, tagsToWrite } from '../plan/planned-import.js'
import { sourceVerdict, verifyImport } from '../verify/verify-import.js'
import { changedTags } from './changed-tags.js'
import type { EntryStep } from './entry-step.js'

export const verifyStep: EntryStep = async (plan, progress, { context }) => {
  const { landing } = progress
  if (!landing) return progress
  const verdict =
    landing.seenOn === 'the data plane'
      ? sourceVerdict(plan, context)
      : await verifyImport(
          landing.targetsBefore ? { ...plan, targetsBefore: landing.targetsBefore } : plan,
          context
        )
  verdict.warnings.forEach((w) => plan.log.warning(w))
  if (verdict.failure) {
    throw new UserError(
      verdict.failure,
      verdict.failureHint ?? 'run the import again; if it repeats, check the source registry'
    )
  }
  const { targets } = progress.result
  const before = landing.targetsBefore ?? plan.targetsBefore
  const changed = changedTags(plan, before, context.target.loginServer, verdict.digest)
  // A source only Azure can read could not be compared before the import: the target shows it changed nothing.
  const unchanged =
    sourceHiddenFromRunner(plan) &&
    verdict.digest !== '' &&
    tagsToWrite(plan).length > 0 &&
    changed.length === 0
  plan.log.info(
    unchanged
      ? `Unchanged: every target tag already held ${verdict.digest}`
      : `Imported ${targets.join(', ')}${verdict.digest ? ` at ${verdict.digest}` : ''}`
  )
  return {
    result: {
      ...progress.result,
      digest: verdict.digest,
      platforms: verdict.platforms,
      ...(unchanged && { status: 'unchanged' as const }),
      ...(changed.length > 0 && { changed })
    }
  }
}
