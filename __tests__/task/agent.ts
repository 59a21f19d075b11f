// Runs the task's bundle the way the Azure Pipelines agent's Node handler does: a fresh `node <target>` with
// the job's variables, the inputs and the endpoints in its environment, and nothing else from this process.
import { NODE_20, NODE_24 } from '../node-binaries.js'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseVsoCommands, readTaskReport, type TaskReport, type VsoCommand } from './vso.js'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const taskBundle = join(repoRoot, 'dist', 'task', 'index.js')

/** The two Node versions the agent runs the task with (task.json: Node20_1 and Node24). */
export const NODE_VERSIONS: { name: string; binary: string }[] = [
  { name: 'node20', binary: NODE_20 },
  { name: 'node24', binary: NODE_24 }
]

/** An AzureRM service connection as the agent hands it to a task. */
export interface Endpoint {
  /** The connection's GUID (the value of the azureSubscription input). */
  id: string
  url: string
  scheme: string
  authParameters: Record<string, string>
  data: Record<string, string>
}

export interface AgentJob {
  endpoint: Endpoint
  /** Task inputs by task.json name (camelCase). */
  inputs: Record<string, string>
  /** Job variables already in env form (SYSTEM_OIDCREQUESTURI, ...). */
  variables?: Record<string, string>
  /** The SYSTEMVSSCONNECTION access token. */
  systemAccessToken?: string
  /** testbed.env and the like. */
  extraEnv?: Record<string, string>
}

export function agentEnvironment(job: AgentJob, tempDirectory: string): Record<string, string> {
  const { endpoint } = job
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: tempDirectory,
    AGENT_TEMPDIRECTORY: tempDirectory,
    AGENT_VERSION: '4.266.0',
    SYSTEM_DEFAULTWORKINGDIRECTORY: tempDirectory,
    // Debug logging on: a secret must not appear even at the most talkative level.
    SYSTEM_DEBUG: 'true',
    ...job.variables,
    [`ENDPOINT_URL_${endpoint.id}`]: endpoint.url,
    [`ENDPOINT_AUTH_${endpoint.id}`]: JSON.stringify({
      parameters: endpoint.authParameters,
      scheme: endpoint.scheme
    }),
    [`ENDPOINT_AUTH_SCHEME_${endpoint.id}`]: endpoint.scheme,
    [`ENDPOINT_DATA_${endpoint.id}`]: JSON.stringify(endpoint.data),
    ...job.extraEnv
  }
  for (const [key, value] of Object.entries(endpoint.authParameters)) {
    env[`ENDPOINT_AUTH_PARAMETER_${endpoint.id}_${key.toUpperCase()}`] = value
  }
  for (const [key, value] of Object.entries(endpoint.data)) {
    env[`ENDPOINT_DATA_${endpoint.id}_${key.toUpperCase()}`] = value
  }
  for (const [name, value] of Object.entries(job.inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  if (job.systemAccessToken) {
    env.ENDPOINT_URL_SYSTEMVSSCONNECTION = 'https://dev.azure.com/contoso/'
    env.ENDPOINT_AUTH_SYSTEMVSSCONNECTION = JSON.stringify({
      parameters: { AccessToken: job.systemAccessToken },
      scheme: 'OAuth'
    })
    env.ENDPOINT_AUTH_SCHEME_SYSTEMVSSCONNECTION = 'OAuth'
    env.ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN = job.systemAccessToken
  }
  return env
}

export interface TaskRun extends TaskReport {
  exitCode: number | null
  stdout: string
  stderr: string
  commands: VsoCommand[]
  tempDirectory: string
}

const runFolders: string[] = []

/** Removes the temp folders of every run so far (call it in afterAll: runs are inspected after they end). */
export function removeRunFolders(): void {
  for (const folder of runFolders.splice(0)) rmSync(folder, { recursive: true, force: true })
}

/** Spawns the task (never spawnSync: the test bed serves from this very process). */
export async function runTask(
  job: AgentJob,
  options: { node?: string; target?: string } = {}
): Promise<TaskRun> {
  const target = options.target ?? taskBundle
  if (!existsSync(target)) throw new Error(`${target} is missing: run npm run build first`)
  const tempDirectory = mkdtempSync(join(tmpdir(), 'acr-import-agent-'))
  runFolders.push(tempDirectory)
  const child = spawn(options.node ?? NODE_20, [target], {
    cwd: tempDirectory,
    env: agentEnvironment(job, tempDirectory),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exitCode = await new Promise<number | null>((done, fail) => {
    child.on('error', fail)
    child.on('close', done)
  })
  const commands = parseVsoCommands(stdout)
  return { exitCode, stdout, stderr, commands, tempDirectory, ...readTaskReport(commands) }
}

/** Output that a person reads in the log: everything except the commands that hand secrets to the masker. */
export function visibleOutput(run: TaskRun): string {
  const lines = `${run.stdout}\n${run.stderr}`.split(/\r?\n/)
  return lines.filter((line) => !line.startsWith('##vso[task.setsecret]')).join('\n')
}
