// Bundle-level end-to-end: every user error is one line with a hint, exit code 1 and no stack trace; Docker Hub
// with credentials (issue row 2) around its anonymous pull limit; throttling; no secret in any output at debug
// level. The first block runs in parallel (own target repositories, no fault); the second changes the test bed's
// global faults, so its tests run one after the other, after the first block.
import { describe, expect, test } from '@jest/globals'
import { secretsOnTheWire } from '../e2e/secrets.js'
import { useTestbed } from '../testbed/use-testbed.js'
import { APPS, DOCKER_HUB_USER, SUB_PROD, TENANT_A } from '../testbed/world.js'
import {
  expectOneLineFailure,
  expectSuccess,
  runWithOidc,
  runWithTestbed,
  sourceDigest
} from './e2e-steps.js'

const testbed = useTestbed()

describe('user errors, one line each', () => {
  test.concurrent('a malformed reference', async () => {
    const line = expectOneLineFailure(
      await runWithOidc(testbed, { source: 'docker.io/library/UPPER::bad', image: 'err/malformed:1' })
    )
    expect(line).toContain('docker.io/library/UPPER::bad')
    expect(line).toMatch(/\. Write it as \[registry\/\]repository\[:tag\] or .*@sha256:/)
  })

  test.concurrent('a username without a password', async () => {
    const line = expectOneLineFailure(
      await runWithOidc(testbed, {
        source: 'docker.io/contosobot/private-app:1.0',
        username: DOCKER_HUB_USER.username
      })
    )
    expect(line).toMatch(/password/)
    expect(line).toMatch(
      /\. Pass the password \(or access token\) of the source registry too, or drop the username/
    )
  })

  test.concurrent('an unknown registry', async () => {
    const line = expectOneLineFailure(
      await runWithOidc(testbed, { registry: 'nosuchacr', source: 'docker.io/library/alpine:3.20' })
    )
    expect(line).toContain('nosuchacr')
    expect(line).toMatch(
      /\. Check the name and the subscription; .*"Container Registry Data Importer and Data Reader"/
    )
  })

  test.concurrent('a tag that exists (NoForce) says to use force', async () => {
    expectSuccess(
      await runWithOidc(testbed, { source: 'docker.io/library/busybox:1.36', image: 'err/taken:1' })
    )
    const line = expectOneLineFailure(
      await runWithOidc(testbed, { source: 'docker.io/library/alpine:3.20', image: 'err/taken:1' })
    )
    expect(line).toMatch(/already exists/)
    expect(line).toMatch(/force: true/)
  })

  test.concurrent(
    'a network-restricted source by login server points at trusted services and resource IDs',
    async () => {
      // Without credentials a same-tenant source goes by resource ID and works (scenario 5); with them the import
      // service has to reach the registry's endpoint, which refuses it.
      const line = expectOneLineFailure(
        await runWithOidc(testbed, {
          source: 'lockedacr.azurecr.io/secure/app:1.0.0',
          image: 'err/locked:1.0.0',
          username: APPS.github.appId,
          password: APPS.github.clientSecret
        })
      )
      expect(line).toMatch(/trusted Microsoft services/)
      expect(line).toMatch(/resource ID/)
    }
  )

  test.concurrent('a source that is not found', async () => {
    const line = expectOneLineFailure(
      await runWithOidc(testbed, { source: 'docker.io/library/no-such-image:1', image: 'err/none:1' })
    )
    expect(line).toMatch(/no-such-image/)
    expect(line).toMatch(/not found|exist/i)
    expect(line).toMatch(/\. Check the repository and the tag or digest/)
  })
})

