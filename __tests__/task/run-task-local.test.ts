// `npm run task:local` (scripts/run-task-local.ts) runs the built task by hand against a running test bed, with
// only what `npm run testbed` exports in the environment: here the test bed runs in this process and the
// script in a child, as a person would run it from a second terminal.
import { afterAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { useTestbed } from '../testbed/use-testbed.js'
import { APPS } from '../testbed/world.js'
import { repoRoot } from './agent.js'

const testbed = useTestbed()
const folder = mkdtempSync(join(tmpdir(), 'acr-import-task-local-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

const TSX = join(repoRoot, 'node_modules', '.bin', 'tsx')
const SCRIPT = join(repoRoot, 'scripts', 'run-task-local.ts')

async function runScript(
  args: string[],
  env: Record<string, string>
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(TSX, [SCRIPT, ...args], {
    cwd: folder,
    env: { PATH: process.env.PATH ?? '', HOME: folder, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const code = await new Promise<number | null>((done) => child.on('close', done))
  return { code, stdout, stderr }
}

const digestOf = (repo: string, tag: string) => testbed.backend('prodacr.azurecr.io').headManifest(repo, tag)

describe('npm run task:local', () => {
  it('imports with the service principal connection and prints the result and outputs', async () => {
    const run = await runScript(
      ['registry=prodacr', 'source=docker.io/library/busybox:1.36', 'image=local/busybox:1.36'],
      testbed.env
    )
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 })
    expect(run.stdout).toContain(
      "Service connection for subscription 'Production' (service principal with a secret)"
    )
    expect(run.stdout).toContain('Result: Succeeded')
    const digest = await digestOf('local/busybox', '1.36')
    expect(run.stdout).toContain(`Output digest: ${digest}`)
  })

  it('signs in with workload identity federation for the connection the test bed registered', async () => {
    const connectionId = 'd2a3f9c4-0000-4000-8000-00000000f00d'
    const ado = testbed.adoOidc(connectionId, APPS.ado.federated[0].subject)
    const run = await runScript(
      [
        '--sign-in',
        'federated',
        '--connection-id',
        connectionId,
        'registry=prodacr',
        'source=docker.io/library/alpine:3.20',
        'image=local/alpine:3.20'
      ],
      { ...testbed.env, ...ado.variables, SYSTEM_ACCESSTOKEN: ado.systemAccessToken }
    )
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 })
    expect(run.stdout).toContain("Service connection 'prod-connection' (workload identity federation)")
    expect(await digestOf('local/alpine', '3.20')).toMatch(/^sha256:/)
  })

  it('exits 1 when the task fails, and says what is missing before running it', async () => {
    const failed = await runScript(['registry=prodacr', 'source=Not-A-Reference'], testbed.env)
    expect(failed.code).toBe(1)
    expect(failed.stdout).toMatch(/Result: Failed \(Malformed source reference 'Not-A-Reference'/)
    const noTestbed = await runScript(['registry=prodacr'], {})
    expect(noTestbed.code).toBe(2)
    expect(noTestbed.stderr).toMatch(/HTTPS_PROXY and NODE_EXTRA_CA_CERTS are not set: run npm run testbed/)
  })
})
