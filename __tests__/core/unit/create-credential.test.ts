// createCredential, in-process and without Entra ID: each SignIn kind builds its own @azure/identity credential
// and registers its secrets (the client secret; each line of the certificate's PEM; each federated assertion as
// it is fetched) through the step's Logger, whose rule registers a multi-line secret line by line.
//
// Which credential was built shows in how its token request fails, and each request here is made to fail before
// it reaches the network: the tenant `organizations` is refused by MSAL after the client assertion is fetched
// and before any request; a managed identity refuses two scopes at once; the Azure CLI credential refuses a
// claims challenge. The failure is the step's own SignInError, naming the sign-in that was tried.
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TokenCredential } from '@azure/core-auth'
import { resolveCloud } from '../../../src/core/cloud/clouds.js'
import { createCredential } from '../../../src/core/credential/create-credential.js'
import type { SignIn } from '../../../src/core/credential/sign-in.js'
import { describeError } from '../../../src/core/errors/describe-error.js'
import { SignInError } from '../../../src/core/errors/sign-in-error.js'
import { UserError } from '../../../src/core/errors/user-error.js'
import { stepLogger } from '../../../src/core/log/logger.js'
import { createAppCertificates } from '../../testbed/azure/entra/appCertificates.js'
import type { AppModel } from '../../testbed/world.js'
import { recordingLogger } from './fakes.js'

const CLIENT_ID = '0f0e0d0c-0b0a-4908-8706-050403020100'
/** MSAL refuses a token request for this tenant before sending anything (it needs a tenant of its own). */
const NO_REQUEST_TENANT = 'organizations'
const ARM_SCOPE = 'https://management.azure.com/.default'
const cloud = resolveCloud({})

