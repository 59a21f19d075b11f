// The engine's public API: the only module the GitHub and Azure DevOps hosts import from src/core.
// Failure policy: `runImports` throws only before any import starts: a UserError for the user's mistakes (bad
// reference, unknown registry, username without password, ...), or the sign-in/ARM error that stopped it
// (print either with describeError). A failure of one import is a result with status 'failed' and a one-line
// `error`; runImports still returns, with `outcome.failed` > 0, and the host then fails its step after
// publishing the outputs and the summary of the imports that did succeed.

/** The contract types: ImportRequest, SignIn, Logger, ImportResult, RunOutcome. */
export type { ImportRequest, SignIn, Logger, ImportResult, ImportStatus, RunOutcome } from './contract.js'
/** Cloud endpoints and audiences; resolveCloud picks them by environment name or explicit endpoints. */
export { resolveCloud, type Cloud, type CloudOptions, CLOUD_NAMES } from './cloud/clouds.js'
/** Builds the @azure/identity TokenCredential for a SignIn (fresh federated assertion on every token request). */
export { createCredential } from './credential/create-credential.js'
/** Runs the imports of one request against the target registry; see the failure policy above. */
export { runImports, type AzureTarget, type RunOptions } from './run/run-imports.js'
/** Aborts the imports in flight when the runner or agent cancels the step (SIGINT/SIGTERM). */
export { abortOnSignals } from './run/cancellation.js'
/** The one line a host fails its step with when some imports failed (undefined when none did). */
export { failureMessage } from './run/failure-message.js'
/** A user-caused error: `format()` is one line, "message. hint". */
export { UserError } from './errors/user-error.js'
/** Turns any error (ARM, identity, registry, abort) into one line with a hint; never a stack. */
export { describeError } from './errors/describe-error.js'
/** Sends the Azure SDKs' own log lines (AZURE_LOG_LEVEL) to `log.debug`, credentials masked, never to stderr. */
export { routeAzureSdkLogs } from './sdk-logging/route-azure-sdk-logs.js'
/** Makes remote text safe to print: one line, no workflow commands (`::`, `##vso[`, `##[`). */
export { safeText } from './text.js'
