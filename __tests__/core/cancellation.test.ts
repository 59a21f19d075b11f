import { describe, expect, it, jest } from '@jest/globals'
import { abortOnSignals } from '../../src/core/step/cancellation.js'

describe('abortOnSignals', () => {
  it('aborts with the reason on the first signal, exits on the second, and lets go when disposed', () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as typeof process.exit)
    const listeners = process.listenerCount('SIGTERM')
    const cancellation = abortOnSignals('The step was cancelled')
    try {
      process.emit('SIGINT')
      expect(cancellation.signal.aborted).toBe(true)
      expect((cancellation.signal.reason as Error).message).toBe('The step was cancelled')
      expect(exit).not.toHaveBeenCalled()
      process.emit('SIGTERM')
      expect(exit).toHaveBeenCalledWith(1)
    } finally {
      cancellation.dispose()
      exit.mockRestore()
    }
    expect(process.listenerCount('SIGTERM')).toBe(listeners)
  })
})
