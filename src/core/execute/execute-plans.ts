// The execution stage: a scheduler runs the planned entries (an adaptive number in flight, see scheduler.ts), and
// each entry goes through its steps: import, then verify. Every entry ends as one ImportResult, and its log lines
// are printed together in one group when it ends. A failing entry stops the others only with fail-fast.
import type { ArmRegistries } from '../arm/management.js'
import { importImage } from '../arm/import-image.js'
import { PollPacing } from '../arm/poll-pacing.js'
import { observeThrottling } from '../arm/throttle-retry-policy.js'
import { describeError } from '../errors/describe-error.js'
import { UserError } from '../errors/user-error.js'
import { pinnedDigest, toImportParameters, type PlannedImport } from '../plan/planned-import.js'
import { fullReference } from '../reference/image-reference.js'
import type { ImportResult, ImportStatus } from './import-result.js'
import type { Logger } from '../log/logger.js'
import { sourceVerdict, verifyImport, type TargetReading } from '../verify/verify-import.js'
import { afterLanding, notAfterQueued, type AfterLanding } from './after-landing.js'
import { systemClock, type Clock } from '../util/clock.js'
import { EntryThrottling } from './entry-throttling.js'
import { prepareLandingWatch } from './landing-watch.js'
import { ReadBudget } from '../registry/read-budget.js'
import { schedule } from './scheduler.js'
import type { TargetTagReader } from '../registry/target-tag-reader.js'

export interface ExecutionContext extends TargetReading {
  arm: ArmRegistries
  wait: boolean
  dryRun: boolean
  timeoutSeconds: number
  /** How many imports may be in flight: 'auto' adapts to throttling; a number is a fixed maximum. */
  concurrency: 'auto' | number
  /** Start no new entry after the first failure. */
  failFast: boolean
  /** Reads target tags while imports run, to notice them land; without it ARM alone says when they are done. */
  targetTags?: TargetTagReader
  /** The steps after an image landed or was found unchanged: its referrers, then the lock. */
  afterLanding?: AfterLanding
  clock?: Clock
}

/** What the entries of one batch share. */
interface BatchShared {
  pacing: PollPacing
  budget: ReadBudget
}

export const NOT_STARTED_ERROR = 'Not started: an earlier import failed and fail-fast is on'

export async function executePlans(
  plans: PlannedImport[],
  context: ExecutionContext,
  log: Logger
): Promise<ImportResult[]> {
  const shared: BatchShared = { pacing: new PollPacing(), budget: ReadBudget.forSku(context.target.sku) }
  const notStarted = new Set<number>()
  const results = await schedule<PlannedImport, ImportResult>(
    plans,
    {
      concurrency: context.concurrency,
      failFast: context.failFast,
      clock: context.clock ?? systemClock,
      progress: (line) => log.info(line),
      isFailure: (result) => result.status === 'failed',
      notStarted: (index) => {
        notStarted.add(index)
        return {
          ...resultBase(plans[index], context),
          digest: '',
          platforms: [],
          status: 'failed',
          error: NOT_STARTED_ERROR
        }
      }
    },
    async (plan, _index, scheduler) => {
      const throttling = new EntryThrottling(context.timeoutSeconds * 1000, scheduler, plan.log)
      const result = await observeThrottling(throttling, () => executePlan(plan, context, shared, throttling))
      const { count: throttled } = throttling.soFar()
      if (throttled > 0)
        plan.log.info(`Throttled ${throttled} time(s) by Azure; each time it waited and retried`)
      await plan.log.flush(log, `${STATUS_WORDS[result.status]} ${result.source}`)
      return throttled > 0 ? { ...result, throttled } : result
    }
  )
  for (const index of notStarted) await plans[index].log.flush(log, `Not started ${results[index].source}`)
  return results
}

