// The step's whole lifecycle, the same on every host: read the inputs, sign in, run the pipeline, publish the
// outputs and the summary, end the step. Every failure ends as ONE line; a stack only ever goes to debug.
import { isGuid } from '../util/guid.js'
import { resolveCloud } from '../cloud/clouds.js'
import { createCredential } from '../credential/create-credential.js'
import { describeShard } from '../entries/shard.js'
import { describeError } from '../errors/describe-error.js'
import { UserError } from '../errors/user-error.js'
import { readEntries, runPipeline } from '../pipeline.js'
import { readRequest } from '../request/read-request.js'
import { failureMessage } from '../results/failure-message.js'
import type { StepOutcome } from '../results/step-outcome.js'
import { routeAzureSdkLogs } from '../sdk-logging/route-azure-sdk-logs.js'
import { inert } from '../log/inert.js'
import { abortOnSignals } from './cancellation.js'
import type { HostPort } from './host-port.js'
import { stepLogger, type Logger } from '../log/logger.js'

/** GitHub shows about ten annotations per step; the summary lists every failure. */
export const MAX_REPORTED_FAILURES = 10

export async function runStep(host: HostPort): Promise<void> {
  const cancellation = abortOnSignals(host.cancelledMessage)
  const log = stepLogger(host)
  try {
    // Before any SDK client exists: with AZURE_LOG_LEVEL set, the SDK would print raw requests to stderr.
    routeAzureSdkLogs(log)
    const request = readRequest((name, options) => {
      const value = host.input(name, options)
      if (options?.secret) log.setSecret(value)
      return value
    }, host.workspace())
    const cloud = resolveCloud(host.cloud())
    const { signIn, subscriptionId, reason } = host.signIn()
    if (subscriptionId && !isGuid(subscriptionId)) {
      throw new UserError(
        `The subscription ID '${subscriptionId}' is not a GUID`,
        'give the subscription ID (a GUID, e.g. from az account show --query id), not its name'
      )
    }
    const ready = readEntries(request, cloud)
    ready.secrets.forEach((secret) => log.setSecret(secret))
    if (ready.shard) log.info(describeShard(ready.shard))
    log.info(`${reason}; cloud ${cloud.name} (${cloud.armEndpoint})`)
    const credential = createCredential(signIn, cloud, log)
    const outcome = await runPipeline(ready, { credential, cloud, subscriptionId }, log, cancellation.signal)
    await log.group('Outputs', () => publishOutcome(host, outcome, log))
    endStep(host, outcome, request.dryRun)
  } catch (err) {
    if (err instanceof Error && err.stack) log.debug(err.stack)
    host.fail(inert(describeError(err)))
  } finally {
    cancellation.dispose()
  }
}

async function publishOutcome(host: HostPort, outcome: StepOutcome, log: Logger): Promise<void> {
  host.setOutput('digest', outcome.digest)
  host.setOutput('results', JSON.stringify(outcome.results))
  host.setOutput('target-image', outcome.targetImage)
  host.setOutput('changed', JSON.stringify(outcome.changed))
  await host.writeSummary(outcome.summaryMarkdown)
  log.info(`digest: ${outcome.digest || '(unknown)'}`)
}

/** Fails the step with one line; in a batch each failed import is also reported on its own (up to ten). */
function endStep(host: HostPort, outcome: StepOutcome, dryRun: boolean): void {
  const message = failureMessage(outcome.results)
  if (!message) {
    host.succeed(dryRun ? 'Dry run: nothing imported.' : '')
    return
  }
  if (outcome.results.length > 1) {
    const failed = outcome.results.filter((r) => r.status === 'failed')
    for (const result of failed.slice(0, MAX_REPORTED_FAILURES))
      host.reportFailedImport(inert(result.source), inert(result.error ?? 'failed'))
  }
  host.fail(inert(message))
}
