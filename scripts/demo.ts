// `npm run demo`: the action's main job, end to end, on this machine. Starts the local Azure test bed, runs the
// built bundle (dist/action/index.js) exactly as the GitHub runner would (Node 24, INPUT_* variables, GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY, GitHub OIDC), imports the multi-arch docker.io/library/hello-world:latest into prodacr,
// and prints the step's log as the runner shows it, its outputs and its job summary. Stops the test bed after.
import { startTestbed, type Testbed } from '../__tests__/testbed/index.js'
import { APPS, SUB_PROD, TENANT_A } from '../__tests__/testbed/world.js'
import { runAction, type ActionRun } from '../__tests__/action/run-action.js'

const SUBJECT = 'repo:contoso/app:ref:refs/heads/main'
const STEP_INPUTS = {
  registry: 'prodacr',
  source: 'docker.io/library/hello-world:latest',
  'client-id': APPS.github.appId,
  'tenant-id': TENANT_A,
  'subscription-id': SUB_PROD
}

async function main(): Promise<number> {
  const started = Date.now()
  const testbed = await startTestbed()
  const stopOnSignal = (): void => void testbed.stop().then(() => process.exit(130))
  process.once('SIGINT', stopOnSignal)
  try {
    heading(`Local Azure test bed up in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    console.log('The workflow step (job with `permissions: id-token: write`, on refs/heads/main):\n')
    console.log(stepYaml())
    const run = await runAction({
      inputs: STEP_INPUTS,
      env: { ...testbed.env, ...testbed.githubOidc(SUBJECT) }
    })
    printRun(run)
    await printTargetContents(testbed, run)
    return run.exitCode ?? 1
  } finally {
    process.off('SIGINT', stopOnSignal)
    await testbed.stop()
  }
}

function stepYaml(): string {
  const withLines = Object.entries(STEP_INPUTS).map(([name, value]) => `      ${name}: ${value}`)
  return ['  - id: import', '    uses: contoso/acr-import@v1', '    with:', ...withLines].join('\n')
}

function printRun(run: ActionRun): void {
  heading(`Step log (exit code ${run.exitCode})`)
  console.log(renderAsRunner(run.stdout))
  if (run.stderr.trim()) console.log(run.stderr)
  heading('Step outputs (steps.import.outputs)')
  for (const [name, value] of Object.entries(run.outputs)) {
    console.log(`${name}: ${name === 'results' ? JSON.stringify(JSON.parse(value), null, 2) : value}`)
  }
  heading('Job summary (GITHUB_STEP_SUMMARY)')
  console.log(run.summary)
}

async function printTargetContents(testbed: Testbed, run: ActionRun): Promise<void> {
  const digest = run.outputs.digest
  const target = /^[^/]+\/(.+):([^:]+)$/.exec(run.outputs['target-image'] ?? '')
  if (!digest || !target) return
  const [, repo, tag] = target
  const prod = testbed.backend('prodacr.azurecr.io')
  const index = await prod.getManifest(repo, tag)
  const children =
    (JSON.parse(index?.body.toString('utf8') ?? '{}') as { manifests?: { digest: string }[] }).manifests ?? []
  heading('What landed in prodacr (read from its backing registry)')
  console.log(
    `${repo}:${tag} -> ${index?.digest} (${index?.digest === digest ? 'equals' : 'DIFFERS FROM'} the digest output)`
  )
  for (const child of children) {
    const present = await prod.getManifest(repo, child.digest)
    console.log(`  platform manifest ${child.digest}: ${present ? 'present' : 'MISSING'}`)
  }
}

/**
 * Shows stdout as the Actions log viewer would: workflow commands consumed (masks applied, debug hidden),
 * groups and annotations rendered.
 */
function renderAsRunner(stdout: string): string {
  const masks: string[] = []
  const shown: string[] = []
  let indent = ''
  for (const line of stdout.split(/\r?\n/)) {
    const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line)
    if (!command) {
      if (line) shown.push(indent + line)
      continue
    }
    const [, name, data] = command
    const text = data.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
    if (name === 'add-mask') masks.push(text)
    else if (name === 'group') {
      shown.push(`▼ ${text}`)
      indent = '  '
    } else if (name === 'endgroup') indent = ''
    else if (['error', 'warning', 'notice'].includes(name)) {
      shown.push(`${indent}${name[0].toUpperCase()}${name.slice(1)}: ${text}`)
    }
  }
  return masks.reduce((log, secret) => log.split(secret).join('***'), shown.join('\n'))
}

function heading(text: string): void {
  console.log(`\n=== ${text} ===\n`)
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  }
)
