// The action's logger is the last gate before stdout: no line it prints may be a workflow command.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createActionLogger, inertLine, inertText } from '../../src/action/logger.js'
import { captureStdout, type CapturedStdout } from './capture-stdout.js'

describe('inertLine', () => {
  it.each([
    ['::set-output name=digest::sha256:evil', ':\u200b:set-output name=digest::sha256:evil'],
    ['   ::error::injected', '   :\u200b:error::injected'],
    ['##[group]fake', '#\u200b#[group]fake'],
    ['a normal line with :: inside', 'a normal line with :: inside']
  ])('%j -> %j', (line, expected) => {
    expect(inertLine(line)).toBe(expected)
  })

  it('checks every line of a message', () => {
    expect(inertText('ok\n::add-mask::x\r\n::stop-commands::t')).toBe(
      'ok\n:\u200b:add-mask::x\r\n:\u200b:stop-commands::t'
    )
  })
})

describe('createActionLogger', () => {
  let stdout: CapturedStdout
  beforeEach(() => {
    stdout = captureStdout()
  })
  afterEach(() => stdout.restore())

  it('prints remote text without letting it become a command', async () => {
    const log = createActionLogger()
    log.info('registry said:\n::set-output name=digest::sha256:evil')
    await log.group('::endgroup::', async () => log.debug('inside'))
    const lines = stdout.lines().filter((l) => l)
    expect(lines).toEqual([
      'registry said:',
      ':\u200b:set-output name=digest::sha256:evil',
      '::group:::\u200b:endgroup::',
      '::debug::inside',
      '::endgroup::'
    ])
  })

  it('sends notices and warnings as annotations and secrets to the masker', () => {
    const log = createActionLogger()
    log.notice('nginx means docker.io/library/nginx:latest')
    log.warning('no digest')
    log.setSecret('s3cret')
    expect(stdout.lines()).toEqual(
      expect.arrayContaining([
        '::notice::nginx means docker.io/library/nginx:latest',
        '::warning::no digest',
        '::add-mask::s3cret'
      ])
    )
  })
})
