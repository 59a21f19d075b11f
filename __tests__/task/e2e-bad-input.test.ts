// Every malformed input of the task, run through the built bundle as the agent runs it (task.json's camelCase
// names, the service connection in ENDPOINT_* variables): result Failed with exactly one error line that says
// what is wrong and how to fix it, no stack trace, and not one request (the task's only way out is a proxy that
// counts and drops whatever reaches it).
import { afterAll, describe, expect, test } from '@jest/globals'
import { taskName } from '../../src/task/names.js'
import { ENGINE_CASES, type BadInputCase } from '../bad-input/engine-cases.js'
import { useBadInputWorld } from '../bad-input/use-bad-input-world.js'
import { APPS, SUB_PROD } from '../testbed/world.js'
import { removeRunFolders, runTask, visibleOutput, type AgentJob, type Endpoint } from './agent.js'
import { CONNECTION_ID } from './e2e-world.js'

const world = useBadInputWorld()
afterAll(() => removeRunFolders())

const VALID_INPUTS = { registry: 'prodacr', source: 'docker.io/library/nginx:1.27' }

/** A service principal connection with a key, with `change` applied to it. */
function connection(change: (endpoint: Endpoint) => void = () => undefined): Endpoint {
  const endpoint: Endpoint = {
    id: CONNECTION_ID,
    url: 'https://management.azure.com/',
    scheme: 'ServicePrincipal',
    authParameters: {
      tenantid: APPS.ado.tenantId,
      serviceprincipalid: APPS.ado.appId,
      authenticationType: 'spnKey',
      serviceprincipalkey: 'a-service-principal-key-for-bad-input-tests'
    },
    data: { subscriptionid: SUB_PROD, environment: 'AzureCloud' }
  }
  change(endpoint)
  return endpoint
}

type TaskCase = BadInputCase & { endpoint?: () => Endpoint; taskInputs?: Record<string, string> }

const certificate = (pem: () => string) => () =>
  connection((e) => {
    e.authParameters.authenticationType = 'spnCertificate'
    delete e.authParameters.serviceprincipalkey
    e.authParameters.servicePrincipalCertificate = pem()
  })

const TASK_CASES: TaskCase[] = [
  {
    name: 'no service connection',
    inputs: {},
    taskInputs: { azureSubscription: '' },
    line: /^Input 'azureSubscription' is required\. Set it in the task\.$/
  },
  {
    name: 'a service connection that is not there',
    inputs: {},
    taskInputs: { azureSubscription: '00000000-0000-4000-8000-00000000dead' },
    line: /^Service connection '00000000-0000-4000-8000-00000000dead' was not found/
  },
  {
    name: 'a connection of another kind',
    inputs: {},
    endpoint: () => connection((e) => (e.scheme = 'UsernamePassword')),
    line: /uses the usernamepassword scheme, which cannot sign in to Azure Resource Manager/
  },
  {
    name: 'a connection without a tenant',
    inputs: {},
    endpoint: () => connection((e) => delete e.authParameters.tenantid),
    line: /has no tenantid\. Edit the service connection and save it again\.$/
  },
  {
    name: 'a key connection without its key',
    inputs: {},
    endpoint: () => connection((e) => delete e.authParameters.serviceprincipalkey),
    line: /has no serviceprincipalkey/
  },
  {
    name: 'an unknown authentication type',
    inputs: {},
    endpoint: () => connection((e) => (e.authParameters.authenticationType = 'spnPassword')),
    line: /has the unknown authentication type 'spnpassword'/
  },
  {
    name: 'a certificate connection whose PEM is not PEM',
    inputs: {},
    endpoint: certificate(() => 'not a pem'),
    line: /^The client certificate is not PEM text/
  },
  {
    name: 'a certificate connection without the private key',
    inputs: {},
    endpoint: certificate(() => world.certificatePem),
    line: /^The client certificate PEM has no private key/
  },
  {
    name: 'a certificate connection with a truncated key',
    inputs: {},
    endpoint: certificate(() => world.truncatedKeyPem()),
    line: /^The private key in the client certificate PEM cannot be read/
  },
  {
    name: 'a connection whose service principal ID is not a GUID',
    inputs: {},
    endpoint: () => connection((e) => (e.authParameters.serviceprincipalid = 'my-app')),
    line: /^The client ID 'my-app' is not a GUID/
  },
  {
    name: 'a connection whose subscription ID is not a GUID',
    inputs: {},
    endpoint: () => connection((e) => (e.data.subscriptionid = 'Production')),
    line: /^The subscription ID 'Production' is not a GUID/
  },
  {
    name: 'a connection of an unknown cloud',
    inputs: {},
    endpoint: () => connection((e) => (e.data.environment = 'AzureMars')),
    line: /^Unknown environment 'AzureMars'/
  },
  {
    name: 'a workload identity connection on an agent without an OIDC endpoint',
    inputs: {},
    endpoint: () =>
      connection((e) => {
        e.scheme = 'WorkloadIdentityFederation'
        delete e.authParameters.serviceprincipalkey
      }),
    line: /^The agent gave no System\.OidcRequestUri for workload identity federation/
  }
]

describe('malformed input never reaches the network (task)', () => {
  const cases: TaskCase[] = [...ENGINE_CASES, ...TASK_CASES]

  test('the table covers at least 75 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(75)
  })

  test.concurrent.each(cases)('$name', async (badCase) => {
    const inputs = Object.fromEntries(
      Object.entries({ ...VALID_INPUTS, ...badCase.inputs }).map(([name, value]) => [taskName(name), value])
    )
    const job: AgentJob = {
      endpoint: badCase.endpoint?.() ?? connection(),
      inputs: { azureSubscription: CONNECTION_ID, ...inputs, ...badCase.taskInputs },
      extraEnv: world.proxy.env
    }
    const sent = world.proxy.requests.length
    const run = await runTask(job, { node: 'node' })
    if (run.result !== 'Failed' || run.errors.length !== 1) {
      throw new Error(`expected one error and Failed, got ${run.result}:\n${run.stdout}\n${run.stderr}`)
    }
    expect(run.resultMessage).toMatch(badCase.line)
    expect(run.resultMessage).not.toContain('\n')
    expect(visibleOutput(run)).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m)
    expect(world.proxy.requests.slice(sent)).toEqual([])
  })
})
