// The step's ACR data-plane clients. ACR's token exchange happens once per registry for the whole step: the
// SDK's per-repository clients read with tokens from AcrTokens (one exchange, scopes asked for together) and
// meet no 401 of their own; a token ACR refuses still ends in the SDK's own challenge handling; tokens are asked
// for again near their expiry. And every client, not only the target's, waits out a throttling registry.
import { describe, expect, it } from '@jest/globals'
import { getEventListeners } from 'node:events'
import type { TokenCredential } from '@azure/core-auth'
import { resolveCloud } from '../../src/core/cloud/clouds.js'
import { createCredential } from '../../src/core/credential/create-credential.js'
import { createTagLister } from '../../src/core/expand/list-tags.js'
import { RegistryGateway } from '../../src/core/registry/registry-gateway.js'
import { createManifestReaders } from '../../src/core/resolve/manifest-readers.js'
import { newAcrClient } from '../../src/core/registry/acr-client.js'
import { AcrRepositoryClients } from '../../src/core/registry/acr-repository-clients.js'
import { AcrTokens, scopeOf } from '../../src/core/registry/acr-tokens.js'
import type { HttpResponse, HttpSend } from '../../src/core/registry/http.js'
import { sendHttp } from '../../src/core/registry/http.js'
import { createTargetTagReader } from '../../src/core/registry/target-tag-reader.js'
import { TESTBED_SIGN_IN, useTestbedInProcess } from './fake-host.js'
import { recordingLogger } from './unit/fakes.js'

const testbedNow = useTestbedInProcess()
const PROD = 'prodacr.azurecr.io'
const cloud = resolveCloud({})
const credential = (): TokenCredential => createCredential(TESTBED_SIGN_IN.signIn, cloud, recordingLogger())

/** The requests to `host` since `from` (an index into the test bed's log), as `METHOD path status`. */
function requestsSince(from: number, host = PROD): string[] {
  return testbedNow()
    .requests.slice(from)
    .filter((r) => r.host === host)
    .map((r) => `${r.method} ${r.url.split('?')[0]} ${r.status}`)
}

describe('reads of many repositories of one registry', () => {
  it('cost one exchange and one token request per 32 repositories, and no read meets a 401', async () => {
    const from = testbedNow().requests.length
    const reader = createTargetTagReader(PROD, new AcrRepositoryClients(credential(), cloud.acrAudience))
    const reads = await Promise.all([
      reader.tag('app', 'existing'),
      ...Array.from({ length: 39 }, (_, i) => reader.tag(`tokens/repo-${i}`, '1'))
    ])
    expect(reads[0]).toMatchObject({ kind: 'digest' })
    expect(reads.slice(1).every((read) => read.kind === 'absent')).toBe(true)
    const requests = requestsSince(from)
    expect(requests.filter((r) => r.startsWith('POST /oauth2/exchange'))).toEqual([
      'POST /oauth2/exchange 200'
    ])
    expect(requests.filter((r) => r.startsWith('POST /oauth2/token'))).toEqual([
      'POST /oauth2/token 200',
      'POST /oauth2/token 200'
    ])
    expect(requests.filter((r) => r.endsWith(' 401'))).toEqual([])
    expect(requests.filter((r) => r.startsWith('GET /acr/v1/'))).toHaveLength(40)
  })
})

describe('a token ACR refuses', () => {
  it("leaves the read to the SDK's own challenge, which still reads the tag", async () => {
    // A token service that hands out tokens the registry does not accept (as if revoked since).
    const spoiling: HttpSend = async (request) => {
      const answer = await sendHttp(request)
      if (!request.url.endsWith('/oauth2/token') || answer.status !== 200) return answer
      return { ...answer, body: JSON.stringify({ access_token: 'not-a-token-acr-accepts' }) }
    }
    const tokens = new AcrTokens(credential(), cloud.acrAudience, spoiling)
    const client = newAcrClient(PROD, credential(), cloud.acrAudience, tokens)
    const from = testbedNow().requests.length
    const properties = await client.getArtifact('app', 'existing').getTagProperties('existing')
    expect(properties.digest).toMatch(/^sha256:/)
    expect(requestsSince(from)).toEqual([
      'POST /oauth2/exchange 200',
      'POST /oauth2/token 200',
      'GET /acr/v1/app/_tags/existing 401',
      // The SDK's own exchange and token, then the read again.
      'POST /oauth2/exchange 200',
      'POST /oauth2/token 200',
      'GET /acr/v1/app/_tags/existing 200'
    ])
  })
})

describe('an ACR that throttles its data plane', () => {
  // More 429s in a row than the SDK's own retry policy takes (three retries).
  const THROTTLED = 5

  it('is waited out by the source reads, which read the manifest', async () => {
    const clients = new AcrRepositoryClients(credential(), cloud.acrAudience)
    const readers = createManifestReaders(cloud, new RegistryGateway(), clients)
    testbedNow().faults.throttleHost(PROD, THROTTLED, 0, '/acr/v1/app/')
    const from = testbedNow().requests.length
    const read = await readers.readSource({
      reference: { registry: PROD, repository: 'app', tag: 'existing' },
      access: { kind: 'registryUri' }
    })
    expect(read).toMatchObject({ kind: 'read' })
    expect(
      requestsSince(from).filter((r) => r.startsWith('GET /acr/v1/app/') && r.endsWith(' 429'))
    ).toHaveLength(THROTTLED)
  })

  it('is waited out by the tag listings, which list the tags', async () => {
    const lister = createTagLister(
      cloud,
      new RegistryGateway(),
      new AcrRepositoryClients(credential(), cloud.acrAudience)
    )
    // Another registry: each host has a pacer of its own, which the test before has slowed down.
    testbedNow().faults.throttleHost('devacr.azurecr.io', THROTTLED, 0, '/acr/v1/app/_manifests')
    const listing = await lister({
      reference: { registry: 'devacr.azurecr.io', repository: 'app' },
      access: { kind: 'registryUri' }
    })
    expect(listing).toMatchObject({ kind: 'listed', tags: expect.arrayContaining(['1.0.0', '1.1.0']) })
  })
})

