// Bundle-level end-to-end: the documented import scenarios of issue 3 (rows 1 and 3-12; row 2 needs Docker Hub's
// pull limit and lives in e2e-errors), each one a run of dist/action/index.js on Node 24 as the runner starts it,
// signed in with GitHub OIDC, against one test bed. Every test imports into its own repository of prodacr, so
// the runs go in parallel; the NoForce/force pair shares a tag and runs its steps in order.
import { NODE_20 } from '../node-binaries.js'
import { describe, expect, test } from '@jest/globals'
import { useTestbed } from '../testbed/use-testbed.js'
import { APPS, PRIVATE_REGISTRY, REGISTRIES, resourceIdOf } from '../testbed/world.js'
import {
  PROD,
  expectCopiedToProd,
  expectOneLineFailure,
  expectSuccess,
  importBodyFor,
  resultsOf,
  runWithOidc,
  sourceDigest
} from './e2e-steps.js'

const testbed = useTestbed()

/**
 * Rows 3 to 10: one source kind each, imported into a repository of its own. `from` is where the source digest is
 * read (and, `byDigest`, appended to the source as `@digest`), `body` what ARM's importImage source must say,
 * `absent` the source fields it must not have.
 */
const SOURCE_KINDS: {
  row: string
  from: [host: string, repo: string, tag: string]
  inputs: Record<string, string>
  byDigest?: boolean
  target: [repo: string, tag: string]
  body?: Record<string, unknown>
  absent?: string[]
}[] = [
  {
    row: '3: mcr.microsoft.com/windows/servercore:ltsc2019',
    from: ['mcr.microsoft.com', 'windows/servercore', 'ltsc2019'],
    inputs: { source: 'mcr.microsoft.com/windows/servercore:ltsc2019' },
    target: ['s3/servercore', 'ltsc2019']
  },
  {
    row: '4: a same-tenant ACR by login server is imported by resourceId',
    from: ['devacr.azurecr.io', 'app', '1.1.0'],
    inputs: { source: 'devacr.azurecr.io/app:1.1.0' },
    target: ['s4/app', '1.1.0'],
    body: { resourceId: resourceIdOf(REGISTRIES.dev) },
    absent: ['registryUri', 'credentials']
  },
  {
    row: '5: an ACR with public access disabled, source-registry by resource ID',
    from: ['lockedacr.azurecr.io', 'secure/app', '1.0.0'],
    inputs: { 'source-registry': resourceIdOf(REGISTRIES.locked), source: 'secure/app:1.0.0' },
    target: ['s5/secure-app', '1.0.0'],
    body: {
      resourceId: resourceIdOf(REGISTRIES.locked),
      sourceImage: expect.stringMatching(/^secure\/app(:1\.0\.0|@sha256:[0-9a-f]{64})$/)
    }
  },
  {
    row: '6: an ACR in another subscription of the tenant, by resource ID',
    from: ['sharedacr.azurecr.io', 'shared/base', '1.0'],
    inputs: { 'source-registry': resourceIdOf(REGISTRIES.shared), source: 'shared/base:1.0' },
    target: ['s6/base', '1.0'],
    body: { resourceId: resourceIdOf(REGISTRIES.shared) }
  },
  {
    row: '7: by manifest digest',
    from: ['docker.io', 'library/alpine', '3.20'],
    inputs: { source: 'docker.io/library/alpine' },
    byDigest: true,
    target: ['s7/alpine', 'pinned']
  },
  {
    row: "8: a source ACR read with a service principal's app ID and password",
    from: ['devacr.azurecr.io', 'app', '1.0.0'],
    inputs: {
      source: 'devacr.azurecr.io/app:1.0.0',
      username: APPS.sourceReader.appId,
      password: APPS.sourceReader.clientSecret
    },
    target: ['s8/app', '1.0.0'],
    body: {
      registryUri: 'devacr.azurecr.io',
      credentials: { username: APPS.sourceReader.appId, password: APPS.sourceReader.clientSecret }
    }
  },
  {
    row: '9: an ACR in another tenant with a repository-scoped token',
    from: ['partneracr.azurecr.io', 'partner/tool', '2.0'],
    inputs: {
      source: 'partneracr.azurecr.io/partner/tool:2.0',
      username: REGISTRIES.partner.tokens[0].username,
      password: REGISTRIES.partner.tokens[0].password
    },
    target: ['s9/tool', '2.0'],
    body: { registryUri: 'partneracr.azurecr.io' }
  },
  {
    row: '10: a non-Azure private registry with username and password',
    from: [PRIVATE_REGISTRY.host, 'team/service', '2.3.1'],
    inputs: {
      source: `${PRIVATE_REGISTRY.host}/team/service:2.3.1`,
      username: PRIVATE_REGISTRY.username,
      password: PRIVATE_REGISTRY.password
    },
    target: ['s10/service', '2.3.1']
  }
]

