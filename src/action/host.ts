// The host port on GitHub Actions (@actions/core). Lines arrive already made inert by the core; this only
// translates calls. `target-image` is an output of its own, apart from `digest`: the runner drops any output
// that contains a masked value, and a masked registry name must not take the digest down with it.
import * as core from '@actions/core'
import type { HostPort } from '../core/index.js'
import { getAzureInputs, type AzureInputs } from './inputs.js'
import { chooseSignIn } from './signin.js'

export function createActionHost(): HostPort {
  let azure: AzureInputs | undefined
  // The cloud and the sign-in come from the same inputs (and creds); they are read, and masked, once.
  const azureInputs = (): AzureInputs => (azure ??= getAzureInputs())
  return {
    cancelledMessage: 'The workflow run was cancelled',
    input: (name) => core.getInput(name),
    cloud: () => azureInputs().cloud,
    signIn() {
      const { signIn: inputs, subscriptionId } = azureInputs()
      const { signIn, reason } = chooseSignIn(inputs)
      return { signIn, subscriptionId, reason }
    },
    workspace: () => process.env.GITHUB_WORKSPACE || process.cwd(),
    info: (line) => core.info(line),
    // Annotations travel as escaped command data; their text also shows in the log.
    notice: (line) => core.notice(line),
    warning: (line) => core.warning(line),
    debug: (line) => core.debug(line),
    group: (title, fn) => core.group(title, fn),
    setSecret: (line) => core.setSecret(line),
    setOutput: (name, value) => core.setOutput(name, value),
    writeSummary,
    reportFailedImport: (source, error) => core.error(error, { title: `ACR import failed: ${source}` }),
    fail: (line) => core.setFailed(line),
    succeed: () => undefined
  }
}

/** A summary problem never fails the import. */
async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.debug('GITHUB_STEP_SUMMARY is not set: no job summary written')
    return
  }
  try {
    await core.summary.addRaw(markdown, true).write()
  } catch (err) {
    core.warning(`The job summary could not be written: ${err instanceof Error ? err.message : String(err)}`)
  }
}