describe('AcrTokens', () => {
  const answer = (status: number, body: unknown): HttpResponse => ({
    status,
    header: () => undefined,
    body: JSON.stringify(body)
  })
  /** A JWT whose payload says it expires at `exp` (seconds since the epoch). */
  const jwt = (exp: number, id: string) =>
    `e30.${Buffer.from(JSON.stringify({ exp, jti: id })).toString('base64url')}.c2ln`
  const entra: TokenCredential = { getToken: async () => ({ token: 'entra', expiresOnTimestamp: 0 }) }

  function fakeRegistry() {
    const sent: string[] = []
    let issued = 0
    const send: HttpSend = async ({ url, body }) => {
      const form = new URLSearchParams(body)
      sent.push(`${new URL(url).pathname} ${form.getAll('scope').join(' ')}`.trim())
      if (url.endsWith('/oauth2/exchange')) return answer(200, { refresh_token: jwt(10_000, 'refresh') })
      return answer(200, { access_token: jwt(3_600, `access-${++issued}`) })
    }
    return { sent, send }
  }

  it('asks for the scopes asked for together in one request, and answers each from it', async () => {
    const { sent, send } = fakeRegistry()
    const tokens = new AcrTokens(entra, 'https://containerregistry.azure.net', send, () => 0)
    const [a, b] = await Promise.all([
      tokens.authorization(PROD, 'repository:a:metadata_read'),
      tokens.authorization(PROD, 'repository:b:metadata_read')
    ])
    expect(a).toBe(b)
    expect(await tokens.authorization(PROD, 'repository:a:metadata_read')).toBe(a)
    expect(sent).toEqual([
      '/oauth2/exchange',
      '/oauth2/token repository:a:metadata_read repository:b:metadata_read'
    ])
  })

  it('asks again for a token five minutes before it expires, and not before', async () => {
    const { sent, send } = fakeRegistry()
    let now = 0
    const tokens = new AcrTokens(entra, 'https://containerregistry.azure.net', send, () => now)
    const first = await tokens.authorization(PROD, 'repository:a:metadata_read')
    now = (3_600 - 5 * 60) * 1000 - 1
    expect(await tokens.authorization(PROD, 'repository:a:metadata_read')).toBe(first)
    now += 1
    expect(await tokens.authorization(PROD, 'repository:a:metadata_read')).not.toBe(first)
    expect(sent.filter((s) => s.startsWith('/oauth2/token'))).toHaveLength(2)
    // The refresh token lives longer: it is not exchanged again.
    expect(sent.filter((s) => s === '/oauth2/exchange')).toHaveLength(1)
  })

  it('gives no token after the exchange was refused, and stops asking for that registry', async () => {
    let exchanges = 0
    const send: HttpSend = async () => {
      exchanges++
      return answer(401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] })
    }
    const tokens = new AcrTokens(entra, 'https://containerregistry.azure.net', send)
    expect(await tokens.authorization(PROD, 'repository:a:metadata_read')).toBeUndefined()
    expect(await tokens.authorization(PROD, 'repository:b:metadata_read')).toBeUndefined()
    expect(exchanges).toBe(1)
    // The referrer reads still hear why.
    await expect(tokens.refreshToken(PROD)).rejects.toThrow(/refused the token exchange \(HTTP 401/)
  })

  it("leaves no listener on a waiter's signal once the token came (the step's signal outlives every request)", async () => {
    const { send } = fakeRegistry()
    const tokens = new AcrTokens(entra, 'https://containerregistry.azure.net', send)
    const step = new AbortController()
    for (const repository of ['a', 'b', 'c'])
      expect(await tokens.authorization(PROD, `repository:${repository}:metadata_read`, step.signal)).toMatch(
        /^Bearer /
      )
    expect(getEventListeners(step.signal, 'abort')).toEqual([])
  })

  it('gives up the token request once every request that waits for it was cancelled', async () => {
    let aborted: AbortSignal | undefined
    const send: HttpSend = ({ url, signal }) => {
      if (url.endsWith('/oauth2/exchange'))
        return Promise.resolve(answer(200, { refresh_token: jwt(10_000, 'r') }))
      aborted = signal
      return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason)))
    }
    const tokens = new AcrTokens(entra, 'https://containerregistry.azure.net', send)
    const cancel = new AbortController()
    const waiting = tokens.authorization(PROD, 'repository:a:metadata_read', cancel.signal)
    await new Promise((resolve) => setTimeout(resolve, 0))
    await new Promise((resolve) => setImmediate(resolve))
    cancel.abort()
    expect(await waiting).toBeUndefined()
    expect(aborted?.aborted).toBe(true)
  })
})

describe('scopeOf', () => {
  it.each([
    ['GET', '/acr/v1/team%2Fapp/_tags/1.0', 'repository:team/app:metadata_read'],
    ['GET', '/acr/v1/app/_manifests', 'repository:app:metadata_read'],
    ['PATCH', '/acr/v1/app/_manifests/sha256:abc', 'repository:app:metadata_write'],
    ['DELETE', '/acr/v1/app/_tags/1', 'repository:app:delete'],
    ['GET', '/acr/v1/_catalog', undefined],
    ['POST', '/oauth2/token', undefined],
    ['GET', '/v2/app/manifests/1', undefined]
  ])('%s %s asks for %s', (method, path, scope) => {
    expect(scopeOf(method, path)).toBe(scope)
  })
})
