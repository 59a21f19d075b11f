// runStep, in-process, against the local Azure test bed: the whole pipeline (request, entries, resolve, plan,
// execution, verification, results) through a recording host port. The bundle tests prove the shipped files
// work on each platform; these point a failure at a stage and are where coverage is measured.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { runStep } from '../../src/core/index.js'
import type { Testbed } from '../testbed/index.js'
import { chooseSignIn } from '../../src/action/signin.js'
import { MAIN_BRANCH_SUBJECT } from '../action/e2e-steps.js'
import { APPS } from '../testbed/world.js'
import { recordingHost, TESTBED_SIGN_IN, useTestbedInProcess } from './fake-host.js'

const testbedNow = useTestbedInProcess()
let testbed: Testbed
beforeEach(() => {
  testbed = testbedNow()
})

async function run(inputs: Record<string, string>) {
  const host = recordingHost({ registry: 'prodacr', ...inputs })
  await runStep(host)
  return host
}

describe('runStep against the test bed', () => {
  it('imports by the source digest read first, verifies the target, and reports a failure per import', async () => {
    const host = await run({
      source: 'hello-world => mirror/hello-world:1\ndevacr.azurecr.io/app:1.1.0 => app:existing'
    })
    const [hello, existing] = host.results()
    expect(hello).toMatchObject({ status: 'imported', targets: ['prodacr.azurecr.io/mirror/hello-world:1'] })
    expect(hello.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(host.outputs.digest).toBe(hello.digest)
    expect(host.outputs['target-image']).toBe('prodacr.azurecr.io/mirror/hello-world:1')
    const imported = testbed.imports.find((i) => JSON.stringify(i.body).includes('mirror/hello-world:1'))
    expect(imported?.body).toMatchObject({
      source: { registryUri: 'docker.io', sourceImage: `library/hello-world@${hello.digest}` },
      mode: 'NoForce'
    })
    expect(existing.status).toBe('failed')
    expect(existing.error).toMatch(/already exists.*use force: true/)
    expect(host.failedImports).toEqual([{ source: 'devacr.azurecr.io/app:1.1.0', error: existing.error }])
    expect(host.ending).toEqual(['failed 1 of 2 imports failed (see the summary)'])
    expect(host.lines).toContain(
      "notice 'hello-world' is read as the Docker Hub image docker.io/library/hello-world:latest"
    )
    expect(host.summaries[0]).toContain('#### ❌ 1 of 2 failed')
  }, 90000)

  it('imports nothing in a dry run, and describes each import once without "Importing"', async () => {
    const before = testbed.imports.length
    const host = await run({ source: 'docker.io/library/busybox:1.36', 'dry-run': 'true' })
    expect(host.results()[0]).toMatchObject({
      status: 'planned',
      targets: ['prodacr.azurecr.io/library/busybox:1.36']
    })
    expect(host.results()[0].digest).toMatch(/^sha256:/)
    expect(testbed.imports.length).toBe(before)
    expect(
      host.lines.filter((l) => l.includes('from docker.io to prodacr.azurecr.io/library/busybox:1.36'))
    ).toHaveLength(1)
    expect(host.lines.some((l) => l.includes('Importing'))).toBe(false)
    expect(host.ending).toEqual(['succeeded Dry run: nothing imported.'])
  }, 90000)

  it('only queues the import when wait is false', async () => {
    const host = await run({ source: 'docker.io/library/alpine:3.20 => queued/alpine:3.20', wait: 'false' })
    expect(host.results()[0]).toMatchObject({
      status: 'queued',
      targets: ['prodacr.azurecr.io/queued/alpine:3.20']
    })
    expect(host.ending).toEqual(['succeeded '])
  }, 90000)

  it('gives up on a stuck import after its timeout, with a hint', async () => {
    testbed.faults.stallImports(true)
    try {
      const host = await run({ source: 'docker.io/library/busybox:1.36 => stuck/busybox:1', timeout: '3' })
      expect(host.results()[0].status).toBe('failed')
      expect(host.ending[0]).toMatch(
        /^failed .*did not finish within 3 s\. The operation may still complete in Azure/
      )
    } finally {
      testbed.faults.stallImports(false)
    }
  }, 90000)

  it('stops before any import when the target registry is unknown', async () => {
    const host = await run({ registry: 'nosuchacr', source: 'nginx' })
    expect(host.ending).toEqual([
      expect.stringMatching(/^failed The target registry 'nosuchacr' was not found in subscription/)
    ])
    expect(host.outputs).toEqual({})
  }, 90000)

  it('reports at most ten failed imports of a batch on their own; the summary lists them all', async () => {
    const missing = Array.from(
      { length: 11 },
      (_, i) => `docker.io/library/missing:${i} => gone/missing:${i}`
    )
    const host = await run({ source: missing.join('\n') })
    expect(host.results().map((r) => r.status)).toEqual(Array(11).fill('failed'))
    expect(host.failedImports).toHaveLength(10)
    expect(host.ending).toEqual(['failed 11 of 11 imports failed (see the summary)'])
    expect(host.summaries[0].split('\n').filter((l) => l.startsWith('- '))).toHaveLength(11)
  }, 90000)

  it('registers the source password before anything is printed, and never prints it', async () => {
    const host = await run({
      source: 'registry.contoso.com/team/app:1 => contoso/app:1',
      username: 'ci-puller',
      password: 'wrong-password-for-test-123'
    })
    expect(host.secrets[0]).toBe('wrong-password-for-test-123')
    expect(host.lines.join('\n')).not.toContain('wrong-password-for-test-123')
  }, 90000)

  it('makes remote text inert before the host prints it', async () => {
    testbed.faults.failNextImport('::set-output name=digest::evil ##vso[task.setvariable variable=x]y')
    const host = await run({ source: 'docker.io/library/busybox:1.36 => inert/busybox:1' })
    const printed = [...host.lines, ...host.ending].join('\n')
    expect(printed).toContain('set-output')
    expect(printed).not.toMatch(/##vso\[/)
    expect(printed.split('\n').some((l) => /^\s*(info |failed )?::/.test(l))).toBe(false)
  }, 90000)
})

describe('runStep: what a host prints and ends with', () => {
  it('makes the failure line inert even when it echoes an input, and sends nothing', async () => {
    const before = testbed.requests.length
    const host = await run({ source: 'nginx', force: '##vso[task.setvariable variable=x]y' })
    expect(host.ending).toHaveLength(1)
    expect(host.ending[0]).toMatch(/^failed Input 'force' must be true or false/)
    expect(host.ending[0]).not.toContain('##vso[')
    expect(testbed.requests.length).toBe(before)
  })

  it('masks every federated assertion it presents to Entra ID', async () => {
    const oidc = testbed.githubOidc(MAIN_BRANCH_SUBJECT)
    Object.assign(process.env, oidc)
    try {
      const { signIn } = chooseSignIn({
        auth: 'oidc',
        clientId: APPS.github.appId,
        tenantId: APPS.github.tenantId
      })
      const host = recordingHost(
        { registry: 'prodacr', source: 'docker.io/library/busybox:1.36', 'dry-run': 'true' },
        () => ({
          ...TESTBED_SIGN_IN,
          signIn
        })
      )
      const asked = testbed.requests.filter((r) => r.url.includes('/idtoken')).length
      await runStep(host)
      expect(host.results()[0].status).toBe('planned')
      // One assertion serves every token of the step (ARM and the ACR data plane) while it is fresh.
      expect(testbed.requests.filter((r) => r.url.includes('/idtoken')).length - asked).toBe(1)
      const assertions = host.secrets.filter((s) => s.split('.').length === 3)
      expect(assertions.length).toBeGreaterThan(0)
      expect(host.lines.join('\n')).not.toContain(assertions[0])
    } finally {
      for (const name of Object.keys(oidc)) delete process.env[name]
    }
  }, 90000)
})

describe('runStep: skip what did not change, and a dry run that tells the truth', () => {
  it('leaves unchanged images alone on the second run: no import, no Docker Hub manifest GET', async () => {
    const source =
      'docker.io/library/busybox:1.36 => skip/busybox:1.36, skip/busybox:stable\nmcr.microsoft.com/windows/servercore:ltsc2019 => skip/servercore:ltsc2019'
    const first = await run({ source })
    expect(first.results().map((r) => r.status)).toEqual(['imported', 'imported'])
    const before = testbed.counters()
    const second = await run({ source })
    const after = testbed.counters()
    expect(second.results().map((r) => r.status)).toEqual(['unchanged', 'unchanged'])
    expect(second.results()[0].digest).toBe(first.results()[0].digest)
    expect(after.importImagePosts).toBe(before.importImagePosts)
    expect(after.dockerHubManifestGets).toBe(before.dockerHubManifestGets)
    expect(second.summaries[0]).toContain('unchanged')
    expect(second.ending).toEqual(['succeeded '])
  }, 90000)

  it('imports again when skip-unchanged is off, and when a target tag moved away', async () => {
    const source = 'docker.io/library/busybox:1.36 => moved/busybox:1'
    await run({ source })
    const again = await run({ source, 'skip-unchanged': 'false', force: 'true' })
    expect(again.results()[0].status).toBe('imported')
    // Another image under the tag: the entry is imported (with force) instead of skipped.
    await run({ source: 'docker.io/library/alpine:3.20 => moved/busybox:1', force: 'true' })
    const back = await run({ source, force: 'true' })
    expect(back.results()[0].status).toBe('imported')
  }, 90000)

  it('fails a dry run, without importing, where the real run would meet a tag that holds another image', async () => {
    await run({ source: 'docker.io/library/busybox:1.36 => conflict/app:1' })
    const posts = testbed.counters().importImagePosts
    const host = await run({ source: 'docker.io/library/alpine:3.20 => conflict/app:1', 'dry-run': 'true' })
    expect(host.results()[0].status).toBe('failed')
    expect(host.results()[0].error).toMatch(
      /conflict\/app:1 already exists and holds sha256:.*use force: true/
    )
    expect(host.ending[0]).toMatch(/^failed Target prodacr.azurecr.io\/conflict\/app:1 already exists/)
    expect(testbed.counters().importImagePosts).toBe(posts)
    const unchanged = await run({
      source: 'docker.io/library/busybox:1.36 => conflict/app:1',
      'dry-run': 'true'
    })
    expect(unchanged.results()[0].status).toBe('unchanged')
    const wouldImport = await run({
      source: 'docker.io/library/alpine:3.20 => conflict/other:1',
      'dry-run': 'true'
    })
    expect(wouldImport.results()[0].status).toBe('planned')
    expect(wouldImport.lines.some((l) => l.includes('Would import library/alpine@sha256:'))).toBe(true)
  }, 90000)
})
