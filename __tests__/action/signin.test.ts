// How `auth` (auto and explicit) turns the inputs into one SignIn, and GitHub OIDC's fresh-token callback,
// against a small local stand-in for the runner's ID token endpoint.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { SignInInputs } from '../../src/action/inputs.js'
import { chooseSignIn } from '../../src/action/signin.js'
import { captureStdout, type CapturedStdout } from './capture-stdout.js'

const APP = { clientId: 'app-id', tenantId: 'tenant-id' }
const OIDC_ENV = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/token?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'rt'
}

const inputs = (given: Partial<SignInInputs>): SignInInputs => ({ auth: 'auto', ...given })

const messageOf = (fn: () => unknown): string => {
  try {
    fn()
  } catch (err) {
    return (err as { format: () => string }).format()
  }
  throw new Error('expected an error')
}

describe('chooseSignIn with auth: auto', () => {
  it.each([
    ['a certificate', { ...APP, clientCertificatePem: 'PEM' }, 'client-certificate'],
    ['a client secret', { ...APP, clientSecret: 's' }, 'client-secret'],
    ['client-id and tenant-id with OIDC available', APP, 'federated']
  ])('picks by %s', (_what, given, kind) => {
    const chosen = chooseSignIn(inputs(given), OIDC_ENV)
    expect(chosen.signIn.kind).toBe(kind)
    expect(chosen.reason).toMatch(/^auth: auto picked /)
  })

  it('asks for the id-token permission when OIDC is the only way and the runner has no token endpoint', () => {
    expect(messageOf(() => chooseSignIn(inputs(APP), {}))).toBe(
      'GitHub OIDC is not available to this job. Add `permissions: id-token: write` to the job (or the workflow).'
    )
  })

  it('names the missing tenant-id for OIDC', () => {
    expect(messageOf(() => chooseSignIn(inputs({ clientId: 'a' }), OIDC_ENV))).toBe(
      'Input tenant-id is missing for GitHub OIDC. Set it in the step inputs (or in creds).'
    )
  })

  it('fails with one line naming the options when nothing usable is given', () => {
    const text = messageOf(() => chooseSignIn(inputs({}), OIDC_ENV))
    expect(text).toMatch(/^No Azure sign-in was given\. Set client-id and tenant-id for GitHub OIDC/)
    expect(text).not.toContain('\n')
  })
})

describe('chooseSignIn with an explicit auth', () => {
  it('uses managed identity only when asked, user-assigned with client-id', () => {
    expect(chooseSignIn(inputs({ auth: 'managed-identity' }), {}).signIn).toEqual({
      kind: 'managed-identity',
      clientId: undefined
    })
    expect(chooseSignIn(inputs({ auth: 'managed-identity', clientId: 'mi' }), {})).toEqual({
      signIn: { kind: 'managed-identity', clientId: 'mi' },
      reason: 'auth: managed-identity as requested'
    })
  })

  it('uses the Azure CLI session only when asked', () => {
    expect(chooseSignIn(inputs({ auth: 'azure-cli', tenantId: 't' }), {}).signIn).toEqual({
      kind: 'azure-cli',
      tenantId: 't'
    })
  })

  const setItHint = 'Set it in the step inputs (or in creds).'
  it.each([
    [
      'client-secret',
      APP,
      `Input client-secret (or creds with clientSecret) is missing for auth: client-secret. ${setItHint}`
    ],
    [
      'client-certificate',
      APP,
      `Input client-certificate is missing for auth: client-certificate. ${setItHint}`
    ],
    [
      'client-secret',
      { clientSecret: 's' },
      `Input client-id is missing for client-secret sign-in. ${setItHint}`
    ]
  ] as const)('auth: %s names what is missing', (auth, given, message) => {
    expect(messageOf(() => chooseSignIn(inputs({ auth, ...given }), OIDC_ENV))).toBe(message)
  })
})

