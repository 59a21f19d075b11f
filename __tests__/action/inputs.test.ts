// Input parsing through real INPUT_* variables (action.yml defaults included), as the runner provides them: the
// engine's inputs read by the core's readRequest through the action's host port, and the action's own sign-in
// inputs.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createActionHost } from '../../src/action/host.js'
import { getAzureInputs } from '../../src/action/inputs.js'
import { readRequest } from '../../src/core/request/read-request.js'
import { useInputs } from './action-manifest.js'
import { captureStdout, type CapturedStdout } from './capture-stdout.js'

let stdout: CapturedStdout
beforeEach(() => {
  stdout = captureStdout()
})
afterEach(() => {
  stdout.restore()
  useInputs({})
})

const maskedValues = (): string[] =>
  stdout
    .lines()
    .filter((line) => line.startsWith('::add-mask::'))
    .map((line) => line.slice('::add-mask::'.length))

const messageOf = (fn: () => unknown): string => {
  try {
    fn()
  } catch (err) {
    return (err as { format?: () => string }).format?.() ?? (err as Error).message
  }
  throw new Error('expected an error')
}

/** What runStep reads: the request through the port (secrets masked as read), then the sign-in inputs. */
function getActionInputs() {
  const host = createActionHost()
  const request = readRequest((name, options) => {
    const value = host.input(name, options)
    if (options?.secret) host.setSecret(value)
    return value
  })
  return { request, ...getAzureInputs() }
}

