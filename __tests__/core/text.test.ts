import { describe, expect, it } from '@jest/globals'
import { safeText } from '../../src/core/log/safe-text.js'

describe('safeText', () => {
  it('collapses to one line', () => {
    expect(safeText('a\r\nb\n\n  c\u2028d')).toBe('a b c d')
  })

  it.each(['::error::boom', '##vso[task.setvariable variable=x]1', '##[error]boom', 'x\n::add-mask::y'])(
    'neutralises %j',
    (text) => {
      const safe = safeText(text)
      expect(safe).not.toMatch(/::|##vso\[|##\[/i)
      expect(safe.replace(/\u200b/g, '')).toBe(text.replace(/\n/g, ' '))
    }
  )

  it('caps very long text', () => {
    expect(safeText('x'.repeat(5000)).length).toBeLessThanOrEqual(1001)
  })
})
