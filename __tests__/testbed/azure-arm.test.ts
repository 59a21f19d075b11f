// ARM of the test bed (registries get/list, importImage and its long-running operation, RBAC) driven by the
// real @azure/arm-containerregistry client and @azure/identity credentials, with imports checked in the real
// registries behind the fronts.
import { afterEach, describe, expect, it } from '@jest/globals'
import { useSdkClient, useTestbed } from './use-testbed.js'
import { type CredentialSpec, type HttpAnswer, type SdkAction } from './azure/sdk-harness/sdkClient.js'
import { RegistryError, type OciClient } from './types.js'
import {
  APPS,
  MANAGED_IDENTITY,
  REGISTRIES,
  resourceIdOf,
  SUB_PARTNER,
  SUB_PROD,
  SUB_SHARED,
  TENANT_A
} from './world.js'

const testbed = useTestbed()
const sdk = useSdkClient(testbed)

afterEach(() => testbed.faults.reset())

const github: CredentialSpec = {
  kind: 'secret',
  tenantId: TENANT_A,
  clientId: APPS.github.appId,
  secret: APPS.github.clientSecret
}
const noRoles: CredentialSpec = {
  kind: 'secret',
  tenantId: TENANT_A,
  clientId: APPS.noRoles.appId,
  secret: APPS.noRoles.clientSecret
}

async function ok<T>(
  credential: CredentialSpec,
  action: SdkAction,
  env: Record<string, string> = {}
): Promise<T> {
  const answer = await sdk.run<T>(credential, action, env)
  if (!answer.ok) throw new Error(`${action.kind} failed: ${answer.error.message}`)
  return answer.value
}

async function failure(credential: CredentialSpec, action: SdkAction) {
  const answer = await sdk.run(credential, action)
  if (answer.ok) throw new Error(`${action.kind} succeeded but should have failed`)
  return answer.error
}

