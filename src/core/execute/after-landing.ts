// The execution's steps after an image landed and was verified, or was found unchanged: copy its referrers
// (signatures, SBOMs, attestations; src/core/referrers), then lock its target tags (src/core/lock). An unchanged
// image gets only the referrers the target lacks. A step that fails turns the entry's result into a failure.
import type { TokenCredential } from '@azure/core-auth'
import type { ArmRegistries } from '../arm/management.js'
import type { PollPacing } from '../arm/poll-pacing.js'
import type { RegistryInfo } from '../arm/registry-info.js'
import type { Cloud } from '../cloud/clouds.js'
import { lockTargets } from '../lock/lock-targets.js'
import { createTargetLocker, type TargetLocker } from '../lock/target-locker.js'
import type { PlannedImport } from '../plan/planned-import.js'
import { copyReferrers, digestUnknownWarning } from '../referrers/copy-referrers.js'
import { createReferrerSources, type ReferrerSources } from '../referrers/referrer-sources.js'
import { createTargetPlatforms, type TargetPlatforms } from '../referrers/target-platforms.js'
import type { StepRequest } from '../request/step-request.js'
import type { ImportResult } from './import-result.js'
import type { ReadBudget } from '../registry/read-budget.js'
import type { TargetTagReader } from '../registry/target-tag-reader.js'

export interface AfterLanding {
  /** Copy what refers to the image (`referrers` input). */
  referrers: boolean
  /** Lock the target tags and digest (`lock` input). */
  lock: boolean
  sources: ReferrerSources
  platforms?: TargetPlatforms
  locker: TargetLocker
  targets: TargetTagReader
}

interface StepContext {
  arm: ArmRegistries
  target: RegistryInfo
  timeoutSeconds: number
  signal?: AbortSignal
  afterLanding?: AfterLanding
}

export async function afterLanding(
  plan: PlannedImport,
  result: ImportResult,
  context: StepContext,
  shared: { pacing: PollPacing; budget?: ReadBudget }
): Promise<ImportResult> {
  const steps = context.afterLanding
  if (!steps || (result.status !== 'imported' && result.status !== 'unchanged')) return result
  const failed = (error: string): ImportResult => {
    plan.log.info(error)
    return { ...result, status: 'failed', error }
  }
  let done = result
  if (plan.entry.referrers ?? steps.referrers) {
    if (!result.digest) {
      plan.log.warning(digestUnknownWarning(plan, steps.sources))
    } else {
      const copy = await copyReferrers(plan, result.digest, result.platforms.length > 0, {
        ...context,
        ...shared,
        sources: steps.sources,
        platforms: steps.platforms,
        targets: steps.targets
      })
      if (copy.failure) return failed(copy.failure)
      if (copy.referrers.length > 0) {
        done = {
          ...done,
          referrers: copy.referrers.map(({ digest, artifactType, tag }) => ({
            digest,
            artifactType,
            ...(tag && { tag })
          }))
        }
      }
    }
  }
  if (plan.entry.lock ?? steps.lock) {
    const failure = await lockTargets(
      plan,
      result.digest,
      context.target.loginServer,
      steps.locker,
      context.signal
    )
    if (failure) return failed(failure)
    done = { ...done, locked: true }
  }
  return done
}

/**
 * A queued import (wait: false) has no landed image to find referrers of or to lock: say so, as a warning when
 * the user asked for the lock, so that a release tag is never believed locked.
 */
export function notAfterQueued(plan: PlannedImport, steps: AfterLanding | undefined): void {
  if (!steps) return
  if (plan.entry.lock ?? steps.lock)
    plan.log.warning('The target tags were not locked: lock needs wait: true')
  if (plan.entry.referrers ?? steps.referrers)
    plan.log.info('Signatures, SBOMs and attestations are copied only with wait: true; none were looked for')
}

/** The steps as the request asks for them, reading and locking with the step's identity. */
export function createAfterLanding(
  request: Pick<StepRequest, 'referrers' | 'lock'>,
  azure: { credential: TokenCredential; cloud: Cloud },
  targetLoginServer: string,
  targets: TargetTagReader
): AfterLanding {
  return {
    referrers: request.referrers ?? true,
    lock: request.lock ?? false,
    sources: createReferrerSources(azure.credential, azure.cloud),
    platforms: createTargetPlatforms(targetLoginServer, azure.credential, azure.cloud.acrAudience),
    locker: createTargetLocker(targetLoginServer, azure.credential, azure.cloud.acrAudience),
    targets
  }
}
