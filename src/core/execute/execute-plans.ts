// The execution stage: a scheduler runs each planned entry (at most a few imports in flight), and each entry
// goes through its steps: import, then verify. Every entry ends as one ImportResult, and its log lines are
// printed together in one group when it ends. A failing entry never stops the others.
import type { ArmRegistries } from '../arm/management.js'
import { importImage } from '../arm/import-image.js'
import { describeError } from '../errors/describe-error.js'
import { UserError } from '../errors/user-error.js'
import { pinnedDigest, toImportParameters, type PlannedImport } from '../plan/planned-import.js'
import { fullReference } from '../reference/image-reference.js'
import type { ImportResult, ImportStatus } from '../results/import-result.js'
import type { Logger } from '../step/logger.js'
import { sourceVerdict, verifyImport, type TargetReading } from '../verify/verify-import.js'
import { mapLimited } from './map-limited.js'

const MAX_PARALLEL_IMPORTS = 4

export interface ExecutionContext extends TargetReading {
  arm: ArmRegistries
  wait: boolean
  dryRun: boolean
  timeoutSeconds: number
}

export function executePlans(
  plans: PlannedImport[],
  context: ExecutionContext,
  log: Logger
): Promise<ImportResult[]> {
  return mapLimited(plans, MAX_PARALLEL_IMPORTS, async (plan) => {
    const result = await executePlan(plan, context)
    await plan.log.flush(log, `${STATUS_WORDS[result.status]} ${result.source}`)
    return result
  })
}

const STATUS_WORDS: Record<ImportStatus, string> = {
  imported: 'Imported',
  unchanged: 'Unchanged',
  queued: 'Queued',
  planned: 'Planned',
  failed: 'Failed'
}

async function executePlan(plan: PlannedImport, context: ExecutionContext): Promise<ImportResult> {
  const sourceName = fullReference(plan.reference)
  const targets = [
    ...plan.entry.targetTags.map((t) => `${context.target.loginServer}/${t}`),
    ...plan.entry.untaggedRepositories.map((r) => `${context.target.loginServer}/${r}`)
  ]
  const result = (fields: Pick<ImportResult, 'digest' | 'platforms' | 'status' | 'error'>): ImportResult => ({
    source: sourceName,
    targets,
    ...fields,
    durationMs: Date.now() - plan.started
  })
  const failed = (error: string): ImportResult => {
    // Printed in the entry's own log group; the host reports the failure once, as the step's error.
    plan.log.info(error)
    return result({ digest: '', platforms: [], status: 'failed', error })
  }
  if (plan.decision.kind === 'fail') return failed(plan.decision.error)
  if (plan.decision.kind === 'unchanged') {
    const { digest, platforms } = sourceVerdict(plan, context)
    return result({ digest, platforms, status: 'unchanged' })
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
    const status = await importImage(context.arm, context.target, parameters, {
      wait: context.wait,
      timeoutSeconds: context.timeoutSeconds,
      signal: context.signal,
      sourceName
    })
    if (status === 'queued') {
      plan.log.warning(
        'The import was queued without waiting (wait: false): failures are not reported and the digest is not verified'
      )
      const { platforms } = sourceVerdict(plan, context)
      return result({ digest: pinnedDigest(plan) ?? '', platforms, status })
    }
    const verdict = await verifyImport(plan, context)
    verdict.warnings.forEach((w) => plan.log.warning(w))
    if (verdict.failure) {
      throw new UserError(verdict.failure, 'run the import again; if it repeats, check the source registry')
    }
    plan.log.info(`Imported ${targets.join(', ')}${verdict.digest ? ` at ${verdict.digest}` : ''}`)
    return result({ digest: verdict.digest, platforms: verdict.platforms, status: 'imported' })
  } catch (err) {
    if (!(err instanceof UserError) && err instanceof Error && err.stack) plan.log.debug(err.stack)
    return failed(
      err instanceof UserError ? err.format() : `Import of ${sourceName} failed: ${describeError(err)}`
    )
  }
}
