// Publishes what the engine returned: step outputs and the job summary. `target-image` is its own output, apart
// from `digest`: the runner drops any output that contains a masked value, and a masked registry name must not
// take the digest down with it.
import * as core from '@actions/core'
import type { ImportResult, RunOutcome } from '../core/index.js'

export function publishOutputs(outcome: RunOutcome): void {
  core.setOutput('digest', outcome.digest)
  core.setOutput('results', JSON.stringify(outcome.results))
  core.setOutput('target-image', firstTarget(outcome.results))
}

/** Writes the engine's markdown to the job summary; a summary problem never fails the import. */
export async function publishSummary(outcome: RunOutcome): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.debug('GITHUB_STEP_SUMMARY is not set: no job summary written')
    return
  }
  try {
    await core.summary.addRaw(outcome.summaryMarkdown, true).write()
  } catch (err) {
    core.warning(`The job summary could not be written: ${err instanceof Error ? err.message : String(err)}`)
  }
}

function firstTarget(results: ImportResult[]): string {
  const done = results.find((r) => r.status !== 'failed' && r.targets.length > 0)
  return done?.targets[0] ?? ''
}