describe('with test bed faults (one at a time)', () => {
  test('2: Docker Hub with username and token: a private repository, and around the anonymous pull limit', async () => {
    const privateDigest = await sourceDigest(testbed, 'docker.io', 'contosobot/private-app', '1.0')
    const alpineDigest = await sourceDigest(testbed, 'docker.io', 'library/alpine', '3.20')
    const credentials = { username: DOCKER_HUB_USER.username, password: DOCKER_HUB_USER.password }
    const privateRun = await runWithOidc(testbed, {
      source: 'docker.io/contosobot/private-app:1.0',
      image: 'hub/private-app:1.0',
      ...credentials
    })
    expectSuccess(privateRun)
    expect(privateRun.outputs.digest).toBe(privateDigest)

    testbed.faults.dockerHubAnonymousLimit(0)
    try {
      const anonymous = await runWithOidc(testbed, {
        source: 'docker.io/library/alpine:3.20',
        image: 'hub/alpine:anonymous'
      })
      expect(expectOneLineFailure(anonymous)).toMatch(/Docker Hub.*username\/password/)
      const signedIn = await runWithOidc(testbed, {
        source: 'docker.io/library/alpine:3.20',
        image: 'hub/alpine:3.20',
        ...credentials
      })
      expectSuccess(signedIn)
      expect(signedIn.outputs.digest).toBe(alpineDigest)
    } finally {
      testbed.faults.reset()
    }
  })

  test('an import past its timeout', async () => {
    testbed.faults.stallImports(true)
    try {
      const started = Date.now()
      const run = await runWithOidc(testbed, {
        source: 'docker.io/library/busybox:1.36',
        image: 'err/stuck:1',
        timeout: '3'
      })
      expect(expectOneLineFailure(run)).toMatch(/did not finish within 3 s\. .*raise timeout/)
      expect(Date.now() - started).toBeLessThan(20_000)
    } finally {
      testbed.faults.reset()
    }
  })

  test('a throttled import (429 with Retry-After) still succeeds', async () => {
    testbed.faults.throttleImports(1, 429, 1)
    try {
      const run = await runWithOidc(testbed, {
        source: 'docker.io/library/busybox:1.36',
        image: 'throttled/busybox:1.36'
      })
      expectSuccess(run)
      expect(run.outputs.digest).toBe(await sourceDigest(testbed, 'docker.io', 'library/busybox', '1.36'))
      const importPosts = testbed.requests.filter(
        (r) => r.method === 'POST' && r.url.includes('/importImage')
      )
      expect(importPosts.some((r) => r.status === 429)).toBe(true)
    } finally {
      testbed.faults.reset()
    }
  })

  test('no secret reaches stdout, stderr, outputs or the summary, with debug logging on', async () => {
    const dockerHub = { username: DOCKER_HUB_USER.username, password: DOCKER_HUB_USER.password }
    const before = testbed.requests.length
    const runs = [
      await runWithOidc(
        testbed,
        { source: 'docker.io/contosobot/private-app:1.0', image: 'leak/oidc:1.0', ...dockerHub },
        { debug: true }
      ),
      await runWithTestbed(testbed, {
        debug: true,
        inputs: {
          registry: 'prodacr',
          'subscription-id': SUB_PROD,
          source: 'docker.io/contosobot/private-app:1.0',
          image: 'leak/secret:1.0',
          ...dockerHub,
          'client-id': APPS.github.appId,
          'tenant-id': TENANT_A,
          'client-secret': APPS.github.clientSecret
        }
      })
    ]
    const secrets = [
      DOCKER_HUB_USER.password,
      APPS.github.clientSecret,
      ...secretsOnTheWire(testbed.requests.slice(before))
    ]
    expect(secrets.length).toBeGreaterThan(4)
    expect(runs[0].stdout).toContain('::debug::')
    for (const run of runs) {
      expectSuccess(run)
      // `::add-mask::` lines are commands to the runner's masker, never shown; everything else is.
      const shown = [
        run.stdout
          .split('\n')
          .filter((line) => !line.startsWith('::add-mask::'))
          .join('\n'),
        run.stderr,
        JSON.stringify(run.outputs),
        run.summary
      ].join('\n')
      for (const secret of secrets) expect(shown).not.toContain(secret)
    }
  })
})
