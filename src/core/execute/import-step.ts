// The first step of an entry: act on the plan's decision. A failed plan fails the entry; an unchanged one takes
// the source's digest; a dry run says what it would import; otherwise ARM imports the image by the digest the
// plan read, and the data plane is watched so the import ends as soon as every target serves that digest.
import { importImage } from '../arm/import-image.js'
import { pinnedDigest, toImportParameters } from '../plan/planned-import.js'
import { shortDigest } from '../util/digest.js'
import { sourceVerdict } from '../verify/verify-import.js'
import { changedTags } from './changed-tags.js'
import { failedProgress, type EntryStep } from './entry-step.js'
import { prepareLandingWatch } from './landing-watch.js'

export const importStep: EntryStep = async (plan, progress, { context, shared, throttling }) => {
  const fromSource = (status: 'unchanged' | 'planned' | 'queued') => {
    const { digest, platforms } = sourceVerdict(plan, context)
    return {
      result: {
        ...progress.result,
        digest: status === 'queued' ? (pinnedDigest(plan) ?? '') : digest,
        platforms,
        status
      }
    }
  }
  if (plan.decision.kind === 'fail') return failedProgress(plan, progress, plan.decision.error)
  if (plan.decision.kind === 'unchanged') return fromSource('unchanged')
  const parameters = toImportParameters(plan)
  if (context.dryRun) {
    plan.log.info(`Would import ${parameters.source.sourceImage}`)
    // What would change: the plan read the target tags (a dry run always does).
    const { result } = fromSource('planned')
    const changed = changedTags(plan, plan.targetsBefore, context.target.loginServer, result.digest)
    return { result: { ...result, ...(changed.length > 0 && { changed }) } }
  }
  // The full digest is printed once per image, on the line that says it landed; here it is short.
  const pinned = pinnedDigest(plan)
  plan.log.info(`Importing ${progress.result.source}${pinned ? ` by digest ${shortDigest(pinned)}` : ''}`)
  const watch =
    context.wait && context.targetReader
      ? await prepareLandingWatch(plan, context.targetReader, shared.budget, context.signal)
      : undefined
  throttling.importStarting()
  const outcome = await importImage(context.arm, context.target, parameters, {
    wait: context.wait,
    timeoutSeconds: context.timeoutSeconds,
    signal: context.signal,
    sourceName: progress.result.source,
    pacing: shared.pacing,
    landed: watch?.landed,
    throttling: () => throttling.soFar()
  })
  if (outcome.status === 'queued') {
    plan.log.warning(
      'The import was queued without waiting (wait: false): failures are not reported and the digest is not verified'
    )
    return fromSource('queued')
  }
  plan.log.debug(`The import landed (seen on ${outcome.seenOn})`)
  return {
    result: { ...progress.result, status: 'imported' },
    landing: { seenOn: outcome.seenOn, targetsBefore: watch?.targetsBefore }
  }
}
