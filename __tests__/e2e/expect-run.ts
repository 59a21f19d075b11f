// The checks every shared scenario makes on a run, whatever its host: it succeeded (or else its log explains
// why), it failed with one line a user can act on, and the `results` output it published.
import { expect } from '@jest/globals'
import type { HostRun } from './host.js'

/** Makes a failed expectation show the step's log, which is what explains it. */
export function expectSucceeded(run: HostRun): void {
  if (!run.succeeded) {
    throw new Error(
      `the step failed: ${run.resultMessage ?? run.errors.join('\n')}\n${run.log}\n${run.stderr}`
    )
  }
}

/**
 * A user error: the platform's failure, exactly one error line (on the agent, the result message repeated as
 * the one error), no line break in it and no stack trace. Returns that line.
 */
export function expectOneLineFailure(run: HostRun): string {
  if (!run.failed || run.errors.length !== 1) {
    throw new Error(`expected one error line and a failed step, got:\n${run.log}\n${run.stderr}`)
  }
  if (run.resultMessage !== undefined) expect(run.errors).toEqual([run.resultMessage])
  expect(run.errors[0]).not.toContain('\n')
  expect(run.showsStackTrace).toBe(false)
  return run.errors[0]
}

export interface ResultRow {
  source: string
  targets: string[]
  digest: string
  platforms: string[]
  status: string
  error?: string
  throttled?: number
}

/** The parsed `results` output (of any run that has outputs). */
export function resultsOf(run: Pick<HostRun, 'outputs'>): ResultRow[] {
  return JSON.parse(run.outputs.results ?? '[]') as ResultRow[]
}
