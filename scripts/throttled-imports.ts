// Imports under a tight ARM write bucket, counting the 429s the step meets: how polite the step is to a
// subscription it shares with other pipelines. `npm run bench` uses it; run it alone with
// `tsx scripts/throttled-imports.ts`.
import { runAction } from '../__tests__/action/run-action.js'
import { startTestbed, type Testbed } from '../__tests__/testbed/index.js'
import { APPS, SUB_PROD, TENANT_A } from '../__tests__/testbed/world.js'

const SIGN_IN = { 'client-id': APPS.github.appId, 'tenant-id': TENANT_A, 'subscription-id': SUB_PROD }

export interface ThrottledFigures {
  seconds: number
  /** The bucket's best: the burst at once, then one import per refill, then the last import's server time. */
  bestSeconds: number
  throttled: number
  statuses: string[]
}

export async function measureThrottledImports(
  testbed: Testbed,
  options: { count: number; capacity: number; refillPerSecond: number; serverMs: number; target: string }
): Promise<ThrottledFigures> {
  const source = Array.from(
    { length: options.count },
    (_, i) => `docker.io/library/busybox:1.36 => ${options.target}/img-${i}:1`
  ).join('\n')
  testbed.faults.importDuration(options.serverMs)
  testbed.faults.armThrottling({
    writes: { capacity: options.capacity, refillPerSecond: options.refillPerSecond }
  })
  const before = testbed.requests.length
  const started = performance.now()
  try {
    const run = await runAction({
      inputs: { registry: 'prodacr', source, ...SIGN_IN },
      env: { ...testbed.env, ...testbed.githubOidc('repo:contoso/app:ref:refs/heads/main') },
      timeoutMs: 600_000
    })
    const seconds = (performance.now() - started) / 1000
    const throttled = testbed.requests.slice(before).filter((r) => r.status === 429).length
    const statuses = [
      ...new Set((JSON.parse(run.outputs.results ?? '[]') as { status: string }[]).map((r) => r.status))
    ]
    const bestSeconds = (options.count - options.capacity) / options.refillPerSecond + options.serverMs / 1000
    return { seconds, bestSeconds, throttled, statuses }
  } finally {
    testbed.faults.armThrottling({})
    testbed.faults.importDuration(0)
  }
}

if (process.argv[1]?.endsWith('throttled-imports.ts')) {
  const testbed = await startTestbed()
  try {
    console.log(
      await measureThrottledImports(testbed, {
        count: 40,
        capacity: 10,
        refillPerSecond: 1,
        serverMs: 2000,
        target: 'throttled'
      })
    )
  } finally {
    await testbed.stop()
  }
}
