// Turns the task's inputs (task.json, camelCase) into the engine's ImportRequest. Pure reading and validation:
// every mistake is one line naming the input. The agent fills in task.json's defaults; a run outside the agent
// may leave inputs unset, so the defaults are repeated here rather than read as "false".
import * as tl from 'azure-pipelines-task-lib/task.js'
import { UserError, type ImportRequest } from '../core/index.js'
import { readSecret } from './secrets.js'

const DEFAULT_TIMEOUT_SECONDS = 600

/** The ImportRequest of this step; `subscriptionId` comes from the service connection. */
export function readImportRequest(subscriptionId: string | undefined): ImportRequest {
  return {
    registry: requiredInput('registry'),
    sources: lines('source', true),
    sourceRegistry: optionalInput('sourceRegistry'),
    images: lines('image'),
    repositories: lines('repository'),
    username: optionalInput('username'),
    password: readSecret(() => tl.getInput('password')?.trim()) || undefined,
    force: booleanInput('force', false),
    wait: booleanInput('wait', true),
    timeoutSeconds: secondsInput('timeout'),
    dryRun: booleanInput('dryRun', false),
    subscriptionId
  }
}

/** The service connection's ID (a GUID): the value of the connectedService:AzureRM input. */
export function readServiceConnectionId(): string {
  return requiredInput('azureSubscription')
}

function optionalInput(name: string): string | undefined {
  return tl.getInput(name)?.trim() || undefined
}

function requiredInput(name: string): string {
  const value = optionalInput(name)
  if (!value) throw new UserError(`Input '${name}' is required`, 'set it in the task')
  return value
}

/** One value per line (multiLine inputs); blank lines are ignored. */
function lines(name: string, required = false): string[] {
  const values = tl
    .getDelimitedInput(name, '\n')
    .map((line) => line.trim())
    .filter(Boolean)
  if (required && values.length === 0)
    throw new UserError(`Input '${name}' is required`, 'set it in the task')
  return values
}

function booleanInput(name: string, defaultValue: boolean): boolean {
  const text = optionalInput(name)
  if (text === undefined) return defaultValue
  if (/^true$/i.test(text)) return true
  if (/^false$/i.test(text)) return false
  throw new UserError(`Input '${name}' must be true or false, not '${text}'`)
}

function secondsInput(name: string): number {
  const text = optionalInput(name)
  if (text === undefined) return DEFAULT_TIMEOUT_SECONDS
  const seconds = Number(text)
  if (!/^\d+$/.test(text) || seconds <= 0) {
    throw new UserError(`Input '${name}' must be a whole number of seconds above 0, not '${text}'`)
  }
  return seconds
}
