// Last: locks the target tags and the digest (src/core/lock) once the image and its referrers are in place. A
// queued import has nothing landed to lock, which is said as a warning so a release tag is never believed
// locked; a dry run says what it would lock and sends nothing.
import { lockTargets } from '../lock/lock-targets.js'
import { failedProgress, type EntryStep } from './entry-step.js'

export const lockStep: EntryStep = async (plan, progress, { context }) => {
  const { result } = progress
  if (!plan.entry.lock || !context.supplyChain) return progress
  if (result.status === 'queued') {
    plan.log.warning('The target tags were not locked: lock needs wait: true')
    return progress
  }
  if (context.dryRun) {
    plan.log.info(`Would lock ${[...result.targets, ...(result.digest ? [result.digest] : [])].join(', ')}`)
    return progress
  }
  const failure = await lockTargets(
    plan,
    result.digest,
    context.target.loginServer,
    context.supplyChain.locker,
    context.signal
  )
  if (failure) return failedProgress(plan, progress, failure)
  return { ...progress, result: { ...result, locked: true } }
}
