// Bundle-level end-to-end of issue #9 "Faults 4" and "Faults 5": an ARM front that answers 500 on every poll
// while the import lands, and another writer that changes the target tag during the import. Each test changes
// the test bed's global faults, so they run one after the other.
import { describe, expect, test } from '@jest/globals'
import { useTestbed } from '../testbed/use-testbed.js'
import { expectOneLineFailure, expectSuccess, runWithOidc, sourceDigest } from './e2e-steps.js'

const testbed = useTestbed()

describe('ARM and registry faults (one at a time)', () => {
  test('Faults 4: every poll answers 500 while the import lands: it may have completed, check the tags', async () => {
    // The target already holds the digest, so the data plane cannot see the import land: ARM alone decides.
    const inputs = { source: 'docker.io/library/busybox:1.36', image: 'faults/polls:1' }
    expectSuccess(await runWithOidc(testbed, inputs))
    testbed.faults.failImportPolls(500, true)
    try {
      const run = await runWithOidc(testbed, { ...inputs, 'skip-unchanged': 'false', force: 'true' })
      const line = expectOneLineFailure(run)
      expect(line).toMatch(/may have completed in Azure/)
      expect(line).toMatch(/check the target tags \(az acr repository show-tags --name prodacr/)
    } finally {
      testbed.faults.failImportPolls(500, false)
    }
  })

  test('Faults 5: another writer changes the target tag during the import: it names the digest it holds now', async () => {
    const inputs = { source: 'docker.io/library/busybox:1.36', image: 'faults/writer:1' }
    const alpine = await sourceDigest(testbed, 'docker.io', 'library/alpine', '3.20')
    testbed.faults.anotherWriterOnNextImport({ repo: 'library/alpine', reference: '3.20' })
    try {
      const run = await runWithOidc(testbed, inputs)
      const line = expectOneLineFailure(run)
      expect(line).toMatch(/Another writer changed .* it now holds sha256:/)
      expect(line).toContain(`it now holds ${alpine}`)
    } finally {
      testbed.faults.reset()
    }
  })

  test('Faults 2: GitHub OIDC survives a dropped connection to its token endpoint, as every other call does', async () => {
    const oidc = testbed.githubOidc('repo:contoso/app:ref:refs/heads/main')
    testbed.faults.resetConnections(new URL(oidc.ACTIONS_ID_TOKEN_REQUEST_URL).hostname, 1)
    const asked = (): number => testbed.requests.filter((r) => r.url.includes('/idtoken')).length
    const before = asked()
    try {
      expectSuccess(
        await runWithOidc(testbed, { source: 'docker.io/library/busybox:1.36', image: 'faults/oidc:1' })
      )
      // The dropped request and its retry (one assertion serves the whole step).
      expect(asked() - before).toBe(2)
    } finally {
      testbed.faults.reset()
    }
  })
})
