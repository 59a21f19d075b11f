// `npm run task:local -- registry=prodacr source=docker.io/library/hello-world:latest`: runs the built task
// (dist/task/index.js) by hand against a test bed that `npm run testbed` started in another terminal, as the
// Azure Pipelines agent would run it: INPUT_* variables by task.json name, an Azure Resource Manager service
// connection as ENDPOINT_* variables, SYSTEMVSSCONNECTION, debug logging on. The test bed's proxy and CA (and,
// for federation or a managed identity, its job variables) come from the `export` lines it printed, sourced
// into this shell. Prints the task's output as it runs, then its result and outputs; exits 1 when it failed.
//
//   --sign-in secret              the ADO app's service principal key (default; needs nothing more)
//   --sign-in federated --connection-id <ID>
//                                 workload identity federation, for the connection ID `npm run testbed` printed
//   --sign-in managed-identity    the agent machine's managed identity (the test bed's IDENTITY_* exports)
// It runs on the Node that runs this script (under npm, the repository's Node 24, as the agent's Node24 handler).
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { agentEnvironment, taskBundle, type AgentJob, type Endpoint } from '../__tests__/task/agent.js'
import { parseVsoCommands, readTaskReport } from '../__tests__/task/vso.js'
import { APPS, AUTHORITY_HOST, MANAGED_IDENTITY, SUB_PROD } from '../__tests__/testbed/world.js'

/** What a local run needs from the shell: the test bed's proxy, CA and job variables (`npm run testbed`). */
const TESTBED_VARIABLES =
  /^(HTTPS?_PROXY|https?_proxy|NO_PROXY|no_proxy|NODE_EXTRA_CA_CERTS|IDENTITY_\w+|AZURE_LOG_LEVEL)$/
const SIGN_INS = ['secret', 'federated', 'managed-identity'] as const
type SignInKind = (typeof SIGN_INS)[number]
/** Any GUID names the connection of a run that is not federated. */
const LOCAL_CONNECTION_ID = '00000000-0000-4000-8000-0000000000ad'

function fail(line: string): never {
  process.stderr.write(`${line}\n`)
  process.exit(2)
}

function endpoint(
  id: string,
  scheme: string,
  auth: Record<string, string>,
  data: Record<string, string> = {}
): Endpoint {
  return {
    id,
    url: 'https://management.azure.com/',
    scheme,
    authParameters: { tenantid: APPS.ado.tenantId, ...auth },
    data: {
      subscriptionid: SUB_PROD,
      subscriptionname: 'Production',
      environment: 'AzureCloud',
      scopeLevel: 'Subscription',
      activeDirectoryAuthority: `${AUTHORITY_HOST}/`,
      ...data
    }
  }
}

/** The service connection and job variables of the chosen sign-in. */
function connection(
  kind: SignInKind,
  connectionId: string | undefined
): Omit<AgentJob, 'inputs' | 'extraEnv'> {
  switch (kind) {
    case 'secret':
      return {
        endpoint: endpoint(LOCAL_CONNECTION_ID, 'ServicePrincipal', {
          serviceprincipalid: APPS.ado.appId,
          authenticationType: 'spnKey',
          serviceprincipalkey: APPS.ado.clientSecret
        }),
        systemAccessToken: 'system-token-of-a-local-run'
      }
    case 'managed-identity':
      if (!process.env.IDENTITY_ENDPOINT)
        fail('IDENTITY_ENDPOINT is not set: source the export lines npm run testbed printed')
      return {
        endpoint: endpoint(
          LOCAL_CONNECTION_ID,
          'ManagedServiceIdentity',
          {},
          { msiclientId: MANAGED_IDENTITY.clientId }
        ),
        systemAccessToken: 'system-token-of-a-local-run'
      }
    case 'federated': {
      const token = process.env.SYSTEM_ACCESSTOKEN
      if (!connectionId)
        fail('--sign-in federated needs --connection-id: the service connection ID npm run testbed printed')
      if (!token || !process.env.SYSTEM_OIDCREQUESTURI)
        fail(
          'SYSTEM_OIDCREQUESTURI and SYSTEM_ACCESSTOKEN are not set: source the export lines npm run testbed printed'
        )
      const variables = Object.fromEntries(
        Object.entries(process.env).filter(
          (entry): entry is [string, string] =>
            entry[0].startsWith('SYSTEM_') && entry[0] !== 'SYSTEM_ACCESSTOKEN' && !!entry[1]
        )
      )
      return {
        endpoint: endpoint(connectionId, 'WorkloadIdentityFederation', {
          serviceprincipalid: APPS.ado.appId,
          workloadIdentityFederationSubject: APPS.ado.federated[0].subject
        }),
        variables,
        systemAccessToken: token
      }
    }
  }
}

/** `name=value` arguments as task inputs (task.json names: imagesFile, dryRun, ...). */
function taskInputs(positionals: string[]): Record<string, string> {
  return Object.fromEntries(
    positionals.map((argument) => {
      const at = argument.indexOf('=')
      if (at < 1) fail(`'${argument}' is not name=value (task.json input names, e.g. registry=prodacr)`)
      return [argument.slice(0, at), argument.slice(at + 1)]
    })
  )
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'sign-in': { type: 'string', default: 'secret' },
      'connection-id': { type: 'string' }
    }
  })
  const kind = values['sign-in'] as SignInKind
  if (!SIGN_INS.includes(kind)) fail(`--sign-in is one of ${SIGN_INS.join(', ')}, not '${kind}'`)
  if (!process.env.HTTPS_PROXY || !process.env.NODE_EXTRA_CA_CERTS)
    fail(
      'HTTPS_PROXY and NODE_EXTRA_CA_CERTS are not set: run npm run testbed in another terminal and source its export lines here'
    )
  if (!existsSync(taskBundle)) fail(`${taskBundle} is missing: run npm run build first`)

  const testbedEnv = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => TESTBED_VARIABLES.test(entry[0]) && entry[1] !== undefined
    )
  )
  const job: AgentJob = {
    ...connection(kind, values['connection-id']),
    inputs: { azureSubscription: '', ...taskInputs(positionals) },
    extraEnv: testbedEnv
  }
  job.inputs.azureSubscription ||= job.endpoint.id
  const agentTemp = mkdtempSync(join(tmpdir(), 'acr-import-local-task-'))
  // A relative imagesFile is read from System.DefaultWorkingDirectory: here, this shell's folder.
  const child = spawn(process.execPath, [taskBundle], {
    cwd: agentTemp,
    env: { ...agentEnvironment(job, agentTemp), SYSTEM_DEFAULTWORKINGDIRECTORY: process.cwd() },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    process.stdout.write(chunk)
  })
  await new Promise((done) => child.on('close', done))
  const report = readTaskReport(parseVsoCommands(stdout))
  process.stdout.write(
    `\nResult: ${report.result ?? 'none'}${report.resultMessage ? ` (${report.resultMessage})` : ''}\n`
  )
  for (const [name, value] of Object.entries(report.outputs))
    process.stdout.write(`Output ${name}: ${value}\n`)
  for (const summary of report.summaries) process.stdout.write(`Summary (Extensions tab): ${summary}\n`)
  process.exit(report.result === 'Succeeded' ? 0 : 1)
}

void main()
