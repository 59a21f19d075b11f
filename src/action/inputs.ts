// The action's own inputs: how to sign in to Entra ID, which cloud, which subscription. The engine's inputs
// (registry, source, force, ...) are read by the core through the host port. Every mistake is one line that
// names the input; secret inputs are registered with the runner's masker the moment they are read.
import * as core from '@actions/core'
import { secretLines, UserError, type CloudOptions } from '../core/index.js'
import { parseCreds, type AzureLoginCreds } from './creds.js'

export const AUTH_MODES = [
  'auto',
  'oidc',
  'client-secret',
  'client-certificate',
  'managed-identity',
  'azure-cli'
] as const
export type AuthMode = (typeof AUTH_MODES)[number]

/** What the user gave for signing in to Entra ID; signin.ts picks one SignIn from it. */
export interface SignInInputs {
  auth: AuthMode
  clientId?: string
  tenantId?: string
  clientSecret?: string
  clientCertificatePem?: string
}

export interface AzureInputs {
  signIn: SignInInputs
  cloud: CloudOptions
  subscriptionId?: string
}

export function getAzureInputs(): AzureInputs {
  const creds = readCreds()
  const environment = optionalInput('environment')
  const isAzureStack = environment?.toLowerCase() === 'azurestack'
  return {
    signIn: {
      auth: authInput(),
      clientId: optionalInput('client-id') ?? creds.clientId,
      tenantId: optionalInput('tenant-id') ?? creds.tenantId,
      clientSecret: secretInput('client-secret') ?? creds.clientSecret,
      clientCertificatePem: secretInput('client-certificate')
    },
    cloud: {
      environment,
      // Like azure/login, the endpoints inside `creds` only matter for Azure Stack Hub; known clouds use their own.
      armEndpoint:
        optionalInput('arm-endpoint') ?? (isAzureStack ? creds.resourceManagerEndpointUrl : undefined),
      authorityHost:
        optionalInput('authority-host') ?? (isAzureStack ? creds.activeDirectoryEndpointUrl : undefined),
      // The GitHub OIDC token's audience; unset means the cloud's own (api://AzureADTokenExchange in AzureCloud).
      audience: optionalInput('audience')
    },
    subscriptionId: optionalInput('subscription-id') ?? creds.subscriptionId
  }
}

function optionalInput(name: string): string | undefined {
  return core.getInput(name) || undefined
}

/** Reads a secret input and masks it with the core's rule (each line of a PEM). */
function secretInput(name: string): string | undefined {
  const value = optionalInput(name)
  if (value) maskSecret(value)
  return value
}

export function maskSecret(value: string): void {
  secretLines(value).forEach((line) => core.setSecret(line))
}

function readCreds(): AzureLoginCreds {
  const text = optionalInput('creds')
  if (!text) return {}
  const creds = parseCreds(text)
  if (creds.clientSecret) maskSecret(creds.clientSecret)
  return creds
}

function authInput(): AuthMode {
  const value = (core.getInput('auth') || 'auto').toLowerCase()
  const mode = AUTH_MODES.find((m) => m === value)
  if (!mode) throw new UserError(`Input 'auth' cannot be '${value}'`, `use one of ${AUTH_MODES.join(', ')}`)
  return mode
}
