// The host port: everything the engine needs from the platform it runs on (GitHub Actions or Azure Pipelines),
// and nothing more. The core's runStep drives the step's whole lifecycle through it, so the two hosts cannot
// drift; a host only translates its platform's calls.
import type { CloudOptions } from '../cloud/clouds.js'
import type { SignIn } from '../credential/sign-in.js'
import type { LogSink } from '../log/logger.js'
import type { InputSource } from '../request/read-request.js'

/** How the step signs in to Azure, read from the host's own inputs (action inputs, service connection). */
export interface HostSignIn {
  signIn: SignIn
  /** The subscription that holds the target registry, when the host knows one. */
  subscriptionId?: string
  /** A sentence for the log saying which sign-in was chosen and why. */
  reason: string
}

export interface HostPort extends LogSink, InputSource {
  /** "The workflow run was cancelled", said when the runner or agent cancels the step. */
  readonly cancelledMessage: string
  /**
   * Which Azure cloud, from the host's own inputs; read before the sign-in, and where the host applies its
   * network settings (the agent's proxy). Throws a UserError for a mistake. No network.
   */
  cloud(): CloudOptions
  /** Reads the platform's sign-in; throws a UserError for a mistake in it. No network. */
  signIn(): HostSignIn
  /** The folder that relative paths in inputs are relative to (workspace, System.DefaultWorkingDirectory). */
  workspace(): string
  /** Sets an output by its action.yml name (`target-image`); the host translates as for inputs. */
  setOutput(name: string, value: string): void
  /** Publishes the Markdown summary (job summary, uploaded summary); never fails the step. */
  writeSummary(markdown: string): Promise<void>
  /** Reports one failed import of a batch on its own (an annotation, an issue). */
  reportFailedImport(source: string, error: string): void
  /** Ends the step as failed with one line. */
  fail(line: string): void
  /** Ends the step as succeeded, with an optional line. */
  succeed(line: string): void
}
