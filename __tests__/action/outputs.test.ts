// Outputs land in GITHUB_OUTPUT (heredoc format) and the engine's markdown in GITHUB_STEP_SUMMARY.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunOutcome } from '../../src/core/index.js'
import { publishOutputs, publishSummary } from '../../src/action/outputs.js'
import { captureStdout, type CapturedStdout } from './capture-stdout.js'
import { parseGitHubOutput } from './run-action.js'

const DIGEST = 'sha256:' + 'a'.repeat(64)
const outcome: RunOutcome = {
  digest: DIGEST,
  failed: 1,
  summaryMarkdown: '### ACR import\n\n| source | target |\n|---|---|\n| a | b |\n',
  results: [
    {
      source: 'docker.io/library/x:1',
      targets: [],
      digest: '',
      platforms: [],
      status: 'failed',
      durationMs: 5,
      error: 'Not found.'
    },
    {
      source: 'docker.io/library/hello-world:latest',
      targets: ['prodacr.azurecr.io/hello-world:latest', 'prodacr.azurecr.io/hello-world:v1'],
      digest: DIGEST,
      platforms: ['linux/amd64', 'linux/arm64'],
      status: 'imported',
      durationMs: 1200
    }
  ]
}

describe('publishing', () => {
  let dir: string
  let stdout: CapturedStdout
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outputs-'))
    process.env.GITHUB_OUTPUT = join(dir, 'output')
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary')
    writeFileSync(process.env.GITHUB_OUTPUT, '')
    writeFileSync(process.env.GITHUB_STEP_SUMMARY, '')
    stdout = captureStdout()
  })
  afterEach(() => {
    stdout.restore()
    delete process.env.GITHUB_OUTPUT
    delete process.env.GITHUB_STEP_SUMMARY
    rmSync(dir, { recursive: true, force: true })
  })

  it('sets digest, results JSON and the first target of a successful import', () => {
    publishOutputs(outcome)
    const outputs = parseGitHubOutput(readFileSync(join(dir, 'output'), 'utf8'))
    expect(outputs.digest).toBe(DIGEST)
    expect(JSON.parse(outputs.results)).toEqual(outcome.results)
    expect(outputs['target-image']).toBe('prodacr.azurecr.io/hello-world:latest')
  })

  it('writes the summary markdown as it is', async () => {
    await publishSummary(outcome)
    expect(readFileSync(join(dir, 'summary'), 'utf8')).toBe(outcome.summaryMarkdown + '\n')
  })

  it('skips the summary without failing where GITHUB_STEP_SUMMARY is not set', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await publishSummary(outcome)
    expect(stdout.text()).toContain('::debug::GITHUB_STEP_SUMMARY is not set')
  })
})
