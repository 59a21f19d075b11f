// After an import landed: the digest the targets hold must be the one imported. When the data plane already
// showed every target serving it, that was the verification; otherwise every target tag is read back.
import { UserError } from '../errors/user-error.js'
import { sourceHiddenFromRunner, tagsToWrite } from '../plan/planned-import.js'
import type { ManifestRead } from '../registry/manifest-info.js'
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
  if (sourceHiddenFromRunner(plan) && heldAlready(tagsToWrite(plan), before, verdict.digest)) {
    // The runner could not compare before the import; the target shows it changed nothing.
    plan.log.info(`Unchanged: every target tag already held ${verdict.digest}`)
    return {
      result: {
        ...progress.result,
        digest: verdict.digest,
        platforms: verdict.platforms,
        status: 'unchanged'
      }
    }
  }
  plan.log.info(`Imported ${targets.join(', ')}${verdict.digest ? ` at ${verdict.digest}` : ''}`)
  const changed = changedTags(plan, before, context.target.loginServer, verdict.digest)
  return {
    result: {
      ...progress.result,
      digest: verdict.digest,
      platforms: verdict.platforms,
      ...(changed.length > 0 && { changed })
    }
  }
}

/** Every tag held `digest` before the import (and there is a tag to tell by). */
function heldAlready(tags: string[], before: Map<string, ManifestRead>, digest: string): boolean {
  return (
    digest !== '' &&
    tags.length > 0 &&
    tags.every((tag) => {
      const read = before.get(tag)
      return read?.kind === 'read' && read.manifest.digest === digest
    })
  )
}
