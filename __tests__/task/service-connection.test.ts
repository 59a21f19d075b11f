// The AzureRM service connection, read in-process from the variables the agent sets, one scheme at a time.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import type { ServiceConnection } from '../../src/task/service-connection.js'
import {
  CLIENT_ID,
  CONNECTION_ID,
  SUBSCRIPTION_ID,
  TENANT_ID,
  captureStdout,
  importQuietly,
  job,
  loadJob,
  removeTempDirectory
} from './in-process.js'
import { parseVsoCommands, readTaskReport } from './vso.js'

let readServiceConnection: (id: string) => ServiceConnection
let oidcRequestUri: () => string
// Every test captures stdout: task-lib prints ##vso commands, which an agent running these tests would obey.
let stdout: ReturnType<typeof captureStdout>

beforeAll(async () => {
  ;({ readServiceConnection, oidcRequestUri } = await importQuietly(
    () => import('../../src/task/service-connection.js')
  ))
})

beforeEach(() => {
  stdout = captureStdout()
})

afterEach(() => stdout.restore())

afterAll(() => removeTempDirectory())

/** Reads the connection with stdout captured; returns it with what was printed. */
function read(): { connection: ServiceConnection; printed: string } {
  const connection = readServiceConnection(CONNECTION_ID)
  return { connection, printed: stdout.text() }
}

function failure(): string {
  try {
    readServiceConnection(CONNECTION_ID)
  } catch (error) {
    return (error as { format?: () => string }).format?.() ?? String(error)
  }
  throw new Error('reading the connection did not fail')
}

const PEM = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBszCCAVmgAwIBAgIUCertificateBodyLineOne0123456789abcdef',
  '-----END CERTIFICATE-----',
  '-----BEGIN PRIVATE KEY-----',
  'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgPrivateKeyLine1',
  'hRANCAAQPrivateKeyLineTwo9876543210zyxwvutsrqponmlkjihgfedcba',
  '-----END PRIVATE KEY-----'
].join('\n')

