// Bundle-level end-to-end: the documented import scenarios of issue 3 (rows 1 and 3-12; row 2 needs Docker Hub's
// pull limit and lives in e2e-errors), each one a run of dist/action/index.js on Node 24 as the runner starts it,
// signed in with GitHub OIDC, against one test bed. Every test imports into its own repository of prodacr, so
// the runs go in parallel; the NoForce/force pair shares a tag and runs its steps in order.
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

  test.concurrent('3: mcr.microsoft.com/windows/servercore:ltsc2019', async () => {
    const digest = await sourceDigest(testbed, 'mcr.microsoft.com', 'windows/servercore', 'ltsc2019')
    const run = await runWithOidc(testbed, {
      source: 'mcr.microsoft.com/windows/servercore:ltsc2019',
      image: 's3/servercore:ltsc2019'
    })
    expectSuccess(run)
    expect(run.outputs.digest).toBe(digest)
    await expectCopiedToProd(testbed, 's3/servercore', 'ltsc2019', digest)
  })

  test.concurrent('4: a same-tenant ACR by login server is imported by resourceId', async () => {
    const digest = await sourceDigest(testbed, 'devacr.azurecr.io', 'app', '1.1.0')
    const run = await runWithOidc(testbed, { source: 'devacr.azurecr.io/app:1.1.0', image: 's4/app:1.1.0' })
    expectSuccess(run)
    expect(run.outputs.digest).toBe(digest)
    const body = importBodyFor(testbed, 's4/app:1.1.0') as { source: Record<string, unknown> }
    expect(body.source).toMatchObject({ resourceId: resourceIdOf(REGISTRIES.dev) })
    expect(body.source.registryUri).toBeUndefined()
    expect(body.source.credentials).toBeUndefined()
    await expectCopiedToProd(testbed, 's4/app', '1.1.0', digest)
  })

  test.concurrent('5: an ACR with public access disabled, source-registry by resource ID', async () => {
    const digest = await sourceDigest(testbed, 'lockedacr.azurecr.io', 'secure/app', '1.0.0')
    const run = await runWithOidc(testbed, {
      'source-registry': resourceIdOf(REGISTRIES.locked),
      source: 'secure/app:1.0.0',
      image: 's5/secure-app:1.0.0'
    })
    expectSuccess(run)
    expect((importBodyFor(testbed, 's5/secure-app:1.0.0') as { source: unknown }).source).toMatchObject({
      resourceId: resourceIdOf(REGISTRIES.locked),
      sourceImage: expect.stringMatching(/^secure\/app(:1\.0\.0|@sha256:[0-9a-f]{64})$/)
    })
    await expectCopiedToProd(testbed, 's5/secure-app', '1.0.0', digest)
  })

  test.concurrent('6: an ACR in another subscription of the tenant, by resource ID', async () => {
    const digest = await sourceDigest(testbed, 'sharedacr.azurecr.io', 'shared/base', '1.0')
    const run = await runWithOidc(testbed, {
      'source-registry': resourceIdOf(REGISTRIES.shared),
      source: 'shared/base:1.0',
      image: 's6/base:1.0'
    })
    expectSuccess(run)
    expect(run.outputs.digest).toBe(digest)
    expect((importBodyFor(testbed, 's6/base:1.0') as { source: unknown }).source).toMatchObject({
      resourceId: resourceIdOf(REGISTRIES.shared)
    })
    await expectCopiedToProd(testbed, 's6/base', '1.0', digest)
  })

  test.concurrent('7: by manifest digest', async () => {
    const digest = await sourceDigest(testbed, 'docker.io', 'library/alpine', '3.20')
    const run = await runWithOidc(testbed, {
      source: `docker.io/library/alpine@${digest}`,
      image: 's7/alpine:pinned'
    })
    expectSuccess(run)
    expect(run.outputs.digest).toBe(digest)
    await expectCopiedToProd(testbed, 's7/alpine', 'pinned', digest)
  })

  test.concurrent("8: a source ACR read with a service principal's app ID and password", async () => {
    const digest = await sourceDigest(testbed, 'devacr.azurecr.io', 'app', '1.0.0')
    const run = await runWithOidc(testbed, {
      source: 'devacr.azurecr.io/app:1.0.0',
      image: 's8/app:1.0.0',
      username: APPS.sourceReader.appId,
      password: APPS.sourceReader.clientSecret
    })
    expectSuccess(run)
    expect(run.outputs.digest).toBe(digest)
    expect((importBodyFor(testbed, 's8/app:1.0.0') as { source: unknown }).source).toMatchObject({
      registryUri: 'devacr.azurecr.io',
      credentials: { username: APPS.sourceReader.appId, password: APPS.sourceReader.clientSecret }
    })
    await expectCopiedToProd(testbed, 's8/app', '1.0.0', digest)
  })

  test.concurrent('9: an ACR in another tenant with a repository-scoped token', async () => {
    const token = REGISTRIES.partner.tokens[0]
    const digest = await sourceDigest(testbed, 'partneracr.azurecr.io', 'partner/tool', '2.0')
    const run = await runWithOidc(testbed, {
      source: 'partneracr.azurecr.io/partner/tool:2.0',
      image: 's9/tool:2.0',
      username: token.username,
      password: token.password
    })
    expectSuccess(run)
    expect(run.outputs.digest).toBe(digest)
    expect((importBodyFor(testbed, 's9/tool:2.0') as { source: unknown }).source).toMatchObject({
      registryUri: 'partneracr.azurecr.io'
    })
    await expectCopiedToProd(testbed, 's9/tool', '2.0', digest)
  })

  test.concurrent('10: a non-Azure private registry with username and password', async () => {
    const digest = await sourceDigest(testbed, PRIVATE_REGISTRY.host, 'team/service', '2.3.1')
    const run = await runWithOidc(testbed, {
      source: `${PRIVATE_REGISTRY.host}/team/service:2.3.1`,
      image: 's10/service:2.3.1',
      username: PRIVATE_REGISTRY.username,
      password: PRIVATE_REGISTRY.password
    })
    expectSuccess(run)
    expect(run.outputs.digest).toBe(digest)
    await expectCopiedToProd(testbed, 's10/service', '2.3.1', digest)
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

  test.concurrent('the bundle also starts and imports on Node 20 (the default node)', async () => {
    const digest = await sourceDigest(testbed, 'docker.io', 'library/busybox', '1.36')
    const run = await runWithOidc(
      testbed,
      { source: 'docker.io/library/busybox:1.36', image: 'node20/busybox:1.36' },
      { node: 'node' }
    )
    expectSuccess(run)
    expect(run.outputs.digest).toBe(digest)
  })
})