describe('the action inputs', () => {
  it('builds the import request from every input, lists one per line', () => {
    useInputs({
      registry: 'prodacr',
      source: 'docker.io/library/nginx:1.27\nmcr.microsoft.com/dotnet/runtime:8.0',
      'source-registry':
        '/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/devacr',
      image: 'web:1.27\n\nweb:stable\n',
      repository: 'web-untagged',
      username: 'bot',
      password: 'p@ss',
      force: 'true',
      wait: 'false',
      timeout: '90',
      'dry-run': 'TRUE',
      'subscription-id': 'sub-1'
    })
    const inputs = getActionInputs()
    expect(inputs.subscriptionId).toBe('sub-1')
    expect(inputs.request).toEqual({
      registry: 'prodacr',
      sourceLines: ['docker.io/library/nginx:1.27', 'mcr.microsoft.com/dotnet/runtime:8.0'],
      sourceRegistry:
        '/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/devacr',
      images: ['web:1.27', 'web:stable'],
      repositories: ['web-untagged'],
      credentials: { username: 'bot', password: 'p@ss' },
      force: true,
      wait: false,
      timeoutSeconds: 90,
      dryRun: true,
      concurrency: 'auto',
      skipUnchanged: true,
      failFast: false,
      referrers: true,
      lock: false
    })
  })

  it("uses action.yml's defaults: NoForce, wait, 600 s, no dry run, auth auto, AzureCloud", () => {
    useInputs({ registry: 'prodacr', source: 'nginx' })
    const inputs = getActionInputs()
    expect(inputs.request).toMatchObject({ force: false, wait: true, timeoutSeconds: 600, dryRun: false })
    expect(inputs.request.credentials).toBeUndefined()
    expect(inputs.signIn.auth).toBe('auto')
    expect(inputs.cloud).toEqual({
      environment: 'AzureCloud',
      armEndpoint: undefined,
      authorityHost: undefined,
      audience: undefined
    })
  })

  it.each([
    [{ force: 'yes' }, "Input 'force' must be true or false, not 'yes'."],
    [{ 'dry-run': '1' }, "Input 'dry-run' must be true or false, not '1'."],
    [{ 'skip-unchanged': 'no' }, "Input 'skip-unchanged' must be true or false, not 'no'."],
    [
      { concurrency: '0' },
      "Input 'concurrency' must be auto or a whole number from 1 to 200, not '0'. Auto adapts to throttling; a number caps the imports in flight."
    ],
    [{ concurrency: '201' }, /^Input 'concurrency' must be auto or a whole number from 1 to 200, not '201'/],
    [{ shard: '5/4' }, /^Input 'shard' must be i\/n with 1 <= i <= n, not '5\/4'/],
    [{ shard: '0/4' }, /^Input 'shard' must be i\/n/],
    [{ shard: 'two' }, /^Input 'shard' must be i\/n/],
    [{ tags: 'exclude: -alpine$' }, /^Input 'tags': a tag pattern needs semver or regex\. Give semver/],
    [{ tags: 'semver: banana' }, /^Input 'tags': 'banana' is not a semver range\. Write a node-semver range/],
    [{ tags: 'newest: 2' }, /^Input 'tags': a tag pattern needs semver or regex/],
    [{ timeout: 'ten' }, "Input 'timeout' must be a whole number of seconds above 0, not 'ten'."],
    [{ timeout: '0' }, "Input 'timeout' must be a whole number of seconds above 0, not '0'."],
    [{ timeout: '1.5' }, "Input 'timeout' must be a whole number of seconds above 0, not '1.5'."],
    [
      { auth: 'password' },
      "Input 'auth' cannot be 'password'. Use one of auto, oidc, client-secret, client-certificate, managed-identity, azure-cli."
    ],
    [
      { timeout: '2147484' },
      "Input 'timeout' is 2147484 seconds, more than the longest an import may take (21600 s, 6 hours). An import that runs longer is stuck; use a smaller timeout."
    ],
    [
      { username: 'bot' },
      'Authentication failed: a username needs a password. Pass the password (or access token) of the source registry too, or drop the username.'
    ],
    [{ registry: '' }, "Input 'registry' is required. Set it to the target registry."],
    [
      { source: '' },
      "Give the images to import: input 'source' or an images file ('images-file'; 'imagesFile' in Azure Pipelines). Set source to an image reference, e.g. docker.io/library/nginx:1.27, or images-file to a YAML file of images."
    ]
  ])('rejects %j with one line', (bad, message) => {
    useInputs({ registry: 'prodacr', source: 'nginx', ...bad })
    const text = messageOf(() => getActionInputs())
    if (typeof message === 'string') expect(text).toBe(message)
    else expect(text).toMatch(message)
    expect(text).not.toContain('\n')
  })

  it('reads the fleet inputs: images file against the workspace, concurrency, shard, tags', () => {
    useInputs({
      registry: 'prodacr',
      'images-file': 'ci/images.yaml',
      concurrency: '12',
      'skip-unchanged': 'false',
      'fail-fast': 'true',
      shard: '2/4',
      tags: 'semver: >=1.27.0 <1.28.0, exclude: -alpine$, newest: 2'
    })
    const host = createActionHost()
    expect(readRequest(host.input, '/work/repo')).toMatchObject({
      sourceLines: [],
      imagesFile: '/work/repo/ci/images.yaml',
      concurrency: 12,
      skipUnchanged: false,
      failFast: true,
      shard: { index: 2, count: 4 },
      tags: { semver: '>=1.27.0 <1.28.0', exclude: '-alpine$', newest: 2, prerelease: false }
    })
  })

  it('fills sign-in and subscription from creds, explicit inputs win', () => {
    const creds = {
      clientId: 'creds-app',
      clientSecret: 'creds-secret-value',
      tenantId: 'creds-tenant',
      subscriptionId: 'creds-sub'
    }
    useInputs({
      registry: 'prodacr',
      source: 'nginx',
      creds: JSON.stringify(creds),
      'client-id': 'input-app'
    })
    const inputs = getActionInputs()
    expect(inputs.signIn).toEqual({
      auth: 'auto',
      clientId: 'input-app',
      tenantId: 'creds-tenant',
      clientSecret: 'creds-secret-value',
      clientCertificatePem: undefined
    })
    expect(inputs.subscriptionId).toBe('creds-sub')
  })

  it("takes creds' endpoints for Azure Stack Hub only", () => {
    const creds = JSON.stringify({
      clientId: 'a',
      tenantId: 't',
      resourceManagerEndpointUrl: 'https://management.local.azurestack.external/',
      activeDirectoryEndpointUrl: 'https://adfs.local.azurestack.external/adfs'
    })
    useInputs({ registry: 'r', source: 'nginx', creds, environment: 'AzureStack' })
    expect(getActionInputs().cloud).toMatchObject({
      armEndpoint: 'https://management.local.azurestack.external/',
      authorityHost: 'https://adfs.local.azurestack.external/adfs'
    })
    useInputs({ registry: 'r', source: 'nginx', creds })
    expect(getActionInputs().cloud).toMatchObject({ armEndpoint: undefined, authorityHost: undefined })
  })

  it('reports malformed creds without echoing them', () => {
    useInputs({ registry: 'r', source: 'nginx', creds: '{"clientSecret": "leaky-secret-123"' })
    const text = messageOf(() => getActionInputs())
    expect(text).toMatch(/^Input 'creds' is not valid JSON\. /)
    expect(text).not.toContain('leaky-secret-123')
  })

  it('masks every secret as soon as it is read: password, client secret, creds secret, each key line', () => {
    const pem = [
      '-----BEGIN PRIVATE KEY-----',
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
      'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8',
      '-----END PRIVATE KEY-----'
    ].join('\n')
    useInputs({
      registry: 'r',
      source: 'nginx',
      password: 'docker-hub-token-1',
      'client-secret': 'client-secret-2',
      'client-certificate': pem,
      creds: JSON.stringify({ clientSecret: 'creds-secret-3' })
    })
    getActionInputs()
    const masked = maskedValues()
    expect(masked).toEqual(
      expect.arrayContaining([
        'docker-hub-token-1',
        'client-secret-2',
        'creds-secret-3',
        'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
        'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8'
      ])
    )
    // Masking the armour line would blank out harmless log text.
    expect(masked).not.toContain('-----BEGIN PRIVATE KEY-----')
  })
})
