// How the command line picks its Entra ID sign-in from Azure's standard environment variables, in-process (the
// bundle tests sign in for real with a client secret and a federated token file).
import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chooseSignIn } from '../../src/cli/sign-in.js'

const folder = mkdtempSync(join(tmpdir(), 'cli-sign-in-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

const APP = {
  clientId: '00000000-0000-4000-8000-000000000001',
  tenantId: '00000000-0000-4000-8000-00000000000a'
}

describe('the command line sign-in', () => {
  test('auto picks by what is set: secret, then certificate, then token file, else the az session', () => {
    const token = join(folder, 'token')
    writeFileSync(token, 'a.b.c')
    const pem = join(folder, 'app.pem')
    writeFileSync(pem, 'PEM')
    const pick = (env: NodeJS.ProcessEnv) => chooseSignIn({ auth: 'auto', ...APP }, env)
    expect(
      pick({
        AZURE_CLIENT_SECRET: 'x',
        AZURE_CLIENT_CERTIFICATE_PATH: pem,
        AZURE_FEDERATED_TOKEN_FILE: token
      }).signIn.kind
    ).toBe('client-secret')
    expect(
      pick({ AZURE_CLIENT_CERTIFICATE_PATH: pem, AZURE_FEDERATED_TOKEN_FILE: token }).signIn
    ).toMatchObject({
      kind: 'client-certificate',
      certificatePem: 'PEM'
    })
    expect(pick({ AZURE_FEDERATED_TOKEN_FILE: token }).signIn.kind).toBe('federated')
    const laptop = pick({})
    expect(laptop.signIn).toEqual({ kind: 'azure-cli', tenantId: APP.tenantId })
    expect(laptop.reason).toMatch(/^auth: auto picked azure-cli \(none of AZURE_CLIENT_SECRET, /)
  })

  test('the federated token file is read again each time an assertion is needed', async () => {
    const token = join(folder, 'rotated-token')
    writeFileSync(token, 'first.token.value\n')
    const { signIn } = chooseSignIn({ auth: 'oidc', ...APP }, { AZURE_FEDERATED_TOKEN_FILE: token })
    if (signIn.kind !== 'federated') throw new Error(`expected a federated sign-in, got ${signIn.kind}`)
    expect(await signIn.getAssertion('api://AzureADTokenExchange')).toBe('first.token.value')
    writeFileSync(token, 'second.token.value\n')
    expect(await signIn.getAssertion('api://AzureADTokenExchange')).toBe('second.token.value')
  })

  test('managed identity only by name; a client ID selects a user-assigned one', () => {
    expect(chooseSignIn({ auth: 'managed-identity', clientId: APP.clientId }, {}).signIn).toEqual({
      kind: 'managed-identity',
      clientId: APP.clientId
    })
    expect(chooseSignIn({ auth: 'managed-identity' }, {}).signIn).toEqual({
      kind: 'managed-identity',
      clientId: undefined
    })
  })

  test('the subscription comes with the sign-in', () => {
    expect(chooseSignIn({ auth: 'azure-cli', subscriptionId: 'sub' }, {}).subscriptionId).toBe('sub')
  })
})
