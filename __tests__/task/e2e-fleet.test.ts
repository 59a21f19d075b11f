// The task's bundle running fleets against the test bed: a batch under ARM write throttling, fail-fast, a failed
// entry among successes, and the hint of an ARM 429 (which is never Docker Hub's pull limit).
import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import { useTestbed } from '../testbed/use-testbed.js'
import { removeRunFolders, runTask, type TaskRun } from './agent.js'
import { federatedJob } from './e2e-world.js'

const testbed = useTestbed()
afterEach(() => testbed.faults.reset())
afterAll(() => removeRunFolders())

const lines = (count: number, target: (i: number) => string): string =>
  Array.from({ length: count }, (_, i) => `docker.io/library/busybox:1.36 => ${target(i)}`).join('\n')

interface FleetResult {
  status: string
  error?: string
  throttled?: number
}

const resultsOf = (run: TaskRun): FleetResult[] => JSON.parse(run.outputs.results ?? '[]') as FleetResult[]

function run(inputs: Record<string, string>): Promise<TaskRun> {
  return runTask(federatedJob(testbed, { registry: 'prodacr', ...inputs }))
}

describe('the task with a fleet of images', () => {
  it('imports a batch of 100 while ARM throttles writes to a burst of 20 and 2 a second', async () => {
    testbed.faults.armThrottling({ writes: { capacity: 20, refillPerSecond: 2 } })
    const task = await run({ source: lines(100, (i) => `fleet-ado/busybox-${i}:1`) })
    expect({ result: task.result, message: task.resultMessage }).toMatchObject({ result: 'Succeeded' })
    const results = resultsOf(task)
    expect(results.map((r) => r.status)).toEqual(Array(100).fill('imported'))
    expect(results.reduce((sum, r) => sum + (r.throttled ?? 0), 0)).toBeGreaterThan(0)
    // Progress at least every 10 s, in the step's log (outside every import's group).
    expect(task.stdout).toMatch(/^\d+\/100 done, \d+ running, 0 failed/m)
  }, 300_000)

  it('with fail-fast, starts nothing after the first failure', async () => {
    const posts = testbed.counters().importImagePosts
    const task = await run({
      source: `docker.io/library/missing:1 => ff-ado/missing:1\n${lines(2, (i) => `ff-ado/busybox:${i}`)}`,
      concurrency: '1',
      failFast: 'true'
    })
    expect(task.result).toBe('Failed')
    const results = resultsOf(task)
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed'])
    expect(results[2].error).toBe('Not started: an earlier import failed and fail-fast is on')
    expect(testbed.counters().importImagePosts).toBe(posts)
  }, 120_000)

  it('imports the others when one entry fails, and fails the task', async () => {
    const task = await run({
      source: [
        'docker.io/library/busybox:1.36 => mixed-ado/busybox:1',
        'docker.io/library/missing:1 => mixed-ado/missing:1',
        'docker.io/library/alpine:3.20 => mixed-ado/alpine:1'
      ].join('\n')
    })
    expect(task.result).toBe('Failed')
    expect(resultsOf(task).map((r) => r.status)).toEqual(['imported', 'failed', 'imported'])
    expect(await testbed.backend('prodacr.azurecr.io').headManifest('mixed-ado/busybox', '1')).toMatch(
      /^sha256:/
    )
  }, 120_000)

  it('explains an import that ARM throttled past its timeout by ARM, never by Docker Hub', async () => {
    testbed.faults.throttleImports(50, 429, 2)
    const task = await run({
      source: 'docker.io/library/busybox:1.36 => throttled-ado/busybox:1',
      timeout: '3'
    })
    expect(task.result).toBe('Failed')
    const [result] = resultsOf(task)
    expect(result.error).toMatch(
      /management\.azure\.com throttled it \d+ time\(s\) \(HTTP 429\)\. Azure Resource Manager throttled/
    )
    expect(`${task.stdout}\n${task.summaries.join('\n')}`).not.toMatch(/Docker Hub/)
  }, 120_000)

  it('ends an import of 2 s long before ARM’s Retry-After of 10 s, and the process exits then', async () => {
    testbed.faults.importDuration(2000)
    testbed.faults.importTimeline(1, 10, 10)
    const started = Date.now()
    const task = await run({ source: 'docker.io/library/busybox:1.36 => landed-ado/busybox:1' })
    expect(task.result).toBe('Succeeded')
    // Waiting for ARM would take more than 10 s; so would a poll timer left running after the step.
    expect(Date.now() - started).toBeLessThan(8000)
  }, 60_000)
})
