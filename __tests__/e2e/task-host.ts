// The task as a host of the shared scenarios: dist/task/index.js run as the Azure Pipelines agent starts it
// (agent.ts: task.json's camelCase INPUT_ names, the service connection in ENDPOINT_* variables, debug on),
// importing into prodacr; what it printed read back from its ##vso logging commands and uploaded summary.
import { readFileSync, rmSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { taskName } from '../../src/task/names.js'
import { runTask, visibleOutput, type AgentJob, type TaskRun } from '../task/agent.js'
import { federatedJob, ownSecretsOf } from '../task/e2e-world.js'
import type { Testbed } from '../testbed/types.js'
import { APPS } from '../testbed/world.js'
import type { Host, HostRun, Step } from './host.js'

/** Makes the agent job of a connection kind (e2e-world.ts: federatedJob, secretJob, ...). */
type Connection = (testbed: Testbed, inputs: Record<string, string>) => AgentJob

/** The task on `node`, signing in with `connection` (workload identity federation unless told). */
export function taskHost(
  node: { name: string; binary: string },
  connection: Connection = federatedJob
): Host {
  return {
    platform: 'task',
    id: `ado-${node.name}`,
    title: `the task on ${node.name}`,
    async run(testbed: Testbed, step: Step, workspace?: string): Promise<HostRun> {
      const inputs = taskInputs(step.inputs, workspace)
      const job = jobFor(testbed, step, inputs, connection)
      job.extraEnv = { ...job.extraEnv, ...step.env }
      const run = await runTask(job, { node: node.binary })
      try {
        return observed(run, job)
      } finally {
        rmSync(run.tempDirectory, { recursive: true, force: true })
      }
    },
    tokenEndpoint: (testbed) => ({
      hostname: new URL(federatedJob(testbed, {}).variables!.SYSTEM_OIDCREQUESTURI).hostname,
      path: '/oidctoken'
    })
  }
}

/**
 * task.json's names for the step's inputs, into prodacr; a relative images file or trust policy made absolute, as
 * the agent does with a filePath input.
 */
function taskInputs(inputs: Record<string, string>, workspace: string | undefined): Record<string, string> {
  const named: Record<string, string> = { registry: 'prodacr' }
  for (const [name, value] of Object.entries(inputs)) {
    const filePath = name === 'images-file' || name === 'trust-policy'
    const absolute = filePath && workspace && value && !isAbsolute(value)
    named[taskName(name)] = absolute ? join(workspace, value) : value
  }
  return named
}

function jobFor(
  testbed: Testbed,
  step: Step,
  inputs: Record<string, string>,
  connection: Connection
): AgentJob {
  if (step.signIn === 'import-reader') {
    // A connection of its own whose service principal may import into prodacr but not push or lock.
    const job = federatedJob(testbed, inputs, 'sc://contoso/app/import-reader-connection')
    job.endpoint.authParameters.serviceprincipalid = APPS.importReader.appId
    return job
  }
  return (step.signIn === 'federated' ? federatedJob : connection)(testbed, inputs)
}

function observed(run: TaskRun, job: AgentJob): HostRun {
  const summary = run.summaries.map((path) => readFileSync(path, 'utf8')).join('\n')
  return {
    succeeded: run.result === 'Succeeded',
    failed: run.result === 'Failed',
    outputs: run.outputs,
    summary,
    errors: run.errors,
    warnings: run.warnings,
    resultMessage: run.resultMessage,
    debug: run.commands.filter((c) => c.command === 'task.debug').map((c) => c.message),
    masked: run.secrets,
    ownSecrets: ownSecretsOf(job),
    log: run.stdout,
    stderr: run.stderr,
    shown: [visibleOutput(run), JSON.stringify(run.outputs), summary].join('\n'),
    showsStackTrace: /^\s+at .*\(.*:\d+:\d+\)$/m.test(visibleOutput(run))
  }
}
