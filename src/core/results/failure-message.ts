import type { ImportResult } from '../execute/import-result.js'

/**
 * The one line a step fails with when imports failed: a single import's own error, or how many of a batch
 * failed (each failed import of a batch is also reported on its own). Undefined when all succeeded.
 */
export function failureMessage(results: ImportResult[]): string | undefined {
  const failed = results.filter((result) => result.status === 'failed')
  if (failed.length === 0) return undefined
  if (results.length === 1) return failed[0].error ?? `Import of ${failed[0].source} failed.`
  return `${failed.length} of ${results.length} imports failed (see the summary)`
}
