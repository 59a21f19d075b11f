// The GitHub Action's orchestration, one collapsible group per phase:
// inputs -> cloud and sign-in -> imports (the engine groups each one) -> outputs and summary.
// Every failure ends as ONE line through core.setFailed; the stack only goes to the debug log.
import * as core from '@actions/core'
import {
  abortOnSignals,
  createCredential,
  describeError,
  failureMessage,
  resolveCloud,
  routeAzureSdkLogs,
  runImports,
  type RunOutcome
} from '../core/index.js'
import { getActionInputs } from './inputs.js'
import { createActionLogger } from './logger.js'
import { publishOutputs, publishSummary } from './outputs.js'
import { chooseSignIn } from './signin.js'

export async function run(): Promise<void> {
  const cancellation = abortOnSignals('The workflow run was cancelled')
  try {
    const log = createActionLogger()
    // Before any SDK client exists: with AZURE_LOG_LEVEL set, the SDK would print raw requests to stderr.
    routeAzureSdkLogs(log)
    const { request, target } = await core.group('Sign in to Azure', async () => {
      const inputs = getActionInputs()
      const cloud = resolveCloud(inputs.cloud)
      const { signIn, reason } = chooseSignIn(inputs.signIn, cloud.federatedAudience)
      core.info(`${reason}; cloud ${cloud.name} (${cloud.armEndpoint})`)
      const credential = createCredential(signIn, cloud, log)
      return {
        request: inputs.request,
        target: { credential, cloud, subscriptionId: inputs.request.subscriptionId }
      }
    })
    const outcome = await runImports(request, target, log, { signal: cancellation.signal })
    await core.group('Outputs', async () => {
      publishOutputs(outcome)
      await publishSummary(outcome)
      core.info(`digest: ${outcome.digest || '(unknown)'}`)
    })
    failOnFailedImports(outcome)
  } catch (err) {
    if (err instanceof Error && err.stack) core.debug(err.stack)
    core.setFailed(describeError(err))
  } finally {
    cancellation.dispose()
  }
}

/** Fails the step with one line; in a batch each failed import also gets its own annotation. */
function failOnFailedImports(outcome: RunOutcome): void {
  const message = failureMessage(outcome)
  if (!message) return
  if (outcome.results.length > 1) {
    // GitHub shows about ten annotations per step; the summary table lists every failure.
    const failed = outcome.results.filter((r) => r.status === 'failed')
    for (const result of failed.slice(0, 10)) {
      core.error(result.error ?? 'failed', { title: `ACR import failed: ${result.source}` })
    }
  }
  core.setFailed(message)
}
