// runImports against the local Azure test bed (real registries behind fake Entra ID, ARM and ACR), in a child
// process that trusts the test bed's CA and reaches it through its CONNECT proxy.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import type { ImportRequest, RunOutcome } from '../../src/core/index.js'
import { startTestbed, type Testbed } from '../testbed/index.js'

let testbed: Testbed

beforeAll(async () => {
  testbed = await startTestbed()
}, 60000)
afterAll(async () => {
  await testbed?.stop()
})

const baseRequest: ImportRequest = {
  registry: 'prodacr',
  sources: [],
  images: [],
  repositories: [],
  force: false,
  wait: true,
  timeoutSeconds: 60,
  dryRun: false
}

async function run(
  overrides: Partial<ImportRequest>
): Promise<{ outcome?: RunOutcome; thrown?: string; lines: string[] }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '__tests__/core/fixtures/run-imports-child.ts',
      JSON.stringify({ ...baseRequest, ...overrides })
    ],
    { env: { ...process.env, ...testbed.env }, stdio: ['ignore', 'pipe', 'pipe'] }
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  await new Promise((resolve) => child.on('exit', resolve))
  if (!stdout) throw new Error(`the child printed nothing: ${stderr}`)
  return JSON.parse(stdout)
}

describe('runImports against the test bed', () => {
  it('imports by the source digest read first, verifies the target, and reports a failure per import', async () => {
    const { outcome, lines } = await run({
      sources: ['hello-world => mirror/hello-world:1', 'devacr.azurecr.io/app:1.1.0 => app:existing']
    })
    const [hello, existing] = outcome!.results
    expect(hello).toMatchObject({ status: 'imported', targets: ['prodacr.azurecr.io/mirror/hello-world:1'] })
    expect(hello.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(hello.platforms).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7'])
    expect(outcome!.digest).toBe(hello.digest)
    const imported = testbed.imports.find((i) => JSON.stringify(i.body).includes('mirror/hello-world:1'))
    expect(imported?.body).toMatchObject({
      source: { registryUri: 'docker.io', sourceImage: `library/hello-world@${hello.digest}` },
      mode: 'NoForce'
    })
    expect(existing.status).toBe('failed')
    expect(existing.error).toMatch(/already exists.*use force: true/)
    expect(outcome!.failed).toBe(1)
    expect(lines).toContain(
      "notice 'hello-world' is read as the Docker Hub image docker.io/library/hello-world:latest"
    )
  }, 90000)

  it('imports nothing in a dry run', async () => {
    const before = testbed.imports.length
    const { outcome } = await run({ sources: ['docker.io/library/busybox:1.36'], dryRun: true })
    expect(outcome!.results[0]).toMatchObject({
      status: 'planned',
      targets: ['prodacr.azurecr.io/library/busybox:1.36']
    })
    expect(outcome!.results[0].digest).toMatch(/^sha256:/)
    expect(testbed.imports.length).toBe(before)
  }, 90000)

  it('only queues the import when wait is false', async () => {
    const { outcome } = await run({
      sources: ['docker.io/library/alpine:3.20 => queued/alpine:3.20'],
      wait: false
    })
    expect(outcome!.results[0]).toMatchObject({
      status: 'queued',
      targets: ['prodacr.azurecr.io/queued/alpine:3.20']
    })
    expect(outcome!.failed).toBe(0)
  }, 90000)

  it('gives up on a stuck import after its timeout, with a hint', async () => {
    testbed.faults.stallImports(true)
    try {
      const { outcome } = await run({
        sources: ['docker.io/library/busybox:1.36 => stuck/busybox:1'],
        timeoutSeconds: 3
      })
      expect(outcome!.results[0].status).toBe('failed')
      expect(outcome!.results[0].error).toMatch(
        /did not finish within 3 s\. The operation may still complete in Azure/
      )
    } finally {
      testbed.faults.stallImports(false)
    }
  }, 90000)

  it('stops before any import when the target registry is unknown', async () => {
    const { thrown } = await run({ registry: 'nosuchacr', sources: ['nginx'] })
    expect(thrown).toMatch(/The target registry 'nosuchacr' was not found in subscription/)
  }, 90000)
})
