// Service connections of the test bed's world, as the agent would hand them to the task, and the secrets a
// run must never print.
import { expect } from '@jest/globals'
import type { Testbed } from '../testbed/index.js'
import { APPS, AUTHORITY_HOST, MANAGED_IDENTITY, SUB_PROD } from '../testbed/world.js'
import { secretsOnTheWire } from '../e2e/secrets.js'
import { visibleOutput, type AgentJob, type Endpoint, type TaskRun } from './agent.js'

/** The ADO app federates with this subject (world.ts). */
export const FEDERATED_SUBJECT = 'sc://contoso/app/prod-connection'
export const CONNECTION_ID = '9d3b6a1e-2f4c-4e8a-b7d5-0c1e2f3a4b5c'

function endpoint(scheme: string, authParameters: Record<string, string>): Endpoint {
  return {
    id: CONNECTION_ID,
    url: 'https://management.azure.com/',
    scheme,
    authParameters: { tenantid: APPS.ado.tenantId, ...authParameters },
    data: {
      subscriptionid: SUB_PROD,
      subscriptionname: 'Production',
      environment: 'AzureCloud',
      scopeLevel: 'Subscription',
      activeDirectoryAuthority: `${AUTHORITY_HOST}/`,
      environmentAuthorityUrl: 'https://login.windows.net/'
    }
  }
}

const baseInputs = (inputs: Record<string, string>): Record<string, string> => ({
  azureSubscription: CONNECTION_ID,
  ...inputs
})

/** A workload identity federation connection; `subject` is what Azure DevOps puts in the token's `sub`. */
export function federatedJob(
  testbed: Testbed,
  inputs: Record<string, string>,
  subject = FEDERATED_SUBJECT
): AgentJob {
  const { variables, systemAccessToken } = testbed.adoOidc(CONNECTION_ID, subject)
  return {
    endpoint: endpoint('WorkloadIdentityFederation', {
      serviceprincipalid: APPS.ado.appId,
      workloadIdentityFederationSubject: subject,
      workloadIdentityFederationIssuer: 'https://vstoken.dev.azure.com/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0'
    }),
    inputs: baseInputs(inputs),
    variables,
    systemAccessToken,
    extraEnv: testbed.env
  }
}

/** A service principal connection with a key (client secret). */
export function secretJob(testbed: Testbed, inputs: Record<string, string>): AgentJob {
  return {
    endpoint: endpoint('ServicePrincipal', {
      serviceprincipalid: APPS.ado.appId,
      authenticationType: 'spnKey',
      serviceprincipalkey: APPS.ado.clientSecret
    }),
    inputs: baseInputs(inputs),
    systemAccessToken: 'system-token-of-a-service-principal-job',
    extraEnv: testbed.env
  }
}

/** A service principal connection with a certificate (PEM with its private key). */
export function certificateJob(testbed: Testbed, inputs: Record<string, string>): AgentJob {
  return {
    endpoint: endpoint('ServicePrincipal', {
      serviceprincipalid: APPS.ado.appId,
      authenticationType: 'spnCertificate',
      servicePrincipalCertificate: testbed.appCertificatePem.ado
    }),
    inputs: baseInputs(inputs),
    systemAccessToken: 'system-token-of-a-certificate-job',
    extraEnv: testbed.env
  }
}

/** A managed identity connection, run on an agent whose machine has that identity (a self-hosted agent). */
export function managedIdentityJob(testbed: Testbed, inputs: Record<string, string>): AgentJob {
  const connection = endpoint('ManagedServiceIdentity', {})
  connection.data.msiclientId = MANAGED_IDENTITY.clientId
  return {
    endpoint: connection,
    inputs: baseInputs(inputs),
    systemAccessToken: 'system-token-of-a-managed-identity-job',
    extraEnv: { ...testbed.env, ...testbed.managedIdentityEnv }
  }
}

/** The secrets the agent handed the run: the system token, the connection's key or certificate, a password. */
export function ownSecretsOf(job: AgentJob): string[] {
  const certificateLines = (job.endpoint.authParameters.servicePrincipalCertificate ?? '')
    .split(/\r?\n/)
    .filter((line) => !line.startsWith('-----'))
    .map((line) => line.trim())
  return [
    job.systemAccessToken,
    job.endpoint.authParameters.serviceprincipalkey,
    ...certificateLines,
    job.inputs.password
  ].filter((secret): secret is string => !!secret && secret.length >= 8)
}

/** Every secret the run's environment held or the test bed saw on the wire (tokens, assertions, keys). */
export function secretsOf(job: AgentJob, testbed: Testbed): string[] {
  return [...new Set([...ownSecretsOf(job), ...secretsOnTheWire(testbed.requests)])]
}

/** Fails the test when any secret of the job or of the wire shows up in what the agent would display. */
export function expectNoSecretPrinted(run: TaskRun, job: AgentJob, testbed: Testbed): void {
  const output = visibleOutput(run)
  expect(secretsOf(job, testbed).filter((secret) => output.includes(secret))).toEqual([])
}
