// Picks the Entra ID sign-in the way Azure's own tools do outside a CI platform: Azure's standard environment
// variables (those EnvironmentCredential and WorkloadIdentityCredential read), a managed identity, or the az
// session. --client-id, --tenant-id and --subscription-id arrive here already defaulted to AZURE_CLIENT_ID,
// AZURE_TENANT_ID and AZURE_SUBSCRIPTION_ID (by the command line's parser).
//
// `--auth auto` decides by what is set, in EnvironmentCredential's order, then the laptop's case:
//   AZURE_CLIENT_SECRET -> client-secret; AZURE_CLIENT_CERTIFICATE_PATH -> client-certificate;
//   AZURE_FEDERATED_TOKEN_FILE -> oidc (workload identity: GitLab id_tokens, Kubernetes, any issuer Entra trusts);
//   none of them -> azure-cli.
// A managed identity is only used when asked for by name: probing for one off Azure waits for a timeout and
// buries the real mistake (a variable not exported) under it.
import { existsSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { UserError, type HostSignIn, type SignIn } from '../core/index.js'

/** The sign-ins --auth auto chooses from, in EnvironmentCredential's order, by the variable each one needs. */
const AUTO_ORDER = [
  ['client-secret', 'AZURE_CLIENT_SECRET'],
  ['client-certificate', 'AZURE_CLIENT_CERTIFICATE_PATH'],
  ['oidc', 'AZURE_FEDERATED_TOKEN_FILE']
] as const
/** What --auth accepts: auto, those three, and the two that need no variable. */
export const AUTH_MODES = [
  'auto',
  ...AUTO_ORDER.map(([mode]) => mode),
  'managed-identity',
  'azure-cli'
] as const
type Mode = Exclude<(typeof AUTH_MODES)[number], 'auto'>

/** The sign-in flags (--client-id, --tenant-id, --subscription-id already default to their variables). */
export interface SignInFlags {
  auth: string
  clientId?: string
  tenantId?: string
  subscriptionId?: string
}

export function chooseSignIn(flags: SignInFlags, env: NodeJS.ProcessEnv = process.env): HostSignIn {
  const requested = (flags.auth || 'auto').toLowerCase()
  const { mode, reason } = requested === 'auto' ? pickAutomatically(env) : knownMode(requested)
  return {
    signIn: buildSignIn(mode, { clientId: flags.clientId, tenantId: flags.tenantId }, env),
    subscriptionId: flags.subscriptionId,
    reason
  }
}

function knownMode(value: string): { mode: Mode; reason: string } {
  const mode = AUTH_MODES.find((m) => m === value)
  if (!mode || mode === 'auto') {
    throw new UserError(`--auth cannot be '${value}'`, `use one of ${AUTH_MODES.join(', ')}`)
  }
  return { mode, reason: `auth: ${mode} as requested` }
}

function pickAutomatically(env: NodeJS.ProcessEnv): { mode: Mode; reason: string } {
  const found = AUTO_ORDER.find(([, variable]) => env[variable])
  if (found) return { mode: found[0], reason: `auth: auto picked ${found[0]} (${found[1]} is set)` }
  const variables = AUTO_ORDER.map(([, variable]) => variable).join(', ')
  return { mode: 'azure-cli', reason: `auth: auto picked azure-cli (none of ${variables} is set)` }
}

function buildSignIn(
  mode: Mode,
  app: { clientId?: string; tenantId?: string },
  env: NodeJS.ProcessEnv
): SignIn {
  switch (mode) {
    case 'client-secret': {
      const clientSecret = required(env.AZURE_CLIENT_SECRET, 'AZURE_CLIENT_SECRET', mode)
      return { kind: mode, ...requireApp(app, mode), clientSecret }
    }
    case 'client-certificate':
      return { kind: mode, ...requireApp(app, mode), certificatePem: readCertificate(env) }
    case 'oidc': {
      const tokenFile = resolve(required(env.AZURE_FEDERATED_TOKEN_FILE, 'AZURE_FEDERATED_TOKEN_FILE', mode))
      if (!existsSync(tokenFile)) {
        throw new UserError(
          `The federated token file ${tokenFile} (AZURE_FEDERATED_TOKEN_FILE) does not exist`,
          'write the OIDC token of your CI job there (GitLab: id_tokens), or fix the path'
        )
      }
      // Checked now too, so a file left empty is refused before any request, in words of its own.
      tokenIn(tokenFile, readFileSync(tokenFile, 'utf8'))
      return {
        kind: 'federated',
        ...requireApp(app, mode),
        getAssertion: () => readTokenFile(tokenFile),
        assertionSource: `the federated token file ${tokenFile}`
      }
    }
    case 'managed-identity':
      // A client ID selects a user-assigned identity; without one the machine's system-assigned identity is used.
      return { kind: mode, clientId: app.clientId }
    case 'azure-cli':
      return { kind: mode, tenantId: app.tenantId }
  }
}

/**
 * Read again whenever Entra ID needs an assertion (the core reuses one until a minute before it expires): a
 * Kubernetes projected token or a CI job's token is rotated in place, so a long run never presents an old one.
 */
async function readTokenFile(path: string): Promise<string> {
  return tokenIn(path, await readFile(path, 'utf8'))
}

function tokenIn(path: string, text: string): string {
  const token = text.trim()
  if (!token) {
    throw new UserError(
      `The federated token file ${path} (AZURE_FEDERATED_TOKEN_FILE) is empty`,
      'write the OIDC token of your CI job there'
    )
  }
  return token
}

function readCertificate(env: NodeJS.ProcessEnv): string {
  const path = resolve(
    required(env.AZURE_CLIENT_CERTIFICATE_PATH, 'AZURE_CLIENT_CERTIFICATE_PATH', 'client-certificate')
  )
  if (env.AZURE_CLIENT_CERTIFICATE_PASSWORD) {
    throw new UserError(
      'A certificate with a password (AZURE_CLIENT_CERTIFICATE_PASSWORD) cannot be used',
      'give a PEM file with the certificate and its unencrypted private key, e.g. from openssl pkcs12 -nodes'
    )
  }
  try {
    return readFileSync(path, 'utf8')
  } catch {
    throw new UserError(
      `The certificate file ${path} (AZURE_CLIENT_CERTIFICATE_PATH) cannot be read`,
      'give the path of a PEM file with the certificate and its private key'
    )
  }
}

function requireApp(
  app: { clientId?: string; tenantId?: string },
  mode: Mode
): { clientId: string; tenantId: string } {
  return {
    clientId: required(app.clientId, 'AZURE_CLIENT_ID (or --client-id)', mode),
    tenantId: required(app.tenantId, 'AZURE_TENANT_ID (or --tenant-id)', mode)
  }
}

function required(value: string | undefined, name: string, mode: Mode): string {
  const text = value?.trim()
  if (!text) throw new UserError(`${name} is not set for --auth ${mode}`, `export ${name.split(' ')[0]}`)
  return text
}
