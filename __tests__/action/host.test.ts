// The action's host port under the core's logger: the last gate before stdout. No line it prints may be a
// workflow command; outputs land in GITHUB_OUTPUT (heredoc format) and the summary in GITHUB_STEP_SUMMARY.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createActionHost } from '../../src/action/host.js'
import { stepLogger } from '../../src/core/log/logger.js'
import { captureStdout, type CapturedStdout } from './capture-stdout.js'
import { parseGitHubOutput } from './run-action.js'

let stdout: CapturedStdout
beforeEach(() => {
  stdout = captureStdout()
})
afterEach(() => stdout.restore())

describe('the action host under the core logger', () => {
  it('prints remote text without letting it become a command', async () => {
    const log = stepLogger(createActionHost())
    log.info('registry said:\n::set-output name=digest::sha256:evil\n   ::error::injected\n##[group]fake')
    await log.group('::endgroup::', async () => log.debug('inside'))
    const lines = stdout.lines().filter((l) => l)
    expect(lines).toEqual([
      'registry said:',
      ':\u200b:set-output name=digest::sha256:evil',
      '   :\u200b:error::injected',
      '#\u200b#[group]fake',
      '::group:::\u200b:endgroup::',
      '::debug::inside',
      '::endgroup::'
    ])
  })

  it('sends notices and warnings as annotations and each line of a secret to the masker', () => {
    const log = stepLogger(createActionHost())
    log.notice('nginx means docker.io/library/nginx:latest')
    log.warning('no digest')
    log.setSecret('s3cret')
    log.setSecret('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nshort\n-----END PRIVATE KEY-----')
    expect(stdout.lines()).toEqual(
      expect.arrayContaining([
        '::notice::nginx means docker.io/library/nginx:latest',
        '::warning::no digest',
        '::add-mask::s3cret',
        '::add-mask::MIIEvQIBADANBgkqhkiG9w0B'
      ])
    )
    expect(stdout.lines().filter((l) => l.startsWith('::add-mask::'))).toHaveLength(2)
  })

  it('reports a failed import of a batch as an annotation titled with its source', () => {
    createActionHost().reportFailedImport('docker.io/library/x:1', 'Not found.')
    expect(stdout.lines()).toContain('::error title=ACR import failed%3A docker.io/library/x%3A1::Not found.')
  })
})

describe('outputs and summary', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outputs-'))
    process.env.GITHUB_OUTPUT = join(dir, 'output')
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary')
    writeFileSync(process.env.GITHUB_OUTPUT, '')
    writeFileSync(process.env.GITHUB_STEP_SUMMARY, '')
  })
  afterEach(() => {
    delete process.env.GITHUB_OUTPUT
    delete process.env.GITHUB_STEP_SUMMARY
    rmSync(dir, { recursive: true, force: true })
  })

  it('sets outputs by their action.yml names', () => {
    const host = createActionHost()
    host.setOutput('digest', 'sha256:abc')
    host.setOutput('target-image', 'prodacr.azurecr.io/hello-world:latest')
    const outputs = parseGitHubOutput(readFileSync(join(dir, 'output'), 'utf8'))
    expect(outputs).toEqual({ digest: 'sha256:abc', 'target-image': 'prodacr.azurecr.io/hello-world:latest' })
  })

  it('writes the summary markdown as it is', async () => {
    const markdown = '### ACR import\n\n| source | target |\n|---|---|\n| a | b |\n'
    await createActionHost().writeSummary(markdown)
    expect(readFileSync(join(dir, 'summary'), 'utf8')).toBe(markdown + '\n')
  })

  it('skips the summary without failing where GITHUB_STEP_SUMMARY is not set', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await createActionHost().writeSummary('x')
    expect(stdout.text()).toContain('::debug::GITHUB_STEP_SUMMARY is not set')
  })
})
