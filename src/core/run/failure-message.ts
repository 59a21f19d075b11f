import type { RunOutcome } from '../contract.js'

/**
 * The one line a host fails its step with when imports failed: a single import's own error, or how many of
 * a batch failed (the host reports each failed import of a batch on its own line). Undefined when all succeeded.
 */
export function failureMessage(outcome: RunOutcome): string | undefined {
  const failed = outcome.results.filter((result) => result.status === 'failed')
  if (failed.length === 0) return undefined
  if (outcome.results.length === 1) return failed[0].error ?? `Import of ${failed[0].source} failed.`
  return `${failed.length} of ${outcome.results.length} imports failed (see the summary)`
}
