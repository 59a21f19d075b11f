// importImage at its edges, through the real @azure/arm-containerregistry client: an index with more manifests
// than ACR imports (51 children + the index, over ACR's documented 50) fails on the poll with ACR's limit
// message and copies nothing; a 503 with Retry-After on the POST is retried by the SDK to success.
import { afterEach, describe, expect, it } from '@jest/globals'
import type { SdkAction } from './azure/sdk-harness/sdkClient.js'
import { pushIndex, type Platform } from './registry/fixtures.js'
import { useSdkClient, useTestbed } from './use-testbed.js'
import { APPS, REGISTRIES, SUB_PROD, TENANT_A } from './world.js'

const testbed = useTestbed()
const sdk = useSdkClient(testbed)
afterEach(() => testbed.faults.reset())

const github = {
  kind: 'secret',
  tenantId: TENANT_A,
  clientId: APPS.github.appId,
  secret: APPS.github.clientSecret
} as const

const importIntoProd = (parameters: unknown): SdkAction => ({
  kind: 'importImage',
  subscriptionId: SUB_PROD,
  resourceGroup: REGISTRIES.prod.resourceGroup,
  name: REGISTRIES.prod.name,
  parameters
})

/** 51 made-up platforms: enough children that index + children is one over ACR's limit of 50 manifests. */
const MANY_PLATFORMS: Platform[] = Array.from({ length: 51 }, (_, i) => ({
  os: 'linux',
  architecture: `arch${i}`
}))

describe('importImage limits', () => {
  it('refuses an index of more than 50 manifests on the poll, with ACR’s message, and copies nothing', async () => {
    const importPosts = { method: 'POST', path: /\/registries\/prodacr\/importImage\?/ }
    const postsBefore = testbed.count(importPosts)
    const digest = await pushIndex(testbed.backend('docker.io'), 'library/manyarch', '1', MANY_PLATFORMS)
    const answer = await sdk.run(
      github,
      importIntoProd({
        source: { registryUri: 'docker.io', sourceImage: 'library/manyarch:1' },
        targetTags: ['limits/manyarch:1']
      })
    )
    expect(answer.ok).toBe(false)
    if (answer.ok) return
    expect(answer.error).toMatchObject({ statusCode: 400, code: 'InvalidParameters' })
    expect(answer.error.message).toContain('the maximum number of manifests for an imported image is 50')
    // The POST was accepted (202): the refusal is the operation's outcome, as in ACR.
    expect(testbed.count(importPosts)).toBe(postsBefore + 1)
    const prod = testbed.backend('prodacr.azurecr.io')
    expect(await prod.listTags('limits/manyarch')).toEqual([])
    expect(await prod.headManifest('limits/manyarch', digest)).toBeUndefined()
  })

  it('retries a POST throttled with 503 and Retry-After, then succeeds', async () => {
    testbed.faults.throttleImports(1, 503, 1)
    const postsBefore = testbed.count({
      host: 'management.azure.com',
      method: 'POST',
      path: /\/importImage\?/
    })
    const started = Date.now()
    const answer = await sdk.run(
      github,
      importIntoProd({
        source: { registryUri: 'docker.io', sourceImage: 'library/hello-world:latest' },
        targetTags: ['limits/throttled:latest']
      })
    )
    expect(answer).toEqual({ ok: true, value: { status: 'succeeded' } })
    expect(testbed.count({ host: 'management.azure.com', method: 'POST', path: /\/importImage\?/ })).toBe(
      postsBefore + 2
    )
    // The SDK waited as told by Retry-After (1 s) before the second POST.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000)
    const posts = testbed.requests.filter((r) => r.method === 'POST' && r.url.includes('/importImage?'))
    expect(posts.slice(-2).map((r) => r.status)).toEqual([503, 202])
    expect(await testbed.backend('prodacr.azurecr.io').headManifest('limits/throttled', 'latest')).toBe(
      await testbed.backend('docker.io').headManifest('library/hello-world', 'latest')
    )
  })
})
