// Each host's bundle running fleets against the test bed: a batch under ARM write throttling, fail-fast, a failed
// entry among successes, the hint of an ARM 429 (which is never Docker Hub's pull limit), and an import that
// lands long before ARM's Retry-After. The faults are the test bed's and reset after each test, so the tests run
// one after the other. Each platform keeps a test bed of its own: on one shared with the action's hundred imports,
// the task's last import once failed inside the test bed's copy (socket hang up), a flake not worth a shared one.
import { afterEach, expect, it } from '@jest/globals'
import { expectSucceeded, resultsOf } from './expect-run.js'
import type { HostRun, Step } from './host.js'
import { ACTION_AND_TASK_ON, NODE20, onEachHost } from './on-each-host.js'
import { PROD } from './testbed-reads.js'

const lines = (count: number, target: (i: number) => string): string =>
  Array.from({ length: count }, (_, i) => `docker.io/library/busybox:1.36 => ${target(i)}`).join('\n')

onEachHost('a fleet of images', ACTION_AND_TASK_ON(NODE20), (host, testbed) => {
  afterEach(() => testbed.faults.reset())
  const run = (inputs: Step['inputs'], timeoutMs?: number): Promise<HostRun> =>
    host.run(testbed, { inputs, timeoutMs })
  const repo = (name: string): string => `${host.id}-${name}`

  it('imports a batch of 100 while ARM throttles writes to a burst of 20 and 2 a second', async () => {
    testbed.faults.armThrottling({ writes: { capacity: 20, refillPerSecond: 2 } })
    const step = await run({ source: lines(100, (i) => `${repo('fleet')}/busybox-${i}:1`) }, 240_000)
    expectSucceeded(step)
    const results = resultsOf(step)
    expect(results.map((r) => r.status)).toEqual(Array(100).fill('imported'))
    expect(results.reduce((sum, r) => sum + (r.throttled ?? 0), 0)).toBeGreaterThan(0)
    // Progress at least every 10 s, in the step's log (outside every import's group).
    expect(step.log).toMatch(/^\d+\/100 done, \d+ running, 0 failed/m)
    expect(await testbed.backend(PROD).headManifest(`${repo('fleet')}/busybox-99`, '1')).toMatch(/^sha256:/)
  }, 300_000)

  it('with fail-fast, starts nothing after the first failure', async () => {
    const posts = testbed.counters().importImagePosts
    const step = await run({
      source: `docker.io/library/missing:1 => ${repo('ff')}/missing:1\n${lines(2, (i) => `${repo('ff')}/busybox:${i}`)}`,
      concurrency: '1',
      'fail-fast': 'true'
    })
    expect(step.failed).toBe(true)
    const results = resultsOf(step)
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed'])
    for (const notStarted of results.slice(1)) {
      expect(notStarted.error).toBe('Not started: an earlier import failed and fail-fast is on')
    }
    expect(testbed.counters().importImagePosts).toBe(posts)
  }, 120_000)

  it('imports the others when one entry fails, and fails the step', async () => {
    const step = await run({
      source: [
        `docker.io/library/busybox:1.36 => ${repo('mixed')}/busybox:1`,
        `docker.io/library/missing:1 => ${repo('mixed')}/missing:1`,
        `docker.io/library/alpine:3.20 => ${repo('mixed')}/alpine:1`
      ].join('\n')
    })
    expect(step.failed).toBe(true)
    expect(resultsOf(step).map((r) => r.status)).toEqual(['imported', 'failed', 'imported'])
    expect(step.errors.some((e) => e.includes('missing'))).toBe(true)
    for (const landed of ['busybox', 'alpine']) {
      expect(await testbed.backend(PROD).headManifest(`${repo('mixed')}/${landed}`, '1')).toMatch(/^sha256:/)
    }
  }, 120_000)

  it('explains an import that ARM throttled past its timeout by ARM, never by Docker Hub', async () => {
    testbed.faults.throttleImports(50, 429, 2)
    const step = await run({
      source: `docker.io/library/busybox:1.36 => ${repo('throttled')}/busybox:1`,
      timeout: '3'
    })
    expect(step.failed).toBe(true)
    const [result] = resultsOf(step)
    expect(result.error).toMatch(
      /did not finish within 3 s: management\.azure\.com throttled it \d+ time\(s\) \(HTTP 429\)\. Azure Resource Manager throttled/
    )
    expect(`${step.log}\n${step.summary}`).not.toMatch(/Docker Hub/)
  }, 120_000)

  it('ends an import of 2 s long before ARM’s Retry-After of 10 s, and the process exits then', async () => {
    testbed.faults.importDuration(2000)
    testbed.faults.importTimeline(1, 10, 10)
    const started = Date.now()
    const step = await run({ source: `docker.io/library/busybox:1.36 => ${repo('landed')}/busybox:1` })
    expectSucceeded(step)
    expect(resultsOf(step)[0].status).toBe('imported')
    // Waiting for ARM would take more than 10 s; so would a poll timer left running after the step.
    expect(Date.now() - started).toBeLessThan(8000)
  }, 60_000)
})
