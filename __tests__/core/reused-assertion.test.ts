// A federated assertion is fetched once and reused until a minute before it expires, then fetched again.
import { describe, expect, it } from '@jest/globals'
import { reusedAssertion } from '../../src/core/credential/reused-assertion.js'

const jwt = (exp?: number): string =>
  [
    'e30',
    Buffer.from(JSON.stringify({ sub: 'x', ...(exp ? { exp } : {}) })).toString('base64url'),
    'sig'
  ].join('.')

describe('reusedAssertion', () => {
  it('reuses an assertion until a minute before its expiry, masking each one fetched', async () => {
    let clock = 1_000_000_000
    const issued: string[] = []
    const masked: string[] = []
    const assertion = reusedAssertion(
      async () => {
        issued.push(jwt(clock / 1000 + 300))
        return issued[issued.length - 1]
      },
      (fetched) => masked.push(fetched),
      () => clock
    )
    const first = await assertion.get()
    expect(await assertion.get()).toBe(first)
    clock += 239_000 // 61 s left
    expect(await assertion.get()).toBe(first)
    clock += 2_000 // 59 s left
    const second = await assertion.get()
    expect(second).not.toBe(first)
    expect(issued).toEqual([first, second])
    expect(masked).toEqual([first, second])
    expect(assertion.lastClaims()?.sub).toBe('x')
  })

  it('never reuses an assertion without an expiry', async () => {
    let count = 0
    const assertion = reusedAssertion(
      async () => `${jwt()}${++count}`,
      () => undefined
    )
    expect(await assertion.get()).not.toBe(await assertion.get())
  })
})
