// Inputs read through the port (issue 17 D15): a shard past 2^53 is not a shard (99999999999999999999999 reads
// as 1e23, so no entry was ever kept and the step imported nothing, successfully).
import { describe, expect, it } from '@jest/globals'
import { readRequest } from '../../../src/core/request/read-request.js'
import { refusal } from './defences-helpers.js'

const request = (inputs: Record<string, string>) =>
  readRequest((name) => ({ registry: 'prodacr', source: 'nginx:1.27', ...inputs })[name] ?? '')

describe('shard', () => {
  it.each([
    '1/99999999999999999999999',
    '99999999999999999999999/99999999999999999999999',
    '1/9007199254740992'
  ])("refuses '%s', past the numbers JavaScript holds exactly", (shard) => {
    expect(refusal(() => request({ shard }))).toMatch(/^Input 'shard' must be i\/n with 1 <= i <= n, not '/)
  })

  it('still reads the largest exact count', () => {
    expect(request({ shard: '3/9007199254740991' }).shard).toEqual({ index: 3, count: 9007199254740991 })
  })
})