function resultBase(
  plan: PlannedImport,
  context: ExecutionContext
): Pick<ImportResult, 'source' | 'targets' | 'durationMs'> {
  return {
    source: fullReference(plan.reference),
    targets: [
      ...plan.entry.targetTags.map((t) => `${context.target.loginServer}/${t}`),
      ...plan.entry.untaggedRepositories.map((r) => `${context.target.loginServer}/${r}`)
    ],
    durationMs: Date.now() - plan.started
  }
}

const STATUS_WORDS: Record<ImportStatus, string> = {
  imported: 'Imported',
  unchanged: 'Unchanged',
  queued: 'Queued',
  planned: 'Planned',
  failed: 'Failed'
}

async function executePlan(
  plan: PlannedImport,
  context: ExecutionContext,
  shared: BatchShared,
  throttling: EntryThrottling
): Promise<ImportResult> {
  const sourceName = fullReference(plan.reference)
  const result = (fields: Pick<ImportResult, 'digest' | 'platforms' | 'status' | 'error'>): ImportResult => ({
    ...resultBase(plan, context),
    ...fields
  })
  const { targets } = resultBase(plan, context)
  const failed = (error: string): ImportResult => {
    // Printed in the entry's own log group; the host reports the failure once, as the step's error.
    plan.log.info(error)
    return result({ digest: '', platforms: [], status: 'failed', error })
  }
  if (plan.decision.kind === 'fail') return failed(plan.decision.error)
  if (plan.decision.kind === 'unchanged') {
    const { digest, platforms } = sourceVerdict(plan, context)
    return afterLanding(plan, result({ digest, platforms, status: 'unchanged' }), context, shared)
  }
  if (context.dryRun) {
    const { digest, platforms } = sourceVerdict(plan, context)
    plan.log.info(`Would import ${toImportParameters(plan).source.sourceImage}`)
    return result({ digest, platforms, status: 'planned' })
  }
  try {
    const parameters = toImportParameters(plan)
    const pinned = plan.source.kind === 'read' ? ' (pinned to the digest just read)' : ''
    plan.log.info(`Importing ${parameters.source.sourceImage}${pinned}`)
    const watch =
      context.wait && context.targetTags
        ? await prepareLandingWatch(plan, context.targetTags, shared.budget, context.signal)
        : undefined
    throttling.importStarting()
    const outcome = await importImage(context.arm, context.target, parameters, {
      wait: context.wait,
      timeoutSeconds: context.timeoutSeconds,
      signal: context.signal,
      sourceName,
      pacing: shared.pacing,
      landed: watch?.landed,
      throttling: () => throttling.soFar()
    })
    const status = outcome.status
    if (outcome.status === 'queued') {
      plan.log.warning(
        'The import was queued without waiting (wait: false): failures are not reported and the digest is not verified'
      )
      notAfterQueued(plan, context.afterLanding)
      const { platforms } = sourceVerdict(plan, context)
      return result({ digest: pinnedDigest(plan) ?? '', platforms, status })
    }
    plan.log.debug(`The import landed (seen on ${outcome.seenOn})`)
    // The data plane already showed every target serving the imported digest: that is the verification.
    const verdict =
      outcome.seenOn === 'the data plane'
        ? sourceVerdict(plan, context)
        : await verifyImport(watch ? { ...plan, targetsBefore: watch.targetsBefore } : plan, context)
    verdict.warnings.forEach((w) => plan.log.warning(w))
    if (verdict.failure) {
      throw new UserError(
        verdict.failure,
        verdict.failureHint ?? 'run the import again; if it repeats, check the source registry'
      )
    }
    plan.log.info(`Imported ${targets.join(', ')}${verdict.digest ? ` at ${verdict.digest}` : ''}`)
    const imported = result({ digest: verdict.digest, platforms: verdict.platforms, status: 'imported' })
    return await afterLanding(plan, imported, context, shared)
  } catch (err) {
    if (!(err instanceof UserError) && err instanceof Error && err.stack) plan.log.debug(err.stack)
    return failed(
      err instanceof UserError ? err.format() : `Import of ${sourceName} failed: ${describeError(err)}`
    )
  }
}
