// The host port on Azure Pipelines (azure-pipelines-task-lib). Lines arrive already made inert by the core;
// this only translates calls, and the core's action.yml names into task.json's (`dry-run` -> `dryRun`).
import { mkdtempSync, writeFileSync } from 'node:fs'
import { EOL, tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tl from 'azure-pipelines-task-lib/task.js'
import { UserError, type HostPort } from '../core/index.js'
import { connectionKind } from './connection-name.js'
import { applyAgentProxy } from './proxy.js'
import { suppliedFilePath } from './file-path-input.js'
import { taskName } from './names.js'
import { quietly, registerSecret } from './secrets.js'
import { readServiceConnection, type ServiceConnection } from './service-connection.js'

/** The inputs task.json declares as filePath: left empty, the agent fills in the repository's folder. */
const FILE_PATH_INPUTS = ['images-file', 'trust-policy']

export function createTaskHost(): HostPort {
  let connection: ServiceConnection | undefined
  // The connection holds both the cloud and the sign-in; it is read once.
  const serviceConnection = (): ServiceConnection => {
    if (connection) return connection
    const id = tl.getInput('azureSubscription')?.trim()
    if (!id) throw new UserError("Input 'azureSubscription' is required", 'set it in the task')
    connection = readServiceConnection(id)
    return connection
  }
  return {
    cancelledMessage: 'The step was cancelled',
    input(name, options) {
      // task-lib debug-prints what it returns; a secret input is read with that muted.
      const read = () => tl.getInput(taskName(name)) ?? ''
      const value = options?.secret ? quietly(read) : read()
      return FILE_PATH_INPUTS.includes(name) ? suppliedFilePath(value) : value
    },
    cloud() {
      // Before any HTTP client exists: the SDKs and our own calls read the proxy from the environment.
      applyAgentProxy()
      return serviceConnection().cloud
    },
    signIn() {
      const { id, name, signIn, subscriptionId } = serviceConnection()
      tl.debug(`Service connection ID: ${id}`)
      return { signIn, subscriptionId, reason: `Service connection ${name} (${connectionKind(signIn)})` }
    },
    workspace: () => tl.getVariable('System.DefaultWorkingDirectory') || process.cwd(),
    info: writeLines,
    // Azure Pipelines has no notice level; a plain line keeps it visible without a warning's yellow.
    notice: writeLines,
    // task-lib escapes CR and LF in an issue's message, so a multi-line warning stays one issue.
    warning: (line) => tl.warning(line),
    debug: (line) => tl.debug(line),
    async group(title, fn) {
      process.stdout.write(`##[group]${title}${EOL}`)
      try {
        return await fn()
      } finally {
        process.stdout.write(`##[endgroup]${EOL}`)
      }
    },
    setSecret: registerSecret,
    // Output variables: $(<step>.digest), stageDependencies.<stage>.<job>.outputs['<step>.digest'].
    setOutput: (name, value) => tl.setVariable(taskName(name), value, false, true),
    writeSummary: async (markdown) => uploadSummary(markdown),
    reportFailedImport: (source, error) => tl.error(`${source}: ${error}`),
    fail: (line) => tl.setResult(tl.TaskResult.Failed, line),
    succeed: (line) => tl.setResult(tl.TaskResult.Succeeded, line)
  }
}

/** The Extensions tab titles the summary's section with its file name. */
const SUMMARY_SECTION = 'ACR import'

function writeLines(text: string): void {
  for (const line of text.split(/\r?\n|\r/)) process.stdout.write(`${line}${EOL}`)
}

/**
 * The agent attaches the file when it reads the command (it must exist by then) and names the summary section
 * after the file. A folder of its own per step keeps two imports in one job from overwriting each other.
 */
function uploadSummary(markdown: string): void {
  if (!markdown.trim()) return
  const folder = mkdtempSync(join(tl.getVariable('Agent.TempDirectory') || tmpdir(), 'acr-import-'))
  const file = join(folder, `${SUMMARY_SECTION}.md`)
  writeFileSync(file, markdown, 'utf8')
  tl.uploadSummary(file)
  // The log is where a reader looks first; the table with every image is elsewhere in the run's page.
  writeLines(`See the summary on the run's Extensions tab ("${SUMMARY_SECTION}").`)
}
