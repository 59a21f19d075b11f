// checkSignIn refuses what can never sign in before Entra ID is asked: a client ID that is not a GUID (a name
// pasted in its place, the most common mistake), a certificate PEM without a certificate or without a readable
// private key. Each refusal is one line with what to do, and never echoes the PEM.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkSignIn } from '../../../src/core/credential/check-sign-in.js'
import type { SignIn } from '../../../src/core/credential/sign-in.js'
import { UserError } from '../../../src/core/errors/user-error.js'
import { createAppCertificates } from '../../testbed/azure/entra/appCertificates.js'
import type { AppModel } from '../../testbed/world.js'

const GUID = '0f0e0d0c-0b0a-4908-8706-050403020100'
const TENANT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'

/** The one line a refused sign-in ends the step with. */
function refusal(signIn: SignIn): string {
  try {
    checkSignIn(signIn)
  } catch (err) {
    if (!(err instanceof UserError)) throw err
    expect(err.hint).toBeTruthy()
    return err.format()
  }
  throw new Error(`${signIn.kind} was not refused`)
}

describe('the client ID', () => {
  const notGuid =
    "The client ID 'contoso-importer' is not a GUID. Use the application (client) ID of the app registration or managed identity, e.g. 00000000-0000-0000-0000-000000000000."

  it.each<SignIn>([
    {
      kind: 'client-secret',
      tenantId: TENANT,
      clientId: 'contoso-importer',
      clientSecret: 'secret-value-123'
    },
    {
      kind: 'client-certificate',
      tenantId: TENANT,
      clientId: 'contoso-importer',
      certificatePem: 'not checked'
    },
    {
      kind: 'federated',
      tenantId: TENANT,
      clientId: 'contoso-importer',
      getAssertion: async () => 'never asked',
      assertionSource: 'GitHub OIDC'
    },
    { kind: 'managed-identity', clientId: 'contoso-importer' }
  ])('must be a GUID ($kind)', (signIn) => {
    expect(refusal(signIn)).toBe(notGuid)
  })

  it.each<SignIn>([
    { kind: 'client-secret', tenantId: TENANT, clientId: GUID, clientSecret: 'secret-value-123' },
    {
      kind: 'client-secret',
      tenantId: TENANT,
      clientId: GUID.toUpperCase(),
      clientSecret: 'secret-value-123'
    },
    { kind: 'managed-identity', clientId: GUID },
    { kind: 'managed-identity' },
    { kind: 'azure-cli' },
    { kind: 'azure-cli', tenantId: TENANT }
  ])('is accepted as a GUID, in either case, or when the kind has none ($kind)', (signIn) => {
    expect(() => checkSignIn(signIn)).not.toThrow()
  })
})

describe('the client certificate', () => {
  let dir: string
  let cert: string
  let key: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'check-sign-in-'))
    const app = { displayName: 'unit-test-app', hasCertificate: true } as AppModel
    const pem = (await createAppCertificates({ unit: app }, dir)).get('unit')!.pem
    const keyAt = pem.indexOf('-----BEGIN PRIVATE KEY-----')
    cert = pem.slice(0, keyAt)
    key = pem.slice(keyAt)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const withPem = (certificatePem: string): SignIn => ({
    kind: 'client-certificate',
    tenantId: TENANT,
    clientId: GUID,
    certificatePem
  })
  const hint =
    'Give the PEM with both the certificate (-----BEGIN CERTIFICATE-----) and its private key (-----BEGIN PRIVATE KEY-----).'

  it('is accepted with its certificate and its key, in either order', () => {
    expect(() => checkSignIn(withPem(`${cert}${key}`))).not.toThrow()
    expect(() => checkSignIn(withPem(`${key}${cert}`))).not.toThrow()
  })

  it.each<[string, () => string, string]>([
    [
      'text that is not PEM (a path, a thumbprint)',
      () => '/home/runner/app.pem',
      'The client certificate is not PEM text'
    ],
    ['a key without its certificate', () => key, 'The client certificate PEM holds no readable certificate'],
    ['a certificate without its key', () => cert, 'The client certificate PEM has no private key'],
    [
      'a truncated key',
      () => `${cert}${key.slice(0, 200)}\n-----END PRIVATE KEY-----\n`,
      'The private key in the client certificate PEM cannot be read (truncated, or encrypted with a password)'
    ]
  ])('refuses %s in one line, without echoing it', (_case, pem, message) => {
    const line = refusal(withPem(pem()))
    expect(line).toBe(`${message}. ${hint}`)
    const secretLine = pem()
      .split('\n')
      .find((l) => l.length > 20 && !l.startsWith('-----'))
    if (secretLine) expect(line).not.toContain(secretLine)
  })
})
