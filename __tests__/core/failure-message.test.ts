import { describe, expect, it } from '@jest/globals'
import { failureMessage } from '../../src/core/results/failure-message.js'
import type { ImportResult } from '../../src/core/execute/import-result.js'

const result = (source: string, status: ImportResult['status'], error?: string): ImportResult => ({
  source,
  targets: [],
  digest: '',
  platforms: [],
  status,
  durationMs: 1,
  error
})
const outcome = (results: ImportResult[]): ImportResult[] => results

describe('failureMessage', () => {
  it('is undefined when every import succeeded', () => {
    expect(failureMessage(outcome([result('a', 'imported'), result('b', 'queued')]))).toBeUndefined()
  })

  it("is a single import's own error line", () => {
    expect(failureMessage(outcome([result('a', 'failed', 'Tag exists. Use force: true.')]))).toBe(
      'Tag exists. Use force: true.'
    )
  })

  it('counts the failures of a batch', () => {
    const message = failureMessage(
      outcome([result('a', 'imported'), result('b', 'failed', 'B broke.'), result('c', 'failed', 'C broke.')])
    )
    expect(message).toBe('2 of 3 imports failed (see the summary)')
  })
})
