// Each host's bundle under issue #9's faults (the task on Node 20, with a service principal key unless the fault
// is in federation): "Faults 4", an ARM front that answers 500 on every poll while the import lands; "Faults 5",
// another writer that changes the target tag during the import; "Faults 2", a dropped connection to the OIDC
// token endpoint; and issue 16's: referrer lookups that keep failing, a dropped connection and 429s on plan reads.
// Each test changes the test bed's global faults, so they run one after the other; the hosts share
// one test bed, each in repositories of its own.
import { expect, test } from '@jest/globals'
import { secretJob } from '../task/e2e-world.js'
import { actionHost } from './action-host.js'
import { expectOneLineFailure, expectSucceeded, resultsOf } from './expect-run.js'
import { NODE20, onEachHost } from './on-each-host.js'
import { taskHost } from './task-host.js'
import { sourceDigest } from './testbed-reads.js'

onEachHost('faults, one at a time', [[actionHost(), taskHost(NODE20, secretJob)]], (host, testbed) => {
  const image = (name: string): string => `${host.id}-faults/${name}:1`

  test('Faults 4: every poll answers 500 while the import lands: it may have completed, check the tags', async () => {
    // The target already holds the digest, so the data plane cannot see the import land: ARM alone decides.
    const inputs = { source: 'docker.io/library/busybox:1.36', image: image('polls') }
    expectSucceeded(await host.run(testbed, { inputs }))
    testbed.faults.failImportPolls(500, true)
    try {
      const run = await host.run(testbed, { inputs: { ...inputs, 'skip-unchanged': 'false', force: 'true' } })
      const line = expectOneLineFailure(run)
      expect(line).toMatch(/may have completed in Azure/)
      expect(line).toMatch(/check the target tags \(az acr repository show-tags --name prodacr/)
    } finally {
      testbed.faults.failImportPolls(500, false)
    }
  })

  test('Faults 5: another writer changes the target tag during the import: it names the digest it holds now', async () => {
    const alpine = await sourceDigest(testbed, 'docker.io', 'library/alpine', '3.20')
    testbed.faults.anotherWriterOnNextImport({ repo: 'library/alpine', reference: '3.20' })
    try {
      const run = await host.run(testbed, {
        inputs: { source: 'docker.io/library/busybox:1.36', image: image('writer') }
      })
      const line = expectOneLineFailure(run)
      expect(line).toMatch(/Another writer changed .* it now holds sha256:/)
      expect(line).toContain(`it now holds ${alpine}`)
    } finally {
      testbed.faults.reset()
    }
  })

  test('Faults 2: federation survives a dropped connection to the OIDC token endpoint, as every other call does', async () => {
    const endpoint = host.tokenEndpoint(testbed)
    testbed.faults.resetConnections(endpoint.hostname, 1)
    const asked = (): number => testbed.requests.filter((r) => r.url.includes(endpoint.path)).length
    const before = asked()
    try {
      expectSucceeded(
        await host.run(testbed, {
          inputs: { source: 'docker.io/library/busybox:1.36', image: image('oidc') },
          signIn: 'federated'
        })
      )
      // The dropped request and its retry (one assertion serves the whole step).
      expect(asked() - before).toBe(2)
    } finally {
      testbed.faults.reset()
    }
  })

  test('issue 16: referrer lookups that keep failing are a warning; the batch goes on and succeeds', async () => {
    const sources = [
      'docker.io/library/busybox:1.36',
      'docker.io/library/alpine:3.20',
      'docker.io/library/hello-world:latest'
    ]
    const source = sources
      .map((s) => `${s} => ${host.id}-faults/${s.split('/')[2].split(':')[0]}:1`)
      .join('\n')
    expectSucceeded(await host.run(testbed, { inputs: { source } }))
    // Every referrer lookup of Docker Hub (and its retries) meets a dropped connection; nothing else does.
    testbed.faults.resetConnections('registry-1.docker.io', 1000, '/referrers/')
    try {
      const run = await host.run(testbed, { inputs: { source } })
      expectSucceeded(run)
      expect(resultsOf(run).map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'unchanged'])
      expect(run.warnings.join('\n')).toMatch(
        /The referrers of docker\.io\/library\/busybox@sha256:[0-9a-f]{64} were not copied/
      )
    } finally {
      testbed.faults.reset()
    }
  })

  test('issue 16: a dropped connection on a plan read is retried; the entry imports', async () => {
    testbed.faults.resetConnections('registry-1.docker.io', 1, '/manifests/1.36')
    try {
      const run = await host.run(testbed, {
        inputs: { source: 'docker.io/library/busybox:1.36', image: image('plan-reset') }
      })
      expectSucceeded(run)
      expect(resultsOf(run)[0].status).toBe('imported')
    } finally {
      testbed.faults.reset()
    }
  })

  test('issue 16: a 429 on the plan reads of both sides is waited out; the entry imports', async () => {
    // Docker Hub's HEAD of the source and the target ACR's read of the tag each answer 429 twice first.
    testbed.faults.throttleHost('registry-1.docker.io', 2, 1, '/manifests/1.36')
    testbed.faults.throttleHost('prodacr.azurecr.io', 2, 1, `/${host.id}-faults%2Fplan-429/_tags/`)
    const from = testbed.requests.length
    try {
      const run = await host.run(testbed, {
        inputs: { source: 'docker.io/library/busybox:1.36', image: image('plan-429') }
      })
      expectSucceeded(run)
      expect(resultsOf(run)[0].status).toBe('imported')
      const throttled = testbed.requests.slice(from).filter((r) => r.status === 429)
      expect(throttled.map((r) => r.host).sort()).toEqual([
        'prodacr.azurecr.io',
        'prodacr.azurecr.io',
        'registry-1.docker.io',
        'registry-1.docker.io'
      ])
    } finally {
      testbed.faults.reset()
    }
  })

  test('issue 16: a multi-arch Docker Hub import without credentials raises no warning at all', async () => {
    const run = await host.run(testbed, {
      inputs: { source: 'docker.io/library/hello-world:latest', image: image('hello') }
    })
    expectSucceeded(run)
    expect(run.warnings).toEqual([])
  })
})
