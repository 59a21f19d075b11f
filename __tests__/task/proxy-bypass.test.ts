import { describe, expect, it } from '@jest/globals'
import { noProxyFromBypassList } from '../../src/task/proxy-bypass.js'

describe('noProxyFromBypassList', () => {
  it('translates host and domain patterns of the agent into NO_PROXY entries', () => {
    expect(
      noProxyFromBypassList([
        'dev\\.contoso\\.com',
        '.*\\.Internal\\.Contoso\\.com',
        '^localhost$',
        '10\\.0\\.0\\.4:8080'
      ])
    ).toEqual({
      entries: ['dev.contoso.com', '.internal.contoso.com', 'localhost', '10.0.0.4:8080'],
      skipped: []
    })
  })

  it('reports real regular expressions instead of guessing', () => {
    expect(noProxyFromBypassList(['(dev|test)\\.contoso\\.com', 'build[0-9]+', ''])).toEqual({
      entries: [],
      skipped: ['(dev|test)\\.contoso\\.com', 'build[0-9]+']
    })
  })
})