describe('readServiceConnection', () => {
  it('turns a workload identity federation connection into a federated sign-in for its app', async () => {
    await loadJob({
      ...job('WorkloadIdentityFederation', { serviceprincipalid: CLIENT_ID }),
      systemAccessToken: 'system-token-not-a-secret-in-tests-1234',
      variables: {
        SYSTEM_OIDCREQUESTURI:
          'https://dev.azure.com/contoso/p/_apis/distributedtask/hubs/build/plans/1/jobs/2/oidctoken'
      }
    })
    const { connection, printed } = read()
    expect(connection.signIn).toMatchObject({ kind: 'federated', tenantId: TENANT_ID, clientId: CLIENT_ID })
    expect(connection.signIn.kind === 'federated' && connection.signIn.assertionSource).toContain(
      CONNECTION_ID
    )
    expect(connection.subscriptionId).toBe(SUBSCRIPTION_ID)
    expect(readTaskReport(parseVsoCommands(printed)).secrets).toContain(
      'system-token-not-a-secret-in-tests-1234'
    )
  })

  it('fails a federated connection in a job without the SYSTEMVSSCONNECTION token', async () => {
    await loadJob({
      ...job('WorkloadIdentityFederation', { serviceprincipalid: CLIENT_ID }),
      variables: {
        SYSTEM_OIDCREQUESTURI:
          'https://dev.azure.com/contoso/p/_apis/distributedtask/hubs/build/plans/1/jobs/2/oidctoken'
      }
    })
    expect(failure()).toMatch(/no access token for Azure DevOps \(SYSTEMVSSCONNECTION\)/)
  })

  it('builds the OIDC request URL from the job variables when the server does not give it', async () => {
    await loadJob({
      ...job('WorkloadIdentityFederation', { serviceprincipalid: CLIENT_ID }),
      variables: {
        SYSTEM_COLLECTIONURI: 'https://tfs.contoso.com/DefaultCollection',
        SYSTEM_TEAMPROJECTID: 'proj-guid',
        SYSTEM_HOSTTYPE: 'release',
        SYSTEM_PLANID: 'plan-guid',
        SYSTEM_JOBID: 'job-guid'
      }
    })
    expect(oidcRequestUri()).toBe(
      'https://tfs.contoso.com/DefaultCollection/proj-guid/_apis/distributedtask/hubs/release/plans/plan-guid/jobs/job-guid/oidctoken'
    )
  })

  it('turns a service principal key into a client secret, registered and never printed otherwise', async () => {
    const secret = 'spn-key-value-that-must-not-print'
    await loadJob(
      job('ServicePrincipal', {
        serviceprincipalid: CLIENT_ID,
        authenticationType: 'spnKey',
        serviceprincipalkey: secret
      })
    )
    const { connection, printed } = read()
    expect(connection.signIn).toEqual({
      kind: 'client-secret',
      tenantId: TENANT_ID,
      clientId: CLIENT_ID,
      clientSecret: secret
    })
    const commands = parseVsoCommands(printed)
    expect(readTaskReport(commands).secrets).toEqual([secret])
    expect(commands.filter((c) => c.command !== 'task.setsecret' && c.message.includes(secret))).toEqual([])
  })

  it('treats a service principal without authenticationType as a key (older connections)', async () => {
    await loadJob(
      job('ServicePrincipal', { serviceprincipalid: CLIENT_ID, serviceprincipalkey: 'older-key-1234567' })
    )
    expect(read().connection.signIn.kind).toBe('client-secret')
  })

  it('turns a service principal certificate into a client certificate, registering the key line by line', async () => {
    await loadJob(
      job('ServicePrincipal', {
        serviceprincipalid: CLIENT_ID,
        authenticationType: 'spnCertificate',
        servicePrincipalCertificate: PEM
      })
    )
    const { connection, printed } = read()
    expect(connection.signIn).toEqual({
      kind: 'client-certificate',
      tenantId: TENANT_ID,
      clientId: CLIENT_ID,
      certificatePem: PEM
    })
    const secrets = readTaskReport(parseVsoCommands(printed)).secrets
    expect(secrets).toContain('hRANCAAQPrivateKeyLineTwo9876543210zyxwvutsrqponmlkjihgfedcba')
    expect(secrets.some((s) => s.startsWith('-----'))).toBe(false)
    expect(
      printed
        .split('\n')
        .filter((l) => !l.startsWith('##vso[task.setsecret]'))
        .join('\n')
    ).not.toContain('PrivateKeyLine')
  })

  it('fails a certificate connection without its certificate', async () => {
    await loadJob(
      job('ServicePrincipal', { serviceprincipalid: CLIENT_ID, authenticationType: 'spnCertificate' })
    )
    expect(failure()).toMatch(/has no servicePrincipalCertificate/)
  })

  it('turns a managed identity connection into a managed identity sign-in with its client ID', async () => {
    await loadJob(job('ManagedServiceIdentity', {}, { msiclientId: 'a1b2c3d4-0005-4000-8000-000000000005' }))
    expect(read().connection.signIn).toEqual({
      kind: 'managed-identity',
      clientId: 'a1b2c3d4-0005-4000-8000-000000000005'
    })
  })

  it('refuses a publish profile connection with one clear line', async () => {
    await loadJob(job('PublishProfile', { publishProfile: '<xml/>' }))
    expect(failure()).toMatch(
      /uses the publishprofile scheme, which cannot sign in to Azure Resource Manager\. use a connection with workload identity federation/i
    )
  })

  it('says when the connection is not there at all', async () => {
    await loadJob({
      ...job('ServicePrincipal', {}),
      endpoint: { ...job('ServicePrincipal', {}).endpoint, id: 'another-id' }
    })
    expect(failure()).toMatch(new RegExp(`Service connection '${CONNECTION_ID}' was not found`))
  })

  it('reads the cloud: environment, authority and the ARM URL of the connection', async () => {
    await loadJob({
      ...job(
        'ServicePrincipal',
        { serviceprincipalid: CLIENT_ID, serviceprincipalkey: 'k-123456789' },
        {
          environment: 'AzureUSGovernment',
          activeDirectoryAuthority: 'https://login.microsoftonline.us/'
        }
      ),
      endpoint: {
        ...job('ServicePrincipal', {}).endpoint,
        url: 'https://management.usgovcloudapi.net/',
        authParameters: {
          tenantid: TENANT_ID,
          serviceprincipalid: CLIENT_ID,
          serviceprincipalkey: 'k-123456789'
        },
        data: {
          environment: 'AzureUSGovernment',
          activeDirectoryAuthority: 'https://login.microsoftonline.us/'
        }
      }
    })
    const { connection } = read()
    expect(connection.cloud).toEqual({
      environment: 'AzureUSGovernment',
      armEndpoint: 'https://management.usgovcloudapi.net/',
      authorityHost: 'https://login.microsoftonline.us/'
    })
    expect(connection.subscriptionId).toBeUndefined()
  })

  it('falls back to environmentAuthorityUrl for the authority (Azure Stack Hub)', async () => {
    const stack = job('ServicePrincipal', {
      serviceprincipalid: CLIENT_ID,
      serviceprincipalkey: 'k-123456789'
    })
    stack.endpoint.url = 'https://management.local.azurestack.external/'
    stack.endpoint.data = {
      environment: 'AzureStack',
      environmentAuthorityUrl: 'https://adfs.local.azurestack.external/adfs/'
    }
    await loadJob(stack)
    expect(read().connection.cloud).toEqual({
      environment: 'AzureStack',
      armEndpoint: 'https://management.local.azurestack.external/',
      authorityHost: 'https://adfs.local.azurestack.external/adfs/'
    })
  })
})
