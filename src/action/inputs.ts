// Turns the step's `with:` inputs (INPUT_* variables) into one typed object: the engine's ImportRequest, the
// sign-in inputs and the cloud options. Pure reading and validation; every mistake is one line naming the input.
// Secrets are registered with the runner's masker the moment they are read.
import * as core from '@actions/core'
import { UserError, type CloudOptions, type ImportRequest } from '../core/index.js'
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

export interface ActionInputs {
  request: ImportRequest
  signIn: SignInInputs
  cloud: CloudOptions
}

export function getActionInputs(): ActionInputs {
  const creds = readCreds()
  const environment = optionalInput('environment')
  const isAzureStack = environment?.toLowerCase() === 'azurestack'
  return {
    request: {
      registry: core.getInput('registry', { required: true }),
      sources: core.getMultilineInput('source', { required: true }),
      sourceRegistry: optionalInput('source-registry'),
      images: core.getMultilineInput('image'),
      repositories: core.getMultilineInput('repository'),
      username: optionalInput('username'),
      password: secretInput('password'),
      force: booleanInput('force'),
      wait: booleanInput('wait'),
      timeoutSeconds: secondsInput('timeout'),
      dryRun: booleanInput('dry-run'),
      subscriptionId: optionalInput('subscription-id') ?? creds.subscriptionId
    },
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
    }
  }
}

function optionalInput(name: string): string | undefined {
  return core.getInput(name) || undefined
}

/** Reads a secret input and masks it (and each of its lines: the runner masks line by line). */
function secretInput(name: string): string | undefined {
  const value = optionalInput(name)
  if (value) maskSecret(value)
  return value
}

export function maskSecret(value: string): void {
  core.setSecret(value)
  if (!value.includes('\n')) return
  for (const line of value.split(/\r?\n/)) {
    // PEM armour lines ("-----BEGIN ...") are public and would only blank out harmless text.
    if (line.trim().length >= 8 && !line.startsWith('-----')) core.setSecret(line.trim())
  }
}

function readCreds(): AzureLoginCreds {
  const text = optionalInput('creds')
  if (!text) return {}
  const creds = parseCreds(text)
  if (creds.clientSecret) maskSecret(creds.clientSecret)
  return creds
}

/** getBooleanInput's own error spans three lines; ours is one and names the input. */
function booleanInput(name: string): boolean {
  try {
    return core.getBooleanInput(name)
  } catch {
    throw new UserError(`Input '${name}' must be true or false, not '${core.getInput(name)}'`)
  }
}

function secondsInput(name: string): number {
  const text = core.getInput(name)
  const seconds = Number(text)
  if (!/^\d+$/.test(text) || seconds <= 0) {
    throw new UserError(`Input '${name}' must be a whole number of seconds above 0, not '${text}'`)
  }
  return seconds
}

function authInput(): AuthMode {
  const value = (core.getInput('auth') || 'auto').toLowerCase()
  const mode = AUTH_MODES.find((m) => m === value)
  if (!mode) throw new UserError(`Input 'auth' cannot be '${value}'`, `use one of ${AUTH_MODES.join(', ')}`)
  return mode
}
