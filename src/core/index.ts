// The engine's public API: the only module the GitHub and Azure DevOps hosts import from src/core. A host
// implements the HostPort and calls runStep; runStep runs the whole step and ends it through the port.

/** The host port and the one lifecycle both hosts run. */
export { runStep } from './step/run-step.js'
export type { HostPort, HostSignIn } from './step/host-port.js'
export type { SignIn } from './credential/sign-in.js'
/** Cloud options a host reads from its inputs (environment, endpoints); the core resolves them. */
export type { CloudOptions } from './cloud/clouds.js'
/** A user-caused error: `format()` is one line, "message. hint". */
export { UserError } from './errors/user-error.js'
/** Makes remote text safe to print: one line, no workflow commands (`::`, `##vso[`, `##[`). */
export { safeText } from './log/safe-text.js'
/** The one masking rule: the values a host registers for a secret (itself, or each line of a PEM). */
export { secretLines } from './log/secret-lines.js'
/** One HTTP request through the SDKs' pipeline: proxy variables, and retries on resets, 429 and 5xx. */
export { sendHttp } from './registry/http.js'
