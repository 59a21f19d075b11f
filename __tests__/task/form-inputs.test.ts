// What the task's form hands over, as the agent hands it: a filePath input left empty, the service connection
// known only by its GUID, and where the summary went. In-process, with the variables the agent sets.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import type { HostPort } from '../../src/core/index.js'
import {
  CONNECTION_ID,
  captureStdout,
  importQuietly,
  job,
  loadJob,
  removeTempDirectory,
  tempDirectory
} from './in-process.js'

let createTaskHost: () => HostPort
// Every test captures stdout: task-lib prints ##vso commands, which an agent running these tests would obey.
let stdout: ReturnType<typeof captureStdout>

beforeAll(async () => {
  ;({ createTaskHost } = await importQuietly(() => import('../../src/task/host.js')))
})
beforeEach(() => {
  stdout = captureStdout()
})
afterEach(() => {
  stdout.restore()
  delete process.env.BUILD_SOURCESDIRECTORY
})
afterAll(() => removeTempDirectory())

describe('the images file (a filePath input)', () => {
  const imagesFile = async (value: string): Promise<string> => {
    await loadJob({ ...job('ServicePrincipal', {}), inputs: { azureSubscription: 'id', imagesFile: value } })
    return createTaskHost().input('images-file')
  }

  it('is not given when the agent filled in the folder an empty input resolves to', async () => {
    // The agent's harness sets System.DefaultWorkingDirectory to the temp folder.
    expect(await imagesFile(tempDirectory)).toBe('')
    expect(await imagesFile(`${tempDirectory}/`)).toBe('')
    process.env.BUILD_SOURCESDIRECTORY = join(tempDirectory, 's')
    expect(await imagesFile(join(tempDirectory, 's'))).toBe('')
  })

  it('is the file when one was given, and empty when the input is', async () => {
    expect(await imagesFile(join(tempDirectory, 'images.yaml'))).toBe(join(tempDirectory, 'images.yaml'))
    expect(await imagesFile('images.yaml')).toBe('images.yaml')
    expect(await imagesFile('')).toBe('')
  })
})

describe('the trust policy file (a filePath input too)', () => {
  const trustPolicy = async (value: string): Promise<string> => {
    await loadJob({ ...job('ServicePrincipal', {}), inputs: { azureSubscription: 'id', trustPolicy: value } })
    return createTaskHost().input('trust-policy')
  }

  it('is not given when the agent filled in the folder an empty input resolves to, else the file', async () => {
    expect(await trustPolicy(tempDirectory)).toBe('')
    expect(await trustPolicy(join(tempDirectory, 'trust.yaml'))).toBe(join(tempDirectory, 'trust.yaml'))
  })
})

describe('the service connection in the log', () => {
  const reason = async (scheme: string, auth: Record<string, string>, data: Record<string, string> = {}) => {
    await loadJob({
      ...job(scheme, auth, data),
      // What a federated connection needs besides the connection: the job's token and OIDC endpoint.
      systemAccessToken: 'system-token-not-a-secret-in-tests-1234',
      variables: {
        SYSTEM_OIDCREQUESTURI:
          'https://dev.azure.com/contoso/p/_apis/distributedtask/hubs/build/plans/1/jobs/2/oidctoken'
      }
    })
    return createTaskHost().signIn().reason
  }
  const federated = { serviceprincipalid: 'a1b2c3d4-0002-4000-8000-000000000002' }

  it('names a federated connection by the name in its subject, not by its GUID', async () => {
    const line = await reason('WorkloadIdentityFederation', {
      ...federated,
      workloadIdentityFederationSubject: 'sc://contoso/app/prod-acr-connection'
    })
    expect(line).toBe("Service connection 'prod-acr-connection' (workload identity federation)")
    // The GUID stays in the debug log, for support.
    expect(stdout.text()).toContain(`Service connection ID: ${CONNECTION_ID}`)
  })

  it('names a connection without such a subject by its subscription', async () => {
    const key = {
      serviceprincipalid: 'a1b2c3d4-0002-4000-8000-000000000002',
      serviceprincipalkey: 'k3y-value'
    }
    expect(await reason('ServicePrincipal', key, { subscriptionname: 'Production' })).toBe(
      "Service connection for subscription 'Production' (service principal with a secret)"
    )
    // A newer federated subject (/eid1/...) holds no name.
    const line = await reason(
      'WorkloadIdentityFederation',
      { ...federated, workloadIdentityFederationSubject: '/eid1/c/pub/t/abc/a/def/sc/org/conn' },
      { subscriptionname: 'Production' }
    )
    expect(line).toBe("Service connection for subscription 'Production' (workload identity federation)")
  })

  it('falls back to the GUID when the agent gave nothing else', async () => {
    expect(await reason('ManagedServiceIdentity', {})).toBe(
      `Service connection ${CONNECTION_ID} (managed identity)`
    )
  })
})

describe('the summary', () => {
  it('says in the log where the summary is', async () => {
    await loadJob(job('ServicePrincipal', {}))
    await createTaskHost().writeSummary('| a |\n| - |\n')
    expect(stdout.text()).toContain(`See the summary on the run's Extensions tab ("ACR import").`)
    expect(stdout.text()).toMatch(/##vso\[task\.uploadsummary\].*ACR import\.md/)
  })
})
