// Issue 17's red team, end to end: each defect it found in what the step trusts, reproduced through each host's
// bundle, mostly against the test bed's hostile registry (registry.hostile.example), whose every answer the test
// scripts. D1 a dry run of an unchanged, signed image with lock: true writes nothing; D3 a Link to another host
// or to plain http is followed on the registry's own https origin only, so its credentials go nowhere else; D4 a
// Docker-Content-Digest that is markup and shell is used nowhere; D5 listed names that are workflow commands,
// shell or paths are dropped with one notice; D6 a HEAD that is never answered ends the step within its
// per-request deadline; D11 a manifest body past ACR's 4 MiB is refused in one line. The tests script one
// registry and count the test bed's requests, so they run one after the other, each platform on a test bed of its own.
import { afterEach, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { SUPPLY_CHAIN } from '../testbed/world.js'
import type { LoggedRequest, ScriptedAnswer } from '../testbed/types.js'
import { expectSucceeded, resultsOf } from './expect-run.js'
import type { HostRun, Step } from './host.js'
import { ACTION_AND_TASK_ON, NODE20, onEachHost } from './on-each-host.js'
import { expectNoSecretShown } from './secrets.js'
import { PROD, counting } from './testbed-reads.js'

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const CREDENTIALS = { username: 'hostile-user', password: 'hostile-password-5c1e' }
const BASIC = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}`

/** A well-formed digest the hostile registry claims for `name` (what it serves is never pulled in a dry run). */
const digestOf = (name: string): string => `sha256:${createHash('sha256').update(name).digest('hex')}`

/** The answer to a HEAD of a single-platform manifest: its header digest is all the plan reads. */
const manifestHead = (digest: string): ScriptedAnswer => ({
  status: 200,
  headers: { 'content-type': OCI_MANIFEST, 'docker-content-digest': digest, 'content-length': '2' }
})

/**
 * A HEAD of `/v2/<name>/manifests/<reference>` answered as an honest registry would: a digest reference with
 * itself, a tag with a digest of its own (a tag pattern's plan reads each tag it matched by its digest).
 */
const honestHead = (req: IncomingMessage): ScriptedAnswer => {
  const reference = (req.url ?? '').split('?')[0].split('/manifests/')[1] ?? ''
  return manifestHead(reference.startsWith('sha256:') ? reference : digestOf(reference))
}

/** A tags/list page. */
const tagsPage = (
  repository: string,
  tags: string[],
  headers: Record<string, string> = {}
): ScriptedAnswer => ({
  status: 200,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify({ name: repository, tags })
})

/** Writes of any kind: ARM's importImage, the data plane's PATCH (locks), PUT and DELETE. */
const isWrite = (request: LoggedRequest): boolean =>
  ['PATCH', 'PUT', 'DELETE'].includes(request.method) ||
  (request.method === 'POST' && /\/importImage$/i.test(request.url.split('?')[0]))

onEachHost('a registry that cannot hurt the step', ACTION_AND_TASK_ON(NODE20), (host, testbed) => {
  const run = (inputs: Step['inputs'], step: Omit<Step, 'inputs'> = {}): Promise<HostRun> =>
    host.run(testbed, { inputs, debug: true, ...step })
  const repo = (name: string): string => `${host.id}-hostile-${name}`
  const hostile = (): string => testbed.hostile.host
  /** The requests since `before` that reached the hostile registry or the host it points at. */
  const hostileRequests = (before: number): LoggedRequest[] =>
    testbed.requests
      .slice(before)
      .filter((r) => r.host === testbed.hostile.host || r.host === testbed.hostile.elsewhere)

  /** A dry run of `registry.hostile.example/app:1` without referrers: the plan reads the source, and that is all. */
  const dryRunOfApp1 = (target: string, { inputs, ...step }: Partial<Step> = {}): Promise<HostRun> => {
    const source = `${hostile()}/app:1 => ${repo(target)}/app:1`
    return run({ source, referrers: 'false', 'dry-run': 'true', ...inputs }, step)
  }

  afterEach(() => testbed.hostile.reset())

  test('D1: a dry run of an unchanged signed image with lock: true writes nothing and says what it would do', async () => {
    const { acrSigned } = SUPPLY_CHAIN
    const source = `devacr.azurecr.io/signed/app:1.0.0 => ${repo('dry')}/app:1.0.0`
    // The image lands without its referrers, so the dry run has a signature and an SBOM it would copy.
    expectSucceeded(await run({ source, referrers: 'false' }))
    const before = testbed.requests.length
    const { step, imports } = await counting(testbed, () => run({ source, lock: 'true', 'dry-run': 'true' }))
    expectSucceeded(step)
    expect(resultsOf(step).map((r) => r.status)).toEqual(['unchanged'])
    expect(imports).toBe(0)
    const writes = testbed.requests.slice(before).filter(isWrite)
    expect(writes.map((r) => `${r.method} ${r.host}${r.url}`)).toEqual([])
    expect(step.log).toMatch(/Would copy 3 referrer\(s\) of /)
    expect(step.log).toContain(`Would lock ${PROD}/${repo('dry')}/app:1.0.0, ${acrSigned.digest}`)
    expect(testbed.changeableAttributes(PROD, `${repo('dry')}/app`, '1.0.0')).toMatchObject({
      writeEnabled: true,
      deleteEnabled: true
    })
  }, 180_000)

  test('D3: tag and referrer pages that Link to another host or to plain http are read from the registry itself', async () => {
    const elsewhere = `https://${testbed.hostile.elsewhere}`
    const plain = `http://${hostile()}`
    const pages: Record<string, ScriptedAnswer> = {
      first: tagsPage('app', ['1.0'], { link: `<${elsewhere}/v2/app/tags/list?last=1.0>; rel="next"` }),
      'last=1.0': tagsPage('app', ['1.1'], { link: `<${plain}/v2/app/tags/list?last=1.1>; rel="next"` }),
      'last=1.1': tagsPage('app', ['1.2'])
    }
    // Every read needs the credentials; a request without them is challenged, as a private registry does.
    const withCredentials =
      (answer: (req: IncomingMessage) => ScriptedAnswer) =>
      (req: IncomingMessage): ScriptedAnswer =>
        req.headers.authorization === BASIC
          ? answer(req)
          : { status: 401, headers: { 'www-authenticate': 'Basic realm="hostile"' } }
    testbed.hostile.script(
      { path: '/v2/app/tags/list' },
      withCredentials((req) => pages[/last=[^&]+/.exec(req.url ?? '')?.[0] ?? 'first'])
    )
    testbed.hostile.script({ path: /^\/v2\/app\/manifests\// }, withCredentials(honestHead))
    testbed.hostile.script(
      { path: /^\/v2\/app\/referrers\// },
      withCredentials((req) => {
        const [path, query = ''] = (req.url ?? '').split('?')
        const next = { '': `${elsewhere}${path}?page=2`, 'page=2': `${plain}${path}?page=3` }[query]
        return {
          status: 200,
          headers: { 'content-type': OCI_INDEX, ...(next && { link: `<${next}>; rel="next"` }) },
          body: JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] })
        }
      })
    )
    const before = testbed.requests.length
    const step = await run({
      source: `${hostile()}/app => ${repo('paging')}/app`,
      tags: 'regex: .*',
      ...CREDENTIALS,
      'dry-run': 'true'
    })
    expectSucceeded(step)
    // Every page was read, on the registry's own origin.
    expect(resultsOf(step).map((r) => r.source)).toEqual(
      ['1.0', '1.1', '1.2'].map((t) => `${hostile()}/app:${t}`)
    )
    const sent = hostileRequests(before)
    expect(sent.filter((r) => r.url.includes('last=1.1')).length).toBeGreaterThan(0)
    expect(sent.filter((r) => r.host !== hostile()).map((r) => `${r.method} ${r.host}${r.url}`)).toEqual([])
    expect(sent.filter((r) => r.scheme !== 'https').map((r) => `${r.method} ${r.host}${r.url}`)).toEqual([])
    const withBasic = testbed.requests.slice(before).filter((r) => r.headers.authorization === BASIC)
    expect(withBasic.length).toBeGreaterThan(0)
    expect(withBasic.filter((r) => r.host !== hostile() || r.scheme !== 'https')).toEqual([])
    expectNoSecretShown(step, testbed, [CREDENTIALS.password])
  }, 120_000)

  test('D4: a Docker-Content-Digest that is markup and shell is used nowhere; the dry run goes on', async () => {
    const evil = 'sha256:0` <img src=x onerror=alert(1)> | $(touch /tmp/acr-import-d4)'
    testbed.hostile.script({ method: 'HEAD', path: '/v2/app/manifests/1' }, manifestHead(evil))
    const step = await dryRunOfApp1('digest')
    expectSucceeded(step)
    expect(step.showsStackTrace).toBe(false)
    for (const shown of [JSON.stringify(step.outputs), step.summary, step.shown]) {
      expect(shown).not.toContain('<img')
      expect(shown).not.toContain('$(')
    }
    expect(step.outputs.digest ?? '').toMatch(/^(sha256:[0-9a-f]{64})?$/)
    expect(resultsOf(step)[0].digest ?? '').toMatch(/^(sha256:[0-9a-f]{64})?$/)
    expect(step.debug.join('\n')).toContain(`${hostile()}/app:1 answered a digest that is not the manifest's`)
  }, 120_000)

  test('D5: listed names that are workflow commands, shell or paths are left out, with one notice counting them', async () => {
    const hostileNames = ['x\n::error::bad', '##vso[task.setvariable variable=x]1', '$(touch x)', '../../etc']
    testbed.hostile.script({ path: '/v2/app/tags/list' }, tagsPage('app', ['1.0', ...hostileNames]))
    testbed.hostile.script({ method: 'HEAD', path: /^\/v2\/app\/manifests\// }, honestHead)
    const step = await run({
      source: `${hostile()}/app => ${repo('names')}/app`,
      tags: 'regex: .*',
      referrers: 'false',
      'dry-run': 'true'
    })
    expectSucceeded(step)
    expect(step.errors).toEqual([])
    expect(resultsOf(step).map((r) => [r.source, r.targets])).toEqual([
      [`${hostile()}/app:1.0`, [`${PROD}/${repo('names')}/app:1.0`]]
    ])
    for (const shown of [step.shown, JSON.stringify(step.outputs), step.summary]) {
      for (const fragment of ['::error::bad', '##vso[task.setvariable variable=x]', '$(touch', '../../etc']) {
        expect(shown).not.toContain(fragment)
      }
    }
    const notice = `${hostile()}/app: 4 of the 5 names the registry listed are not valid tags and were left out`
    expect(step.log.split(notice).length - 1).toBe(1)
  }, 120_000)

  // The one test that waits on purpose: the HEAD is never answered, and the per-request deadline (60 s,
  // src/core/registry/http.ts REQUEST_TIMEOUT_MS) is what ends it. The test's own timeout is that deadline twice,
  // a hang guard: without a deadline the step would hang until the child is killed, and the test fails.
  test('D6: a HEAD that is never answered ends the step within its timeout', async () => {
    testbed.hostile.script({ method: 'HEAD', path: '/v2/app/manifests/1' }, 'hang')
    // A guard only: the child is killed past 115 s; the step's own timeout (5 s) bounds each registry read.
    const step = await dryRunOfApp1('hang', { inputs: { timeout: '5' }, timeoutMs: 115_000 })
    // The process ended by itself (a child killed by the guard is neither), and said why.
    expect(step.succeeded || step.failed).toBe(true)
    expect(step.showsStackTrace).toBe(false)
    expect(step.debug.join('\n')).toContain(`No answer from ${hostile()} within 5 s`)
  }, 120_000)

  test('D6: a Retry-After longer than the read has left fails the read at once, saying so', async () => {
    testbed.hostile.script(
      { method: 'HEAD', path: '/v2/app/manifests/1' },
      { status: 429, headers: { 'retry-after': '100000' } }
    )
    const step = await dryRunOfApp1('retry-after', { inputs: { timeout: '30' }, timeoutMs: 115_000 })
    expect(step.succeeded || step.failed).toBe(true)
    expect(step.showsStackTrace).toBe(false)
    expect(step.debug.join('\n')).toMatch(
      /asked to wait 100000 s \(Retry-After\), longer than the \d+ s this read has left/
    )
  }, 120_000)

  test('D11: a manifest body past 4 MiB is refused in one line, without a stack trace', async () => {
    const chunk = Buffer.alloc(64 * 1024, ' ')
    const fiveMiB = function* (): Generator<Buffer> {
      for (let sent = 0; sent < 5 * 1024 * 1024; sent += chunk.length) yield chunk
    }
    // An index is read with a GET (for its platforms): that body is the one that never ends.
    testbed.hostile.script(
      { method: 'HEAD', path: '/v2/app/manifests/1' },
      { status: 200, headers: { 'content-type': OCI_INDEX, 'docker-content-digest': digestOf('huge') } }
    )
    testbed.hostile.script({ method: 'GET', path: '/v2/app/manifests/1' }, () => ({
      status: 200,
      headers: { 'content-type': OCI_INDEX },
      body: fiveMiB()
    }))
    const step = await dryRunOfApp1('huge')
    expectSucceeded(step)
    expect(step.showsStackTrace).toBe(false)
    expect(step.shown).not.toMatch(/ERR_STRING_TOO_LONG|Maximum call stack/)
    const lines = step.debug.filter((line) => line.includes(`${hostile()} answered more than 4 MiB`))
    expect(lines).toHaveLength(1)
    expect(lines[0]).not.toContain('\n')
  }, 120_000)
})