describe('import scenarios', () => {
  test.concurrent('1: docker.io/library/hello-world:latest copies every platform of the index', async () => {
    const digest = await sourceDigest(testbed, 'docker.io', 'library/hello-world', 'latest')
    const run = await runWithOidc(testbed, {
      source: 'docker.io/library/hello-world:latest',
      image: 's1/hello-world:latest'
    })
    expectSuccess(run)
    expect(run.outputs.digest).toBe(digest)
    expect(run.outputs['target-image']).toBe(`${PROD}/s1/hello-world:latest`)
    const [result] = resultsOf(run)
    expect(result).toMatchObject({ status: 'imported', digest, targets: [`${PROD}/s1/hello-world:latest`] })
    expect([...result.platforms].sort()).toEqual(['linux/amd64', 'linux/arm/v7', 'linux/arm64'])
    await expectCopiedToProd(testbed, 's1/hello-world', 'latest', digest)
    // The summary is for a person: the short digest and every platform.
    expect(run.summary).toContain(digest.slice(0, 'sha256:'.length + 12))
    expect(run.summary).toContain('linux/arm/v7')
  })

  test.concurrent.each(SOURCE_KINDS)('$row', async ({ from, inputs, byDigest, target, body, absent }) => {
    const digest = await sourceDigest(testbed, ...from)
    const source = byDigest ? `${inputs.source}@${digest}` : inputs.source
    const run = await runWithOidc(testbed, { ...inputs, source, image: target.join(':') })
    expectSuccess(run)
    expect(run.outputs.digest).toBe(digest)
    const sent = (importBodyFor(testbed, target.join(':')) as { source: Record<string, unknown> }).source
    if (body) expect(sent).toMatchObject(body)
    for (const field of absent ?? []) expect(sent[field]).toBeUndefined()
    await expectCopiedToProd(testbed, ...target, digest)
  })

  test.concurrent('11: a Helm 3 chart (OCI artifact)', async () => {
    const digest = await sourceDigest(testbed, 'devacr.azurecr.io', 'charts/podinfo', '6.5.0')
    const run = await runWithOidc(testbed, {
      source: 'devacr.azurecr.io/charts/podinfo:6.5.0',
      image: 's11/podinfo:6.5.0'
    })
    expectSuccess(run)
    expect(run.outputs.digest).toBe(digest)
    await expectCopiedToProd(testbed, 's11/podinfo', '6.5.0', digest)
    const chart = await testbed.backend(PROD).getManifest('s11/podinfo', '6.5.0')
    expect(JSON.parse(chart!.body.toString('utf8')).config.mediaType).toBe(
      'application/vnd.cncf.helm.config.v1+json'
    )
  })

  test.concurrent('12a: several target tags and an untagged target repository in one import', async () => {
    const digest = await sourceDigest(testbed, 'devacr.azurecr.io', 'app', '1.1.0')
    const run = await runWithOidc(testbed, {
      source: 'devacr.azurecr.io/app:1.1.0',
      image: 's12/app:1.1.0\ns12/app:stable',
      repository: 's12/app-untagged'
    })
    expectSuccess(run)
    expect(run.outputs.digest).toBe(digest)
    await expectCopiedToProd(testbed, 's12/app', '1.1.0', digest)
    await expectCopiedToProd(testbed, 's12/app', 'stable', digest)
    await expectCopiedToProd(testbed, 's12/app-untagged', digest, digest)
    expect(await testbed.backend(PROD).listTags('s12/app-untagged')).toEqual([])
    expect(resultsOf(run)[0].targets).toEqual(
      expect.arrayContaining([`${PROD}/s12/app:1.1.0`, `${PROD}/s12/app:stable`, `${PROD}/s12/app-untagged`])
    )
  })

  test.concurrent('12b: NoForce refuses to overwrite app:existing, force overwrites it', async () => {
    const before = await sourceDigest(testbed, PROD, 'app', 'existing')
    const digest = await sourceDigest(testbed, 'devacr.azurecr.io', 'app', '1.1.0')
    const refused = await runWithOidc(testbed, {
      source: 'devacr.azurecr.io/app:1.1.0',
      image: 'app:existing'
    })
    expect(expectOneLineFailure(refused)).toMatch(/already exists.*force: true/)
    expect(await testbed.backend(PROD).headManifest('app', 'existing')).toBe(before)

    const forced = await runWithOidc(testbed, {
      source: 'devacr.azurecr.io/app:1.1.0',
      image: 'app:existing',
      force: 'true'
    })
    expectSuccess(forced)
    expect(forced.outputs.digest).toBe(digest)
    expect(await testbed.backend(PROD).headManifest('app', 'existing')).toBe(digest)
  })

  test.concurrent('a batch: one line per source with its own targets, one result each', async () => {
    const run = await runWithOidc(testbed, {
      source:
        'docker.io/library/busybox:1.36 => batch/busybox:1.36\nmcr.microsoft.com/windows/servercore:ltsc2019 => batch/servercore:ltsc2019, batch/servercore:latest'
    })
    expectSuccess(run)
    const results = resultsOf(run)
    expect(results.map((r) => [r.status, r.targets])).toEqual([
      ['imported', [`${PROD}/batch/busybox:1.36`]],
      ['imported', [`${PROD}/batch/servercore:ltsc2019`, `${PROD}/batch/servercore:latest`]]
    ])
    expect(run.outputs.digest).toBe(await sourceDigest(testbed, 'docker.io', 'library/busybox', '1.36'))
    expect(run.outputs['target-image']).toBe(`${PROD}/batch/busybox:1.36`)
  })

  test.concurrent(
    'a batch with one failed import publishes the others, annotates the failure and fails the step',
    async () => {
      const run = await runWithOidc(testbed, {
        source:
          'docker.io/library/alpine:3.20 => partial/alpine:3.20\ndocker.io/library/missing:1 => partial/missing:1'
      })
      expect(run.exitCode).toBe(1)
      expect(resultsOf(run).map((r) => r.status)).toEqual(['imported', 'failed'])
      expect(run.outputs.digest).toBe(await sourceDigest(testbed, 'docker.io', 'library/alpine', '3.20'))
      expect(run.errors).toEqual([
        expect.stringMatching(/library\/missing:1.*not found/),
        '1 of 2 imports failed (see the summary)'
      ])
      expect(run.stdout).toMatch(/^::error title=ACR import failed%3A docker.io\/library\/missing%3A1::/m)
    }
  )

  test.concurrent('dry-run prints the plan and imports nothing', async () => {
    const run = await runWithOidc(testbed, {
      source: 'docker.io/library/busybox:1.36',
      image: 'dry/busybox:1.36',
      'dry-run': 'true'
    })
    expectSuccess(run)
    expect(run.stdout).toContain(`${PROD}/dry/busybox:1.36`)
    expect(resultsOf(run)[0].status).toBe('planned')
    expect(importBodyFor(testbed, 'dry/busybox:1.36')).toBeUndefined()
    expect(await testbed.backend(PROD).headManifest('dry/busybox', '1.36')).toBeUndefined()
  })

  test.concurrent('the bundle also starts and imports on Node 20', async () => {
    const digest = await sourceDigest(testbed, 'docker.io', 'library/busybox', '1.36')
    const run = await runWithOidc(
      testbed,
      { source: 'docker.io/library/busybox:1.36', image: 'node20/busybox:1.36' },
      { node: NODE_20 }
    )
    expectSuccess(run)
    expect(run.outputs.digest).toBe(digest)
  })
})
