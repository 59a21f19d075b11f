// run() ends every failure as one `::error::` line and exit code 1; a stack trace only ever goes to debug.
// (The bundle-level e2e tests cover the successful paths against the test bed.)
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { run } from '../../src/action/main.js'
import { useInputs } from './action-manifest.js'
import { captureStdout, type CapturedStdout } from './capture-stdout.js'
import { commandLines } from './run-action.js'

describe('run', () => {
  let stdout: CapturedStdout
  beforeEach(() => {
    stdout = captureStdout()
  })
  afterEach(() => {
    stdout.restore()
    useInputs({})
    process.exitCode = undefined
  })

  it.each([
    [{ registry: '', source: 'nginx' }, "Input 'registry' is required. Set it to the target registry."],
    [
      { registry: 'prodacr', source: 'nginx', environment: 'Mars' },
      "Unknown environment 'Mars'. Use one of AzureCloud, AzureUSGovernment, AzureChinaCloud, AzureStack."
    ],
    [
      { registry: 'prodacr', source: 'nginx', 'client-id': 'app', 'tenant-id': 'tenant' },
      'GitHub OIDC is not available to this job. Add `permissions: id-token: write` to the job (or the workflow).'
    ]
  ])('fails %j with one line', async (inputs, message) => {
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL
    useInputs(inputs)
    await run()
    expect(commandLines(stdout.text(), 'error')).toEqual([message])
    expect(process.exitCode).toBe(1)
    const visible = stdout.lines().filter((line) => !line.startsWith('::debug::'))
    expect(visible.some((line) => /^\s+at /.test(line))).toBe(false)
    expect(stdout.lines().some((line) => line.startsWith('::debug::') && line.includes('%0A    at '))).toBe(
      true
    )
  })
})
