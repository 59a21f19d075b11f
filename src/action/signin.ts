// Picks exactly one Entra ID sign-in from the step's inputs.
//
// `auth: auto` decides by what the user gave, strongest evidence first:
//   1. client-certificate      -> client-certificate
//   2. client-secret, or creds with clientSecret -> client-secret
//   3. client-id and/or tenant-id -> GitHub OIDC (a federated credential on the app)
// Managed identity and the Azure CLI are only used when asked for by name: on GitHub-hosted runners there is
// no managed identity endpoint to probe and no `az` session, and silently trying them would bury the real
// mistake (a forgotten secret or `id-token` permission) under a timeout.
import * as core from '@actions/core'
import { safeText, sendHttp, UserError, type SignIn } from '../core/index.js'
import type { AuthMode, SignInInputs } from './inputs.js'

const ID_TOKEN_PERMISSION_HINT = 'add `permissions: id-token: write` to the job (or the workflow)'

/** The chosen sign-in and a sentence that says why, for the log. */
export interface ChosenSignIn {
  signIn: SignIn
  reason: string
}

/** @param env the runner's environment; ACTIONS_ID_TOKEN_REQUEST_* only exist with `id-token: write`. */
export function chooseSignIn(inputs: SignInInputs, env: NodeJS.ProcessEnv = process.env): ChosenSignIn {
  const mode = inputs.auth === 'auto' ? pickAutomatically(inputs) : inputs.auth
  refuseUnusedSecrets(mode, inputs)
  const reason =
    inputs.auth === 'auto' ? `auth: auto picked ${mode} from the inputs given` : `auth: ${mode} as requested`
  return { signIn: buildSignIn(mode, inputs, env), reason }
}

/** A secret the chosen sign-in would not use is a mistake (the wrong auth, or a leftover): never ignore it. */
function refuseUnusedSecrets(mode: Exclude<AuthMode, 'auto'>, inputs: SignInInputs): void {
  if (inputs.clientSecret && inputs.clientCertificatePem) {
    throw new UserError(
      'Both client-secret and client-certificate are given',
      'give one of them: the app signs in with either its secret or its certificate'
    )
  }
  const unused =
    (inputs.clientSecret && mode !== 'client-secret' && 'client-secret (or creds with clientSecret)') ||
    (inputs.clientCertificatePem && mode !== 'client-certificate' && 'client-certificate')
  if (unused) {
    throw new UserError(
      `auth: ${mode} does not use ${unused}`,
      `drop ${unused.split(' ')[0]}, or set auth to ${unused.startsWith('client-secret') ? 'client-secret' : 'client-certificate'}`
    )
  }
}

function pickAutomatically(inputs: SignInInputs): Exclude<AuthMode, 'auto'> {
  if (inputs.clientCertificatePem) return 'client-certificate'
  if (inputs.clientSecret) return 'client-secret'
  if (inputs.clientId || inputs.tenantId) return 'oidc'
  throw new UserError(
    'No Azure sign-in was given',
    'set client-id and tenant-id for GitHub OIDC (with `permissions: id-token: write`), or add client-secret, ' +
      'client-certificate or creds; or set auth to managed-identity or azure-cli'
  )
}

function buildSignIn(mode: Exclude<AuthMode, 'auto'>, inputs: SignInInputs, env: NodeJS.ProcessEnv): SignIn {
  switch (mode) {
    case 'oidc': {
      const { clientId, tenantId } = requireApp(inputs, 'GitHub OIDC')
      if (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
        throw new UserError('GitHub OIDC is not available to this job', ID_TOKEN_PERMISSION_HINT)
      }
      return {
        kind: 'federated',
        tenantId,
        clientId,
        // The audience GitHub's ID token must carry: the `audience` input, or the cloud's.
        getAssertion: fetchGitHubIdToken,
        assertionSource: 'GitHub OIDC'
      }
    }
    case 'client-secret': {
      const { clientId, tenantId } = requireApp(inputs, 'client-secret sign-in')
      if (!inputs.clientSecret)
        throw missing('client-secret (or creds with clientSecret)', 'auth: client-secret')
      return { kind: 'client-secret', tenantId, clientId, clientSecret: inputs.clientSecret }
    }
    case 'client-certificate': {
      const { clientId, tenantId } = requireApp(inputs, 'client-certificate sign-in')
      if (!inputs.clientCertificatePem) throw missing('client-certificate', 'auth: client-certificate')
      return { kind: 'client-certificate', tenantId, clientId, certificatePem: inputs.clientCertificatePem }
    }
    case 'managed-identity':
      // client-id selects a user-assigned identity; without it the VM's system-assigned identity is used.
      return { kind: 'managed-identity', clientId: inputs.clientId }
    case 'azure-cli':
      return { kind: 'azure-cli', tenantId: inputs.tenantId }
  }
}

function requireApp(inputs: SignInInputs, what: string): { clientId: string; tenantId: string } {
  if (!inputs.clientId) throw missing('client-id', what)
  if (!inputs.tenantId) throw missing('tenant-id', what)
  return { clientId: inputs.clientId, tenantId: inputs.tenantId }
}

function missing(input: string, what: string): UserError {
  return new UserError(`Input ${input} is missing for ${what}`, 'set it in the step inputs (or in creds)')
}

/**
 * A fresh ID token per call: GitHub's tokens live minutes, an import batch can outlive one. The request goes
 * through the same HTTP pipeline as every other call (proxy, retries on resets, 429 with Retry-After, 5xx), as
 * @actions/core's getIDToken would not retry.
 */
async function fetchGitHubIdToken(audience: string): Promise<string> {
  const url = new URL(process.env.ACTIONS_ID_TOKEN_REQUEST_URL ?? '')
  url.searchParams.set('audience', audience)
  let response
  try {
    response = await sendHttp({
      method: 'GET',
      url: url.toString(),
      headers: {
        authorization: `Bearer ${process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? ''}`,
        accept: 'application/json'
      }
    })
  } catch (err) {
    throw new UserError(
      `GitHub's OIDC token service could not be reached: ${safeText(err instanceof Error ? err.message : String(err))}`,
      "it was tried again with back-off; re-run the job, and check the runner's network and proxy if it repeats"
    )
  }
  const token = response.status === 200 ? tokenValue(response.body) : undefined
  if (token) {
    core.setSecret(token)
    return token
  }
  const detail = `HTTP ${response.status}${response.body ? ` ${safeText(response.body).slice(0, 200)}` : ''}`
  throw new UserError(
    `GitHub did not issue an OIDC token: ${detail}`,
    response.status === 401 || response.status === 403 || response.status === 200
      ? ID_TOKEN_PERMISSION_HINT
      : "GitHub's token service kept failing after retries; re-run the job"
  )
}

function tokenValue(body: string): string | undefined {
  try {
    const value = (JSON.parse(body) as { value?: unknown }).value
    return typeof value === 'string' && value ? value : undefined
  } catch {
    return undefined
  }
}
