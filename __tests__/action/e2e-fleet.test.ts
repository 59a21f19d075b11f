// The action's bundle running fleets against the test bed: a batch under ARM write throttling, fail-fast, a failed
// entry among successes, and the hint of an ARM 429 (which is never Docker Hub's pull limit).
import { afterEach, describe, expect, it } from '@jest/globals'
import { useTestbed } from '../testbed/use-testbed.js'
import { expectSuccess, resultsOf, runWithOidc } from './e2e-steps.js'

const testbed = useTestbed()
afterEach(() => testbed.faults.reset())

const lines = (count: number, target: (i: number) => string): string =>
  Array.from({ length: count }, (_, i) => `docker.io/library/busybox:1.36 => ${target(i)}`).join('\n')

interface FleetResult {
  status: string
  error?: string
  throttled?: number
}

describe('the action with a fleet of images', () => {
  it('imports a batch of 100 while ARM throttles writes to a burst of 20 and 2 a second', async () => {
    testbed.faults.armThrottling({ writes: { capacity: 20, refillPerSecond: 2 } })
    const run = await runWithOidc(
      testbed,
      { source: lines(100, (i) => `fleet-gh/busybox-${i}:1`) },
      { timeoutMs: 240_000 }
    )
    expectSuccess(run)
    const results = resultsOf(run) as unknown as FleetResult[]
    expect(results.map((r) => r.status)).toEqual(Array(100).fill('imported'))
    expect(results.reduce((sum, r) => sum + (r.throttled ?? 0), 0)).toBeGreaterThan(0)
    // Progress at least every 10 s, in the step's log (outside every import's group).
    expect(run.stdout).toMatch(/^\d+\/100 done, \d+ running, 0 failed/m)
    expect(await testbed.backend('prodacr.azurecr.io').headManifest('fleet-gh/busybox-99', '1')).toMatch(
      /^sha256:/
    )
  }, 300_000)

  it('with fail-fast, starts nothing after the first failure', async () => {
    const posts = testbed.counters().importImagePosts
    const run = await runWithOidc(testbed, {
      source: `docker.io/library/missing:1 => ff-gh/missing:1\n${lines(2, (i) => `ff-gh/busybox:${i}`)}`,
      concurrency: '1',
      'fail-fast': 'true'
    })
    expect(run.exitCode).toBe(1)
    const results = resultsOf(run) as unknown as FleetResult[]
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed'])
    expect(results[1].error).toBe('Not started: an earlier import failed and fail-fast is on')
    expect(testbed.counters().importImagePosts).toBe(posts)
  }, 120_000)

  it('imports the others when one entry fails, and exits 1', async () => {
    const run = await runWithOidc(testbed, {
      source: [
        'docker.io/library/busybox:1.36 => mixed-gh/busybox:1',
        'docker.io/library/missing:1 => mixed-gh/missing:1',
        'docker.io/library/alpine:3.20 => mixed-gh/alpine:1'
      ].join('\n')
    })
    expect(run.exitCode).toBe(1)
    expect(resultsOf(run).map((r) => r.status)).toEqual(['imported', 'failed', 'imported'])
    expect(run.errors.some((e) => e.includes('missing'))).toBe(true)
    expect(await testbed.backend('prodacr.azurecr.io').headManifest('mixed-gh/alpine', '1')).toMatch(
      /^sha256:/
    )
  }, 120_000)

  it('explains an import that ARM throttled past its timeout by ARM, never by Docker Hub', async () => {
    testbed.faults.throttleImports(50, 429, 2)
    const run = await runWithOidc(testbed, {
      source: 'docker.io/library/busybox:1.36 => throttled-gh/busybox:1',
      timeout: '3'
    })
    expect(run.exitCode).toBe(1)
    const [result] = resultsOf(run) as unknown as FleetResult[]
    expect(result.error).toMatch(
      /did not finish within 3 s: management\.azure\.com throttled it \d+ time\(s\) \(HTTP 429\)\. Azure Resource Manager throttled/
    )
    expect(`${run.stdout}\n${run.summary}`).not.toMatch(/Docker Hub/)
  }, 120_000)

  it('ends an import of 2 s long before ARM’s Retry-After of 10 s, and the process exits then', async () => {
    testbed.faults.importDuration(2000)
    testbed.faults.importTimeline(1, 10, 10)
    const started = Date.now()
    const run = await runWithOidc(testbed, {
      source: 'docker.io/library/busybox:1.36 => landed-gh/busybox:1'
    })
    expectSuccess(run)
    expect(resultsOf(run)[0].status).toBe('imported')
    // Waiting for ARM would take more than 10 s; so would a poll timer left running after the step.
    expect(Date.now() - started).toBeLessThan(8000)
  }, 60_000)
})
