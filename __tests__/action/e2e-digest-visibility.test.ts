// Bundle-level end-to-end for the digest when the runner cannot read every side (issue 3): an identity that may
// import but not pull still succeeds, with a warning naming the role that would let it verify; and `wait: false`
// only queues the import, with the source digest as output. The `wait: false` test stalls every import in the
// test bed, so the tests of this file run one after the other.
import { describe, expect, test } from '@jest/globals'
import { useTestbed } from '../testbed/use-testbed.js'
import { APPS, REGISTRIES, SUB_PROD, TENANT_A, resourceIdOf } from '../testbed/world.js'
import { commandLines } from './run-action.js'
import { PROD, expectSuccess, resultsOf, runWithOidc, runWithTestbed, sourceDigest } from './e2e-steps.js'

const testbed = useTestbed()

/** The role names a warning may give for reading the target (either lets the runner pull). */
const READ_ROLE = /AcrPull|"Container Registry Data Importer and Data Reader"/

/** A step signed in with a client secret as `importOnly`: import rights on prodacr, pull rights nowhere. */
const runAsImportOnly = (inputs: Record<string, string>) =>
  runWithTestbed(testbed, {
    inputs: {
      registry: 'prodacr',
      'subscription-id': SUB_PROD,
      'client-id': APPS.importOnly.appId,
      'tenant-id': TENANT_A,
      'client-secret': APPS.importOnly.clientSecret,
      ...inputs
    }
  })

describe('digest visibility', () => {
  test('neither side readable: imported, no digest, a warning naming the role to grant', async () => {
    const run = await runAsImportOnly({
      'source-registry': resourceIdOf(REGISTRIES.locked),
      source: 'secure/app:1.0.0',
      image: 'vis/none:1'
    })
    expectSuccess(run)
    expect(run.outputs.digest).toBe('')
    expect(resultsOf(run).map((r) => r.status)).toEqual(['imported'])
    const warnings = commandLines(run.stdout, 'warning')
    expect(warnings.some((w) => /digest is unknown/.test(w) && READ_ROLE.test(w) && w.includes(PROD))).toBe(
      true
    )
    // The import really happened server-side, although the runner could read neither side.
    const lockedDigest = await sourceDigest(testbed, 'lockedacr.azurecr.io', 'secure/app', '1.0.0')
    expect(await testbed.backend(PROD).headManifest('vis/none', '1')).toBe(lockedDigest)
  })

  test('only the source readable: the digest output is the source digest, with a not-verified warning', async () => {
    const busybox = await sourceDigest(testbed, 'docker.io', 'library/busybox', '1.36')
    const run = await runAsImportOnly({ source: 'docker.io/library/busybox:1.36', image: 'vis/source:1' })
    expectSuccess(run)
    expect(run.outputs.digest).toBe(busybox)
    expect(resultsOf(run).map((r) => r.status)).toEqual(['imported'])
    const warnings = commandLines(run.stdout, 'warning')
    expect(warnings.some((w) => /not verified/.test(w) && READ_ROLE.test(w))).toBe(true)
    expect(await testbed.backend(PROD).headManifest('vis/source', '1')).toBe(busybox)
  })

  test('wait: false queues the import and returns at once with the source digest', async () => {
    const alpine = await sourceDigest(testbed, 'docker.io', 'library/alpine', '3.20')
    testbed.faults.stallImports(true)
    try {
      // The import never finishes; a step that waited would run into the default 600 s timeout.
      const run = await runWithOidc(testbed, {
        source: 'docker.io/library/alpine:3.20',
        image: 'vis/queued:3.20',
        wait: 'false'
      })
      expectSuccess(run)
      expect(run.outputs.digest).toBe(alpine)
      expect(resultsOf(run).map((r) => r.status)).toEqual(['queued'])
      const warnings = commandLines(run.stdout, 'warning')
      expect(warnings.some((w) => /queued without waiting/.test(w))).toBe(true)
    } finally {
      testbed.faults.stallImports(false)
    }
  })
})
