// Copies what refers to the image (signatures, SBOMs, attestations; src/core/referrers) once it is in the
// target, or found unchanged: an unchanged image gets only the referrers the target lacks, so a signature added
// to the source later still arrives. A dry run lists what it would copy and imports nothing.
import { sourceHiddenFromRunner } from '../plan/planned-import.js'
import { copyReferrers, digestUnknownWarning } from '../referrers/copy-referrers.js'
import { failedProgress, type EntryStep } from './entry-step.js'

export const referrersStep: EntryStep = async (plan, progress, { context, shared }) => {
  const { supplyChain, targetReader } = context
  const { result } = progress
  if (!plan.entry.referrers || !supplyChain || !targetReader) return progress
  if (result.status === 'queued') {
    plan.log.info('Signatures, SBOMs and attestations are copied only with wait: true; none were looked for')
    return progress
  }
  // The plan's notice said it: a source only Azure can read has no referrers the runner could look for.
  if (sourceHiddenFromRunner(plan)) return progress
  if (!result.digest) {
    plan.log.warning(digestUnknownWarning(plan, supplyChain.sources))
    return progress
  }
  const copy = await copyReferrers(plan, result.digest, result.platforms.length > 0, {
    ...context,
    ...shared,
    sources: supplyChain.sources,
    platforms: supplyChain.platforms,
    targets: targetReader
  })
  if (copy.failure) return failedProgress(plan, progress, copy.failure)
  if (copy.referrers.length === 0) return progress
  const referrers = copy.referrers.map(({ digest, artifactType, tag }) => ({
    digest,
    artifactType,
    ...(tag && { tag })
  }))
  return { ...progress, result: { ...result, referrers } }
}
