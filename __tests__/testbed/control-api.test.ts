// The control API driven the way another process drives it: HTTPS to control.testbed.internal through the test
// bed's proxy, trusting its CA. A fault set over HTTP must show in the fronts' behaviour, and the counters read
// over HTTP must agree with the in-process log, which the control calls themselves stay out of.
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { CONTROL_HOST } from './control/control-api.js'
import type { FaultState } from './faults.js'
import { DistributionClient } from './registry/oci-client.js'
import { proxyTunnelTransport, type HttpAnswer, type Transport } from './registry/http-transport.js'
import { RegistryError, type Faults, type LoggedRequest } from './types.js'
import { useTestbed } from './use-testbed.js'

const testbed = useTestbed()

let tunnel: Transport | undefined
const transport = (): Transport =>
  (tunnel ??= proxyTunnelTransport(testbed.env.HTTPS_PROXY, readFileSync(testbed.caCertPath, 'utf8')))

function control(method: string, path: string, body?: string): Promise<HttpAnswer> {
  return transport()(
    new URL(`https://${CONTROL_HOST}${path}`),
    method,
    {},
    body === undefined ? undefined : Buffer.from(body)
  )
}

const setFault = (command: string, body: unknown) =>
  control('POST', `/faults/${command}`, JSON.stringify(body))
const json = (answer: HttpAnswer): unknown => JSON.parse(answer.body.toString('utf8'))
const mcr = () => new DistributionClient('https://mcr.microsoft.com', transport(), { kind: 'anonymous' })

const FAULT_METHODS: (keyof Faults)[] = [
  'throttleImports',
  'resetConnections',
  'throttleHost',
  'stallImports',
  'failNextImport',
  'importTimeline',
  'latency',
  'dockerHubAnonymousLimit',
  'armThrottling',
  'importDuration',
  'immediateImportAnswer',
  'tagsPageLimit',
  'failImportPolls',
  'anotherWriterOnNextImport',
  'reset'
]

afterEach(() => {
  jest.restoreAllMocks()
  testbed.faults.reset()
})

