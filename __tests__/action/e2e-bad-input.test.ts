// Every malformed input of the action, run through the built bundle as the runner runs it: exit 1, exactly one
// error line that says what is wrong and how to fix it, no stack trace, and not one request (the step's only
// way out is a proxy that counts and drops whatever reaches it).
import { describe, expect, test } from '@jest/globals'
import { ENGINE_CASES, type BadInputCase } from '../bad-input/engine-cases.js'
import { useBadInputWorld } from '../bad-input/use-bad-input-world.js'
import { APPS, SUB_PROD, TENANT_A } from '../testbed/world.js'
import { expectOneLineFailure } from './e2e-steps.js'
import { runAction } from './run-action.js'

const world = useBadInputWorld()

const VALID_STEP = {
  registry: 'prodacr',
  source: 'docker.io/library/nginx:1.27',
  'client-id': APPS.github.appId,
  'tenant-id': TENANT_A,
  'subscription-id': SUB_PROD,
  'client-secret': 'a-client-secret-for-bad-input-tests'
}
const OIDC = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.test/token',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x'
}

/** Action-only cases; `() => inputs` where a case needs the generated certificate. */
type ActionCase = BadInputCase & { env?: Record<string, string>; build?: () => Record<string, string> }

const ACTION_CASES: ActionCase[] = [
  {
    name: 'auth: password',
    inputs: { auth: 'password' },
    line: /^Input 'auth' cannot be 'password'\. Use one of auto, oidc/
  },
  {
    name: 'no sign-in at all',
    inputs: { 'client-id': '', 'tenant-id': '', 'client-secret': '' },
    line: /^No Azure sign-in was given/
  },
  {
    name: 'OIDC without id-token: write',
    inputs: { 'client-secret': '' },
    line: /^GitHub OIDC is not available to this job\. Add `permissions: id-token: write`/
  },
  {
    name: 'OIDC without tenant-id',
    inputs: { 'client-secret': '', 'tenant-id': '', auth: 'oidc' },
    env: OIDC,
    line: /^Input tenant-id is missing for GitHub OIDC/
  },
  {
    name: 'auth: oidc with a client secret',
    inputs: { auth: 'oidc' },
    env: OIDC,
    line: /^auth: oidc does not use client-secret/
  },
  {
    name: 'auth: managed-identity with a client secret',
    inputs: { auth: 'managed-identity' },
    line: /^auth: managed-identity does not use client-secret/
  },
  {
    name: 'auth: client-certificate without a certificate',
    inputs: { auth: 'client-certificate', 'client-secret': '' },
    line: /^Input client-certificate is missing/
  },
  {
    name: 'auth: client-secret without a secret',
    inputs: { auth: 'client-secret', 'client-secret': '' },
    line: /^Input client-secret \(or creds with clientSecret\) is missing/
  },
  {
    name: 'a client secret and a certificate',
    inputs: {},
    build: () => ({ 'client-certificate': `${world.certificatePem}${world.keyPem}` }),
    line: /^Both client-secret and client-certificate are given/
  },
  {
    name: 'a certificate that is not PEM',
    inputs: { 'client-secret': '', 'client-certificate': 'not a pem at all' },
    line: /^The client certificate is not PEM text\. Give the PEM with both/
  },
  {
    name: 'a certificate without its key',
    inputs: { 'client-secret': '' },
    build: () => ({ 'client-certificate': world.certificatePem }),
    line: /^The client certificate PEM has no private key/
  },
  {
    name: 'a certificate with a truncated key',
    inputs: { 'client-secret': '' },
    build: () => ({
      'client-certificate': world.truncatedKeyPem()
    }),
    line: /^The private key in the client certificate PEM cannot be read/
  },
  {
    name: 'a key without its certificate',
    inputs: { 'client-secret': '' },
    build: () => ({ 'client-certificate': world.keyPem }),
    line: /^The client certificate PEM holds no readable certificate/
  },
  {
    name: 'a client ID that is not a GUID',
    inputs: { 'client-id': 'my-app' },
    line: /^The client ID 'my-app' is not a GUID/
  },
  {
    name: 'a subscription name for its ID',
    inputs: { 'subscription-id': 'xyz' },
    line: /^The subscription ID 'xyz' is not a GUID/
  },
  {
    name: 'creds that are not JSON',
    inputs: { creds: '{"clientSecret": "leaky' },
    line: /^Input 'creds' is not valid JSON\./
  },
  {
    name: 'creds that are not an object',
    inputs: { creds: '[1]' },
    line: /^Input 'creds' is not a JSON object/
  },
  {
    name: 'an unknown environment',
    inputs: { environment: 'Mars' },
    line: /^Unknown environment 'Mars'\. Use one of AzureCloud/
  },
  {
    name: 'Azure Stack without endpoints',
    inputs: { environment: 'AzureStack' },
    line: /^Environment AzureStack needs its endpoints/
  },
  {
    name: 'an http ARM endpoint',
    inputs: {
      environment: 'AzureStack',
      'arm-endpoint': 'http://management.local',
      'authority-host': 'https://adfs.local/adfs'
    },
    line: /is not https/
  },
  {
    name: 'an ARM endpoint that is not a URL',
    inputs: {
      environment: 'AzureStack',
      'arm-endpoint': 'management',
      'authority-host': 'https://adfs.local/adfs'
    },
    line: /is not a URL/
  }
]

describe('malformed input never reaches the network (action)', () => {
  const cases: ActionCase[] = [...ENGINE_CASES, ...ACTION_CASES]

  test('the table covers at least 80 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(80)
  })

  test.concurrent.each(cases)('$name', async (badCase) => {
    const extra = badCase.build?.() ?? {}
    const sent = world.proxy.requests.length
    const run = await runAction({
      inputs: { ...VALID_STEP, ...badCase.inputs, ...extra },
      env: { ...world.proxy.env, ...badCase.env },
      timeoutMs: 30_000
    })
    const line = expectOneLineFailure(run)
    expect(line).toMatch(badCase.line)
    expect(line).toMatch(/\.$/)
    // Concurrent cases share the proxy: any request at all fails every case running at the time.
    expect(world.proxy.requests.slice(sent)).toEqual([])
  })
})
