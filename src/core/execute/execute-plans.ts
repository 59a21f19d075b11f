// The execution stage: a scheduler runs the planned entries (an adaptive number in flight, see scheduler.ts), and
// each entry goes through its steps in order: import, verify, referrers, lock (entry-step.ts). Every entry ends as
// one ImportResult, whatever a step throws, and its log lines are printed together in one group when it ends. A
// failing entry stops the others only with fail-fast.
import { observeThrottling } from '../network/throttle-retry-policy.js'
import { PollPacing } from '../arm/poll-pacing.js'
import type { RegistryInfo } from '../arm/registry-info.js'
import { describeError } from '../errors/describe-error.js'
import { UserError } from '../errors/user-error.js'
import type { Logger } from '../log/logger.js'
import {
  importName,
  sourceHiddenFromRunner,
  tagsToWrite,
  type PlannedImport
} from '../plan/planned-import.js'
import { fullReference } from '../reference/image-reference.js'
import { ReadBudget } from '../registry/read-budget.js'
import { systemClock } from '../util/clock.js'
import { EntryThrottling } from './entry-throttling.js'
import { failedProgress, type EntryProgress, type EntryRun, type EntryStep } from './entry-step.js'
import type { BatchShared, ExecutionContext } from './execution-context.js'
import type { ImportResult, ImportStatus } from './import-result.js'
import { importStep } from './import-step.js'
import { lockStep } from './lock-step.js'
import { referrersStep } from './referrers-step.js'
import { schedule } from './scheduler.js'
import { verifyStep } from './verify-step.js'

/** The steps of every entry, in order. */
export const ENTRY_STEPS: readonly EntryStep[] = [importStep, verifyStep, referrersStep, lockStep]

export const NOT_STARTED_ERROR = 'Not started: an earlier import failed and fail-fast is on'

export async function executePlans(
  plans: PlannedImport[],
  context: ExecutionContext,
  log: Logger
): Promise<ImportResult[]> {
  const registries = new RegistryContexts(context)
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
        const plan = plans[index]
        return finished(plan, {
          ...startingResult(plan),
          status: 'failed',
          error: NOT_STARTED_ERROR
        })
      }
    },
    async (plan, _index, scheduler) => {
      const throttling = new EntryThrottling(context.timeoutSeconds * 1000, scheduler, plan.log)
      const run: EntryRun = { ...registries.of(plan.target), throttling }
      const result = await observeThrottling(throttling, () => executePlan(plan, ENTRY_STEPS, run))
      const { count: throttled } = throttling.soFar()
      if (throttled > 0)
        plan.log.info(`Throttled ${throttled} time(s) by Azure; each time it waited and retried`)
      await plan.log.flush(log, `${STATUS_WORDS[result.status]} ${importName(plan)}`)
      return throttled > 0 ? { ...result, throttled } : result
    }
  )
  for (const index of notStarted) await plans[index].log.flush(log, `Not started ${importName(plans[index])}`)
  return results
}

/** Runs one entry's steps in order inside one `try`: the entry always ends with exactly one result. */
export async function executePlan(
  plan: PlannedImport,
  steps: readonly EntryStep[],
  run: EntryRun
): Promise<ImportResult> {
  let progress: EntryProgress = { result: startingResult(plan) }
  try {
    for (const step of steps) {
      progress = await step(plan, progress, run)
      if (progress.result.status === 'failed') break
    }
    return finished(plan, progress.result)
  } catch (err) {
    if (!(err instanceof UserError) && err instanceof Error && err.stack) plan.log.debug(err.stack)
    const error =
      err instanceof UserError
        ? err.format()
        : `Import of ${progress.result.source} failed: ${describeError(err)}`
    return finished(
      plan,
      failedProgress(plan, { result: { ...progress.result, digest: '', platforms: [] } }, error).result
    )
  }
}

/**
 * The execution's context as each target registry needs it: its own target, readers, supply-chain access and
 * read budget (sized to its SKU); the polls' pacing is the batch's, as ARM is one service for all of them.
 */
class RegistryContexts {
  private readonly pacing = new PollPacing()
  private readonly known = new Map<string, { context: ExecutionContext; shared: BatchShared }>()

  constructor(private readonly step: ExecutionContext) {}

  of(target: RegistryInfo): { context: ExecutionContext; shared: BatchShared } {
    let known = this.known.get(target.loginServer)
    if (!known) {
      const { step } = this
      const own = target.loginServer === step.target.loginServer
      const context = own ? step : { ...step, target, ...step.otherRegistry?.(target) }
      known = { context, shared: { pacing: this.pacing, budget: ReadBudget.forSku(target.sku) } }
      this.known.set(target.loginServer, known)
    }
    return known
  }
}

/** The result before any step ran: what the entry is, nothing done yet. */
function startingResult(plan: PlannedImport): ImportResult {
  const { loginServer } = plan.target
  return {
    source: resultSource(plan),
    targets: [
      ...tagsToWrite(plan).map((t) => `${loginServer}/${t}`),
      ...plan.entry.untaggedRepositories.map((r) => `${loginServer}/${r}`)
    ],
    digest: '',
    platforms: [],
    status: 'planned',
    durationMs: 0,
    ...(sourceHiddenFromRunner(plan) && { sourceNotReadable: true as const }),
    ...(plan.signature && { signature: plan.signature })
  }
}

/**
 * The `source` of the result: the reference read, or for a tag pattern's import the source with its first tag
 * (`docker.io/library/nginx:1.27.1`), as people name an image, not by its digest (the `digest` field has it).
 */
function resultSource(plan: PlannedImport): string {
  const [firstTag] = plan.patternTags ?? []
  if (firstTag === undefined) return fullReference(plan.reference)
  return fullReference({ ...plan.reference, tag: firstTag, digest: undefined })
}

function finished(plan: PlannedImport, result: ImportResult): ImportResult {
  return { ...result, durationMs: Date.now() - plan.started }
}

const STATUS_WORDS: Record<ImportStatus, string> = {
  imported: 'Imported',
  unchanged: 'Unchanged',
  queued: 'Queued',
  planned: 'Planned',
  failed: 'Failed'
}