const dir = mkdtempSync(join(tmpdir(), 'create-credential-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A PEM with a self-signed certificate and its private key, as a certificate service connection holds. */
async function certificatePem(): Promise<string> {
  const app = { displayName: 'unit-test-app', hasCertificate: true } as AppModel
  const certificates = await createAppCertificates({ unit: app }, dir)
  return certificates.get('unit')!.pem
}

/** Assertions expire an hour after the tests start. */
const EXP = Math.floor(Date.now() / 1000) + 3600

/** A JWT-shaped assertion (unsigned: only its claims are read). */
function assertion(claims: { iss: string; sub: string; aud: string }): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ ...claims, exp: EXP })}.signature`
}

/** The error of a token request made to fail before the network. */
async function tokenFailure(
  credential: TokenCredential,
  scopes: string | string[] = ARM_SCOPE,
  options = {}
): Promise<SignInError> {
  let thrown: unknown
  try {
    await credential.getToken(scopes, options)
  } catch (err) {
    thrown = err
  }
  if (!(thrown instanceof SignInError)) throw new Error(`expected a SignInError, got ${String(thrown)}`)
  return thrown
}

describe('a client secret', () => {
  it('is registered as a secret, and its credential names the app when it fails', async () => {
    const log = recordingLogger()
    const signIn: SignIn = {
      kind: 'client-secret',
      tenantId: NO_REQUEST_TENANT,
      clientId: CLIENT_ID,
      clientSecret: 'the~client.secret-value_1234'
    }
    const credential = createCredential(signIn, cloud, log)
    expect(log.secrets).toEqual(['the~client.secret-value_1234'])
    const failure = await tokenFailure(credential)
    expect(failure.signInDescription).toBe(`client secret of app ${CLIENT_ID}`)
    expect(describeError(failure)).toMatch(
      new RegExp(`^Sign-in with client secret of app ${CLIENT_ID} failed: missing_tenant_id_error.*\\.$`)
    )
    expect(describeError(failure)).not.toContain('the~client.secret-value_1234')
  })
})

describe('a client certificate', () => {
  it("registers every line of the certificate and its key with the host (not the PEM's armour)", async () => {
    const pem = await certificatePem()
    const host = recordingLogger()
    const credential = createCredential(
      { kind: 'client-certificate', tenantId: NO_REQUEST_TENANT, clientId: CLIENT_ID, certificatePem: pem },
      cloud,
      stepLogger(host)
    )
    const body = pem
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('-----'))
    expect(body.length).toBeGreaterThan(20)
    expect(host.secrets).toEqual(body)
    const failure = await tokenFailure(credential)
    expect(failure.signInDescription).toBe(`certificate of app ${CLIENT_ID}`)
    expect(host.lines).toEqual([])
  })
})

describe('a federated sign-in', () => {
  it("fetches the assertion for the cloud's audience, registers it, and explains a failure with its claims", async () => {
    const usGov = resolveCloud({ environment: 'AzureUSGovernment' })
    const claims = {
      iss: 'https://token.actions.githubusercontent.com',
      sub: 'repo:contoso/app:ref:refs/heads/main',
      aud: ''
    }
    const audiences: string[] = []
    const log = recordingLogger()
    const credential = createCredential(
      {
        kind: 'federated',
        tenantId: NO_REQUEST_TENANT,
        clientId: CLIENT_ID,
        getAssertion: async (audience) => {
          audiences.push(audience)
          return assertion({ ...claims, aud: audience })
        },
        assertionSource: 'GitHub OIDC'
      },
      usGov,
      log
    )
    // Nothing is fetched until a token is needed.
    expect(audiences).toEqual([])
    const failure = await tokenFailure(credential)
    expect(audiences).toEqual(['api://AzureADTokenExchangeUSGov'])
    expect(log.secrets).toEqual([assertion({ ...claims, aud: 'api://AzureADTokenExchangeUSGov' })])
    expect(failure.signInDescription).toBe('GitHub OIDC')
    expect(failure.assertionClaims).toMatchObject({ ...claims, aud: 'api://AzureADTokenExchangeUSGov' })
    expect(failure.expectedAudience).toBe('api://AzureADTokenExchangeUSGov')
  })
})

describe('a managed identity', () => {
  it.each<[string, string | undefined, string]>([
    ['user-assigned', CLIENT_ID, `managed identity ${CLIENT_ID}`],
    ['system-assigned', undefined, 'system-assigned managed identity']
  ])('(%s) registers no secret and names itself when it fails', async (_kind, clientId, description) => {
    const log = recordingLogger()
    const credential = createCredential({ kind: 'managed-identity', clientId }, cloud, log)
    const failure = await tokenFailure(credential, [
      ARM_SCOPE,
      'https://containerregistry.azure.net/.default'
    ])
    expect(failure.signInDescription).toBe(description)
    expect(describeError(failure)).toContain('ManagedIdentityCredential: Multiple scopes are not supported')
    expect(log.secrets).toEqual([])
  })
})

describe('an Azure CLI session', () => {
  it('registers no secret and, when it fails, says to sign in with az login in an earlier step', async () => {
    const log = recordingLogger()
    const credential = createCredential(
      { kind: 'azure-cli', tenantId: 'contoso.onmicrosoft.com' },
      cloud,
      log
    )
    const failure = await tokenFailure(credential, ARM_SCOPE, { claims: '{"access_token":{}}' })
    expect(failure.signInDescription).toBe('Azure CLI session')
    expect(describeError(failure)).toMatch(
      /^Sign-in with Azure CLI session failed: .*az login --claims-challenge .*Sign in with az login \(or azure\/login\) in an earlier step/
    )
    expect(log.secrets).toEqual([])
  })
})

describe('a sign-in that cannot work', () => {
  it('is refused before any credential exists or any secret is registered', () => {
    const log = recordingLogger()
    expect(() =>
      createCredential(
        {
          kind: 'client-secret',
          tenantId: 'contoso',
          clientId: 'my-app-name',
          clientSecret: 'secret-value-123'
        },
        cloud,
        log
      )
    ).toThrow(UserError)
    expect(log.secrets).toEqual([])
  })
})
