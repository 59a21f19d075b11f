// @actions/core writes log lines and workflow commands (`::add-mask::`, `::error::`) to stdout; unit tests
// read them here instead of letting them reach the runner that runs the tests.
import { jest } from '@jest/globals'

export interface CapturedStdout {
  text(): string
  lines(): string[]
  restore(): void
}

export function captureStdout(): CapturedStdout {
  const chunks: string[] = []
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    return true
  })
  return {
    text: () => chunks.join(''),
    lines: () => chunks.join('').split(/\r?\n/),
    restore: () => spy.mockRestore()
  }
}
