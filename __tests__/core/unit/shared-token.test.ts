// One token request per scope at a time, whatever the number of clients asking at once: the batch's 64 ACR
// clients must not send 64 token requests to Entra ID before the first answer is cached.
import { describe, expect, it } from '@jest/globals'
import type { AccessToken, TokenCredential } from '@azure/core-auth'
import { SharedTokenCredential } from '../../../src/core/credential/shared-token.js'

const HOUR = 3_600_000

function countingCredential(expiresIn = HOUR, failFirst = false) {
  const asked: string[] = []
  let now = 0
  const inner: TokenCredential = {
    getToken: async (scopes) => {
      asked.push(String(scopes))
      if (failFirst && asked.length === 1) throw new Error('Entra ID answered 503')
      return { token: `token-${asked.length}`, expiresOnTimestamp: now + expiresIn } satisfies AccessToken
    }
  }
  const shared = new SharedTokenCredential(inner, () => now)
  return { shared, asked, later: (ms: number) => (now += ms) }
}

describe('a credential shared by every client of the step', () => {
  it('sends one token request for many asking at once, and each scope its own', async () => {
    const { shared, asked } = countingCredential()
    const tokens = await Promise.all([
      ...Array.from({ length: 64 }, () => shared.getToken('https://containerregistry.azure.net/.default')),
      shared.getToken('https://management.azure.com/.default')
    ])
    expect(asked).toEqual([
      'https://containerregistry.azure.net/.default',
      'https://management.azure.com/.default'
    ])
    expect(new Set(tokens.slice(0, 64).map((t) => t?.token))).toEqual(new Set(['token-1']))
  })

  it('asks again once a token is within five minutes of its expiry', async () => {
    const { shared, asked, later } = countingCredential()
    await shared.getToken('scope')
    later(HOUR - 6 * 60_000)
    expect((await shared.getToken('scope'))?.token).toBe('token-1')
    later(2 * 60_000)
    expect((await shared.getToken('scope'))?.token).toBe('token-2')
    expect(asked).toHaveLength(2)
  })

  it('asks again after a failed request instead of repeating its failure', async () => {
    const { shared } = countingCredential(HOUR, true)
    await expect(shared.getToken('scope')).rejects.toThrow('Entra ID answered 503')
    expect((await shared.getToken('scope'))?.token).toBe('token-2')
  })
})
