// One entry's execution is a list of steps run in order: import, verify, referrers, lock. Each takes the
// entry's progress so far and returns the next; a step that fails the entry returns a failed result, one that
// throws is caught once for the whole list (execute-plans.ts), so no step can ever end the batch.
import type { PlannedImport } from '../plan/planned-import.js'
import type { ManifestRead } from '../registry/manifest-info.js'
import type { EntryThrottling } from './entry-throttling.js'
import type { BatchShared, ExecutionContext } from './execution-context.js'
import type { ImportResult } from './import-result.js'

export interface EntryProgress {
  result: ImportResult
  /** Set by the import step when the import landed: how it was seen, and what the targets held before. */
  landing?: { seenOn: string; targetsBefore?: Map<string, ManifestRead> }
}

/** What a step of one entry works with: the step's context, what the batch shares, the entry's throttling. */
export interface EntryRun {
  context: ExecutionContext
  shared: BatchShared
  throttling: EntryThrottling
}

export type EntryStep = (
  plan: PlannedImport,
  progress: EntryProgress,
  run: EntryRun
) => Promise<EntryProgress>

/** The entry's result as failed with `error`, printed in its own log group (the host reports it once). */
export function failedProgress(plan: PlannedImport, progress: EntryProgress, error: string): EntryProgress {
  plan.log.info(error)
  return { result: { ...progress.result, status: 'failed', error } }
}
