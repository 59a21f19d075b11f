// Publishes what the engine returns: `digest` and `results` as output variables (read as $(<step>.digest) and
// stageDependencies.<stage>.<job>.outputs['<step>.digest']) and the Markdown summary as a job attachment.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tl from 'azure-pipelines-task-lib/task.js'
import type { RunOutcome } from '../core/index.js'

export function publishOutcome(outcome: RunOutcome): void {
  tl.setVariable('digest', outcome.digest, false, true)
  tl.setVariable('results', JSON.stringify(outcome.results), false, true)
  uploadSummary(outcome.summaryMarkdown)
}

/**
 * The agent attaches the file when it reads the command (it must exist by then) and names the summary section
 * after the file. A folder of its own per step keeps two imports in one job from overwriting each other.
 */
function uploadSummary(markdown: string): void {
  if (!markdown.trim()) return
  const folder = mkdtempSync(join(tl.getVariable('Agent.TempDirectory') || tmpdir(), 'acr-import-'))
  const file = join(folder, 'ACR import.md')
  writeFileSync(file, markdown, 'utf8')
  tl.uploadSummary(file)
}