describe('POST /faults/<command>', () => {
  it('maps every command to its Faults method, with the body fields as arguments', async () => {
    const cases: [string, unknown, keyof Faults, unknown[]][] = [
      ['throttle-imports', { count: 2, status: 503, retryAfterSeconds: 7 }, 'throttleImports', [2, 503, 7]],
      [
        'reset-connections',
        { host: 'mcr.microsoft.com', count: 1 },
        'resetConnections',
        ['mcr.microsoft.com', 1]
      ],
      [
        'throttle-host',
        { host: 'devacr.azurecr.io', count: 2, retryAfterSeconds: 1, pathIncludes: '/acr/v1/' },
        'throttleHost',
        ['devacr.azurecr.io', 2, 1, '/acr/v1/']
      ],
      ['stall-imports', { on: true }, 'stallImports', [true]],
      ['fail-next-import', { message: 'boom' }, 'failNextImport', ['boom']],
      ['import-timeline', { polls: 3, retryAfterSeconds: 2 }, 'importTimeline', [3, 2, undefined]],
      ['import-timeline', { polls: 0 }, 'importTimeline', [0, undefined, undefined]],
      [
        'import-timeline',
        { polls: 1, retryAfterSeconds: 1, acceptedRetryAfterSeconds: 10 },
        'importTimeline',
        [1, 1, 10]
      ],
      ['import-duration', { ms: 2000 }, 'importDuration', [2000]],
      ['immediate-import-answer', { on: true }, 'immediateImportAnswer', [true]],
      ['latency', { host: '*', ms: 250 }, 'latency', ['*', 250]],
      ['docker-hub-anonymous-limit', { limit: 5 }, 'dockerHubAnonymousLimit', [5]],
      ['docker-hub-anonymous-limit', { limit: null }, 'dockerHubAnonymousLimit', [Infinity]],
      [
        'arm-throttling',
        { writes: { capacity: 200, refillPerSecond: 10 }, reads: { capacity: 250, refillPerSecond: 25 } },
        'armThrottling',
        [{ writes: { capacity: 200, refillPerSecond: 10 }, reads: { capacity: 250, refillPerSecond: 25 } }]
      ],
      [
        'arm-throttling',
        { writes: { capacity: 1, refillPerSecond: 0.5 }, reads: null },
        'armThrottling',
        [{ writes: { capacity: 1, refillPerSecond: 0.5 } }]
      ],
      ['arm-throttling', {}, 'armThrottling', [{}]],
      [
        'tags-page-limit',
        { host: 'registry-1.docker.io', limit: 10 },
        'tagsPageLimit',
        ['registry-1.docker.io', 10]
      ],
      ['tags-page-limit', { host: '*', limit: null }, 'tagsPageLimit', ['*', Infinity]],
      ['fail-import-polls', { status: 500, on: true }, 'failImportPolls', [500, true]],
      [
        'another-writer-on-next-import',
        { repo: 'library/alpine', reference: '3.20' },
        'anotherWriterOnNextImport',
        [{ repo: 'library/alpine', reference: '3.20' }]
      ],
      ['reset', {}, 'reset', []]
    ]
    for (const [command, body, method, args] of cases) {
      const spy = jest.spyOn(testbed.faults as FaultState, method)
      const answer = await setFault(command, body)
      expect([command, answer.status, answer.body.length]).toEqual([command, 204, 0])
      expect([command, spy.mock.calls]).toEqual([command, [args]])
      spy.mockRestore()
      testbed.faults.reset()
    }
  })

  it('sets Docker Hub’s anonymous limit: the next anonymous pull past it is a 429, until reset', async () => {
    expect((await setFault('docker-hub-anonymous-limit', { limit: 1 })).status).toBe(204)
    const hub = new DistributionClient('https://registry-1.docker.io', transport(), { kind: 'anonymous' })
    expect((await hub.getManifest('library/busybox', '1.36'))?.digest).toMatch(/^sha256:/)
    const limited = await hub.getManifest('library/busybox', '1.36').catch((error: unknown) => error)
    expect(limited).toBeInstanceOf(RegistryError)
    expect([(limited as RegistryError).status, (limited as RegistryError).code]).toEqual([
      429,
      'TOOMANYREQUESTS'
    ])

    expect((await control('POST', '/faults/reset')).status).toBe(204)
    expect((await hub.getManifest('library/busybox', '1.36'))?.digest).toMatch(/^sha256:/)
  })

  it('stalls imports and lifts the stall', async () => {
    const faults = testbed.faults as FaultState
    await setFault('stall-imports', { on: true })
    expect(faults.importsStalled).toBe(true)
    await setFault('stall-imports', { on: false })
    expect(faults.importsStalled).toBe(false)
  })

  it('is itself exempt from the faults it sets: a reset or latency on every host leaves it alone', async () => {
    await setFault('reset-connections', { host: CONTROL_HOST, count: 5 })
    await setFault('latency', { host: '*', ms: 2000 })
    const started = Date.now()
    expect((await setFault('stall-imports', { on: true })).status).toBe(204)
    expect(Date.now() - started).toBeLessThan(1500)
  })

  it.each([
    ['not JSON', 'stall-imports', '{on: true}', 'The body is not JSON.'],
    ['not an object', 'stall-imports', '[true]', 'The body must be a JSON object.'],
    ['a missing field', 'latency', '{"host":"*"}', "Missing field 'ms'."],
    ['a wrong type', 'stall-imports', '{"on":"yes"}', "'on' must be true or false."],
    [
      'a status ARM never throttles with',
      'throttle-imports',
      '{"count":1,"status":500,"retryAfterSeconds":1}',
      "'status' must be one of 429, 503."
    ],
    [
      'a fractional count',
      'reset-connections',
      '{"host":"docker.io","count":1.5}',
      "'count' must be a whole number."
    ],
    ['a negative number', 'latency', '{"host":"*","ms":-1}', "'ms' must be a number >= 0."],
    [
      'an unknown field',
      'import-timeline',
      '{"polls":1,"retryAfter":2}',
      "Unknown field 'retryAfter' (expected: polls, retryAfterSeconds, acceptedRetryAfterSeconds)."
    ],
    ['an empty host', 'latency', '{"host":"","ms":1}', "'host' must be a non-empty string."],
    [
      'a bucket that never refills',
      'arm-throttling',
      '{"writes":{"capacity":5,"refillPerSecond":0}}',
      "'writes.refillPerSecond' must be a number > 0."
    ],
    [
      'an empty bucket',
      'arm-throttling',
      '{"reads":{"capacity":0,"refillPerSecond":1}}',
      "'reads.capacity' must be a number >= 1."
    ],
    [
      'an unknown bucket field',
      'arm-throttling',
      '{"reads":{"capacity":1,"refill":1}}',
      "Unknown field 'reads.refill' (expected: capacity, refillPerSecond)."
    ]
  ])('answers 400 with one line and changes nothing for %s', async (_case, command, body, error) => {
    const methods = FAULT_METHODS.map((method) => jest.spyOn(testbed.faults as FaultState, method))
    const answer = await control('POST', `/faults/${command}`, body)
    expect([answer.status, answer.body.toString('utf8')]).toEqual([400, `${error}\n`])
    for (const spy of methods) expect(spy).not.toHaveBeenCalled()
  })
})

