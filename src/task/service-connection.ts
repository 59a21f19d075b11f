// Reads the Azure Resource Manager service connection the step names: how to sign in (one SignIn), which cloud
// (CloudOptions for resolveCloud) and which subscription. Wire facts: the README (Service connections) and the
// agent's ENDPOINT_* variables (the authorization is kept in task-lib's vault, the URL and data stay in the
// environment).
import * as tl from 'azure-pipelines-task-lib/task.js'
import { UserError, type CloudOptions, type SignIn } from '../core/index.js'
import { connectionName } from './connection-name.js'
import { oidcTokenRequester } from './oidc-token.js'
import { readSecret, registerSecret } from './secrets.js'

export interface ServiceConnection {
  id: string
  /** How the log names it: `'prod-connection'`, `for subscription 'Production'`, or the GUID. */
  name: string
  signIn: SignIn
  cloud: CloudOptions
  /** Empty for a connection scoped to a management group: the registry must then be given by resource ID. */
  subscriptionId?: string
}

const SUPPORTED =
  'workload identity federation, service principal (secret or certificate) or managed identity'

export function readServiceConnection(id: string): ServiceConnection {
  const scheme = tl.getEndpointAuthorizationScheme(id, true)
  if (!scheme) {
    throw new UserError(
      `Service connection '${id}' was not found`,
      'check the azureSubscription input and that this pipeline is allowed to use the connection'
    )
  }
  const name = connectionName(id)
  return {
    id,
    name,
    signIn: signInFor(id, name, scheme.toLowerCase()),
    cloud: cloudOf(id),
    subscriptionId: tl.getEndpointDataParameter(id, 'subscriptionid', true)?.trim() || undefined
  }
}

function signInFor(id: string, name: string, scheme: string): SignIn {
  switch (scheme) {
    case 'workloadidentityfederation':
      return {
        kind: 'federated',
        tenantId: authParameter(id, 'tenantid'),
        clientId: authParameter(id, 'serviceprincipalid'),
        getAssertion: oidcTokenRequester({
          requestUri: oidcRequestUri(),
          serviceConnectionId: id,
          systemAccessToken: systemAccessToken()
        }),
        assertionSource: `Azure DevOps service connection ${name}`
      }
    case 'serviceprincipal':
      return servicePrincipalSignIn(id)
    case 'managedserviceidentity':
      return {
        kind: 'managed-identity',
        clientId: tl.getEndpointDataParameter(id, 'msiclientId', true) || undefined
      }
    default:
      throw new UserError(
        `Service connection '${id}' uses the ${scheme} scheme, which cannot sign in to Azure Resource Manager`,
        `use a connection with ${SUPPORTED}`
      )
  }
}

function servicePrincipalSignIn(id: string): SignIn {
  const tenantId = authParameter(id, 'tenantid')
  const clientId = authParameter(id, 'serviceprincipalid')
  // Connections made before certificates existed have no authenticationType: they hold a key.
  const authenticationType = (
    tl.getEndpointAuthorizationParameter(id, 'authenticationType', true) || 'spnKey'
  )
    .trim()
    .toLowerCase()
  if (authenticationType === 'spncertificate') {
    const certificatePem = readSecret(() =>
      tl.getEndpointAuthorizationParameter(id, 'servicePrincipalCertificate', true)
    )
    if (!certificatePem) throw missing(id, 'servicePrincipalCertificate')
    return { kind: 'client-certificate', tenantId, clientId, certificatePem }
  }
  if (authenticationType === 'spnkey') {
    const clientSecret = readSecret(() =>
      tl.getEndpointAuthorizationParameter(id, 'serviceprincipalkey', true)
    )
    if (!clientSecret) throw missing(id, 'serviceprincipalkey')
    return { kind: 'client-secret', tenantId, clientId, clientSecret }
  }
  throw new UserError(
    `Service connection '${id}' has the unknown authentication type '${authenticationType}'`,
    `use a connection with ${SUPPORTED}`
  )
}

function authParameter(id: string, key: string): string {
  const value = tl.getEndpointAuthorizationParameter(id, key, true)?.trim()
  if (!value) throw missing(id, key)
  return value
}

function missing(id: string, key: string): UserError {
  return new UserError(
    `Service connection '${id}' has no ${key}`,
    'edit the service connection and save it again'
  )
}

/** The environment, the authority and the ARM URL: AzureCloud, the sovereign clouds and Azure Stack Hub alike. */
function cloudOf(id: string): CloudOptions {
  return {
    environment: tl.getEndpointDataParameter(id, 'environment', true) || undefined,
    armEndpoint: tl.getEndpointUrl(id, true) || undefined,
    authorityHost:
      tl.getEndpointDataParameter(id, 'activeDirectoryAuthority', true) ||
      tl.getEndpointDataParameter(id, 'environmentAuthorityUrl', true) ||
      undefined
  }
}

/** System.OidcRequestUri, or the same URL built from the job's variables on servers that do not set it. */
export function oidcRequestUri(): string {
  const given = tl.getVariable('System.OidcRequestUri')
  if (given) return given
  const collection =
    tl.getVariable('System.CollectionUri') || tl.getVariable('System.TeamFoundationCollectionUri')
  const parts = ['System.TeamProjectId', 'System.HostType', 'System.PlanId', 'System.JobId'].map((name) =>
    tl.getVariable(name)
  )
  if (!collection || parts.some((part) => !part)) {
    throw new UserError(
      'The agent gave no System.OidcRequestUri for workload identity federation',
      'run the task on Azure DevOps Services or a server version that supports workload identity federation'
    )
  }
  const [project, hub, plan, job] = parts
  const base = collection.endsWith('/') ? collection : `${collection}/`
  return `${base}${project}/_apis/distributedtask/hubs/${hub}/plans/${plan}/jobs/${job}/oidctoken`
}

/** The job's access token from the SYSTEMVSSCONNECTION endpoint (always present, unlike System.AccessToken). */
function systemAccessToken(): string {
  const token = tl.getEndpointAuthorization('SYSTEMVSSCONNECTION', true)?.parameters?.AccessToken
  if (!token) {
    throw new UserError(
      'The job has no access token for Azure DevOps (SYSTEMVSSCONNECTION)',
      'run the task on an Azure Pipelines agent'
    )
  }
  registerSecret(token)
  return token
}
