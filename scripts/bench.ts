// `npm run bench`: what a batch in one step saves over the shell loop users write today (one import per step,
// each paying process start, sign-in and its own polling), measured in one run against the local test bed.
// Both shapes run the same built bundle (dist/action) on Node 24 with the same sources; only the shape differs.
import { startTestbed } from '../__tests__/testbed/index.js'
import { APPS, SUB_PROD, TENANT_A } from '../__tests__/testbed/world.js'
import { runAction } from '../__tests__/action/run-action.js'

const SOURCES = [
  'docker.io/library/hello-world:latest',
  'docker.io/library/busybox:1.36',
  'docker.io/library/alpine:3.20',
  'mcr.microsoft.com/windows/servercore:ltsc2019',
  'devacr.azurecr.io/app:1.1.0',
  'devacr.azurecr.io/charts/podinfo:6.5.0'
]
const SIGN_IN = { 'client-id': APPS.github.appId, 'tenant-id': TENANT_A, 'subscription-id': SUB_PROD }
const targetOf = (source: string, prefix: string): string => `${prefix}/${source.split('/').pop()}`

async function timed(label: string, run: () => Promise<void>): Promise<number> {
  const started = performance.now()
  await run()
  const seconds = (performance.now() - started) / 1000
  console.log(`${label.padEnd(58)} ${seconds.toFixed(2)} s`)
  return seconds
}

async function main(): Promise<void> {
  const testbed = await startTestbed()
  try {
    // A real import takes a few polls; the test bed answers 2 polls with 202 before it succeeds.
    testbed.faults.importTimeline(2)
    const env = { ...testbed.env, ...testbed.githubOidc('repo:contoso/app:ref:refs/heads/main') }
    const step = async (sources: string[], prefix: string): Promise<void> => {
      const source = sources.map((s) => `${s} => ${targetOf(s, prefix)}`).join('\n')
      const run = await runAction({
        inputs: { registry: 'prodacr', source, ...SIGN_IN },
        env,
        timeoutMs: 300_000
      })
      if (run.exitCode !== 0) throw new Error(`step failed: ${run.errors.join(' | ') || run.stderr}`)
    }

    console.log(
      `${SOURCES.length} images into prodacr, Node 24, GitHub OIDC sign-in, 2 pending polls per import\n`
    )
    const loop = await timed(`shell-loop shape: ${SOURCES.length} steps, one image each`, async () => {
      for (const source of SOURCES) await step([source], 'bench-loop')
    })
    const batch = await timed(`batch shape: 1 step, ${SOURCES.length} images`, () =>
      step(SOURCES, 'bench-batch')
    )
    const single = await timed('one step, one image (for reference)', () => step([SOURCES[0]], 'bench-one'))
    console.log(
      `\nbatch is ${(loop / batch).toFixed(1)}x faster than the loop; one image costs ${single.toFixed(2)} s end to end`
    )
  } finally {
    await testbed.stop()
  }
}

await main()
