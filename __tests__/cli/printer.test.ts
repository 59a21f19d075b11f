// The command line's log: no runner masks it, so the printer does, at every level; groups are indented blocks;
// colour only on a terminal and never with NO_COLOR.
import { describe, expect, test } from '@jest/globals'
import { Printer } from '../../src/cli/printer.js'

function printer(options: { tty?: boolean; debug?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const stream = { text: '', isTTY: options.tty, write: (text: string) => (stream.text += text) }
  return { stream, printer: new Printer(stream, options.debug ?? false, options.env ?? {}) }
}

describe('the command line printer', () => {
  test('every registered secret is masked in every line and level, a longer one first', () => {
    const { stream, printer: p } = printer({ debug: true })
    p.addSecret('s3cret-value')
    p.addSecret('s3cret-value-and-more')
    for (const level of ['info', 'notice', 'warning', 'error', 'debug'] as const) {
      p.print(level, `token s3cret-value-and-more then s3cret-value\nnext line s3cret-value`)
    }
    expect(stream.text).not.toContain('s3cret')
    expect(stream.text).toContain('token *** then ***')
    expect(p.redact('{"password":"s3cret-value"}')).toBe('{"password":"***"}')
  })

  test('debug lines only with --debug', () => {
    const quiet = printer()
    quiet.printer.print('debug', 'detail')
    expect(quiet.stream.text).toBe('')
    const loud = printer({ debug: true })
    loud.printer.print('debug', 'detail')
    expect(loud.stream.text).toBe('debug: detail\n')
  })

  test('a group is its title and its lines indented, each line of a message too', async () => {
    const { stream, printer: p } = printer()
    await p.group('Imported nginx', async () => {
      p.print('info', 'first\nsecond')
      p.print('warning', 'careful')
    })
    p.print('info', 'after')
    expect(stream.text).toBe('Imported nginx\n  first\n  second\n  warning: careful\nafter\n')
  })

  test('colour on a terminal only, and never with NO_COLOR', () => {
    const tty = printer({ tty: true })
    tty.printer.print('error', 'failed')
    expect(tty.stream.text).toBe('\x1b[31merror: failed\x1b[39m\n')
    const noColor = printer({ tty: true, env: { NO_COLOR: '1' } })
    noColor.printer.print('error', 'failed')
    expect(noColor.stream.text).toBe('error: failed\n')
    const pipe = printer({ tty: false })
    pipe.printer.print('warning', 'careful')
    expect(pipe.stream.text).toBe('warning: careful\n')
  })
})