describe('GitHub OIDC assertion', () => {
  let server: Server
  let baseUrl: string
  const audiences: string[] = []
  /** What the next requests get instead of a token: an HTTP status, or 'reset' (the connection drops). */
  const faults: (number | 'reset')[] = []
  let stdout: CapturedStdout

  beforeAll(async () => {
    let issued = 0
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const fault = faults.shift()
      if (fault === 'reset') {
        req.socket.destroy()
        return
      }
      if (fault) {
        res.writeHead(fault, { 'retry-after': '0' }).end('{"message":"try later"}')
        return
      }
      if (req.headers.authorization !== 'Bearer request-token') {
        res.writeHead(403).end('{"message":"bad request token"}')
        return
      }
      audiences.push(url.searchParams.get('audience') ?? '')
      issued += 1
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ value: `id-token-${issued}` }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token?api-version=2.0`
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })
  beforeEach(() => {
    stdout = captureStdout()
  })
  afterEach(() => stdout.restore())

  const federated = (env: Record<string, string>) => {
    const { signIn } = chooseSignIn(inputs({ ...APP, auth: 'oidc' }), env)
    if (signIn.kind !== 'federated') throw new Error(`unexpected ${signIn.kind}`)
    return signIn
  }

  it('asks GitHub for a fresh token with the cloud audience on every call, and masks each', async () => {
    const signIn = federated({
      ACTIONS_ID_TOKEN_REQUEST_URL: baseUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token'
    })
    // @actions/core reads the endpoint from the process environment when it is called.
    Object.assign(process.env, {
      ACTIONS_ID_TOKEN_REQUEST_URL: baseUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token'
    })
    try {
      const first = await signIn.getAssertion('api://AzureADTokenExchangeUSGov')
      const second = await signIn.getAssertion('api://AzureADTokenExchangeUSGov')
      expect(second).not.toBe(first)
      expect(audiences.slice(-2)).toEqual([
        'api://AzureADTokenExchangeUSGov',
        'api://AzureADTokenExchangeUSGov'
      ])
      expect(stdout.lines()).toEqual(
        expect.arrayContaining([`::add-mask::${first}`, `::add-mask::${second}`])
      )
      expect(signIn).toMatchObject({
        clientId: 'app-id',
        tenantId: 'tenant-id',
        assertionSource: 'GitHub OIDC'
      })
    } finally {
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
    }
  })

  it('retries the token request on a dropped connection, a 500 and a 429, like every other call', async () => {
    const env = { ACTIONS_ID_TOKEN_REQUEST_URL: baseUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' }
    const signIn = federated(env)
    Object.assign(process.env, env)
    try {
      faults.push('reset', 500, 429)
      await expect(signIn.getAssertion('api://AzureADTokenExchange')).resolves.toMatch(/^id-token-/)
      expect(faults).toEqual([])
    } finally {
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
    }
  })

  it('says the token service kept failing, not the permission, when retries run out', async () => {
    const env = { ACTIONS_ID_TOKEN_REQUEST_URL: baseUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' }
    const signIn = federated(env)
    Object.assign(process.env, env)
    try {
      faults.push(503, 503, 503, 503, 503)
      const error = await signIn.getAssertion('api://AzureADTokenExchange').then(
        () => undefined,
        (err: { format: () => string }) => err.format()
      )
      expect(error).toMatch(
        /^GitHub did not issue an OIDC token: HTTP 503 .*kept failing after retries; re-run the job\.$/
      )
    } finally {
      faults.length = 0
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
    }
  }, 30000)

  it('turns a refused token request into one line with the permission hint', async () => {
    const env = { ACTIONS_ID_TOKEN_REQUEST_URL: baseUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'wrong' }
    const signIn = federated(env)
    Object.assign(process.env, env)
    try {
      const error = await signIn.getAssertion('api://AzureADTokenExchangeUSGov').then(
        () => undefined,
        (err: { format: () => string }) => err.format()
      )
      expect(error).toMatch(
        /^GitHub did not issue an OIDC token: .*403.*\. Add `permissions: id-token: write`/
      )
      expect(error).not.toContain('\n')
    } finally {
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
    }
  })
})
