// Runs the host's modules inside the test process with the environment the agent would give the task.
// task-lib moves INPUT_* and ENDPOINT_AUTH_* into a vault when it loads; `_loadData()` reloads that vault from
// the environment (clearing require.cache instead breaks task-lib's global guard).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { agentEnvironment, type AgentJob } from './agent.js'

export const tempDirectory = mkdtempSync(join(tmpdir(), 'acr-import-host-'))
// Before task-lib loads: it writes its vault key (.taskkey) to the agent's temp folder, else the cwd.
process.env.AGENT_TEMPDIRECTORY = tempDirectory

/** Removes the temp folder (call it in afterAll). */
export function removeTempDirectory(): void {
  rmSync(tempDirectory, { recursive: true, force: true })
}

const AGENT_VARIABLE = /^(INPUT_|ENDPOINT_|SYSTEM_|SECRET_|AGENT_PROXY)/

/** Replaces the agent-set part of process.env with the job's and reloads task-lib's vault. */
export async function loadJob(job: AgentJob): Promise<void> {
  for (const key of Object.keys(process.env)) if (AGENT_VARIABLE.test(key)) delete process.env[key]
  for (const [key, value] of Object.entries(agentEnvironment(job, tempDirectory))) {
    if (AGENT_VARIABLE.test(key)) process.env[key] = value
  }
  const internal = await import('azure-pipelines-task-lib/internal.js')
  const quiet = captureStdout()
  try {
    internal._loadData()
  } finally {
    quiet.restore()
  }
}

/** Collects what the task writes to stdout (task-lib writes its commands there too). */
/** Captures nest: each restore puts back the writer that was there before it. */
export function captureStdout(): { text(): string; restore(): void } {
  const chunks: string[] = []
  const previous = process.stdout.write
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(chunk.toString())
    return true
  }) as typeof process.stdout.write
  return { text: () => chunks.join(''), restore: () => void (process.stdout.write = previous) }
}

export const CONNECTION_ID = '5c2f7e3a-8d41-4b6e-9f0a-1e2d3c4b5a69'
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47'
export const CLIENT_ID = 'a1b2c3d4-0002-4000-8000-000000000002'
export const SUBSCRIPTION_ID = '11111111-1111-4111-8111-111111111111'

/** An AzureCloud connection with the given scheme and authorization parameters. */
export function job(
  scheme: string,
  authParameters: Record<string, string>,
  data: Record<string, string> = {}
): AgentJob {
  return {
    endpoint: {
      id: CONNECTION_ID,
      url: 'https://management.azure.com/',
      scheme,
      authParameters: { tenantid: TENANT_ID, ...authParameters },
      data: {
        subscriptionid: SUBSCRIPTION_ID,
        environment: 'AzureCloud',
        activeDirectoryAuthority: 'https://login.microsoftonline.com/',
        ...data
      }
    },
    inputs: { azureSubscription: CONNECTION_ID, registry: 'prodacr', source: 'nginx' }
  }
}

/** Imports host modules with task-lib's load-time output captured (it loads its vault when first imported). */
export async function importQuietly<T>(load: () => Promise<T>): Promise<T> {
  const quiet = captureStdout()
  try {
    return await load()
  } finally {
    quiet.restore()
  }
}