/** A raw ARM request with github's token (no SDK retries, so a 429 stays a 429). */
async function arm(method: string, path: string, body?: unknown): Promise<HttpAnswer> {
  const { token } = await ok<{ token: string }>(github, {
    kind: 'getToken',
    scope: 'https://management.azure.com/.default'
  })
  return ok<HttpAnswer>(github, {
    kind: 'http',
    method,
    url: path.startsWith('https://') ? path : `https://management.azure.com${path}?api-version=2025-11-01`,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' })
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
}

/** The digest of MCR's windows/servercore:ltsc2019 (what importPost imports). */
const servercoreDigest = () =>
  testbed.backend('mcr.microsoft.com').headManifest('windows/servercore', 'ltsc2019')
const prodTag = (repoTag: string) => {
  const [repo, tag] = repoTag.split(':')
  return testbed.backend('prodacr.azurecr.io').headManifest(repo, tag)
}

/** A raw importImage POST into prodacr of MCR's windows/servercore:ltsc2019, tagged `target`. */
const importPost = (target: string) =>
  arm('POST', `${resourceIdOf(REGISTRIES.prod)}/importImage`, {
    source: { registryUri: 'mcr.microsoft.com', sourceImage: 'windows/servercore:ltsc2019' },
    targetTags: [target]
  })

const importInto = (registry: { name: string; resourceGroup: string }, parameters: unknown): SdkAction => ({
  kind: 'importImage',
  subscriptionId: SUB_PROD,
  resourceGroup: registry.resourceGroup,
  name: registry.name,
  parameters
})

/** Every manifest (index and children) and blob of `repo@digest` in `registry`, by digest. */
async function contentDigests(registry: OciClient, repo: string, reference: string): Promise<string[]> {
  const manifest = await registry.getManifest(repo, reference)
  if (!manifest) throw new Error(`${repo}@${reference} is missing`)
  const parsed = JSON.parse(manifest.body.toString()) as {
    manifests?: { digest: string }[]
    config?: { digest: string }
    layers?: { digest: string }[]
  }
  const children = await Promise.all(
    (parsed.manifests ?? []).map((m) => contentDigests(registry, repo, m.digest))
  )
  const blobs = [parsed.config, ...(parsed.layers ?? [])].filter((b) => b !== undefined).map((b) => b.digest)
  return [manifest.digest, ...blobs, ...children.flat()]
}

describe('registries', () => {
  it('gets a registry as ARM describes it', async () => {
    const registry = await ok<Record<string, unknown>>(github, {
      kind: 'registriesGet',
      subscriptionId: SUB_PROD,
      resourceGroup: 'rg-dev',
      name: 'lockedacr'
    })
    expect(registry).toMatchObject({
      id: resourceIdOf(REGISTRIES.locked),
      name: 'lockedacr',
      location: 'westeurope',
      sku: { name: 'Premium', tier: 'Premium' },
      loginServer: 'lockedacr.azurecr.io',
      publicNetworkAccess: 'Disabled',
      networkRuleBypassOptions: 'AzureServices',
      provisioningState: 'Succeeded'
    })
  })

  it('answers 404 ResourceNotFound for a registry that does not exist', async () => {
    const error = await failure(github, {
      kind: 'registriesGet',
      subscriptionId: SUB_SHARED,
      resourceGroup: 'rg-shared',
      name: 'nopeacr'
    })
    expect(error).toMatchObject({ statusCode: 404, code: 'ResourceNotFound' })
    expect(error.message).toContain(
      "The Resource 'Microsoft.ContainerRegistry/registries/nopeacr' under resource group 'rg-shared' was not found."
    )
  })

  it('answers 404 ResourceGroupNotFound under a resource group that does not exist', async () => {
    const expected = {
      statusCode: 404,
      code: 'ResourceGroupNotFound',
      message: "Resource group 'rg-nope' could not be found."
    }
    // github reads all of SUB_SHARED, so the authorization check passes and the missing group shows.
    const get = await failure(github, {
      kind: 'registriesGet',
      subscriptionId: SUB_SHARED,
      resourceGroup: 'rg-nope',
      name: 'sharedacr'
    })
    expect(get).toMatchObject(expected)
    // The SDK's pager hides the message of a failed list, so the list is read by hand.
    const list = await arm(
      'GET',
      `/subscriptions/${SUB_SHARED}/resourceGroups/rg-nope/providers/Microsoft.ContainerRegistry/registries`
    )
    expect([list.status, JSON.parse(list.body)]).toEqual([
      404,
      { error: { code: expected.code, message: expected.message } }
    ])
  })

  it('answers 403 AuthorizationFailed to a caller without a role', async () => {
    const error = await failure(noRoles, {
      kind: 'registriesGet',
      subscriptionId: SUB_PROD,
      resourceGroup: 'rg-prod',
      name: 'prodacr'
    })
    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' })
    expect(error.message).toContain(
      `The client '${APPS.noRoles.appId}' with object id '${APPS.noRoles.objectId}'`
    )
    expect(error.message).toContain("perform action 'Microsoft.ContainerRegistry/registries/read'")
  })

  it('lists only the registries the caller can read', async () => {
    const all = await ok<string[]>(github, { kind: 'registriesList', subscriptionId: SUB_PROD })
    expect(all.sort()).toEqual(['devacr', 'lockedacr', 'prodacr'])
    const rgDev = await ok<string[]>(github, {
      kind: 'registriesList',
      subscriptionId: SUB_PROD,
      resourceGroup: 'rg-dev'
    })
    expect(rgDev.sort()).toEqual(['devacr', 'lockedacr'])
    expect(await ok<string[]>(noRoles, { kind: 'registriesList', subscriptionId: SUB_PROD })).toEqual([])
  })

  it('lists registries as generic resources, as the Azure CLI looks them up by name', async () => {
    const { token } = await ok<{ token: string }>(github, {
      kind: 'getToken',
      scope: 'https://management.azure.com/.default'
    })
    const filter = encodeURIComponent("resourceType eq 'Microsoft.ContainerRegistry/registries'")
    const answer = await ok<HttpAnswer>(github, {
      kind: 'http',
      url: `https://management.azure.com/subscriptions/${SUB_SHARED}/resources?$filter=${filter}&api-version=2024-11-01`,
      headers: { authorization: `Bearer ${token}` }
    })
    expect(JSON.parse(answer.body)).toEqual({
      value: [
        expect.objectContaining({
          id: resourceIdOf(REGISTRIES.shared),
          type: 'Microsoft.ContainerRegistry/registries'
        }),
        expect.objectContaining({
          id: resourceIdOf(REGISTRIES.prodNorth),
          type: 'Microsoft.ContainerRegistry/registries'
        })
      ]
    })
  })

  it("refuses a token of another tenant than the subscription's", async () => {
    const error = await failure(github, { kind: 'registriesList', subscriptionId: SUB_PARTNER })
    expect(error).toMatchObject({ statusCode: 401, code: 'InvalidAuthenticationTokenTenant' })
  })

  it('refuses a token for another audience than ARM', async () => {
    const error = await failure(github, {
      kind: 'registriesList',
      subscriptionId: SUB_PROD,
      clientOptions: { credentials: { scopes: ['https://containerregistry.azure.net/.default'] } }
    })
    expect(error).toMatchObject({ statusCode: 401, code: 'InvalidAuthenticationToken' })
  })
})

describe('importImage', () => {
  it('copies a multi-arch image from Docker Hub with every child manifest and blob', async () => {
    const result = await ok<{ status: string }>(
      github,
      importInto(REGISTRIES.prod, {
        source: { registryUri: 'docker.io', sourceImage: 'library/hello-world:latest' },
        targetTags: ['hello-world:latest'],
        mode: 'NoForce'
      })
    )
    expect(result.status).toBe('succeeded')
    const hub = testbed.backend('docker.io')
    const prod = testbed.backend('prodacr.azurecr.io')
    const sourceDigest = await hub.headManifest('library/hello-world', 'latest')
    expect(await prod.headManifest('hello-world', 'latest')).toBe(sourceDigest)
    const expected = await contentDigests(hub, 'library/hello-world', sourceDigest!)
    expect(expected.length).toBeGreaterThan(6) // index + 3 platforms with config and layers
    const copied = await contentDigests(prod, 'hello-world', sourceDigest!)
    expect(copied).toEqual(expected)
    expect(testbed.imports.at(-1)).toEqual({
      registry: 'prodacr',
      body: {
        source: { registryUri: 'docker.io', sourceImage: 'library/hello-world:latest' },
        targetTags: ['hello-world:latest'],
        mode: 'NoForce'
      }
    })
  })

  it('polls the absolute Location as ARM does: 202 Accepted with a rotated Location, then 200 Succeeded', async () => {
    testbed.faults.importTimeline(3, 0)
    const before = testbed.requests.length
    await ok(
      github,
      importInto(REGISTRIES.prod, {
        source: { resourceId: resourceIdOf(REGISTRIES.dev), sourceImage: 'app:1.1.0' },
        targetTags: ['timeline:1']
      })
    )
    const log = testbed.requests.slice(before).filter((r) => r.host === 'management.azure.com')
    const post = log.find((r) => r.method === 'POST')!
    expect(post.status).toBe(202)
    const polls = log.filter((r) =>
      /\/locations\/WESTEUROPE\/operationResults\/registries-[0-9a-f-]{36}\?/.test(r.url)
    )
    expect(polls.map((p) => p.status)).toEqual([202, 202, 202, 200])
    expect(new Set(polls.map((p) => p.url)).size).toBe(polls.length) // every 202 sent a newly signed Location

    const unauthenticated = await ok<HttpAnswer>(github, {
      kind: 'http',
      url: `https://management.azure.com${polls[0].url}`
    })
    expect(unauthenticated.status).toBe(401)
  })

  it('sends Retry-After on the POST and on pending polls only when asked', async () => {
    const plain = await importPost('timeline/plain:1')
    expect(plain.status).toBe(202)
    expect(plain.headers['retry-after']).toBeUndefined() // as in the 2026 recordings
    const plainPoll = await arm('GET', plain.headers.location)
    expect([plainPoll.status, plainPoll.headers['retry-after']]).toEqual([202, undefined])

    testbed.faults.importTimeline(2, 1, 10)
    const post = await importPost('timeline/retry:1')
    expect([post.status, post.headers['retry-after']]).toEqual([202, '10'])
    const answers: [number, string | undefined][] = []
    let location = post.headers.location
    for (let i = 0; i < 3; i++) {
      const poll = await arm('GET', location)
      answers.push([poll.status, poll.headers['retry-after']])
      location = poll.headers.location
    }
    expect(answers).toEqual([
      [202, '1'],
      [202, '1'],
      [200, undefined]
    ])
  })

  it('never answers 202 for its own copy time: once the timeline is over, a poll waits for the copy', async () => {
    // Every request of the copy to MCR takes 300 ms: a poll right after the POST comes long before the copy ends.
    testbed.faults.latency('mcr.microsoft.com', 300)
    testbed.faults.importTimeline(0)
    const post = await importPost('timeline/held:1')
    expect(post.status).toBe(202)
    const poll = await arm('GET', post.headers.location)
    expect([poll.status, poll.body]).toEqual([200, '{"status":"Succeeded"}'])
    expect(await prodTag('timeline/held:1')).toBe(await servercoreDigest())
  })

  /**
   * Whether the import's copy has put `digest` into `repo` yet. distribution 2.8 may answer a HEAD that races the
   * manifest's write with a 500 (as it does for blobs, registry/copy.ts): that is "not yet", and the loop asks again.
   */
  async function copiedManifest(repo: string, digest: string): Promise<boolean> {
    try {
      return (await testbed.backend('prodacr.azurecr.io').headManifest(repo, digest)) !== undefined
    } catch (err) {
      if (err instanceof RegistryError && err.status === 500) return false
      throw err
    }
  }

  it('takes the configured server-side time and writes the target tags at its end', async () => {
    testbed.faults.importTimeline(0)
    // A long import: pending, its content copied but its tag not yet written.
    testbed.faults.importDuration(600_000)
    const long = await importPost('timeline/long:1')
    expect(long.status).toBe(202)
    const digest = await servercoreDigest()
    while (!(await copiedManifest('timeline/long', digest!)))
      await new Promise((resolve) => setTimeout(resolve, 50))
    const pending = await arm('GET', long.headers.location)
    expect([pending.status, JSON.parse(pending.body)]).toEqual([
      202,
      { 'timeline/long:1': 'Pending', status: 'Accepted' }
    ])
    expect(await prodTag('timeline/long:1')).toBeUndefined()

    // A short one: 202 until its time is over, then 200 with the tag in place.
    const durationMs = 1_500
    testbed.faults.importDuration(durationMs)
    const started = Date.now()
    const post = await importPost('timeline/duration:1')
    let poll = await arm('GET', post.headers.location)
    while (poll.status === 202) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      poll = await arm('GET', poll.headers.location)
    }
    expect(poll.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(durationMs)
    expect(await prodTag('timeline/duration:1')).toBe(digest)
  })

  it('answers the POST 200 with an empty body for an import that is over at once, when asked', async () => {
    testbed.faults.immediateImportAnswer(true)
    const post = await importPost('timeline/immediate:1')
    expect(post).toMatchObject({ status: 200, body: '' })
    expect(post.headers.location).toBeUndefined()
    expect(post.headers['retry-after']).toBeUndefined()
    expect(await prodTag('timeline/immediate:1')).toBe(await servercoreDigest())

    // The SDK takes the 200 as done and never polls.
    const before = testbed.requests.length
    await ok(
      github,
      importInto(REGISTRIES.prod, {
        source: { registryUri: 'mcr.microsoft.com', sourceImage: 'windows/servercore:ltsc2019' },
        targetTags: ['timeline/immediate:2']
      })
    )
    const armRequests = testbed.requests.slice(before).filter((r) => r.host === 'management.azure.com')
    expect(armRequests.map((r) => [r.method, r.status])).toEqual([['POST', 200]])

    testbed.faults.failNextImport('Operation registries-x failed. Error copying blobs')
    const failed = await importPost('timeline/immediate:3')
    expect([failed.status, JSON.parse(failed.body)]).toEqual([
      400,
      { error: { code: 'InvalidParameters', message: 'Operation registries-x failed. Error copying blobs' } }
    ])

    // An import with server-side time is not over at once: 202 as usual.
    testbed.faults.importDuration(60_000)
    expect((await importPost('timeline/immediate:4')).status).toBe(202)
  })

  it('counts importImage POSTs, their polls and the Docker Hub manifest GETs the import made', async () => {
    testbed.faults.importTimeline(2)
    const before = testbed.counters()
    const hubGets = { host: 'docker.io', method: 'GET', path: /^\/v2\/library\/busybox\/manifests\// }
    const hubGetsBefore = testbed.count(hubGets)
    await ok(
      github,
      importInto(REGISTRIES.prod, {
        source: { registryUri: 'docker.io', sourceImage: 'library/busybox:1.36' },
        targetTags: ['counters/busybox:1']
      })
    )
    const after = testbed.counters()
    expect(after.importImagePosts - before.importImagePosts).toBe(1)
    expect(after.importPolls - before.importPolls).toBe(3) // two 202s, then the 200
    expect(testbed.count(hubGets) - hubGetsBefore).toBeGreaterThan(0)
    expect(after.dockerHubManifestGets - before.dockerHubManifestGets).toBe(
      testbed.count(hubGets) - hubGetsBefore
    )
  })

  it('imports by resource ID from a registry with public access disabled (trusted service)', async () => {
    await ok(
      github,
      importInto(REGISTRIES.prod, {
        source: { resourceId: resourceIdOf(REGISTRIES.locked), sourceImage: 'secure/app:1.0.0' },
        mode: 'NoForce'
      })
    )
    expect(await testbed.backend('prodacr.azurecr.io').headManifest('secure/app', '1.0.0')).toBe(
      await testbed.backend('lockedacr.azurecr.io').headManifest('secure/app', '1.0.0')
    )
  })

  it('fails with DENIED when the same registry is reached by login server', async () => {
    const error = await failure(
      github,
      importInto(REGISTRIES.prod, {
        source: { registryUri: 'lockedacr.azurecr.io', sourceImage: 'secure/app:1.0.0' }
      })
    )
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidParameters' })
    expect(error.message).toMatch(/ Invalid message Forbidden Forbidden \{"errors":\[\{"code":"DENIED",/)
  })

  it("carries Docker Hub's TOOMANYREQUESTS when the anonymous pull limit is reached", async () => {
    testbed.faults.dockerHubAnonymousLimit(0)
    const error = await failure(
      github,
      importInto(REGISTRIES.prod, {
        source: { registryUri: 'registry.hub.docker.com', sourceImage: 'library/busybox:1.36' }
      })
    )
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidParameters' })
    expect(error.message).toContain('TOOMANYREQUESTS')
  })

  it('keeps a stalled import at 202 until the stall is lifted', async () => {
    testbed.faults.stallImports(true)
    testbed.faults.importTimeline(0, 3, 7)
    const { token } = await ok<{ token: string }>(github, {
      kind: 'getToken',
      scope: 'https://management.azure.com/.default'
    })
    const authorization = { authorization: `Bearer ${token}` }
    const prod = testbed.backend('prodacr.azurecr.io')
    // The import's default target (the source's repo:tag): no earlier test may have made it.
    expect(await prod.headManifest('windows/servercore', 'ltsc2019')).toBeUndefined()
    const post = await ok<HttpAnswer>(github, {
      kind: 'http',
      method: 'POST',
      url: `https://management.azure.com${resourceIdOf(REGISTRIES.prod)}/importImage?api-version=2025-11-01`,
      headers: { ...authorization, 'content-type': 'application/json' },
      body: JSON.stringify({
        source: { registryUri: 'mcr.microsoft.com', sourceImage: 'windows/servercore:ltsc2019' }
      })
    })
    expect(post).toMatchObject({ status: 202, body: '', headers: { 'retry-after': '7' } })
    expect(post.headers.location).toMatch(
      new RegExp(
        `^https://management\\.azure\\.com/subscriptions/${SUB_PROD}/providers/Microsoft\\.ContainerRegistry/locations/WESTEUROPE/operationResults/registries-[0-9a-f-]{36}\\?api-version=2025-11-01&t=\\d+&`
      )
    )
    let location = post.headers.location
    for (let i = 0; i < 3; i++) {
      const poll = await ok<HttpAnswer>(github, { kind: 'http', url: location, headers: authorization })
      expect([poll.status, poll.headers['retry-after']]).toEqual([202, '3'])
      expect(JSON.parse(poll.body)).toEqual({ 'windows/servercore:ltsc2019': 'Pending', status: 'Accepted' })
      location = poll.headers.location
    }
    // The content arrives, but not the tag: ACR writes it last, at the end of an operation that is stuck.
    const digest = await testbed.backend('mcr.microsoft.com').headManifest('windows/servercore', 'ltsc2019')
    while (!(await prod.headManifest('windows/servercore', digest!)))
      await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await prod.headManifest('windows/servercore', 'ltsc2019')).toBeUndefined()
    testbed.faults.stallImports(false)
    // Lifted: the next poll gives the final answer (it waits for the tags to be written).
    const final = await ok<HttpAnswer>(github, { kind: 'http', url: location, headers: authorization })
    expect(final).toMatchObject({ status: 200, body: '{"status":"Succeeded"}' })
    expect(await prod.headManifest('windows/servercore', 'ltsc2019')).toBe(digest)
  })

  it('refuses to overwrite an existing tag under NoForce and overwrites it under Force', async () => {
    const prod = testbed.backend('prodacr.azurecr.io')
    const existing = await prod.headManifest('app', 'existing')
    const request = (mode: string) =>
      importInto(REGISTRIES.prod, {
        source: { resourceId: resourceIdOf(REGISTRIES.dev), sourceImage: 'app:1.1.0' },
        targetTags: ['app:existing'],
        mode
      })
    const error = await failure(github, request('NoForce'))
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidParameters' })
    expect(error.message).toMatch(
      new RegExp(
        `^Operation registries-[0-9a-f-]{36} failed\\. Resource ${resourceIdOf(REGISTRIES.prod)} app:existing Tag app:existing already exists in target registry\\.$`
      )
    )
    expect(await prod.headManifest('app', 'existing')).toBe(existing)

    await ok(github, request('Force'))
    expect(await prod.headManifest('app', 'existing')).toBe(
      await testbed.backend('devacr.azurecr.io').headManifest('app', '1.1.0')
    )
  })

  it('fails on the poll when the source image does not exist', async () => {
    const error = await failure(
      github,
      importInto(REGISTRIES.prod, { source: { registryUri: 'docker.io', sourceImage: 'library/nope:1' } })
    )
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidParameters' })
    expect(error.message).toContain("Image 'library/nope:1' not found in source registry")
  })

  it('retries a throttled POST through the SDK and then succeeds', async () => {
    testbed.faults.throttleImports(1, 429, 1)
    const before = testbed.requests.length
    await ok(
      github,
      importInto(REGISTRIES.prod, {
        source: { registryUri: 'mcr.microsoft.com', sourceImage: 'windows/servercore:ltsc2019' }
      })
    )
    const posts = testbed.requests
      .slice(before)
      .filter((r) => r.method === 'POST' && r.url.includes('/importImage'))
    expect(posts.map((p) => p.status)).toEqual([429, 202])
  })

  it('answers every poll 500 while failImportPolls is on, and the import still lands', async () => {
    testbed.faults.importTimeline(0)
    testbed.faults.failImportPolls(500, true)
    const post = await importPost('faults/poll500:1')
    expect(post.status).toBe(202)
    const poll = await arm('GET', post.headers.location)
    expect([poll.status, JSON.parse(poll.body)]).toEqual([
      500,
      { error: { code: 'InternalServerError', message: expect.any(String) } }
    ])
    const digest = await servercoreDigest()
    while ((await prodTag('faults/poll500:1')) !== digest)
      await new Promise((resolve) => setTimeout(resolve, 50))
    expect((await arm('GET', post.headers.location)).status).toBe(500)
    testbed.faults.failImportPolls(500, false)
    const final = await arm('GET', post.headers.location)
    expect([final.status, final.body]).toEqual([200, '{"status":"Succeeded"}'])
  })

  it('lets another writer put its image under the next import’s tags before the operation answers', async () => {
    testbed.faults.importTimeline(0)
    testbed.faults.anotherWriterOnNextImport({ repo: 'library/alpine', reference: '3.20' })
    const post = await importPost('faults/writer:1')
    const poll = await arm('GET', post.headers.location)
    expect([poll.status, poll.body]).toEqual([200, '{"status":"Succeeded"}'])
    const alpine = await testbed.backend('docker.io').headManifest('library/alpine', '3.20')
    expect(alpine).toBeDefined()
    expect(alpine).not.toBe(await servercoreDigest())
    expect(await prodTag('faults/writer:1')).toBe(alpine)
    // Only the next import: the one after it keeps its own image.
    const next = await importPost('faults/writer:2')
    expect((await arm('GET', next.headers.location)).status).toBe(200)
    expect(await prodTag('faults/writer:2')).toBe(await servercoreDigest())
  })

  it('reports an injected failure on the poll', async () => {
    testbed.faults.failNextImport('Operation registries-x failed. Error copying blobs')
    const error = await failure(
      github,
      importInto(REGISTRIES.prod, {
        source: { registryUri: 'mcr.microsoft.com', sourceImage: 'windows/servercore:ltsc2019' }
      })
    )
    expect(error).toMatchObject({
      statusCode: 400,
      code: 'InvalidParameters',
      message: 'Operation registries-x failed. Error copying blobs'
    })
  })

  it('validates the body strictly', async () => {
    const bad = [
      {
        source: {
          registryUri: 'docker.io',
          sourceImage: 'library/hello-world:latest@sha256:' + 'a'.repeat(64)
        }
      },
      {
        source: {
          registryUri: 'docker.io',
          resourceId: resourceIdOf(REGISTRIES.dev),
          sourceImage: 'app:1.0.0'
        }
      },
      { source: { registryUri: 'docker.io' } },
      { source: { registryUri: 'docker.io', sourceImage: 'x', credentials: { username: 'u' } } },
      { source: { registryUri: 'docker.io', sourceImage: 'x' }, mode: 'Overwrite' },
      { source: { resourceId: '/docker.io/library/hello-world', sourceImage: 'hello-world' } }
    ]
    for (const parameters of bad) {
      const answer = await sdk.run(github, importInto(REGISTRIES.prod, parameters))
      expect(answer).toMatchObject({ ok: false, error: { statusCode: 400, code: 'InvalidParameter' } })
    }
    // The SDK drops properties it does not know, so an unknown one is sent by hand.
    const { token } = await ok<{ token: string }>(github, {
      kind: 'getToken',
      scope: 'https://management.azure.com/.default'
    })
    const raw = await ok<HttpAnswer>(github, {
      kind: 'http',
      method: 'POST',
      url: `https://management.azure.com${resourceIdOf(REGISTRIES.prod)}/importImage?api-version=2025-11-01`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source: { registryUri: 'docker.io', sourceImage: 'x', tag: 'y' } })
    })
    expect(raw.status).toBe(400)
    expect(JSON.parse(raw.body)).toEqual({
      error: {
        code: 'InvalidParameter',
        message: "The property 'source.tag' is not a known property of the import request."
      }
    })
  })

  it('needs importImage on the target and read on a source given by resource ID', async () => {
    const denied = await failure(
      noRoles,
      importInto(REGISTRIES.prod, {
        source: { resourceId: resourceIdOf(REGISTRIES.dev), sourceImage: 'app:1.1.0' }
      })
    )
    expect(denied).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' })
    expect(denied.message).toContain("'Microsoft.ContainerRegistry/registries/importImage/action'")

    const crossTenant = await failure(
      github,
      importInto(REGISTRIES.prod, {
        source: { resourceId: resourceIdOf(REGISTRIES.partner), sourceImage: 'partner/tool:2.0' }
      })
    )
    expect(crossTenant).toMatchObject({ statusCode: 403, code: 'LinkedAuthorizationFailed' })
  })

  it('imports with the managed identity', async () => {
    const result = await ok<{ status: string }>(
      { kind: 'managed', clientId: MANAGED_IDENTITY.clientId },
      importInto(REGISTRIES.prod, {
        source: { resourceId: resourceIdOf(REGISTRIES.shared), sourceImage: 'shared/base:1.0' }
      }),
      testbed.managedIdentityEnv
    )
    expect(result.status).toBe('succeeded')
  })
})

describe('ARM throttling', () => {
  const WRITES = 'x-ms-ratelimit-remaining-subscription-writes'
  const READS = 'x-ms-ratelimit-remaining-subscription-reads'
  // Refills so slow (one token in 1,000 s) that no refill can happen while the test runs.
  const SLOW = 0.001

  it('is off by default: no bucket, no rate-limit headers', async () => {
    const answer = await arm('GET', resourceIdOf(REGISTRIES.prod))
    expect(answer.status).toBe(200)
    expect(answer.headers[READS]).toBeUndefined()
    expect(answer.headers[WRITES]).toBeUndefined()
  })

  it('answers an importImage POST past the write bucket 429 SubscriptionRequestsThrottled with Retry-After', async () => {
    testbed.faults.armThrottling({ writes: { capacity: 2, refillPerSecond: SLOW } })
    const first = await importPost('throttled/w:1')
    const second = await importPost('throttled/w:2')
    expect([first.status, first.headers[WRITES]]).toEqual([202, '1'])
    expect([second.status, second.headers[WRITES]]).toEqual([202, '0'])
    const refused = await importPost('throttled/w:3')
    expect(refused.status).toBe(429)
    const seconds = Number(refused.headers['retry-after'])
    // One token takes 1,000 s at this refill; a slow test may have earned a second of it.
    expect(seconds).toBeGreaterThanOrEqual(990)
    expect(seconds).toBeLessThanOrEqual(1000)
    expect(JSON.parse(refused.body)).toEqual({
      error: {
        code: 'SubscriptionRequestsThrottled',
        message: `Number of 'write' requests for subscription '${SUB_PROD}' actor '${APPS.github.objectId}' exceeded. Please try again after '${seconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`
      }
    })
    // Reads have their own bucket (unlimited here), and the refused POST started no import.
    expect((await arm('GET', resourceIdOf(REGISTRIES.prod))).status).toBe(200)
    expect(testbed.imports.filter((i) => JSON.stringify(i.body).includes('throttled/w:3'))).toEqual([])
  })

  it('counts registry reads and operation polls in the read bucket, per subscription', async () => {
    const accepted = await importPost('throttled/r:1')
    expect(accepted.status).toBe(202)
    testbed.faults.armThrottling({ reads: { capacity: 2, refillPerSecond: SLOW } })
    const get = await arm('GET', resourceIdOf(REGISTRIES.prod))
    expect([get.status, get.headers[READS], get.headers[WRITES]]).toEqual([200, '1', undefined])
    const poll = await arm('GET', accepted.headers.location)
    expect([poll.headers[READS]]).toEqual(['0'])
    const refused = await arm('GET', accepted.headers.location)
    expect(refused.status).toBe(429)
    expect(JSON.parse(refused.body).error.message).toMatch(
      new RegExp(
        `^Number of 'read' requests for subscription '${SUB_PROD}' actor '${APPS.github.objectId}' exceeded\\.`
      )
    )
    // Another subscription has buckets of its own.
    const shared = await arm('GET', resourceIdOf(REGISTRIES.shared))
    expect([shared.status, shared.headers[READS]]).toEqual([200, '1'])
    // Turning throttling off lifts the limit.
    testbed.faults.armThrottling({})
    expect((await arm('GET', resourceIdOf(REGISTRIES.prod))).status).toBe(200)
  })
})