describe('unknown paths and methods', () => {
  it('answers 404 for an unknown path or command, 405 for the wrong method', async () => {
    for (const [method, path] of [
      ['POST', '/faults/explode'],
      ['POST', '/faults/'],
      ['GET', '/'],
      ['GET', '/faults/__proto__'],
      ['GET', '/requests/1']
    ]) {
      const answer = await control(method, path, '{}')
      expect([path, answer.status]).toEqual([path, 404])
      expect(answer.body.toString('utf8')).toMatch(/^No control endpoint [^\n]+\n$/)
    }
    const wrongMethod = await control('GET', '/faults/reset')
    expect([wrongMethod.status, wrongMethod.headers.allow]).toEqual([405, 'POST'])
    expect((await control('POST', '/count', '{}')).status).toBe(405)
  })
})

describe('GET /requests and GET /count', () => {
  it('counts what the fronts received, agreeing with testbed.count(), without its own calls', async () => {
    const filter = {
      host: 'mcr.microsoft.com',
      method: 'HEAD',
      path: '/v2/windows/servercore/manifests/ltsc2019'
    }
    const query = `?host=${filter.host}&method=head&path=${encodeURIComponent(filter.path)}`
    const before = json(await control('GET', `/count${query}`)) as { count: number }
    expect(before.count).toBe(testbed.count(filter))

    await mcr().headManifest('windows/servercore', 'ltsc2019')
    await mcr().headManifest('windows/servercore', 'ltsc2019')
    await mcr()
      .headManifest('windows/servercore', 'ltsc2022')
      .catch(() => undefined)

    const after = await control('GET', `/count${query}`)
    expect(after.headers['content-type']).toMatch(/^application\/json/)
    expect(json(after)).toEqual({ count: before.count + 2 })
    expect(json(await control('GET', `/count?host=${CONTROL_HOST}`))).toEqual({ count: 0 })
    expect(testbed.requests.some((request) => request.host === CONTROL_HOST)).toBe(false)
  })

  it('lists the logged requests that match, with headers, body and status; empty parameters do not filter', async () => {
    await mcr().headManifest('windows/servercore', 'ltsc2019')
    const listed = json(
      await control(
        'GET',
        '/requests?host=MCR.microsoft.com&method=&path=/v2/windows/servercore/manifests/ltsc2019'
      )
    ) as LoggedRequest[]
    expect(listed.length).toBeGreaterThan(0)
    expect(listed).toEqual(
      testbed.requests.filter(
        (r) => r.host === 'mcr.microsoft.com' && r.url === '/v2/windows/servercore/manifests/ltsc2019'
      )
    )
    expect(listed.at(-1)).toMatchObject({
      method: 'HEAD',
      status: 200,
      body: '',
      headers: expect.objectContaining({ host: expect.stringMatching(/^mcr\.microsoft\.com(:\d+)?$/) })
    })

    const everything = json(await control('GET', '/requests')) as LoggedRequest[]
    expect(everything.length).toBe(testbed.requests.length)
  })

  it('reads the named counters, the same as testbed.counters()', async () => {
    await mcr().headManifest('windows/servercore', 'ltsc2019')
    const answer = await control('GET', '/counters')
    expect(answer.status).toBe(200)
    expect(json(answer)).toEqual(testbed.counters())
    expect(Object.keys(json(answer) as object).sort()).toEqual([
      'dockerHubManifestGets',
      'dockerHubManifestHeads',
      'importImagePosts',
      'importPolls',
      'proxyTunnels'
    ])
    expect((await control('GET', '/counters?host=x')).status).toBe(400)
  })

  it('answers 400 for an unknown filter parameter', async () => {
    const answer = await control('GET', '/count?hosts=docker.io')
    expect([answer.status, answer.body.toString('utf8')]).toEqual([
      400,
      "Unknown parameter 'hosts' (expected: host, method, path).\n"
    ])
  })
})
