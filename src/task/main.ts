// The task's run: read the inputs and the service connection, hand them to the engine, publish its outcome.
// Every failure ends the step as Failed with one line; the stack goes to the debug log only.
import * as tl from 'azure-pipelines-task-lib/task.js'
import {
  abortOnSignals,
  createCredential,
  describeError,
  failureMessage,
  resolveCloud,
  routeAzureSdkLogs,
  runImports
} from '../core/index.js'
import { readImportRequest, readServiceConnectionId } from './inputs.js'
import { createTaskLogger, inert } from './logger.js'
import { publishOutcome } from './outputs.js'
import { applyAgentProxy } from './proxy.js'
import { readServiceConnection } from './serviceConnection.js'

export async function run(): Promise<void> {
  const cancellation = abortOnSignals('The step was cancelled')
  try {
    const log = createTaskLogger()
    // First of all: with AZURE_LOG_LEVEL set and the agent's proxy applied, the SDK would print raw requests
    // (proxy agent sockets and their Authorization headers included) to stderr.
    routeAzureSdkLogs(log)
    applyAgentProxy()
    const connection = readServiceConnection(readServiceConnectionId())
    const request = readImportRequest(connection.subscriptionId)
    const cloud = resolveCloud(connection.cloud)
    const credential = createCredential(connection.signIn, cloud, log)
    const outcome = await runImports(
      request,
      { credential, cloud, subscriptionId: connection.subscriptionId },
      log,
      { signal: cancellation.signal }
    )
    publishOutcome(outcome)
    const failure = failureMessage(outcome)
    if (failure && outcome.results.length > 1) {
      for (const result of outcome.results.filter((r) => r.status === 'failed')) {
        tl.error(inert(`${result.source}: ${result.error ?? 'failed'}`))
      }
    }
    if (failure) tl.setResult(tl.TaskResult.Failed, inert(failure))
    else tl.setResult(tl.TaskResult.Succeeded, request.dryRun ? 'Dry run: nothing imported.' : '')
  } catch (error) {
    if (error instanceof Error && error.stack) tl.debug(inert(error.stack))
    tl.setResult(tl.TaskResult.Failed, inert(describeError(error)))
  } finally {
    cancellation.dispose()
  }
}
